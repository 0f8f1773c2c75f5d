// The route matching table test: each case names the Envoy behaviour it checks (Envoy source
// file / API doc), so a failure says which rule weft broke.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HeaderMatcher, PathSpecifier, Route, RouteConfiguration, RouteMatch, StringMatcher } from '../../model/index.ts';
import { newRoute, newRouteConfiguration, newRouteMatch, newVirtualHost, toCluster } from '../../model/index.ts';
import { RouteTable } from './route-table.ts';
import { fixedRandomForTest, requestForTest, type RequestSpecForTest } from './test-helpers.ts';

/** A route named `name` that forwards to cluster `name`. */
function r(name: string, pathSpecifier: PathSpecifier, more: Partial<RouteMatch> = {}): Route {
  return newRoute({ name, match: newRouteMatch({ pathSpecifier, ...more }), action: toCluster(name) });
}
const prefix = (p: string): PathSpecifier => ({ kind: 'prefix', prefix: p });
const path = (p: string): PathSpecifier => ({ kind: 'path', path: p });
const regex = (re: string): PathSpecifier => ({ kind: 'safeRegex', regex: re });
const sep = (p: string): PathSpecifier => ({ kind: 'pathSeparatedPrefix', prefix: p });
const hdr = (name: string, stringMatch: StringMatcher, more: Partial<HeaderMatcher> = {}): HeaderMatcher => ({
  name,
  headerMatchSpecifier: { kind: 'stringMatch', stringMatch },
  ...more,
});

function table(rc: RouteConfiguration): RouteTable {
  const t = RouteTable.build(rc);
  assert.ok(t.ok, JSON.stringify(!t.ok && t.error));
  return t.value;
}

/** One vhost `*` holding the given routes. */
function routesTable(...routes: Route[]): RouteTable {
  return table(newRouteConfiguration({ name: 'rc', virtualHosts: [newVirtualHost({ name: 'all', domains: ['*'], routes })] }));
}

interface Case {
  readonly name: string;
  /** Where Envoy defines the behaviour. */
  readonly envoy: string;
  readonly request: RequestSpecForTest;
  /** Name of the route expected, or undefined for no route (404 NR). */
  readonly expect: string | undefined;
  readonly random?: number;
}

function run(t: RouteTable, cases: readonly Case[], what: (e: NonNullable<ReturnType<RouteTable['match']>>) => string | undefined): void {
  for (const c of cases) {
    const got = t.match(requestForTest(c.request), fixedRandomForTest(c.random ?? 0.5));
    assert.equal(got === undefined ? undefined : what(got), c.expect, `${c.name} [Envoy: ${c.envoy}]`);
  }
}

// ---------------------------------------------------------------- virtual host selection
const CONFIG_IMPL = 'source/common/router/config_impl.cc RouteMatcher::findVirtualHost';

test('virtual host selection follows Envoy: exact, longest suffix wildcard, longest prefix wildcard, *', () => {
  const vh = (name: string, domains: string[]) => newVirtualHost({ name, domains, routes: [r(name, prefix('/'))] });
  const t = table(
    newRouteConfiguration({
      name: 'rc',
      virtualHosts: [
        vh('default', ['*']),
        vh('suffix', ['*.foo.com']),
        vh('long-suffix', ['*-bar.foo.com']),
        vh('prefix', ['api.*']),
        vh('long-prefix', ['api.example.*']),
        vh('exact', ['www.foo.com', 'API.FOO.COM']),
      ],
    }),
  );
  run(
    t,
    [
      { name: 'exact domain wins over every wildcard', envoy: CONFIG_IMPL, request: { authority: 'www.foo.com' }, expect: 'exact' },
      { name: 'exact beats a prefix wildcard that also matches', envoy: CONFIG_IMPL, request: { authority: 'api.foo.com' }, expect: 'exact' },
      { name: 'host compared case-insensitively', envoy: `${CONFIG_IMPL} (AsciiStrToLower)`, request: { authority: 'WWW.Foo.Com' }, expect: 'exact' },
      { name: 'suffix wildcard', envoy: CONFIG_IMPL, request: { authority: 'x.foo.com' }, expect: 'suffix' },
      { name: 'longest suffix wildcard first', envoy: `${CONFIG_IMPL} findWildcardVirtualHost`, request: { authority: 'baz-bar.foo.com' }, expect: 'long-suffix' },
      { name: 'suffix wildcard beats prefix wildcard', envoy: CONFIG_IMPL, request: { authority: 'api.x.foo.com' }, expect: 'suffix' },
      { name: 'prefix wildcard', envoy: CONFIG_IMPL, request: { authority: 'api.other.net' }, expect: 'prefix' },
      { name: 'longest prefix wildcard first', envoy: CONFIG_IMPL, request: { authority: 'api.example.org' }, expect: 'long-prefix' },
      { name: 'the wildcard stands for at least one character', envoy: `${CONFIG_IMPL} ("*.foo.com shouldn't match .foo.com")`, request: { authority: '.foo.com' }, expect: 'default' },
      { name: '*.foo.com does not match foo.com', envoy: 'VirtualHost.domains API docs', request: { authority: 'foo.com' }, expect: 'default' },
      { name: 'anything else goes to *', envoy: CONFIG_IMPL, request: { authority: 'other.net' }, expect: 'default' },
      { name: 'port is stripped when no domain lists one', envoy: 'weft (Envoy: ignore_port_in_host_matching / strip_any_host_port)', request: { authority: 'www.foo.com:8080' }, expect: 'exact' },
    ],
    (e) => e.virtualHost.name,
  );
});

test('domains with ports are compared with the whole host, as Envoy does', () => {
  const vh = (name: string, domains: string[]) => newVirtualHost({ name, domains, routes: [r(name, prefix('/'))] });
  const rc = newRouteConfiguration({
    name: 'rc',
    virtualHosts: [vh('p8080', ['foo.com:8080']), vh('bare', ['foo.com']), vh('any-port', ['bar.com:*']), vh('default', ['*'])],
  });
  run(
    table(rc),
    [
      { name: 'host:port exact', envoy: CONFIG_IMPL, request: { authority: 'foo.com:8080' }, expect: 'p8080' },
      { name: 'other port falls through to *', envoy: CONFIG_IMPL, request: { authority: 'foo.com:9090' }, expect: 'default' },
      { name: 'bare host', envoy: CONFIG_IMPL, request: { authority: 'foo.com' }, expect: 'bare' },
      { name: 'host:* is a prefix wildcard over the port (Cilium)', envoy: CONFIG_IMPL, request: { authority: 'bar.com:1234' }, expect: 'any-port' },
    ],
    (e) => e.virtualHost.name,
  );
  run(
    table({ ...rc, ignorePortInHostMatching: true }),
    [{ name: 'ignore_port_in_host_matching strips it', envoy: 'RouteConfiguration.ignore_port_in_host_matching', request: { authority: 'foo.com:9090' }, expect: 'bare' }],
    (e) => e.virtualHost.name,
  );
});

test('no matching virtual host and no * → no route; only * → the host is not even looked at', () => {
  const only = (domains: string[]) =>
    table(newRouteConfiguration({ name: 'rc', virtualHosts: [newVirtualHost({ name: 'v', domains, routes: [r('v', prefix('/'))] })] }));
  assert.equal(only(['a.com']).match(requestForTest({ authority: 'b.com' }), fixedRandomForTest(0)), undefined);
  assert.equal(only(['*']).match(requestForTest({ authority: '' }), fixedRandomForTest(0))?.virtualHost.name, 'v');
});

// ---------------------------------------------------------------- route order and path kinds
const ROUTE_ORDER = 'VirtualHostImpl::getRouteFromRoutes: first match in order';

test('routes are tried in order and the first match wins', () => {
  const t = routesTable(r('catch-all', prefix('/')), r('exact', path('/a')));
  run(t, [{ name: 'an earlier prefix / shadows a later exact', envoy: ROUTE_ORDER, request: { path: '/a' }, expect: 'catch-all' }], (e) => e.route.name);
  const t2 = routesTable(r('exact', path('/a')), r('catch-all', prefix('/')));
  run(
    t2,
    [
      { name: 'exact first', envoy: ROUTE_ORDER, request: { path: '/a' }, expect: 'exact' },
      { name: 'then the rest', envoy: ROUTE_ORDER, request: { path: '/b' }, expect: 'catch-all' },
    ],
    (e) => e.route.name,
  );
  assert.equal(routesTable(r('x', path('/x'))).match(requestForTest({ path: '/y' }), fixedRandomForTest(0)), undefined, 'no route → undefined (404 NR)');
});

test('path match kinds: prefix, path, safe_regex, path_separated_prefix, connect_matcher, case_sensitive', () => {
  const t = routesTable(
    r('connect', { kind: 'connectMatcher' }),
    r('exact', path('/exact')),
    r('exact-ci', path('/Exact-CI'), { caseSensitive: false }),
    r('regex', regex('/v[0-9]+/users')),
    r('regex-ci-ignored', regex('/abc'), { caseSensitive: false }),
    r('posix-class', regex('/names/[[:alpha:]]+')),
    r('sep', sep('/sep')),
    r('prefix-ci', prefix('/CI/'), { caseSensitive: false }),
    r('prefix', prefix('/api')),
  );
  const RM = 'RouteMatch API docs';
  run(
    t,
    [
      { name: 'prefix', envoy: RM, request: { path: '/api/x' }, expect: 'prefix' },
      { name: 'prefix is a plain string prefix', envoy: RM, request: { path: '/apiv2' }, expect: 'prefix' },
      { name: 'prefix is case-sensitive by default', envoy: `${RM} case_sensitive default true`, request: { path: '/API' }, expect: undefined },
      { name: 'prefix case-insensitive', envoy: `${RM} case_sensitive=false`, request: { path: '/ci/x' }, expect: 'prefix-ci' },
      { name: 'path is exact', envoy: RM, request: { path: '/exact' }, expect: 'exact' },
      { name: 'path: a trailing slash differs', envoy: RM, request: { path: '/exact/' }, expect: undefined },
      { name: 'path ignores the query string', envoy: `${RM} ("once the query string is removed")`, request: { path: '/exact', query: 'a=1' }, expect: 'exact' },
      { name: 'path case-insensitive', envoy: `${RM} case_sensitive=false`, request: { path: '/exact-ci' }, expect: 'exact-ci' },
      { name: 'safe_regex must match the whole path', envoy: 'RegexMatcher: RE2::FullMatch', request: { path: '/v12/users' }, expect: 'regex' },
      { name: 'safe_regex: a partial match is no match', envoy: 'RegexMatcher: RE2::FullMatch', request: { path: '/v12/users/7' }, expect: undefined },
      { name: 'safe_regex ignores case_sensitive', envoy: `${RM} ("Ignored for safe_regex matching")`, request: { path: '/ABC' }, expect: undefined },
      { name: 'safe_regex is RE2 syntax (POSIX classes)', envoy: 'google_re2', request: { path: '/names/abc' }, expect: 'posix-class' },
      { name: 'path_separated_prefix: the prefix itself', envoy: 'PathSeparatedPrefixRouteEntryImpl::matches', request: { path: '/sep' }, expect: 'sep' },
      { name: 'path_separated_prefix: then a /', envoy: 'PathSeparatedPrefixRouteEntryImpl::matches', request: { path: '/sep/x' }, expect: 'sep' },
      { name: 'path_separated_prefix: not a longer segment', envoy: 'PathSeparatedPrefixRouteEntryImpl::matches', request: { path: '/sepx' }, expect: undefined },
      { name: 'path_separated_prefix with a query', envoy: 'PathSeparatedPrefixRouteEntryImpl::matches', request: { path: '/sep', query: 'q' }, expect: 'sep' },
      { name: 'connect_matcher matches CONNECT', envoy: 'ConnectRouteEntryImpl::matches', request: { method: 'CONNECT', path: '' }, expect: 'connect' },
      { name: 'a request without :path reaches only connect routes', envoy: 'getRouteFromRoutes supportsPathlessHeaders', request: { method: 'GET', path: '' }, expect: undefined },
    ],
    (e) => e.route.name,
  );
});

// ---------------------------------------------------------------- header matchers
test('header matchers: string matchers, present, invert, range, missing headers, several values', () => {
  const HU = 'source/common/http/header_utility.cc HeaderUtility::matchHeaders';
  const t = routesTable(
    r('exact', prefix('/exact'), { headers: [hdr('x-env', { kind: 'exact', exact: 'prod' })] }),
    r('exact-ci', prefix('/exact-ci'), { headers: [hdr('X-Env', { kind: 'exact', exact: 'PROD', ignoreCase: true })] }),
    r('prefix', prefix('/prefix'), { headers: [hdr('x-v', { kind: 'prefix', prefix: 'v1.' })] }),
    r('suffix', prefix('/suffix'), { headers: [hdr('x-v', { kind: 'suffix', suffix: '-beta' })] }),
    r('contains', prefix('/contains'), { headers: [hdr('user-agent', { kind: 'contains', contains: 'Mobile' })] }),
    r('regex', prefix('/regex'), { headers: [hdr('x-id', { kind: 'safeRegex', regex: '[0-9]{3}' })] }),
    r('present', prefix('/present'), { headers: [{ name: 'x-debug', headerMatchSpecifier: { kind: 'present', present: true } }] }),
    r('absent', prefix('/absent'), { headers: [{ name: 'x-debug', headerMatchSpecifier: { kind: 'present', present: false } }] }),
    r('invert', prefix('/invert'), { headers: [hdr('x-env', { kind: 'exact', exact: 'prod' }, { invertMatch: true })] }),
    r('invert-present', prefix('/inv-present'), { headers: [{ name: 'x-debug', headerMatchSpecifier: { kind: 'present', present: true }, invertMatch: true }] }),
    r('range', prefix('/range'), { headers: [{ name: 'x-n', headerMatchSpecifier: { kind: 'range', range: { start: 100, end: 200 } } }] }),
    r('missing-empty', prefix('/missing-empty'), { headers: [hdr('x-e', { kind: 'exact', exact: '' }, { treatMissingHeaderAsEmpty: true })] }),
    r('joined', prefix('/joined'), { headers: [hdr('x-multi', { kind: 'exact', exact: 'a,b' })] }),
    r('method', prefix('/method'), { headers: [hdr(':method', { kind: 'exact', exact: 'POST' })] }),
    r('and', prefix('/and'), { headers: [hdr('x-a', { kind: 'exact', exact: '1' }), hdr('x-b', { kind: 'exact', exact: '2' })] }),
  );
  run(
    t,
    [
      { name: 'exact', envoy: HU, request: { path: '/exact', headers: { 'x-env': 'prod' } }, expect: 'exact' },
      { name: 'exact: other value', envoy: HU, request: { path: '/exact', headers: { 'x-env': 'prod2' } }, expect: undefined },
      { name: 'exact: missing header never matches', envoy: HU, request: { path: '/exact' }, expect: undefined },
      { name: 'exact ignore_case (name and value)', envoy: 'StringMatcher.ignore_case', request: { path: '/exact-ci', headers: { 'x-env': 'Prod' } }, expect: 'exact-ci' },
      { name: 'prefix', envoy: HU, request: { path: '/prefix', headers: { 'x-v': 'v1.2' } }, expect: 'prefix' },
      { name: 'suffix', envoy: HU, request: { path: '/suffix', headers: { 'x-v': '2-beta' } }, expect: 'suffix' },
      { name: 'contains (case-sensitive)', envoy: HU, request: { path: '/contains', headers: { 'user-agent': 'x mobile y' } }, expect: undefined },
      { name: 'contains', envoy: HU, request: { path: '/contains', headers: { 'user-agent': 'x Mobile y' } }, expect: 'contains' },
      { name: 'safe_regex full match', envoy: 'RegexMatcher: RE2::FullMatch', request: { path: '/regex', headers: { 'x-id': '123' } }, expect: 'regex' },
      { name: 'safe_regex partial is no match', envoy: 'RegexMatcher: RE2::FullMatch', request: { path: '/regex', headers: { 'x-id': '1234' } }, expect: undefined },
      { name: 'present_match true, present', envoy: HU, request: { path: '/present', headers: { 'x-debug': '' } }, expect: 'present' },
      { name: 'present_match true, missing', envoy: HU, request: { path: '/present' }, expect: undefined },
      { name: 'present_match false, missing', envoy: HU, request: { path: '/absent' }, expect: 'absent' },
      { name: 'present_match false, present', envoy: HU, request: { path: '/absent', headers: { 'x-debug': '1' } }, expect: undefined },
      { name: 'invert_match, other value', envoy: HU, request: { path: '/invert', headers: { 'x-env': 'dev' } }, expect: 'invert' },
      { name: 'invert_match, same value', envoy: HU, request: { path: '/invert', headers: { 'x-env': 'prod' } }, expect: undefined },
      { name: 'invert_match does not make a missing header match', envoy: HU, request: { path: '/invert' }, expect: undefined },
      { name: 'inverted present_match true matches a missing header', envoy: HU, request: { path: '/inv-present' }, expect: 'invert-present' },
      { name: 'range: inside [start, end)', envoy: HU, request: { path: '/range', headers: { 'x-n': '150' } }, expect: 'range' },
      { name: 'range: end is exclusive', envoy: HU, request: { path: '/range', headers: { 'x-n': '200' } }, expect: undefined },
      { name: 'range: start is inclusive, whitespace allowed (SimpleAtoi)', envoy: HU, request: { path: '/range', headers: { 'x-n': ' 100 ' } }, expect: 'range' },
      { name: 'range: not a number', envoy: HU, request: { path: '/range', headers: { 'x-n': '1e2' } }, expect: undefined },
      { name: 'treat_missing_header_as_empty', envoy: 'HeaderMatcher.treat_missing_header_as_empty', request: { path: '/missing-empty' }, expect: 'missing-empty' },
      { name: 'several values are joined with ,', envoy: `${HU} getAllOfHeaderAsString`, request: { path: '/joined', headers: { 'x-multi': ['a', 'b'] } }, expect: 'joined' },
      { name: 'pseudo-header :method', envoy: 'HeaderMatcher API docs (pseudo-headers)', request: { path: '/method', method: 'POST' }, expect: 'method' },
      { name: 'pseudo-header :method, other method', envoy: 'HeaderMatcher API docs', request: { path: '/method', method: 'GET' }, expect: undefined },
      { name: 'every header matcher must match', envoy: 'RouteMatch.headers API docs', request: { path: '/and', headers: { 'x-a': '1' } }, expect: undefined },
      { name: 'every header matcher matching', envoy: 'RouteMatch.headers API docs', request: { path: '/and', headers: { 'x-a': '1', 'x-b': '2' } }, expect: 'and' },
    ],
    (e) => e.route.name,
  );
});

// ---------------------------------------------------------------- query, grpc, runtime, tls
test('query parameter matchers, grpc, runtime_fraction and tls_context', () => {
  const QP = 'source/common/router/config_utility.cc QueryParameterMatcher::matches';
  const t = routesTable(
    r('q-exact', prefix('/q'), { queryParameters: [{ name: 'debug', queryParameterMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: '1' } } }] }),
    r('q-present', prefix('/p'), { queryParameters: [{ name: 'flag', queryParameterMatchSpecifier: { kind: 'presentMatch', presentMatch: true } }] }),
    r('q-raw', prefix('/raw'), { queryParameters: [{ name: 's', queryParameterMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'a%20b' } } }] }),
    r('grpc', prefix('/svc.Greeter/'), { grpc: true }),
    r('half', prefix('/half'), { runtimeFraction: 0.5 }),
    r('not-half', prefix('/half')),
    r('mtls', prefix('/mtls'), { tlsContext: { presented: true, validated: true } }),
  );
  run(
    t,
    [
      { name: 'query exact', envoy: QP, request: { path: '/q', query: 'a=2&debug=1' }, expect: 'q-exact' },
      { name: 'query: the first value counts', envoy: `${QP} (first value)`, request: { path: '/q', query: 'debug=2&debug=1' }, expect: undefined },
      { name: 'query: missing parameter never matches', envoy: QP, request: { path: '/q' }, expect: undefined },
      { name: 'query present_match, no value', envoy: QP, request: { path: '/p', query: 'flag' }, expect: 'q-present' },
      { name: 'query values are not percent-decoded', envoy: `${QP} (parseQueryString)`, request: { path: '/raw', query: 's=a%20b' }, expect: 'q-raw' },
      { name: 'grpc: application/grpc', envoy: 'Grpc::Common::isGrpcRequestHeaders', request: { path: '/svc.Greeter/Hi', headers: { 'content-type': 'application/grpc' } }, expect: 'grpc' },
      { name: 'grpc: application/grpc+proto', envoy: 'Grpc::Common::isGrpcContentType', request: { path: '/svc.Greeter/Hi', headers: { 'content-type': 'application/grpc+proto' } }, expect: 'grpc' },
      { name: 'grpc: grpc-web is not gRPC', envoy: 'Grpc::Common::isGrpcContentType', request: { path: '/svc.Greeter/Hi', headers: { 'content-type': 'application/grpc-web' } }, expect: undefined },
      { name: 'grpc: json is not gRPC', envoy: 'Grpc::Common::isGrpcContentType', request: { path: '/svc.Greeter/Hi', headers: { 'content-type': 'application/json' } }, expect: undefined },
      { name: 'runtime_fraction: inside the fraction', envoy: 'RouteMatch.runtime_fraction', request: { path: '/half' }, random: 0.3, expect: 'half' },
      { name: 'runtime_fraction: outside falls to the next route', envoy: 'RouteMatch.runtime_fraction', request: { path: '/half' }, random: 0.7, expect: 'not-half' },
      { name: 'tls_context: cleartext has no client certificate', envoy: 'RouteEntryImplBase::evaluateTlsContextMatch', request: { path: '/mtls' }, expect: undefined },
      { name: 'tls_context: presented and validated', envoy: 'RouteEntryImplBase::evaluateTlsContextMatch', request: { path: '/mtls', tls: { presented: true, validated: true } }, expect: 'mtls' },
    ],
    (e) => e.route.name,
  );
});

test('require_tls answers plain HTTP with a redirect to https', () => {
  const rc = (requireTls: 'ALL' | 'EXTERNAL_ONLY') =>
    table(newRouteConfiguration({ name: 'rc', virtualHosts: [newVirtualHost({ name: 'v', domains: ['*'], requireTls, routes: [r('app', prefix('/'))] })] }));
  const all = rc('ALL');
  const e = all.match(requestForTest({ scheme: 'http' }), fixedRandomForTest(0));
  assert.equal(e?.action.kind, 'redirect', 'VirtualHost.require_tls ALL');
  assert.equal(all.match(requestForTest({ scheme: 'https' }), fixedRandomForTest(0))?.route.name, 'app');
  const ext = rc('EXTERNAL_ONLY');
  assert.equal(ext.match(requestForTest({ headers: { 'x-envoy-internal': 'true' } }), fixedRandomForTest(0))?.route.name, 'app', 'internal requests pass');
  assert.equal(ext.match(requestForTest({}), fixedRandomForTest(0))?.action.kind, 'redirect', 'external requests are redirected');
});

test('header mutation layers follow Envoy order: outermost last unless most_specific_header_mutations_wins', () => {
  const h = (key: string) => [{ header: { key, value: key } }];
  const rc = newRouteConfiguration({
    name: 'rc',
    requestHeadersToAdd: h('rc'),
    virtualHosts: [newVirtualHost({ name: 'v', domains: ['*'], requestHeadersToAdd: h('vh'), routes: [newRoute({ ...r('x', prefix('/')), requestHeadersToAdd: h('route') })] })],
  });
  const order = (t: RouteTable) => t.match(requestForTest({}), fixedRandomForTest(0))?.requestHeaders.map((l) => l.add[0].header.key);
  assert.deepEqual(order(table(rc)), ['route', 'vh', 'rc']);
  assert.deepEqual(order(table({ ...rc, mostSpecificHeaderMutationsWins: true })), ['rc', 'vh', 'route']);
});
