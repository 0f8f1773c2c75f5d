// The local API in the Kubernetes API server's REST layout, exercised over real HTTP against an
// in-process standalone instance.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { startStandalone } from '../src/bin/standalone.ts';
import type { Standalone } from '../src/bin/standalone.ts';
import { removeDir, tempDir } from './support/weft.ts';

interface Reply {
  status: number;
  body: any;
}

function call(base: string, method: string, path: string, body?: unknown, token?: string): Promise<Reply> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (payload) headers['content-type'] = 'application/json';
    const req = request(new URL(path, base), { method, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined }));
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Opens a watch and collects events until `until` says stop (or a bounded timeout). */
function watch(base: string, path: string, until: (events: any[]) => boolean, timeoutMs = 5000): { events: Promise<any[]>; ready: Promise<void> } {
  const events: any[] = [];
  let markReady: () => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const done = new Promise<any[]>((resolve, reject) => {
    const req = request(new URL(path, base), (res) => {
      markReady();
      let buf = '';
      const timer = setTimeout(() => {
        req.destroy();
        reject(new Error(`watch timed out with ${JSON.stringify(events.map((e) => e.type))}`));
      }, timeoutMs);
      res.setEncoding('utf8').on('data', (d: string) => {
        buf += d;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          events.push(JSON.parse(buf.slice(0, nl)));
          buf = buf.slice(nl + 1);
          nl = buf.indexOf('\n');
        }
        if (until(events)) {
          clearTimeout(timer);
          req.destroy();
          resolve(events);
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        resolve(events);
      });
    });
    req.on('error', (e) => (events.length > 0 ? resolve(events) : reject(e)));
    req.end();
  });
  return { events: done, ready };
}

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = { k: 'v' }) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, labels },
  data,
});

describe('local API', () => {
  let state: string;
  let weft: Standalone;
  let token: string;
  let base: string;
  const CMS = '/api/v1/namespaces/default/configmaps';

  before(async () => {
    state = tempDir();
    weft = await startStandalone({ stateDir: state, apiHost: '127.0.0.1', apiPort: 0, files: [], log: () => {} });
    base = weft.apiUrl;
    const { readFileSync } = await import('node:fs');
    token = readFileSync(`${state}/token`, 'utf8').trim();
  });

  after(async () => {
    await weft.stop();
    removeDir(state);
  });

  test('create, get, list, update, delete with Kubernetes status codes', async () => {
    let r = await call(base, 'POST', CMS, cm('a', { app: 'x' }), token);
    assert.equal(r.status, 201);
    assert.equal(r.body.metadata.namespace, 'default');
    const uid = r.body.metadata.uid;
    r = await call(base, 'POST', CMS, cm('a'), token);
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, 'AlreadyExists');
    assert.equal(r.body.message, 'configmaps "a" already exists');
    r = await call(base, 'GET', `${CMS}/a`);
    assert.equal(r.body.metadata.uid, uid);
    r = await call(base, 'GET', '/api/v1/configmaps');
    assert.equal(r.body.kind, 'ConfigMapList');
    assert.ok(r.body.items.some((i: any) => i.metadata.name === 'a'));

    const stale = { ...cm('a', { app: 'x' }, { k: 'w' }), metadata: { name: 'a', labels: { app: 'x' }, resourceVersion: '1' } };
    r = await call(base, 'PUT', `${CMS}/a`, stale, token);
    assert.equal(r.status, 409);
    assert.equal(r.body.reason, 'Conflict');
    r = await call(base, 'PUT', `${CMS}/a`, cm('a', { app: 'x' }, { k: 'w' }), token);
    assert.equal(r.status, 200);
    assert.equal(r.body.data.k, 'w');

    r = await call(base, 'PUT', `${CMS}/b`, cm('a'), token);
    assert.equal(r.status, 400, 'the body names another object than the URL');

    r = await call(base, 'DELETE', `${CMS}/a`, undefined, token);
    assert.equal(r.status, 200);
    r = await call(base, 'DELETE', `${CMS}/a`, undefined, token);
    assert.equal(r.status, 404);
    assert.equal(r.body.kind, 'Status');
    assert.equal(r.body.reason, 'NotFound');
  });

  test('an invalid object is refused with 422 and its field causes', async () => {
    const svc = { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'eighty' }], bogus: 1 } };
    const r = await call(base, 'POST', '/api/v1/namespaces/default/services', svc, token);
    assert.equal(r.status, 422);
    assert.equal(r.body.reason, 'Invalid');
    const fields = r.body.details.causes.map((c: any) => c.field).sort();
    assert.deepEqual(fields, ['spec.bogus', 'spec.ports[0].port']);
    assert.equal((await call(base, 'GET', '/api/v1/namespaces/default/services/s')).status, 404);
  });

  test('label selectors on list', async () => {
    await call(base, 'POST', CMS, cm('blue', { color: 'blue', tier: 'a' }), token);
    await call(base, 'POST', CMS, cm('red', { color: 'red', tier: 'a' }), token);
    const names = async (sel: string) =>
      (await call(base, 'GET', `${CMS}?labelSelector=${encodeURIComponent(sel)}`)).body.items.map((i: any) => i.metadata.name);
    assert.deepEqual(await names('color=blue'), ['blue']);
    assert.deepEqual(await names('tier=a,color!=blue'), ['red']);
    assert.deepEqual(await names('color in (red,blue)'), ['blue', 'red']);
    assert.equal((await call(base, 'GET', `${CMS}?labelSelector=${encodeURIComponent('a in (')}`)).status, 400);
  });

  test('watch streams ADDED for what exists, then MODIFIED and DELETED', async () => {
    await call(base, 'POST', CMS, cm('w1', { watch: 'me' }), token);
    const w = watch(base, `${CMS}?watch=true&labelSelector=watch%3Dme`, (ev) => ev.some((e) => e.type === 'DELETED'));
    await w.ready;
    await call(base, 'PUT', `${CMS}/w1`, cm('w1', { watch: 'me' }, { k: 'changed' }), token);
    await call(base, 'POST', CMS, cm('other'), token);
    await call(base, 'DELETE', `${CMS}/w1`, undefined, token);
    const events = await w.events;
    assert.deepEqual(
      events.map((e) => `${e.type} ${e.object.metadata.name}`),
      ['ADDED w1', 'MODIFIED w1', 'DELETED w1'],
    );
    assert.equal(events[1].object.data.k, 'changed');
  });

  test('watch from a resourceVersion replays what came after it; a too-old one is 410 Gone', async () => {
    const created = await call(base, 'POST', CMS, cm('rv1'), token);
    const rv = created.body.metadata.resourceVersion;
    await call(base, 'POST', CMS, cm('rv2'), token);
    const w = watch(base, `${CMS}?watch=1&resourceVersion=${rv}`, (ev) => ev.length >= 1);
    const events = await w.events;
    assert.equal(events[0].type, 'ADDED');
    assert.equal(events[0].object.metadata.name, 'rv2');

    // History starts empty after a restart: anything from before is too old.
    await weft.stop();
    weft = await startStandalone({ stateDir: state, apiHost: '127.0.0.1', apiPort: 0, files: [], log: () => {} });
    base = weft.apiUrl;
    const gone = await watch(base, `${CMS}?watch=true&resourceVersion=${rv}`, (ev) => ev.length >= 1).events;
    assert.equal(gone[0].type, 'ERROR');
    assert.equal(gone[0].object.code, 410);
  });

  test('discovery lists the served groups and resources', async () => {
    const groups = (await call(base, 'GET', '/apis')).body;
    const names = groups.groups.map((g: any) => g.name);
    for (const g of ['apps', 'gateway.networking.k8s.io', 'cilium.io', 'networking.istio.io']) assert.ok(names.includes(g), g);
    const cilium = (await call(base, 'GET', '/apis/cilium.io/v2')).body;
    const cec = cilium.resources.find((r: any) => r.name === 'ciliumenvoyconfigs');
    assert.deepEqual(cec.shortNames, ['cec']);
    assert.equal(cec.namespaced, true);
    const core = (await call(base, 'GET', '/api/v1')).body;
    assert.ok(core.resources.some((r: any) => r.name === 'services' && r.shortNames.includes('svc')));
  });

  test('the status subresource changes status only, and generation never', async () => {
    const gw = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'gw' },
      spec: { gatewayClassName: 'cilium', listeners: [{ name: 'http', protocol: 'HTTP', port: 80 }] },
    };
    const path = '/apis/gateway.networking.k8s.io/v1/namespaces/default/gateways';
    const created = await call(base, 'POST', path, { ...gw, status: { addresses: [{ value: 'spoofed' }] } }, token);
    assert.equal(created.status, 201);
    assert.equal(created.body.status, undefined, 'status given on create is dropped');
    const r = await call(base, 'PUT', `${path}/gw/status`, { status: { conditions: [{ type: 'Programmed', status: 'True' }] } }, token);
    assert.equal(r.status, 200);
    assert.equal(r.body.metadata.generation, 1);
    assert.equal(r.body.status.conditions[0].type, 'Programmed');
    assert.notEqual(r.body.metadata.resourceVersion, created.body.metadata.resourceVersion);
  });

  test('merge patch changes the named fields, null removes, and validation still applies', async () => {
    await call(base, 'POST', CMS, cm('p', { a: '1', b: '2' }, { k: 'v', gone: 'x' }), token);
    const patch = (body: unknown) =>
      fetch(`${base}${CMS}/p`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify(body),
      });
    let res = await patch({ metadata: { labels: { b: null, c: '3' } }, data: { gone: null } });
    assert.equal(res.status, 200);
    const o = (await res.json()) as any;
    assert.deepEqual(o.metadata.labels, { a: '1', c: '3' });
    assert.deepEqual(o.data, { k: 'v' });
    res = await patch({ metadata: { labels: { 'bad key!': 'x' } } });
    assert.equal(res.status, 422);
  });

  test('unknown paths and methods', async () => {
    assert.equal((await call(base, 'GET', '/api/v1/gizmos')).status, 404);
    assert.equal((await call(base, 'PATCH', `${CMS}/x`, {}, token)).status, 415, 'only merge patches');
    assert.equal((await fetch(`${base}/ready`)).status, 200);
  });
});
