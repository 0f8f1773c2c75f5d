import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseImageRef } from './image-ref.ts';
import { KNOWN_REPOSITORIES, matchImage } from './image-registry.ts';

test('image references: registry, repository, tag and digest as Docker reads them', () => {
  assert.deepEqual(parseImageRef('nginx'), { registry: 'docker.io', repository: 'nginx' });
  assert.deepEqual(parseImageRef('docker.io/library/nginx:1.27'), { registry: 'docker.io', repository: 'nginx', tag: '1.27' });
  assert.deepEqual(parseImageRef('quay.io/cilium/json-mock:v1.3.8@sha256:5aad04835eda9025fe4561ad31be77fd55309af8158ca8663a72f6abb78c2603'), {
    registry: 'quay.io',
    repository: 'cilium/json-mock',
    tag: 'v1.3.8',
    digest: 'sha256:5aad04835eda9025fe4561ad31be77fd55309af8158ca8663a72f6abb78c2603',
  });
  assert.deepEqual(parseImageRef('localhost:5000/team/app'), { registry: 'localhost:5000', repository: 'team/app' });
  assert.deepEqual(parseImageRef('kennethreitz/httpbin'), { registry: 'docker.io', repository: 'kennethreitz/httpbin' });
});

// Every image the seed tutorials and Cilium's service-mesh, gateway and kubernetes-istio examples
// use (cilium-semantics.md §2), plus Istio's samples, and what weft makes of it.
const TABLE: [image: string, expected: string, invocation?: { command?: string[]; args?: string[] }][] = [
  ['docker.io/istio/examples-helloworld-v1', 'app helloworld'],
  ['docker.io/istio/examples-helloworld-v2', 'app helloworld'],
  ['istio/examples-helloworld-v1:1.0', 'app helloworld'],
  ['docker.io/istio/examples-bookinfo-productpage-v1:1.20.2', 'app bookinfo-productpage'],
  ['istio/examples-bookinfo-productpage-v1:1.20.2', 'app bookinfo-productpage'],
  ['docker.io/istio/examples-bookinfo-details-v1:1.20.2', 'app bookinfo-details'],
  ['docker.io/istio/examples-bookinfo-ratings-v1:1.20.2', 'app bookinfo-ratings'],
  ['docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', 'app bookinfo-reviews'],
  ['docker.io/istio/examples-bookinfo-reviews-v2:1.20.2', 'app bookinfo-reviews'],
  ['docker.io/istio/examples-bookinfo-reviews-v3:1.16.4', 'app bookinfo-reviews'],
  ['quay.io/cilium/json-mock:v1.3.2@sha256:bc6c46c74efadb135bc996c2467cece6989302371ef4e3f068361460abaf39be', 'app json-mock'],
  ['quay.io/cilium/json-mock:v1.3.8@sha256:5aad04835eda9025fe4561ad31be77fd55309af8158ca8663a72f6abb78c2603', 'app json-mock'],
  ['gcr.io/k8s-staging-gateway-api/echo-basic:v20231214-v1.0.0-140-gf544a46e', 'app echo-basic'],
  ['gcr.io/k8s-staging-gateway-api/echo-basic:v20240412-v1.0.0-394-g40c666fd', 'app echo-basic'],
  ['registry.k8s.io/gateway-api/echo-basic:v1.5.1', 'app echo-basic'],
  ['gcr.io/k8s-staging-ingressconformance/echoserver:v20221109-7ee2f3e', 'app echo-basic'],
  ['gcr.io/kubernetes-e2e-test-images/echoserver:2.2', 'app e2e-echoserver'],
  ['registry.k8s.io/echoserver:1.10', 'app e2e-echoserver'],
  ['nginx', 'app nginx'],
  ['nginx:1.27-alpine', 'app nginx'],
  ['docker.io/library/nginx:latest', 'app nginx'],
  ['kennethreitz/httpbin', 'app httpbin'],
  ['docker.io/kong/httpbin', 'app httpbin'],
  ['docker.io/kong/httpbin:0.1.0', 'app httpbin'],
  ['mccutchen/go-httpbin', 'app httpbin'],
  ['docker.io/mccutchen/go-httpbin:v2.15.0', 'app httpbin'],
  ['fortio/fortio:latest_release', 'app fortio-server'], // the image's own command is `fortio server`
  ['fortio/fortio', 'app fortio-server', { args: ['server', '-http-port', '8080'] }],
  ['fortio/fortio:1.69.5', 'client-only', { args: ['load', '-c', '2', 'http://x:8080'] }],
  ['fortio/fortio', 'client-only', { command: ['sleep', 'infinity'] }],
  ['quay.io/cilium/alpine-curl:v1.5.0@sha256:7b286939730d8af1149ef88dba15739d8330bb83d7d9853a23e5ab4043e2d33c', 'client-only'],
  ['curlimages/curl', 'client-only'],
  ['curlimages/curl:8.10.1', 'client-only'],
  ['nicolaka/netshoot', 'client-only'],
  ['nicolaka/netshoot:v0.9', 'client-only'],
  ['nicolaka/netshoot:latest', 'client-only'],
  // Not known: the Pod needs weft.dev/address (or, as a sidecar, is skipped)
  ['coredns/coredns:1.9.3@sha256:8e352a029d304ca7431c6507b56800636c321cb52289686a581ab70aaa8a2e2a', 'unknown'],
  ['ghcr.io/projectcontour/yages:v0.1.0', 'unknown'],
  ['replace/with-your-ext-proc-server:latest', 'unknown'],
  ['bitnami/nginx', 'unknown'], // listens on 8080, not the official image
  ['example.com/someone/httpbin', 'unknown'],
  ['constructor', 'unknown'],
];

function describe(image: string, invocation?: { command?: string[]; args?: string[] }): string {
  const m = matchImage(image, invocation);
  if (!m) return 'unknown';
  return m.kind === 'app' ? `app ${m.app}` : 'client-only';
}

test('every image the seeds and Cilium examples use maps to the right app, client or nothing', () => {
  for (const [image, expected, invocation] of TABLE) assert.equal(describe(image, invocation), expected, image);
});

test('a mirror that keeps a distinctive image name still matches; generic names do not', () => {
  assert.equal(describe('registry.example.com/mirror/istio/examples-helloworld-v1:1.0'), 'app helloworld');
  assert.equal(describe('harbor.local/proxy/json-mock:v1.3.8'), 'app json-mock');
  assert.equal(describe('harbor.local/proxy/netshoot'), 'client-only');
  assert.equal(describe('harbor.local/proxy/curl'), 'unknown');
});

test('apps carry the repository they were recognised as, and their default ports', () => {
  const hello = matchImage('docker.io/istio/examples-helloworld-v2:1.0');
  assert.ok(hello?.kind === 'app');
  assert.equal(hello.repository, 'istio/examples-helloworld-v2');
  assert.deepEqual(hello.defaultPorts({}), [5000]);
  const mock = matchImage('quay.io/cilium/json-mock:v1.3.8');
  assert.ok(mock?.kind === 'app');
  assert.deepEqual(mock.defaultPorts({ PORT: '8080' }), [8080]);
  assert.deepEqual(mock.defaultPorts({}), [80]);
  const echo = matchImage('gcr.io/k8s-staging-gateway-api/echo-basic:v1');
  assert.ok(echo?.kind === 'app');
  assert.deepEqual(echo.defaultPorts({}), [3000, 3001]);
  assert.ok(KNOWN_REPOSITORIES.includes('cilium/json-mock'));
});
