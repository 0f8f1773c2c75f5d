// The tutorials' own manifests, unchanged, on one `weft up` (issue 4, "What it must show"):
// Cilium's client-helloworld.yaml and test-application.yaml in `default`, Istio's Bookinfo in `ns1`,
// called from their client Pods with `weft exec ... -- curl` as the tutorials' `kubectl exec` does;
// `weft get -o wide` read against kubectl's columns; and all of it again after a restart of
// `weft up` on the same state directory. The manifests (test/fixtures/tutorials/) carry the same
// objects and fields as the upstream files.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, removeDir, runWeft, startWeft, tempDir, waitFor } from './support/weft.ts';
import type { RunningWeft } from './support/weft.ts';

const TUTORIALS = join(ROOT, 'test', 'fixtures', 'tutorials');
const CLIENT_HELLOWORLD = join(TUTORIALS, 'client-helloworld.yaml');
const TEST_APPLICATION = join(TUTORIALS, 'test-application.yaml');
const BOOKINFO = join(TUTORIALS, 'bookinfo.yaml');
// Address ranges of this file's own, so that test files running at the same time never share a
// Pod IP or a ClusterIP (Pod IPs are handed out in order from the start of the range).
const UP_ARGS = ['--no-access-log', '--proxy', '127.0.0.1:0', '--service-cidr', '127.101.0.0/16', '--pod-cidr', '127.249.0.0/16'];
const WAIT_MS = 20_000;

const DEFAULT_DEPLOYMENTS = ['client', 'helloworld-v1', 'helloworld-v2', 'client2', 'echo-service-1', 'echo-service-2'];
const BOOKINFO_DEPLOYMENTS = ['details-v1', 'ratings-v1', 'reviews-v1', 'reviews-v2', 'reviews-v3', 'productpage-v1'];
/** The JSON the tutorials show for `curl details:9080/details/0`. */
const DETAILS_0 =
  '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}';

// Objects read back from `weft get -o json`.
type Any = any;

async function weftOk(weft: RunningWeft, args: string[], input?: string): Promise<string> {
  const r = await runWeft(args, { state: weft.state, input, timeoutMs: 30_000 });
  assert.equal(r.code, 0, `weft ${args.join(' ')}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

async function items(weft: RunningWeft, args: string[]): Promise<Any[]> {
  return JSON.parse(await weftOk(weft, ['get', ...args, '-o', 'json'])).items;
}

/** A shell loop of `n` curls inside `weft exec`: one process, `n` requests through the outbound proxy. */
function curlLoop(n: number, curl: string, separator = ''): string {
  return `i=0; while [ $i -lt ${n} ]; do ${curl}; ${separator ? `echo '${separator}'; ` : ''}i=$((i+1)); done`;
}

function exec(weft: RunningWeft, target: string[], script: string): Promise<string> {
  return weftOk(weft, ['exec', ...target, '--', 'sh', '-c', script]);
}

/** `Hello version: vN, instance: NAME` lines, counted per version and instance. */
function helloReplies(out: string): { versions: Map<string, number>; instances: Set<string>; total: number } {
  const versions = new Map<string, number>();
  const instances = new Set<string>();
  let total = 0;
  for (const m of out.matchAll(/^Hello version: (v\d), instance: (\S+)$/gm)) {
    versions.set(m[1], (versions.get(m[1]) ?? 0) + 1);
    instances.add(m[2]);
    total++;
  }
  return { versions, instances, total };
}

async function runningPods(weft: RunningWeft, args: string[]): Promise<string[]> {
  return (await items(weft, ['pods', ...args])).filter((p) => p.status?.phase === 'Running').map((p) => p.metadata.name).sort();
}

function httpStatus(host: string, port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host, port, path, agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Waits until every Deployment is Available and the Services answer through the mesh again. */
async function waitServing(weft: RunningWeft): Promise<void> {
  await weftOk(weft, ['wait', '--for=condition=Available', '--timeout', '20s', 'deployment', ...DEFAULT_DEPLOYMENTS]);
  await weftOk(weft, ['wait', '--for=condition=Available', '--timeout', '20s', '-n', 'ns1', 'deployment', ...BOOKINFO_DEPLOYMENTS]);
  await waitFor('both helloworld versions answering', async () => {
    const r = helloReplies(await exec(weft, ['deploy/client'], curlLoop(6, 'curl -sS helloworld:5000/hello')));
    return r.versions.size === 2 ? true : undefined;
  }, WAIT_MS);
  await waitFor('productpage answering with its reviews', async () => {
    const page = await exec(weft, ['-n', 'ns1', 'deploy/ratings-v1'], 'curl -sS productpage:9080/productpage');
    return page.includes('Reviews served by:') ? true : undefined;
  }, WAIT_MS);
}

/** A `weft get` table: its header cells and rows (cells split on kubectl's 3-space padding). */
function parseTable(block: string): { header: string[]; rows: string[][] } {
  const [header, ...rows] = block.split('\n').filter(Boolean).map((l) => l.split(/ {2,}/));
  return { header, rows };
}

describe('the tutorials\' manifests on weft up', () => {
  let state: string;
  let weft: RunningWeft;
  let clusterIPs: Map<string, string>;

  async function serviceIPs(): Promise<Map<string, string>> {
    const svcs = await items(weft, ['svc', '-A']);
    return new Map(svcs.map((s) => [`${s.metadata.namespace}/${s.metadata.name}`, s.spec.clusterIP]));
  }

  before(async () => {
    state = tempDir();
    weft = await startWeft({ state, files: [CLIENT_HELLOWORLD], args: UP_ARGS });
    // test-application.yaml's `client` Deployment is client-helloworld.yaml's, field for field.
    assert.match(await weftOk(weft, ['apply', '-f', TEST_APPLICATION]), /^deployment\.apps\/client unchanged$/m);
    await weftOk(weft, ['apply', '-f', '-'], 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns1\n');
    const applied = await weftOk(weft, ['apply', '-n', 'ns1', '-f', BOOKINFO]);
    assert.equal(applied.split('\n').filter((l) => l.endsWith(' created')).length, 14, applied);
    await waitServing(weft);
    clusterIPs = await serviceIPs();
    assert.equal(clusterIPs.size, 7);
    for (const ip of clusterIPs.values()) assert.match(ip, /^127\.101\.\d+\.\d+$/);
  });

  after(async () => {
    if (weft) assert.equal(await weft.stop(), 0);
    removeDir(state);
  });

  test('client-helloworld.yaml: 200 curls from the client Pod reach both versions, named as the Pods', async () => {
    const out = await exec(weft, ['deploy/client'], curlLoop(200, 'curl -sS helloworld:5000/hello'));
    const r = helloReplies(out);
    assert.equal(r.total, 200, out);
    for (const v of ['v1', 'v2']) {
      const share = (r.versions.get(v) ?? 0) / 200;
      assert.ok(share >= 0.35 && share <= 0.65, `${v}: ${share}`);
    }
    assert.deepEqual([...r.instances].sort(), await runningPods(weft, ['-l', 'app=helloworld']));
  });

  test('Bookinfo in ns1: the productpage title, the details JSON, reviews with stars from v2 and v3', async () => {
    const ratings = ['-n', 'ns1', 'deploy/ratings-v1'];
    assert.equal(await exec(weft, ratings, 'curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"'), '<title>Simple Bookstore App</title>\n');
    assert.equal(await weftOk(weft, ['exec', ...ratings, '--', 'curl', '-sS', 'details:9080/details/0']), DETAILS_0);

    const reviewers = await runningPods(weft, ['-n', 'ns1', '-l', 'app=reviews']);
    const pages = (await exec(weft, ratings, curlLoop(15, 'curl -sS productpage:9080/productpage', '=====PAGE====='))).split('=====PAGE=====\n').slice(0, -1);
    assert.equal(pages.length, 15);
    const withStars = new Set<string>();
    for (const page of pages) {
      assert.match(page, /<h3 class="text-center text-primary">The Comedy of Errors<\/h3>/);
      assert.match(page, /<dt>Author:<\/dt><dd>William Shakespeare<\/dd>/);
      const servedBy = [...page.matchAll(/Reviews served by: <u>(\S+)<\/u>/g)].map((m) => m[1]);
      assert.equal(servedBy.length, 2, page);
      assert.ok(reviewers.includes(servedBy[0]), `${servedBy[0]} in ${reviewers.join(',')}`);
      const version = /^reviews-(v\d)-/.exec(servedBy[0])?.[1];
      const full = page.match(/glyphicon glyphicon-star"/g)?.length ?? 0;
      const empty = page.match(/glyphicon glyphicon-star-empty"/g)?.length ?? 0;
      if (version === 'v1') {
        assert.equal(full + empty, 0, 'reviews v1 shows no stars');
        continue;
      }
      // Ratings really called: Reviewer1 gave 5 stars, Reviewer2 4 of 5; v2 draws them black, v3 red.
      assert.deepEqual([full, empty], [9, 1], page);
      assert.match(page, new RegExp(`<font color="${version === 'v2' ? 'black' : 'red'}">`));
      withStars.add(version ?? '');
    }
    assert.ok(withStars.size > 0, 'some pages came from reviews v2 or v3, with stars');
  });

  test('test-application.yaml: client2 reaches echo-service-1 (200 on /, the app\'s own 404 on /foo)', async () => {
    const client2 = ['deploy/client2'];
    const root = await exec(weft, client2, 'curl -sS -w "\\n%{http_code}" echo-service-1:8080/');
    const [body, code] = [root.slice(0, root.lastIndexOf('\n')), root.slice(root.lastIndexOf('\n') + 1)];
    assert.equal(code, '200');
    const echoed = JSON.parse(body);
    assert.equal(echoed.path, '/');
    assert.deepEqual([echoed.pod], await runningPods(weft, ['-l', 'name=echo-service-1']));
    assert.equal(await exec(weft, client2, 'curl -sS -o /dev/null -w "%{http_code}" echo-service-1:8080/foo'), '404');

    // NodePort Services also listen on 127.0.0.1:nodePort; the coredns sidecar is noted, not run.
    const svc = JSON.parse(await weftOk(weft, ['get', 'svc', 'echo-service-1', '-o', 'json']));
    assert.equal(svc.spec.type, 'NodePort');
    assert.equal(await httpStatus('127.0.0.1', svc.spec.ports[0].nodePort, '/'), 200);
    const wide = parseTable(await weftOk(weft, ['get', 'pods', '-l', 'kind=echo', '-o', 'wide']));
    assert.equal(wide.header.at(-1), 'NOTES');
    assert.equal(wide.rows.length, 2);
    for (const row of wide.rows) {
      assert.deepEqual(row.slice(1, 3), ['2/2', 'Running']);
      assert.match(row.at(-1) ?? '', /dns-test-server/);
    }
  });

  test('weft get pods,svc,deploy,endpointslices -o wide prints kubectl\'s columns, kind-prefixed names, a blank line between kinds', async () => {
    const out = await weftOk(weft, ['get', 'pods,svc,deploy,endpointslices', '-n', 'ns1', '-o', 'wide']);
    const blocks = out.trimEnd().split('\n\n');
    assert.equal(blocks.length, 4, out);
    const [pods, svcs, deploys, slices] = blocks.map(parseTable);

    assert.deepEqual(pods.header, ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    const podJson = new Map((await items(weft, ['pods', '-n', 'ns1'])).map((p) => [p.metadata.name, p]));
    assert.equal(pods.rows.length, 6);
    for (const [name, ready, status, restarts, age, ip, node, nominated, gates] of pods.rows) {
      const p = podJson.get(name.replace(/^pod\//, ''));
      assert.ok(name.startsWith('pod/') && p, name);
      assert.match(ip, /^127\.249\.\d+\.\d+$/);
      assert.deepEqual([ready, status, restarts, ip, node, nominated, gates], ['1/1', 'Running', '0', p.status.podIP, p.spec.nodeName, '<none>', '<none>']);
      assert.match(age, /^\d+s$/);
    }

    assert.deepEqual(svcs.header, ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE', 'SELECTOR']);
    assert.deepEqual(
      svcs.rows.map((r) => [r[0], r[1], r[2], r[3], r[4], r[6]]),
      ['details', 'productpage', 'ratings', 'reviews'].map((s) => [`service/${s}`, 'ClusterIP', clusterIPs.get(`ns1/${s}`), '<none>', '9080/TCP', `app=${s}`]),
    );

    assert.deepEqual(deploys.header, ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    const reviewsV2 = deploys.rows.find((r) => r[0] === 'deployment.apps/reviews-v2');
    assert.deepEqual(reviewsV2?.filter((_, i) => i !== 4), [
      'deployment.apps/reviews-v2', '1/1', '1', '1', 'reviews', 'docker.io/istio/examples-bookinfo-reviews-v2:1.20.1', 'app=reviews,version=v2',
    ]);
    assert.equal(deploys.rows.length, 6);

    assert.deepEqual(slices.header, ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
    const reviewIPs = [...podJson.values()].filter((p) => p.metadata.labels.app === 'reviews').map((p) => p.status.podIP).sort();
    const reviewsSlice = slices.rows.find((r) => r[0].startsWith('endpointslice.discovery.k8s.io/reviews-'));
    assert.ok(reviewsSlice, JSON.stringify(slices.rows));
    assert.deepEqual([reviewsSlice[1], reviewsSlice[2], reviewsSlice[3].split(',').sort()], ['IPv4', '9080', reviewIPs]);
  });

  test('a restart of weft up on the same state directory: same ClusterIPs, the Pods run again, traffic works again', async () => {
    const podsBefore = await runningPods(weft, ['-A']);
    assert.equal(await weft.stop(), 0);
    weft = await startWeft({ state, files: [CLIENT_HELLOWORLD], args: UP_ARGS });
    assert.deepEqual(await serviceIPs(), clusterIPs);
    await waitServing(weft);
    assert.deepEqual(await runningPods(weft, ['-A']), podsBefore);

    const r = helloReplies(await exec(weft, ['deploy/client'], curlLoop(20, 'curl -sS helloworld:5000/hello')));
    assert.equal(r.total, 20);
    assert.deepEqual([...r.instances].sort(), await runningPods(weft, ['-l', 'app=helloworld']));
    assert.equal(
      await exec(weft, ['-n', 'ns1', 'deploy/ratings-v1'], 'curl -sS productpage:9080/productpage | grep -o "<title>.*</title>"'),
      '<title>Simple Bookstore App</title>\n',
    );
    assert.equal(await exec(weft, ['deploy/client2'], 'curl -sS -o /dev/null -w "%{http_code}" echo-service-1:8080/'), '200');
  });
});
