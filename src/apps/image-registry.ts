/**
 * Which container images weft runs as built-in apps, and which only give a Pod an identity.
 * Images match by repository path, ignoring registry, tag and digest
 * (`quay.io/cilium/json-mock:v1.3.8@sha256:...` is `cilium/json-mock`). A mirror that keeps the
 * image's distinctive last name (`registry.example/mirror/examples-helloworld-v1`) matches too;
 * generic last names (`nginx`, `httpbin`, `curl`, `echoserver`) need their exact path.
 */
import type { AppSpec, ContainerInvocation, ImageMatch } from './app.ts';
import { createDetailsApp } from './bookinfo/details.ts';
import { createProductpageApp } from './bookinfo/productpage.ts';
import { createRatingsApp } from './bookinfo/ratings.ts';
import { createReviewsApp, type ReviewsVersion } from './bookinfo/reviews.ts';
import { createE2eEchoserverApp } from './echo/e2e-echoserver.ts';
import { createEchoBasicApp } from './echo/echo-basic.ts';
import { createJsonMockApp } from './echo/json-mock.ts';
import { createFortioServerApp } from './fortio/fortio-server.ts';
import { createHelloworldApp } from './helloworld/helloworld.ts';
import { createHttpEchoApp } from './http-echo/http-echo.ts';
import { createHttpbinApp } from './httpbin/httpbin.ts';
import { parseImageRef } from './image-ref.ts';
import { createNginxApp } from './nginx/nginx.ts';

type Factory = (repository: string, invocation: ContainerInvocation) => ImageMatch;

const clientOnly: Factory = (repository) => ({ kind: 'client-only', repository });
const helloworld = (version: string): Factory => (r) => createHelloworldApp(r, version);
const reviews = (version: ReviewsVersion): Factory => (r) => createReviewsApp(r, version);

/**
 * fortio's image runs `fortio server` unless the container says otherwise (its default command);
 * a container that runs `fortio load` (or curl, or anything else) is a client.
 */
const FORTIO_SUBCOMMANDS = new Set(['server', 'load', 'curl', 'grpcping', 'nc', 'report', 'redirect', 'tcp-echo', 'udp-echo', 'proxies', 'version', 'help']);
const fortio: Factory = (repository, invocation) => {
  const words = [...(invocation.command ?? []), ...(invocation.args ?? [])].map((w) => w.split('/').pop() ?? w);
  const sub = words.find((w) => FORTIO_SUBCOMMANDS.has(w));
  if (words.length > 0 && sub !== 'server') return clientOnly(repository, invocation);
  return createFortioServerApp(repository);
};

const EXACT: ReadonlyMap<string, Factory> = new Map(Object.entries({
  // Istio samples
  'istio/examples-helloworld-v1': helloworld('v1'),
  'istio/examples-helloworld-v2': helloworld('v2'),
  'istio/examples-bookinfo-productpage-v1': (r) => createProductpageApp(r),
  'istio/examples-bookinfo-details-v1': (r) => createDetailsApp(r),
  'istio/examples-bookinfo-details-v2': (r) => createDetailsApp(r),
  'istio/examples-bookinfo-ratings-v1': (r) => createRatingsApp(r),
  'istio/examples-bookinfo-ratings-v2': (r) => createRatingsApp(r),
  'istio/examples-bookinfo-reviews-v1': reviews('v1'),
  'istio/examples-bookinfo-reviews-v2': reviews('v2'),
  'istio/examples-bookinfo-reviews-v3': reviews('v3'),
  // Gateway API and ingress conformance echo servers
  'k8s-staging-gateway-api/echo-basic': (r) => createEchoBasicApp(r),
  'gateway-api/echo-basic': (r) => createEchoBasicApp(r),
  'k8s-staging-ingressconformance/echoserver': (r) => createEchoBasicApp(r),
  // Cilium's examples
  'cilium/json-mock': (r) => createJsonMockApp(r),
  'cilium/echoserver': (r) => createE2eEchoserverApp(r),
  'kubernetes-e2e-test-images/echoserver': (r) => createE2eEchoserverApp(r),
  'e2e-test-images/echoserver': (r) => createE2eEchoserverApp(r),
  'google_containers/echoserver': (r) => createE2eEchoserverApp(r),
  echoserver: (r) => createE2eEchoserverApp(r),
  // Static page and httpbin
  nginx: (r) => createNginxApp(r),
  'kennethreitz/httpbin': (r) => createHttpbinApp(r, 'python'),
  'kong/httpbin': (r) => createHttpbinApp(r, 'python'),
  'mccutchen/go-httpbin': (r) => createHttpbinApp(r, 'go'),
  // A fixed answer on every path (`-text=blue`)
  'hashicorp/http-echo': (r, invocation) => createHttpEchoApp(r, invocation),
  // fortio: its server, or a client
  'fortio/fortio': fortio,
  'istio/fortio': fortio,
  // Clients: run nothing, give the Pod an identity
  'curlimages/curl': clientOnly,
  'appropriate/curl': clientOnly,
  'nicolaka/netshoot': clientOnly,
  'cilium/alpine-curl': clientOnly,
  'byrnedo/alpine-curl': clientOnly,
} satisfies Record<string, Factory>));

/** Last path segments too generic to match on their own. */
const GENERIC_NAMES = new Set(['nginx', 'httpbin', 'curl', 'echoserver']);

const BY_LAST_SEGMENT: ReadonlyMap<string, Factory> = new Map(
  [...EXACT]
    .map(([path, factory]): [string, Factory] => [path.split('/').pop()!, factory])
    .filter(([name]) => !GENERIC_NAMES.has(name)),
);

/** Every repository path weft knows, sorted (for messages and docs). */
export const KNOWN_REPOSITORIES: readonly string[] = [...EXACT.keys()].sort();

/**
 * What weft does with a container image: a built-in app (`kind: 'app'`), nothing but an identity
 * (`kind: 'client-only'`), or `undefined` when weft does not know it (the Pod then needs
 * `weft.dev/address`, or, as a sidecar, is noted and skipped).
 */
export function matchImage(image: string, invocation: ContainerInvocation = {}): ImageMatch | undefined {
  const { repository } = parseImageRef(image);
  const factory = EXACT.get(repository) ?? BY_LAST_SEGMENT.get(repository.split('/').pop() ?? '');
  return factory?.(repository, invocation);
}

/** Narrowing helper for callers that only care about apps. */
export function isApp(match: ImageMatch | undefined): match is AppSpec {
  return match?.kind === 'app';
}
