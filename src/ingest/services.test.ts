// ingestServices: golden cases (testdata/services/<case>/input.yaml → output.json; set
// WEFT_REGENERATE=1 to rewrite the expected files) and the rules they pin, spelled out.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../api/object.ts';
import { buildSnapshot } from '../model/index.ts';
import { ingestServices } from './services.ts';
import type { ServicesInput } from './services.ts';

const DIR = join(import.meta.dirname, 'testdata', 'services');

function loadInput(file: string): ServicesInput {
  const objects = parseAllDocuments(readFileSync(file, 'utf8')).map((d) => d.toJS() as KubeObject);
  return {
    services: objects.filter((o) => o.kind === 'Service'),
    endpointSlices: objects.filter((o) => o.kind === 'EndpointSlice'),
    endpoints: objects.filter((o) => o.kind === 'Endpoints'),
  };
}

for (const name of readdirSync(DIR).sort()) {
  test(`golden: ${name}`, () => {
    const input = loadInput(join(DIR, name, 'input.yaml'));
    const actual = `${JSON.stringify(ingestServices(input), null, 2)}\n`;
    const expectedFile = join(DIR, name, 'output.json');
    if (process.env.WEFT_REGENERATE === '1') writeFileSync(expectedFile, actual);
    assert.equal(actual, readFileSync(expectedFile, 'utf8'));
  });
}

test('deterministic: input order does not change the output', () => {
  const input = loadInput(join(DIR, 'mixed', 'input.yaml'));
  const reversed = { services: [...input.services].reverse(), endpointSlices: [...input.endpointSlices].reverse(), endpoints: [...input.endpoints].reverse() };
  assert.deepEqual(ingestServices(reversed), ingestServices(input));
});

test('the rules of the mixed case', () => {
  const { resources, diagnostics } = ingestServices(loadInput(join(DIR, 'mixed', 'input.yaml')));
  assert.deepEqual(diagnostics, []);
  const listeners = (resources.listeners ?? []).map((l) => `${l.name} ${l.address?.kind === 'socketAddress' ? `${l.address.address}:${l.address.portValue}` : ''}`);
  assert.deepEqual(listeners, [
    'service/default/external:3000 127.96.0.30:3000',
    'service/default/helloworld:5000 127.96.0.10:5000',
    'service/shop/web:80 127.96.0.20:80',
    'service/shop/web:80/node-port 127.0.0.1:30080',
  ]);
  const eds = new Map((resources.endpoints ?? []).map((e) => [e.clusterName, e.endpoints.flatMap((l) => l.lbEndpoints.map((h) => (h.endpoint.address.kind === 'socketAddress' ? `${h.endpoint.address.address}:${h.endpoint.address.portValue}` : '')))]));
  // Ready endpoints only, at the backend port, sorted; Cilium's names.
  assert.deepEqual(eds.get('default/helloworld:5000'), ['127.244.0.2:5000', '127.244.0.3:5000']);
  assert.deepEqual(eds.get('default/helloworld:*'), ['127.244.0.2:5000', '127.244.0.3:5000']);
  assert.deepEqual(eds.get('default/helloworld'), ['127.244.0.2:5000', '127.244.0.3:5000']);
  assert.deepEqual(eds.get('shop/web:80'), ['127.0.0.1:8080']);
  assert.deepEqual(eds.get('default/external:3000'), ['127.0.0.1:3001']);
  // No ready endpoint: an empty assignment and no listener (connection refused).
  assert.deepEqual(eds.get('default/empty:80'), []);
  assert.equal(eds.has('default/headless:5000'), false);
  assert.equal(eds.has('shop/web:53'), false);
  // The fragment is a valid snapshot on its own.
  const built = buildSnapshot(resources, '1');
  assert.ok(built.ok, JSON.stringify(built.ok ? [] : built.error));
});

test('a hand-written v1 Endpoints is ignored for a Service with a selector (the endpoint controller owns it)', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { selector: { a: 'b' }, clusterIP: '127.96.0.5', ports: [{ port: 80 }] } } as KubeObject;
  const ep = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 's', namespace: 'n' }, subsets: [{ addresses: [{ ip: '127.0.0.9' }], ports: [{ port: 80 }] }] } as unknown as KubeObject;
  const { resources } = ingestServices({ services: [svc], endpointSlices: [], endpoints: [ep] });
  assert.deepEqual(resources.listeners, []);
});

test('a non-IPv4 clusterIP is a warning, not a listener', () => {
  const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'n' }, spec: { clusterIP: 'fd00::1', ports: [{ port: 80 }] } } as KubeObject;
  const { resources, diagnostics } = ingestServices({ services: [svc], endpointSlices: [], endpoints: [] });
  assert.deepEqual(resources.listeners, []);
  assert.equal(diagnostics.length, 1);
  assert.equal(diagnostics[0].field, 'spec.clusterIP');
});

test('a named port is published under its name too; redirected ports get no L4 listener; NodePorts on the node address', () => {
  const input = loadInput(join(DIR, 'mixed', 'input.yaml'));
  const plain = ingestServices(input);
  const names = new Set((plain.resources.endpoints ?? []).map((e) => e.clusterName));
  assert.ok(names.has('default/helloworld:http'), [...names].join(' '));
  const redirected = ingestServices({ ...input, nodeAddress: '127.0.0.9', redirected: new Set(['default/helloworld:5000']) });
  const listeners = (redirected.resources.listeners ?? []).map((l) => `${l.name} ${l.address?.kind === 'socketAddress' ? `${l.address.address}:${l.address.portValue}` : ''}`);
  assert.deepEqual(listeners, [
    'service/default/external:3000 127.96.0.30:3000',
    'service/shop/web:80 127.96.0.20:80',
    'service/shop/web:80/node-port 127.0.0.9:30080',
  ]);
  // Its endpoints are still published (a CiliumEnvoyConfig routes to the Service it intercepts).
  assert.ok((redirected.resources.endpoints ?? []).some((e) => e.clusterName === 'default/helloworld:5000' && e.endpoints.length > 0));
});
