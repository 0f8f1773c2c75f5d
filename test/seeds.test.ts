// Every Kubernetes object in the seed tutorials' YAML (shared/seeds/, copied into
// test/fixtures/seeds/ with their source lines named at the top) must load with no diagnostic:
// weft promises to run the tutorials' manifests unchanged. Seeds 000 and 002 hold no object
// YAML of their own (they apply files by URL or by path), so no fixture comes from them.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, test } from 'node:test';
import { formatDiagnostic } from '../src/lib/diagnostic.ts';
import { loadManifests, readManifestFiles } from '../src/manifest/index.ts';
import type { ManifestFile } from '../src/manifest/index.ts';

const DIR = resolve(import.meta.dirname, 'fixtures', 'seeds');

/** fixture file → the kinds of the objects in it, in order. */
const EXPECTED: Record<string, readonly string[]> = {
  '001_fd5ec8e7acff05de-01-bookinfo-gateway.yaml': ['Gateway', 'VirtualService'],
  '003_9b0a95b1e3daf133-01-curl-pod.yaml': ['Pod'],
  '003_9b0a95b1e3daf133-02-lb-ippool.yaml': ['CiliumLoadBalancerIPPool'],
  '003_9b0a95b1e3daf133-03-l2-announcement-policy.yaml': ['CiliumL2AnnouncementPolicy'],
  '003_9b0a95b1e3daf133-04-basic-ingress.yaml': ['Ingress'],
  '003_9b0a95b1e3daf133-05-tls-ingress.yaml': ['Ingress'],
  '003_9b0a95b1e3daf133-06-tls-gateway-httproute.yaml': ['Gateway', 'HTTPRoute'],
  '003_9b0a95b1e3daf133-07-nginx-service-deployment.yaml': ['Service', 'Deployment'],
  '003_9b0a95b1e3daf133-08-tls-passthrough-gateway-tlsroute.yaml': ['Gateway', 'TLSRoute'],
  '003_9b0a95b1e3daf133-09-envoy-circuit-breaker.yaml': ['CiliumClusterwideEnvoyConfig'],
  '004_ead56103dfc75f11-01-admin-listener.yaml': ['CiliumClusterwideEnvoyConfig'],
  '004_ead56103dfc75f11-02-lb-listener-url-rewrite.yaml': ['CiliumClusterwideEnvoyConfig'],
  '004_ead56103dfc75f11-03-local-rate-limit.yaml': ['CiliumClusterwideEnvoyConfig'],
  '004_ead56103dfc75f11-04-fortio.yaml': ['Service', 'Deployment'],
  '004_ead56103dfc75f11-05-circuit-breaker.yaml': ['CiliumEnvoyConfig'],
  '004_ead56103dfc75f11-06-helloworld-lb-eds.yaml': ['CiliumEnvoyConfig'],
  '004_ead56103dfc75f11-07-helloworld-lb-static-weights.yaml': ['CiliumEnvoyConfig'],
  '004_ead56103dfc75f11-08-helloworld-services.yaml': ['Service', 'Service'],
  '004_ead56103dfc75f11-09-helloworld-v1-90-v2-10.yaml': ['CiliumEnvoyConfig'],
  '004_ead56103dfc75f11-10-prometheus-metrics-listener.yaml': ['CiliumClusterwideEnvoyConfig'],
  '004_ead56103dfc75f11-11-header-canary.yaml': ['CiliumEnvoyConfig'],
};

let files: ManifestFile[] = [];

before(async () => {
  const read = await readManifestFiles([DIR]);
  assert.deepEqual(read.diagnostics, []);
  files = read.files;
});

test('the fixture list and the table agree (a new fixture needs an expected count)', () => {
  assert.deepEqual(readdirSync(DIR).sort(), Object.keys(EXPECTED).sort());
});

for (const [name, kinds] of Object.entries(EXPECTED)) {
  test(`${name}: ${kinds.length} object(s), no diagnostics`, () => {
    const file = files.find((f) => f.name === join(DIR, name));
    assert.ok(file, `${name} was read`);
    const r = loadManifests([file]);
    assert.deepEqual(r.diagnostics.map(formatDiagnostic), []);
    assert.deepEqual(
      r.objects.map((o) => o.object.kind),
      kinds,
    );
  });
}

test('all seeds as one batch: the only problems are the variants seed 004 applies one after another', () => {
  const r = loadManifests(files);
  assert.deepEqual(
    r.diagnostics.map((d) => `${d.code} ${d.position?.file.slice(DIR.length + 1)}:${d.position?.line} ${d.object ? `${d.object.kind} ${d.object.name}` : ''}`),
    [
      'WEFT_DUPLICATE_OBJECT 004_ead56103dfc75f11-03-local-rate-limit.yaml:2 CiliumClusterwideEnvoyConfig envoy-lb-listener',
      'WEFT_DUPLICATE_OBJECT 004_ead56103dfc75f11-07-helloworld-lb-static-weights.yaml:2 CiliumEnvoyConfig helloworld-lb',
      'WEFT_DUPLICATE_OBJECT 004_ead56103dfc75f11-11-header-canary.yaml:2 CiliumEnvoyConfig envoy-lb-listener',
    ],
  );
});
