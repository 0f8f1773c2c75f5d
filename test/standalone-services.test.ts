// `weft up -f examples/hello`: controllers run the Pods as built-in apps on their Pod IPs, and the
// Service's ClusterIP balances connections over the ready endpoints (L4, issue 4). Scaling,
// deleting a Pod, a Service with no endpoint, and a restart on the same state directory.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readFileSync } from 'node:fs';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const HELLO = join(ROOT, 'examples', 'hello');

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // agent: false → a new connection per request, so each one is balanced on its own.
    const req = request(url, { agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function json(weft: RunningWeft, args: string[]): Promise<any> {
  const r = await runWeft([...args, '-o', 'json'], { state: weft.state });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
}

async function helloPods(weft: RunningWeft): Promise<string[]> {
  const pods = await json(weft, ['get', 'pods', '-l', 'app=helloworld']);
  return pods.items.filter((p: any) => p.status?.phase === 'Running').map((p: any) => p.metadata.name).sort();
}

/** The instance names answering on the ClusterIP, once `count` distinct ones were seen (bounded). */
async function instances(url: string, count: number, maxRequests = 60): Promise<Set<string>> {
  const seen = new Set<string>();
  for (let i = 0; i < maxRequests && seen.size < count; i++) {
    const r = await get(url).catch(() => undefined);
    const m = r && /instance: (\S+)/.exec(r.body);
    if (m) seen.add(m[1]);
  }
  return seen;
}

function apply(weft: RunningWeft, yaml: string): Promise<void> {
  return runWeft(['apply', '-f', '-'], { state: weft.state, input: yaml }).then((r) => assert.equal(r.code, 0, r.stderr));
}

function scaled(replicas: number): string {
  const text = readFileSync(join(HELLO, 'helloworld.yaml'), 'utf8');
  const doc = text.split('\n---\n').find((d) => d.includes('name: helloworld-v1\n'));
  assert.ok(doc);
  return doc.replace('replicas: 1', `replicas: ${replicas}`);
}

describe('weft up: Services over built-in apps', () => {
  let state: string;
  let weft: RunningWeft;
  let clusterIP: string;
  let url: string;

  before(async () => {
    state = tempDir();
    weft = await startWeft({ state, files: [HELLO], args: ['--no-access-log', '--proxy', '127.0.0.1:0'] });
    const svc = await json(weft, ['get', 'svc', 'helloworld']);
    clusterIP = svc.spec.clusterIP;
    assert.match(clusterIP, /^127\.96\./);
    url = `http://${clusterIP}:5000/hello`;
    await waitFor('both helloworld Pods running', async () => ((await helloPods(weft)).length === 2 ? true : undefined));
    await waitFor('both endpoints served', async () => ((await instances(url, 2)).size === 2 ? true : undefined));
  });

  after(async () => {
    assert.equal(await weft.stop(), 0);
    removeDir(state);
  });

  test('200 new connections to the ClusterIP reach both versions, named as the Pods', async () => {
    const pods = await helloPods(weft);
    const byVersion = new Map<string, number>();
    const names = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const r = await get(url);
      assert.equal(r.status, 200);
      const m = /^Hello version: (v\d), instance: (\S+)$/m.exec(r.body);
      assert.ok(m, r.body);
      byVersion.set(m[1], (byVersion.get(m[1]) ?? 0) + 1);
      names.add(m[2]);
    }
    for (const v of ['v1', 'v2']) {
      const share = (byVersion.get(v) ?? 0) / 200;
      assert.ok(share >= 0.35 && share <= 0.65, `${v}: ${share}`);
    }
    assert.deepEqual([...names].sort(), pods);
    const wide = await runWeft(['get', 'pods', '-o', 'wide'], { state: weft.state });
    for (const p of pods) assert.match(wide.stdout, new RegExp(`${p}\\s+1/1\\s+Running`));
  });

  test('status shows the controllers with counts', async () => {
    const r = await runWeft(['status'], { state: weft.state });
    assert.match(r.stdout, /^Controllers:\s+OK\s+6 controllers; 3 Deployments, 3 Pods/m);
    assert.match(r.stdout, /^Data plane:\s+OK\s+1 listeners/m);
  });

  test('scaling a Deployment from 2 to 3 adds the endpoint within 2 s; deleting a Pod removes it', async () => {
    await apply(weft, scaled(2));
    await waitFor('3 endpoints', async () => ((await instances(url, 3)).size === 3 ? true : undefined));
    const started = Date.now();
    await apply(weft, scaled(3));
    const seen = await waitFor('4 endpoints', async () => {
      const s = await instances(url, 4, 40);
      return s.size === 4 ? s : undefined;
    }, 2_000);
    assert.ok(Date.now() - started < 2_000);
    assert.deepEqual([...seen].sort(), await helloPods(weft));

    const victim = [...seen].sort()[0];
    const del = await runWeft(['delete', 'pod', victim], { state: weft.state });
    assert.equal(del.code, 0, del.stderr);
    // The Deployment replaces it; the deleted Pod never answers again once it is gone from the endpoints.
    await waitFor('the deleted Pod out of the endpoints', async () => {
      const s = await instances(url, 4, 40);
      return s.size === 4 && !s.has(victim) ? true : undefined;
    });
    for (let i = 0; i < 20; i++) assert.doesNotMatch((await get(url)).body, new RegExp(`instance: ${victim}$`, 'm'));
  });

  test('weft exec deploy/client -- curl -s helloworld:5000/hello goes through the outbound proxy', async () => {
    const pods = await helloPods(weft);
    const names = new Set<string>();
    for (const host of ['helloworld', 'helloworld.default', 'helloworld.default.svc.cluster.local']) {
      const r = await runWeft(['exec', 'deploy/client', '--', 'curl', '-sS', `${host}:5000/hello`], { state: weft.state });
      assert.equal(r.code, 0, r.stderr);
      const m = /^Hello version: v\d, instance: (\S+)$/m.exec(r.stdout);
      assert.ok(m, r.stdout);
      names.add(m[1]);
    }
    for (const n of names) assert.ok(pods.includes(n), `${n} in ${pods.join(',')}`);
    // As the tutorials write it: `kubectl exec -it $CLIENT -- curl helloworld:5000/hello`.
    const client = (await runWeft(['get', 'pods', '-l', 'name=client', '-o', 'jsonpath={.items[0].metadata.name}'], { state: weft.state })).stdout;
    const it = await runWeft(['exec', '-it', client, '--', 'curl', 'helloworld:5000/hello'], { state: weft.state });
    assert.equal(it.code, 0, it.stderr);
    assert.match(it.stdout, /^Hello version: v\d, instance: /);
    // The exit code is the command's.
    const failed = await runWeft(['exec', 'deploy/client', '--', 'sh', '-c', 'exit 7'], { state: weft.state });
    assert.equal(failed.code, 7);
    const unknown = await runWeft(['exec', 'deploy/client', '--', 'curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', 'nosuchsvc:80/'], { state: weft.state });
    assert.equal(unknown.stdout, '502');
  });

  test('weft exec deploy/client -- weft load prints fortio-style counts for requests through the mesh', async () => {
    const r = await runWeft(['exec', 'deploy/client', '--', 'weft', 'load', '-c', '4', '-n', '200', 'http://helloworld:5000/hello'], {
      state: weft.state,
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const out = r.stdout + r.stderr;
    assert.match(out, /^Code 200 : 200 \(100\.0 %\)$/m);
    assert.match(out, /^All done 200 calls \(plus 0 warmup\) [\d.]+ ms avg, [\d.]+ qps$/m);
  });

  test('a Service with no ready endpoint refuses connections', async () => {
    await apply(weft, 'apiVersion: v1\nkind: Service\nmetadata: { name: nobody }\nspec:\n  selector: { app: nobody }\n  ports: [{ port: 8080 }]\n');
    const svc = await json(weft, ['get', 'svc', 'nobody']);
    const code = await new Promise<string>((resolve) => {
      const s = connect(8080, svc.spec.clusterIP);
      s.on('connect', () => {
        s.destroy();
        resolve('connected');
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    assert.equal(code, 'ECONNREFUSED');
  });

  test('a restart on the same state directory keeps the ClusterIP and serves again', async () => {
    assert.equal(await weft.stop(), 0);
    weft = await startWeft({ state, files: [HELLO], args: ['--no-access-log', '--proxy', '127.0.0.1:0'] });
    const svc = await json(weft, ['get', 'svc', 'helloworld']);
    assert.equal(svc.spec.clusterIP, clusterIP);
    await waitFor('the endpoints served again', async () => ((await instances(url, 2)).size >= 2 ? true : undefined));
  });
});
