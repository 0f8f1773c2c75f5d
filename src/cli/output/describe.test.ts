import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveKind, SERVED_KINDS } from '../../api/kinds.ts';
import { describeObject, describerKindOf, joinDescriptions } from './describe.ts';
import type { DescribeContext } from './describe-writer.ts';

const CTX: DescribeContext = { now: new Date('2024-01-01T00:00:00Z'), utcOffsetMinutes: () => 0 };

test('kubectl has describers of its own for Pod, Service, Deployment, EndpointSlice and Endpoints; every other kind is generic', () => {
  const pick = (name: string) => describerKindOf(resolveKind(name)!);
  assert.equal(pick('pods'), 'pod');
  assert.equal(pick('svc'), 'service');
  assert.equal(pick('deploy'), 'deployment');
  assert.equal(pick('endpointslices'), 'endpoint-slice');
  assert.equal(pick('ep'), 'endpoints');
  const generic = SERVED_KINDS.filter((i) => describerKindOf(i) === 'generic').map((i) => i.kind);
  assert.ok(generic.includes('CiliumEnvoyConfig') && generic.includes('HTTPRoute') && generic.includes('VirtualService'));
  assert.equal(SERVED_KINDS.length - generic.length, 5);
});

test('each input goes to its describer; several descriptions are joined as kubectl joins them', () => {
  const meta = { name: 'x', namespace: 'default' };
  const pod = describeObject({ kind: 'pod', object: { apiVersion: 'v1', kind: 'Pod', metadata: meta } }, CTX);
  assert.match(pod, /^QoS Class:/m);
  const svc = describeObject({ kind: 'service', object: { apiVersion: 'v1', kind: 'Service', metadata: meta, spec: { ports: [{ port: 80 }] } }, endpointSlices: [] }, CTX);
  assert.match(svc, /^Endpoints: +<none>$/m);
  const cec = describeObject({ kind: 'generic', object: { apiVersion: 'cilium.io/v2', kind: 'CiliumEnvoyConfig', metadata: meta } }, CTX);
  assert.match(cec, /^Kind: +CiliumEnvoyConfig$/m);
  assert.equal(joinDescriptions(['a\n', 'b\n']), 'a\n\n\nb\n');
});
