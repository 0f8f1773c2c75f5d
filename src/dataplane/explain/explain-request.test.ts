// The request tracer over snapshots built with the model's builders: each case sends one request
// and checks the step that matters (virtual host, route order and reasons, header canary, weighted
// shares, regex rewrite, no route, tcp_proxy, host health) and that the chosen route is the one the
// data plane's RouteTable picks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Cluster, HttpFilter, Listener, Route, RouteConfiguration, Snapshot, SnapshotResources } from '../../model/index.ts';
import {
  buildSnapshot,
  clusterName,
  hcmFilter,
  newCluster,
  newFilterChain,
  newHttpConnectionManager,
  newListener,
  newLoadAssignment,
  newRoute,
  newRouteAction,
  newRouteConfiguration,
  newRouteMatch,
  newVirtualHost,
  routeConfigName,
  ROUTER_FILTER,
  toCluster,
} from '../../model/index.ts';
import { HostStats } from '../../observe/stats/index.ts';
import type { ClusterStatusView, HostHealthFlag } from '../../observe/admin/index.ts';
import { explainRequest } from './explain-request.ts';
import { formatRequestTrace } from './format-trace.ts';
import type { ExplainRequestInput, RequestTrace, Resolution, RuntimeView } from './request-trace.ts';

const IP = '127.103.0.4';
const PORT = 8080;

const prefix = (p: string, more: Partial<Parameters<typeof newRouteMatch>[0]> = {}) => newRouteMatch({ pathSpecifier: { kind: 'prefix', prefix: p }, ...more });
const exactHeader = (name: string, value: string) => ({ name, headerMatchSpecifier: { kind: 'stringMatch' as const, stringMatch: { kind: 'exact' as const, exact: value } } });

function edsCluster(name: string, o: Partial<Cluster> = {}): Cluster {
  return newCluster({ name, type: 'EDS', ...o });
}

/** An HCM listener on IP:PORT whose routes come from `rc` (rds), the given clusters and endpoints. */
function httpSnapshot(rc: RouteConfiguration, resources: SnapshotResources = {}, filters: readonly HttpFilter[] = [ROUTER_FILTER], listenerName = 'default/cec/listener'): Snapshot {
  const hcm = newHttpConnectionManager({ statPrefix: 'lb', routeSpecifier: { kind: 'rds', rds: { routeConfigName: routeConfigName(rc.name) } }, httpFilters: filters });
  const listener = newListener({
    name: listenerName,
    address: { kind: 'socketAddress', address: IP, portValue: PORT },
    filterChains: [newFilterChain({ filters: [hcmFilter(hcm)] })],
    sources: [{ kind: 'CiliumEnvoyConfig', namespace: 'default', name: 'envoy-lb-listener', field: 'spec.resources[0]' }],
  });
  const s = buildSnapshot({ listeners: [listener, ...(resources.listeners ?? [])], routeConfigurations: [rc], clusters: resources.clusters ?? [], endpoints: resources.endpoints ?? [] }, '1');
  assert.ok(s.ok, JSON.stringify(!s.ok && s.error));
  return s.value;
}

function oneVhost(routes: Route[], domains = ['*']): RouteConfiguration {
  return newRouteConfiguration({ name: 'rc', virtualHosts: [newVirtualHost({ name: 'vh', domains, routes })] });
}

const SERVICE: Resolution = { kind: 'service', host: 'echo-service-1', namespace: 'default', service: 'echo-service-1', address: IP, port: PORT };

function input(o: { path?: string; authority?: string; headers?: [string, string][]; runtime?: RuntimeView; resolution?: Resolution; scheme?: 'http' | 'https' } = {}): ExplainRequestInput {
  return {
    request: { method: 'GET', scheme: o.scheme ?? 'http', authority: o.authority ?? `echo-service-1:${PORT}`, target: o.path ?? '/', headers: o.headers ?? [] },
    caller: { kind: 'pod', namespace: 'default', name: 'client2-abc', sourceAddress: '127.0.0.1' },
    resolution: o.resolution ?? SERVICE,
    runtime: o.runtime ?? { clusters: [] },
  };
}

function view(name: string, hosts: { address: string; flags?: HostHealthFlag[]; weight?: number }[], o: Partial<ClusterStatusView> = {}): ClusterStatusView {
  return {
    name,
    addedViaApi: true,
    hosts: hosts.map((h) => {
      const i = h.address.lastIndexOf(':');
      return { address: h.address.slice(0, i), port: Number(h.address.slice(i + 1)), weight: h.weight ?? 1, healthFlags: h.flags ?? [], stats: new HostStats() };
    }),
    ...o,
  };
}

function trace(snapshot: Snapshot, i: ExplainRequestInput): RequestTrace {
  return explainRequest(snapshot, i);
}

// The seed's header canary (004, "11-header-canary"): route #1 needs `version: foo` and rewrites
// `/foo...` to `/`; route #2 splits 50/50 with a retry policy.
const CANARY = oneVhost([
  newRoute({
    match: prefix('/', { headers: [exactHeader('version', 'foo')] }),
    action: { kind: 'route', route: newRouteAction({ clusterSpecifier: { kind: 'cluster', cluster: clusterName('default/echo-service-1') }, regexRewrite: { pattern: '^/foo.*$', substitution: '/' } }) },
  }),
  newRoute({
    match: prefix('/'),
    action: {
      kind: 'route',
      route: newRouteAction({
        clusterSpecifier: {
          kind: 'weightedClusters',
          weightedClusters: {
            clusters: ['default/echo-service-1', 'default/echo-service-2'].map((n) => ({
              name: clusterName(n),
              weight: 50,
              requestHeadersToAdd: [],
              requestHeadersToRemove: [],
              responseHeadersToAdd: [],
              responseHeadersToRemove: [],
              typedPerFilterConfig: {},
            })),
          },
        },
        retryPolicy: { retryOn: ['5xx'], numRetries: 3, perTryTimeoutMs: 1000, retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicate: [] },
      }),
    },
  }),
]);
const ECHO = {
  clusters: [edsCluster('default/echo-service-1'), edsCluster('default/echo-service-2')],
  endpoints: [newLoadAssignment('default/echo-service-1', ['127.251.0.3:8080']), newLoadAssignment('default/echo-service-2', ['127.251.0.4:8080'])],
};

test('header canary: with the header route #1, cluster echo-service-1, /foo rewritten to / by the regex', () => {
  const t = trace(httpSnapshot(CANARY, ECHO), input({ path: '/foo', headers: [['version', 'foo']] }));
  assert.equal(t.listener?.name, 'default/cec/listener');
  assert.deepEqual(t.listener?.origin, { kind: 'envoyConfig', configKind: 'CiliumEnvoyConfig', namespace: 'default', name: 'envoy-lb-listener', intercepts: 'default/echo-service-1:8080' });
  assert.equal(t.http?.route, 1);
  assert.equal(t.http?.routes.length, 1);
  const a = t.http?.action;
  assert.ok(a?.kind === 'route');
  assert.deepEqual(a.clusters, [{ name: 'default/echo-service-1', percent: 100 }]);
  assert.deepEqual(a.path, { before: '/foo', after: '/', rewrite: 'regex_rewrite ^/foo.*$ → /' });
  assert.equal(a.timeoutMs, 15_000);
  assert.equal(t.outcome.kind, 'forwarded');
  assert.match(t.outcome.summary, /default\/echo-service-1 \(127\.251\.0\.3:8080\)/);
});

test('header canary: without the header route #1 says why not, route #2 splits 50%/50% with its retry policy', () => {
  const t = trace(httpSnapshot(CANARY, ECHO), input({ path: '/foo' }));
  assert.equal(t.http?.route, 2);
  assert.deepEqual(t.http?.routes.map((r) => [r.index, r.verdict, r.reasons]), [
    [1, 'no-match', ['header version: exact foo, request has none']],
    [2, 'matches', []],
  ]);
  const a = t.http?.action;
  assert.ok(a?.kind === 'route');
  assert.deepEqual(a.clusters.map((c) => [c.name, c.percent]), [['default/echo-service-1', 50], ['default/echo-service-2', 50]]);
  assert.deepEqual(a.retry, { retryOn: ['5xx'], numRetries: 3, perTryTimeoutMs: 1000, retriableStatusCodes: [], from: 'route' });
  assert.equal(a.path.after, '/foo');
  assert.equal(t.clusters.length, 2);
  assert.match(t.outcome.summary, /forwarded to default\/echo-service-1 50%, default\/echo-service-2 50%/);
  // A different header value is named in the reason.
  const other = trace(httpSnapshot(CANARY, ECHO), input({ path: '/', headers: [['Version', 'bar']] }));
  assert.deepEqual(other.http?.routes[0].reasons, ['header version: exact foo, request has bar']);
});

test('weighted shares are percentages of the total weight (90/10, 1/2)', () => {
  const weighted = (pairs: [string, number][]) =>
    oneVhost([
      newRoute({
        match: prefix('/'),
        action: {
          kind: 'route',
          route: newRouteAction({
            clusterSpecifier: {
              kind: 'weightedClusters',
              weightedClusters: { clusters: pairs.map(([n, w]) => ({ name: clusterName(n), weight: w, requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {} })) },
            },
          }),
        },
      }),
    ]);
  for (const [pairs, want] of [
    [[['default/echo-service-1', 90], ['default/echo-service-2', 10]], [90, 10]],
    [[['default/echo-service-1', 1], ['default/echo-service-2', 2]], [33.33, 66.67]],
  ] as [[string, number][], number[]][]) {
    const t = trace(httpSnapshot(weighted(pairs), ECHO), input());
    const a = t.http?.action;
    assert.ok(a?.kind === 'route');
    assert.deepEqual(a.clusters.map((c) => c.percent), want);
    assert.deepEqual(t.clusters.map((c) => c.percent), want);
  }
});

test('route order: the first route whose every condition holds wins; earlier ones say which condition failed', () => {
  const rc = oneVhost([
    newRoute({ match: prefix('/api'), action: toCluster('default/echo-service-2') }),
    newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'path', path: '/foo' }, queryParameters: [{ name: 'v', queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } }] }), action: toCluster('default/echo-service-2') }),
    newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'safeRegex', regex: '/f[o]+' } }), action: toCluster('default/echo-service-1') }),
    newRoute({ match: prefix('/'), action: toCluster('default/echo-service-2') }),
  ]);
  const t = trace(httpSnapshot(rc, ECHO), input({ path: '/foo' }));
  assert.equal(t.http?.route, 3);
  assert.deepEqual(t.http?.routes.map((r) => r.reasons), [['prefix /api does not match /foo'], ['query v: present, request has none'], []]);
  assert.equal(t.http?.routes[2].match, 'path regex /f[o]+');
  const q = trace(httpSnapshot(rc, ECHO), input({ path: '/foo?v=1' }));
  assert.equal(q.http?.route, 2);
});

test('runtime_fraction: a route taking a share is "sometimes", the route every request reaches is chosen, the share is a note', () => {
  const rc = oneVhost([
    newRoute({ match: prefix('/', { runtimeFraction: 0.2 }), action: toCluster('default/echo-service-2') }),
    newRoute({ match: prefix('/'), action: toCluster('default/echo-service-1') }),
  ]);
  const t = trace(httpSnapshot(rc, ECHO), input());
  assert.deepEqual(t.http?.routes.map((r) => [r.verdict, r.share]), [['sometimes', 20], ['matches', undefined]]);
  assert.equal(t.http?.route, 2);
  assert.ok(t.outcome.notes.includes('route #1 takes 20% of these requests first (runtime_fraction)'), t.outcome.notes.join('\n'));
});

test('the path is normalised before routing, as the connection manager does (dot segments, merged slashes)', () => {
  const rc = oneVhost([newRoute({ match: newRouteMatch({ pathSpecifier: { kind: 'path', path: '/foo' } }), action: toCluster('default/echo-service-1') })]);
  const t = trace(httpSnapshot(rc, ECHO), input({ path: '/a/..//foo' }));
  assert.equal(t.http?.path, '/foo');
  assert.equal(t.http?.route, 1);
});

test('virtual host selection: exact domain, then the longest wildcard, then *; the port is ignored when no domain has one', () => {
  const vh = (name: string, domains: string[]) => newVirtualHost({ name, domains, routes: [newRoute({ match: prefix('/'), action: toCluster('default/echo-service-1') })] });
  const rc = newRouteConfiguration({ name: 'rc', virtualHosts: [vh('any', ['*']), vh('wild', ['*.example.com']), vh('deep', ['*.api.example.com']), vh('exact', ['www.example.com'])] });
  const s = httpSnapshot(rc, ECHO);
  for (const [authority, name, domain] of [
    ['www.example.com:8080', 'exact', 'www.example.com'],
    ['v1.api.example.com', 'deep', '*.api.example.com'],
    ['shop.example.com', 'wild', '*.example.com'],
    ['echo-service-1:8080', 'any', '*'],
  ]) {
    const t = trace(s, input({ authority }));
    assert.deepEqual([t.http?.virtualHost?.name, t.http?.virtualHost?.matchedDomain], [name, domain], authority);
  }
  const none = trace(httpSnapshot(newRouteConfiguration({ name: 'rc', virtualHosts: [vh('exact', ['www.example.com'])] }), ECHO), input({ authority: 'other' }));
  assert.equal(none.http?.virtualHost, undefined);
  assert.deepEqual([none.outcome.kind, none.outcome.kind === 'localReply' && none.outcome.status], ['localReply', 404]);
  assert.equal(none.outcome.summary, '404 (no virtual host for other)');
});

test('no route: 404 as Envoy answers it (flag NR)', () => {
  const t = trace(httpSnapshot(oneVhost([newRoute({ match: prefix('/api'), action: toCluster('default/echo-service-1') })]), ECHO), input({ path: '/web' }));
  assert.equal(t.http?.route, undefined);
  assert.deepEqual(t.http?.routes.map((r) => r.verdict), ['no-match']);
  assert.ok(t.outcome.kind === 'localReply');
  assert.equal(t.outcome.status, 404);
  assert.equal(t.outcome.flag, 'NR');
  assert.equal(t.outcome.summary, '404 (no route matched)');
  assert.deepEqual(t.clusters, []);
});

test('redirect and direct response: the Location the data plane builds, the status and body', () => {
  const rc = oneVhost([
    newRoute({ match: prefix('/old'), action: { kind: 'redirect', redirect: { pathRewriteSpecifier: { kind: 'prefixRewrite', prefixRewrite: '/new' }, responseCode: 'FOUND' } } }),
    newRoute({ match: prefix('/'), action: { kind: 'directResponse', directResponse: { status: 503, body: { kind: 'inlineString', inlineString: 'down' } } } }),
  ]);
  const s = httpSnapshot(rc, ECHO);
  const r = trace(s, input({ path: '/old/a?x=1' }));
  assert.deepEqual(r.outcome.kind === 'redirect' && [r.outcome.status, r.outcome.location], [302, 'http://echo-service-1:8080/new/a?x=1']);
  const d = trace(s, input({ path: '/x' }));
  assert.deepEqual(d.outcome.kind === 'directResponse' && [d.outcome.status, d.http?.action], [503, { kind: 'directResponse', status: 503, body: 'down' }]);
});

test('tcp_proxy: the Service listener sends the connection to its cluster', () => {
  const name = 'service/default/helloworld:5000';
  const listener: Listener = newListener({
    name,
    address: { kind: 'socketAddress', address: '127.103.0.9', portValue: 5000 },
    filterChains: [newFilterChain({ filters: [{ kind: 'tcpProxy', name: 'envoy.filters.network.tcp_proxy', typedConfig: { statPrefix: name, clusterSpecifier: { kind: 'cluster', cluster: clusterName(name) }, accessLog: [] } }] })],
    sources: [{ kind: 'Service', namespace: 'default', name: 'helloworld' }],
  });
  const s = httpSnapshot(CANARY, {
    listeners: [listener],
    clusters: [...ECHO.clusters, edsCluster(name, { edsClusterConfig: { serviceName: 'default/helloworld:5000' } })],
    endpoints: [...ECHO.endpoints, newLoadAssignment('default/helloworld:5000', ['127.251.0.7:5000', '127.251.0.8:5000'])],
  });
  const t = trace(s, input({ resolution: { kind: 'service', host: 'helloworld', namespace: 'default', service: 'helloworld', address: '127.103.0.9', port: 5000 }, runtime: { clusters: [view(name, [{ address: '127.251.0.7:5000' }, { address: '127.251.0.8:5000' }])] } }));
  assert.deepEqual(t.listener?.origin, { kind: 'service', namespace: 'default', name: 'helloworld' });
  assert.equal(t.filterChain?.terminal, 'tcp_proxy');
  assert.deepEqual(t.tcp?.clusters, [{ name, percent: 100 }]);
  assert.equal(t.http, undefined);
  assert.deepEqual(t.clusters[0].endpoints.map((e) => [e.address, e.health]), [['127.251.0.7:5000', 'healthy'], ['127.251.0.8:5000', 'healthy']]);
  assert.equal(t.clusters[0].edsServiceName, 'default/helloworld:5000');
  assert.equal(t.outcome.summary, `TCP forwarded to ${name} (127.251.0.7:5000, 127.251.0.8:5000)`);
});

test('host health from the running data plane: an ejected host is named and left out; none left → 503 no healthy upstream', () => {
  const s = httpSnapshot(oneVhost([newRoute({ match: prefix('/'), action: toCluster('default/echo-service-1') })]), {
    clusters: [edsCluster('default/echo-service-1', { commonLbConfig: { healthyPanicThreshold: 0 } }), edsCluster('default/echo-service-2')],
    endpoints: ECHO.endpoints,
  });
  const hosts = (flags: HostHealthFlag[][]) => ({ clusters: [view('default/echo-service-1', [{ address: '127.251.0.3:8080', flags: flags[0] }, { address: '127.251.0.5:8080', flags: flags[1] }])] });
  const one = trace(s, input({ runtime: hosts([['failed_outlier_check'], []]) }));
  assert.deepEqual(one.clusters[0].endpoints.map((e) => [e.address, e.health, e.reasons]), [
    ['127.251.0.3:8080', 'unhealthy', ['ejected by outlier detection']],
    ['127.251.0.5:8080', 'healthy', []],
  ]);
  assert.equal(one.clusters[0].usable, 1);
  assert.equal(one.outcome.summary, 'forwarded to default/echo-service-1 (127.251.0.5:8080)');
  const none = trace(s, input({ runtime: hosts([['failed_outlier_check'], ['failed_active_hc']]) }));
  assert.equal(none.clusters[0].usable, 0);
  assert.equal(none.clusters[0].summary, 'no healthy upstream: 503');
  assert.ok(none.outcome.kind === 'localReply');
  assert.deepEqual([none.outcome.status, none.outcome.flag, none.outcome.summary], [503, 'UH', '503 (no healthy upstream)']);
});

test('host health: below healthy_panic_threshold the balancer uses every host (panic), as the data plane does', () => {
  const s = httpSnapshot(oneVhost([newRoute({ match: prefix('/'), action: toCluster('default/echo-service-1') })]), ECHO);
  const t = trace(s, input({ runtime: { clusters: [view('default/echo-service-1', [{ address: '127.251.0.3:8080', flags: ['failed_outlier_check'] }, { address: '127.251.0.5:8080', flags: ['failed_active_hc'] }])] } }));
  assert.equal(t.clusters[0].panic, true);
  assert.equal(t.clusters[0].usable, 2);
  assert.equal(t.outcome.kind, 'forwarded');
  assert.ok(t.outcome.notes.some((n) => n.includes('healthy_panic_threshold')));
});

test('host health unknown (workers mode): endpoints from the snapshot, health "unknown", said so', () => {
  const t = trace(httpSnapshot(CANARY, ECHO), input({ path: '/foo', headers: [['version', 'foo']], runtime: { healthUnknownReason: 'the data plane runs in 2 worker processes' } }));
  assert.deepEqual(t.clusters[0].endpoints.map((e) => [e.address, e.health]), [['127.251.0.3:8080', 'unknown']]);
  assert.equal(t.clusters[0].healthKnown, false);
  assert.equal(t.clusters[0].healthNote, 'the data plane runs in 2 worker processes');
  assert.ok(t.outcome.notes.some((n) => n.includes('host health unknown')));
});

test('nothing listens on the address: connection refused; a Pod IP is answered by the Pod itself', () => {
  const s = httpSnapshot(CANARY, ECHO);
  const refused = trace(s, input({ resolution: { kind: 'service', host: 'web', namespace: 'default', service: 'web', address: '127.103.0.99', port: 80 } }));
  assert.equal(refused.outcome.kind, 'refused');
  assert.equal(refused.outcome.summary, 'connection refused (no listener on 127.103.0.99:80; a Service with no ready endpoint has none)');
  assert.equal(refused.listener, undefined);
  const pod = trace(s, input({ resolution: { kind: 'pod', host: '127.251.0.3', namespace: 'default', pod: 'echo-1', address: '127.251.0.3', port: 8080 } }));
  assert.equal(pod.outcome.kind, 'direct');
});

test('fault filter: a header-triggered abort at 100% answers before the router; without the header it does not apply', () => {
  const fault: HttpFilter = {
    kind: 'fault',
    name: 'envoy.filters.http.fault',
    typedConfig: { abort: { errorType: { kind: 'httpStatus', httpStatus: 503 }, percentage: 1 }, delay: { faultDelaySpecifier: { kind: 'fixedDelay', fixedDelayMs: 2000 }, percentage: 0.5 }, headers: [exactHeader('x-chaos', 'on')], downstreamNodes: [] },
  };
  const s = httpSnapshot(CANARY, ECHO, [fault, ROUTER_FILTER]);
  const hit = trace(s, input({ headers: [['x-chaos', 'on']] }));
  assert.ok(hit.outcome.kind === 'localReply');
  assert.deepEqual([hit.outcome.status, hit.outcome.flag], [503, 'FI']);
  const f = hit.http?.filters[0];
  assert.ok(f?.kind === 'fault');
  assert.deepEqual([f.applies, f.abort?.percent, f.delay?.percent, f.delay?.ms], [true, 100, 50, 2000]);
  assert.equal(hit.http?.filters[1].runs, false);
  assert.ok(hit.outcome.notes.some((n) => n.includes('delays 2s for 50%')));
  // x-envoy-fault-abort-request-percentage lowers the share: no longer certain.
  const lowered = trace(s, input({ headers: [['x-chaos', 'on'], ['x-envoy-fault-abort-request-percentage', '10']] }));
  assert.equal(lowered.outcome.kind, 'forwarded');
  assert.ok(lowered.outcome.notes.some((n) => n.includes('aborts with 503 for 10%')));
  const miss = trace(s, input());
  assert.equal(miss.outcome.kind, 'forwarded');
  const g = miss.http?.filters[0];
  assert.ok(g?.kind === 'fault');
  assert.equal(g.applies, false);
  assert.equal(g.summary, 'does not apply: header x-chaos: exact on, request has none');
});

test('local rate limit: share checked, bucket and enforcement; a route can turn the filter off', () => {
  const rl: HttpFilter = {
    kind: 'localRateLimit',
    name: 'envoy.filters.http.local_ratelimit',
    typedConfig: { statPrefix: 'rl', tokenBucket: { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 10_000 }, filterEnabled: 1, filterEnforced: 1, requestHeadersToAddWhenNotEnforced: [], responseHeadersToAdd: [] },
  };
  const rc = oneVhost([
    newRoute({ match: prefix('/free'), action: toCluster('default/echo-service-1'), typedPerFilterConfig: { 'envoy.filters.http.local_ratelimit': { kind: 'filterConfig', disabled: true } } }),
    newRoute({ match: prefix('/'), action: toCluster('default/echo-service-1') }),
  ]);
  const s = httpSnapshot(rc, ECHO, [rl, ROUTER_FILTER]);
  const t = trace(s, input());
  const f = t.http?.filters[0];
  assert.ok(f?.kind === 'localRateLimit');
  assert.deepEqual([f.runs, f.checkedPercent, f.enforcedPercent, f.status, f.tokenBucket, f.tokensLeft], [true, 100, 100, 429, { maxTokens: 2, tokensPerFill: 2, fillIntervalMs: 10_000 }, undefined]);
  assert.equal(f.summary, 'checks every request against a bucket of 2 token(s), +2 every 10s; tokens left: unknown; when empty: 429 local_rate_limited');
  const left = explainRequest(s, input(), { tokensLeft: (_l, name) => (name === rl.name ? 0 : undefined) });
  const g = left.http?.filters[0];
  assert.ok(g?.kind === 'localRateLimit');
  assert.equal(g.tokensLeft, 0);
  assert.ok(left.outcome.kind === 'localReply');
  assert.deepEqual([left.outcome.status, left.outcome.flag], [429, 'RL']);
  assert.equal(left.http?.filters[1].runs, false);
  const free = trace(s, input({ path: '/free' }));
  assert.equal(free.http?.filters[0].runs, false);
  assert.equal(free.http?.filters[0].summary, 'does not run: disabled on this route');
});

test('filter chain selection: an https request picks the chain of its server name when a tls_inspector reads the ClientHello', () => {
  const hcm = (prefixName: string) => hcmFilter(newHttpConnectionManager({ statPrefix: prefixName, routeSpecifier: { kind: 'rds', rds: { routeConfigName: routeConfigName('rc') } } }));
  const listener = newListener({
    name: 'tls',
    address: { kind: 'socketAddress', address: '127.103.0.20', portValue: 443 },
    listenerFilters: [{ kind: 'tlsInspector', name: 'envoy.filters.listener.tls_inspector', typedConfig: {} }],
    filterChains: [
      newFilterChain({ name: 'a', filterChainMatch: { serverNames: ['a.example.com'], prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], applicationProtocols: [] }, filters: [hcm('a')] }),
      newFilterChain({ name: 'b', filterChainMatch: { serverNames: ['*.example.com'], prefixRanges: [], directSourcePrefixRanges: [], sourcePrefixRanges: [], sourcePorts: [], applicationProtocols: [] }, filters: [hcm('b')] }),
    ],
  });
  const s = httpSnapshot(CANARY, { ...ECHO, listeners: [listener] });
  const at: Resolution = { kind: 'address', host: '127.103.0.20', address: '127.103.0.20', port: 443 };
  const b = trace(s, input({ scheme: 'https', authority: 'b.example.com', resolution: at }));
  assert.deepEqual([b.filterChain?.index, b.filterChain?.name, b.filterChain?.facts], [1, 'b', ['transport tls', 'server name b.example.com', 'ALPN h2, http/1.1']]);
  // The chains do not terminate TLS: an https client fails the handshake, and the trace says so.
  assert.equal(b.outcome.kind, 'closed');
  const plain = trace(s, input({ authority: 'a.example.com', resolution: at }));
  assert.equal(plain.outcome.kind, 'closed');
  assert.equal(plain.outcome.summary, 'no filter chain matches this connection: the listener closes it');
});

test('the text form: numbered steps and the outcome', () => {
  const text = formatRequestTrace(trace(httpSnapshot(CANARY, ECHO), input({ path: '/foo', runtime: { clusters: [view('default/echo-service-1', [{ address: '127.251.0.3:8080' }]), view('default/echo-service-2', [{ address: '127.251.0.4:8080', flags: ['failed_outlier_check'] }])] } })));
  const lines = text.split('\n');
  assert.equal(lines[0], 'GET http://echo-service-1:8080/foo');
  assert.ok(lines.includes('1. resolve: echo-service-1 → Service default/echo-service-1 → ClusterIP 127.103.0.4:8080'), text);
  assert.ok(lines.includes('     CiliumEnvoyConfig default/envoy-lb-listener intercepts Service default/echo-service-1:8080'), text);
  assert.ok(lines.includes('     route #1: prefix /, header version: exact foo — no match: header version: exact foo, request has none'), text);
  assert.ok(lines.includes('     → weighted clusters: default/echo-service-1 50% (weight 50), default/echo-service-2 50% (weight 50)'), text);
  assert.ok(lines.includes('       retry on 5xx: up to 3 retries, 1s per try'), text);
  assert.ok(lines.includes('     127.251.0.4:8080  unhealthy (ejected by outlier detection)'), text);
  assert.ok(lines.includes('=> forwarded to default/echo-service-1 50%, default/echo-service-2 50%'), text);
  // Its only host ejected, echo-service-2 is in panic: the balancer still sends to it.
  assert.ok(lines.includes('   default/echo-service-2: too few healthy hosts (healthy_panic_threshold): balancing across all of them, unhealthy ones included'), text);
});
