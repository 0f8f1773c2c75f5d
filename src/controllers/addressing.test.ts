import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAddressing } from './addressing.ts';
import { allocatableRange, cidrsOverlap, formatIpv4, parseIpv4, parseIpv4Cidr } from './ipv4.ts';

test('IPv4 addresses and CIDRs parse and print', () => {
  assert.equal(parseIpv4('127.96.0.1'), 0x7f600001);
  assert.equal(formatIpv4(0x7f600001), '127.96.0.1');
  for (const bad of ['127.96.0', '127.96.0.256', '01.2.3.4', '::1', '1.2.3.4.5']) assert.equal(parseIpv4(bad), undefined, bad);
  const c = parseIpv4Cidr('127.96.3.4/16');
  assert.ok(c.ok);
  assert.equal(c.value.text, '127.96.0.0/16');
  assert.equal(c.value.size, 65536);
  assert.deepEqual(allocatableRange(c.value), { first: 0x7f600001, last: 0x7f60fffe });
  assert.ok(!parseIpv4Cidr('fd00::/64').ok);
  assert.ok(!parseIpv4Cidr('127.0.0.0/33').ok);
});

test('defaults, and the options checked as Diagnostics', () => {
  const d = resolveAddressing();
  assert.ok(d.ok);
  assert.equal(d.value.serviceCidr.text, '127.96.0.0/16');
  assert.equal(d.value.podCidr.text, '127.244.0.0/16');
  assert.deepEqual(d.value.nodePorts, { min: 30000, max: 32767 });
  assert.ok(!cidrsOverlap(d.value.serviceCidr, d.value.podCidr));

  const bad = resolveAddressing({ serviceCidr: '127.0.0.0/8', podCidr: 'nope', nodePortRange: '40000-30000' });
  assert.ok(!bad.ok);
  assert.deepEqual(bad.error.map((x) => x.field), ['service-cidr', 'pod-cidr', 'node-port-range']);
  assert.match(bad.error[0].message, /contains the host address 127\.0\.0\.1/);
  assert.ok(bad.error.every((x) => x.severity === 'error' && x.code === 'WEFT_INVALID_VALUE'));

  const overlap = resolveAddressing({ serviceCidr: '127.96.0.0/16', podCidr: '127.96.128.0/17' });
  assert.ok(!overlap.ok);
  assert.match(overlap.error[0].message, /overlaps the service CIDR/);
});

test('a CIDR outside 127.0.0.0/8 is refused: nothing on this machine could bind its addresses', () => {
  const r = resolveAddressing({ serviceCidr: '10.0.0.0/16' });
  assert.ok(!r.ok);
  assert.match(r.error[0].message, /not inside the loopback range 127\.0\.0\.0\/8/);
  const wide = resolveAddressing({ podCidr: '0.0.0.0/0' });
  assert.ok(!wide.ok);
  assert.ok(resolveAddressing({ serviceCidr: '127.97.0.0/16', podCidr: '127.245.0.0/16' }).ok);
});
