import assert from 'node:assert/strict';
import { test } from 'node:test';
import { containerResourceValue, parseQuantity, podQosClass } from './describe-quantity.ts';
import { formatRfc1123z, PrefixWriter, printAnnotationsMultiline, printTolerationsMultiline, timestampSince } from './describe-writer.ts';
import type { DescribeContext } from './describe-writer.ts';

const ctx = (offset: number): DescribeContext => ({ now: new Date('2024-03-10T12:00:00Z'), utcOffsetMinutes: () => offset });

test("times print as Go's RFC1123Z in the context's zone; ages as kubectl's HumanDuration", () => {
  assert.equal(formatRfc1123z('2024-03-10T01:02:03Z', ctx(0)), 'Sun, 10 Mar 2024 01:02:03 +0000');
  assert.equal(formatRfc1123z('2024-03-10T01:02:03Z', ctx(-330)), 'Sat, 09 Mar 2024 19:32:03 -0530');
  assert.equal(formatRfc1123z('2024-03-10T01:02:03.474Z', ctx(60)), 'Sun, 10 Mar 2024 02:02:03 +0100');
  assert.equal(formatRfc1123z(undefined, ctx(0)), '');
  assert.equal(timestampSince('2024-03-10T11:55:00Z', ctx(0)), '5m');
  assert.equal(timestampSince(undefined, ctx(0)), '<unknown>');
});

test('annotations: sorted, last-applied-configuration left out, long and multi-line values on their own lines', () => {
  const w = new PrefixWriter();
  const long = 'x'.repeat(150);
  printAnnotationsMultiline(w, 'Annotations', {
    'kubectl.kubernetes.io/last-applied-configuration': '{"big":"json"}',
    b: 'two\nlines\n',
    a: 'short',
    c: long,
  });
  assert.equal(
    w.render(),
    ['Annotations:  a: short', '              b:', '                two', '                lines', '              c:', `                ${'x'.repeat(138)}...`, ''].join('\n'),
  );
  const none = new PrefixWriter();
  printAnnotationsMultiline(none, 'Annotations', { 'kubectl.kubernetes.io/last-applied-configuration': '{}' });
  assert.equal(none.render(), 'Annotations:  <none>\n');
});

test('tolerations print key=value:Effect, op=Exists and seconds, sorted by key', () => {
  const w = new PrefixWriter();
  printTolerationsMultiline(w, 'Tolerations', [{ key: 'b', operator: 'Equal', value: 'v', effect: 'NoSchedule' }, { operator: 'Exists' }, { key: 'a', operator: 'Exists' }]);
  assert.equal(w.render(), ['Tolerations:  op=Exists', '              a op=Exists', '              b=v:NoSchedule', ''].join('\n'));
});

test('terminal escape characters are neutralised as kubectl does', () => {
  const w = new PrefixWriter();
  w.write(0, 'Message:\t\x1b[31mred\r\n');
  assert.equal(w.render(), 'Message:  ^[[31mred\\r\n');
});

test('quantities, QoS classes and resource-backed environment values', () => {
  assert.equal(parseQuantity('100m'), 0.1);
  assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
  assert.equal(parseQuantity('1e3'), 1000);
  assert.equal(parseQuantity('1.5G'), 1.5e9);
  assert.equal(parseQuantity('lots'), undefined);
  assert.equal(podQosClass([{}]), 'BestEffort');
  assert.equal(podQosClass([{ resources: { requests: { cpu: '100m' } } }]), 'Burstable');
  assert.equal(podQosClass([{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1000m', memory: '1Gi' } } }]), 'Guaranteed');
  assert.equal(podQosClass([{ resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '500m' } } }]), 'Burstable');
  assert.equal(podQosClass([{ resources: { limits: { cpu: '1', memory: '1Gi' } } }, {}]), 'Burstable');
  assert.equal(containerResourceValue({ limits: { cpu: '250m' } }, 'limits.cpu', undefined), '1');
  assert.equal(containerResourceValue({ limits: { cpu: '250m' } }, 'limits.cpu', '1m'), '250');
  assert.equal(containerResourceValue({}, 'limits.memory', undefined), '0');
  assert.equal(containerResourceValue({ requests: { memory: '64Mi' } }, 'requests.memory', '1Mi'), '64');
  assert.equal(containerResourceValue({}, 'limits.gpu', undefined), '');
});
