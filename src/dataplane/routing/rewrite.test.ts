// Path rewrites, redirects and hash policies, each case naming the Envoy behaviour it checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HashPolicy, PathSpecifier, RedirectAction } from '../../model/index.ts';
import { newRouteMatch } from '../../model/index.ts';
import { compileHashPolicy } from './hash-policy.ts';
import { applyPathRewrite, compilePrefixRewrite, compileRegexRewrite } from './path-rewrite.ts';
import { buildRedirectLocation, compileRedirect } from './redirect.ts';
import { requestForTest, type RequestSpecForTest } from './test-helpers.ts';

const CURRENT_URL = 'RouteEntryImplBase::currentUrlPathAfterRewriteWithMatchedPath';

test('prefix_rewrite replaces the matched prefix, or the whole path for path / regex routes', () => {
  const cases: [PathSpecifier, string, string, string][] = [
    [{ kind: 'prefix', prefix: '/foo' }, '/bar', '/foo/x', '/bar/x'],
    [{ kind: 'prefix', prefix: '/foo/' }, '/', '/foo/x', '/x'],
    [{ kind: 'prefix', prefix: '/foo' }, '/', '/foo', '/'],
    [{ kind: 'prefix', prefix: '/FOO' }, '/bar', '/foo/x', '/bar/x'], // case-insensitive route: the request's own characters go
    [{ kind: 'pathSeparatedPrefix', prefix: '/api' }, '/v2', '/api/users', '/v2/users'],
    [{ kind: 'path', path: '/metrics' }, '/stats/prometheus', '/metrics', '/stats/prometheus'],
    [{ kind: 'safeRegex', regex: '/a.*' }, '/b', '/abc', '/b'],
  ];
  for (const [spec, replacement, input, want] of cases) {
    assert.equal(applyPathRewrite(compilePrefixRewrite(replacement, spec), input), want, `${CURRENT_URL}: ${JSON.stringify(spec)} ${input}`);
  }
});

test('regex_rewrite replaces every match in the path, with \\N groups (RE2::GlobalReplace)', () => {
  const rw = (pattern: string, substitution: string) => {
    const c = compileRegexRewrite({ pattern, substitution });
    assert.ok(c.ok);
    return c.value;
  };
  // Cilium's envoy-traffic-management example: ^/foo.*$ → /
  assert.equal(applyPathRewrite(rw('^/foo.*$', '/'), '/foo/bar'), '/');
  assert.equal(applyPathRewrite(rw('^/foo.*$', '/'), '/bar'), '/bar');
  // RouteAction.regex_rewrite API docs examples.
  assert.equal(applyPathRewrite(rw('^/service/([^/]+)(/.*)$', '\\2/instance/\\1'), '/service/foo/v1/api'), '/v1/api/instance/foo');
  assert.equal(applyPathRewrite(rw('one', 'two'), '/xxx/one/yyy/one/zzz'), '/xxx/two/yyy/two/zzz');
  assert.equal(applyPathRewrite(rw('^(.*?)one(.*)$', '\\1two\\2'), '/xxx/one/yyy/one/zzz'), '/xxx/two/yyy/one/zzz');
  assert.equal(applyPathRewrite(rw('(?i)/xxx/', '/yyy/'), '/aaa/XxX/bbb'), '/aaa/yyy/bbb');
  assert.equal(applyPathRewrite(rw('/(a)', '\\0-\\\\'), '/a'), '/a-\\', '\\0 is the whole match, \\\\ a backslash');
  assert.equal(compileRegexRewrite({ pattern: '(a)', substitution: '\\2' }).ok, false, 'a group the pattern lacks');
  assert.equal(compileRegexRewrite({ pattern: 'a', substitution: '\\x' }).ok, false, 'a stray backslash');
  assert.equal(compileRegexRewrite({ pattern: '(?<=a)b', substitution: '' }).ok, false, 'not RE2 syntax');
});

function location(r: RedirectAction, spec: RequestSpecForTest, pathSpecifier: PathSpecifier = { kind: 'prefix', prefix: '/' }): [number, string] {
  const c = compileRedirect(r, newRouteMatch({ pathSpecifier }));
  assert.ok(c.ok);
  return [c.value.status, buildRedirectLocation(c.value, requestForTest(spec))];
}

test('redirects are built as Envoy Http::Utility::newUri builds them', () => {
  const NEW_URI = 'source/common/http/utility.cc Utility::newUri';
  const https = { schemeRewriteSpecifier: { kind: 'httpsRedirect', httpsRedirect: true } } as const;
  const cases: [string, RedirectAction, RequestSpecForTest, [number, string], PathSpecifier?][] = [
    ['https_redirect keeps host, path and query; default 301', https, { authority: 'a.com', path: '/x', query: 'q=1' }, [301, 'https://a.com/x?q=1']],
    ['https_redirect drops the now-wrong :80', https, { authority: 'a.com:80', path: '/' }, [301, 'https://a.com/']],
    ['https_redirect keeps a non-default port', https, { authority: 'a.com:8080', path: '/' }, [301, 'https://a.com:8080/']],
    ['scheme_redirect', { schemeRewriteSpecifier: { kind: 'schemeRedirect', schemeRedirect: 'HTTPS' } }, { authority: 'a.com', path: '/' }, [301, 'https://a.com/']],
    ['port_redirect replaces the port', { portRedirect: 8443 }, { authority: 'a.com:80', path: '/p' }, [301, 'http://a.com:8443/p']],
    ['host_redirect + port_redirect', { hostRedirect: 'b.com', portRedirect: 81 }, { authority: 'a.com', path: '/p' }, [301, 'http://b.com:81/p']],
    ['IPv6 host keeps its brackets', { portRedirect: 81 }, { authority: '[::1]:80', path: '/' }, [301, 'http://[::1]:81/']],
    ['path_redirect keeps the request query', { pathRewriteSpecifier: { kind: 'pathRedirect', pathRedirect: '/new' } }, { path: '/old', query: 'a=1' }, [301, 'http://example.com/new?a=1']],
    ['path_redirect with its own query wins, even over strip_query', { pathRewriteSpecifier: { kind: 'pathRedirect', pathRedirect: '/new?b=2' }, stripQuery: true }, { path: '/old', query: 'a=1' }, [301, 'http://example.com/new?b=2']],
    ['strip_query', { stripQuery: true, responseCode: 'FOUND' }, { path: '/x', query: 'a=1' }, [302, 'http://example.com/x']],
    ['prefix_rewrite on the matched prefix', { pathRewriteSpecifier: { kind: 'prefixRewrite', prefixRewrite: '/v2/' }, responseCode: 'SEE_OTHER' }, { path: '/v1/users', query: 'q' }, [303, 'http://example.com/v2/users?q'], { kind: 'prefix', prefix: '/v1/' }],
    ['regex_rewrite', { pathRewriteSpecifier: { kind: 'regexRewrite', regexRewrite: { pattern: '^/old/(.*)$', substitution: '/new/\\1' } }, responseCode: 'TEMPORARY_REDIRECT' }, { path: '/old/a' }, [307, 'http://example.com/new/a']],
    ['a leading / is added to the path', { pathRewriteSpecifier: { kind: 'pathRedirect', pathRedirect: 'rel' }, responseCode: 'PERMANENT_REDIRECT' }, { path: '/x' }, [308, 'http://example.com/rel']],
  ];
  for (const [name, action, req, want, ps] of cases) assert.deepEqual(location(action, req, ps), want, `${name} [Envoy: ${NEW_URI}]`);
});

test('hash policies: header, cookie, source IP, query; combined in order, terminal stops', () => {
  const hasher = (policies: HashPolicy[]) => {
    const h = compileHashPolicy(policies);
    assert.ok(h.ok && h.value);
    return h.value;
  };
  const header: HashPolicy = { policySpecifier: { kind: 'header', header: { headerName: 'X-User' } } };
  const h = hasher([header]);
  const u1 = h(requestForTest({ headers: { 'x-user': 'alice' } }), {});
  assert.equal(u1, h(requestForTest({ headers: { 'x-user': 'alice' } }), {}), 'same value, same hash');
  assert.notEqual(u1, h(requestForTest({ headers: { 'x-user': 'bob' } }), {}));
  assert.equal(h(requestForTest({}), {}), undefined, 'no value → no hash (HashPolicyImpl::generateHash)');
  const cookie = hasher([{ policySpecifier: { kind: 'cookie', cookie: { name: 'sid' } } }]);
  assert.equal(cookie(requestForTest({ headers: { cookie: 'a=1; sid=xyz' } }), {}), cookie(requestForTest({ headers: { cookie: 'sid="xyz"' } }), {}));
  const ip = hasher([{ policySpecifier: { kind: 'connectionProperties', connectionProperties: { sourceIp: true } } }]);
  assert.notEqual(ip(requestForTest({}), { sourceIp: '10.0.0.1' }), ip(requestForTest({}), { sourceIp: '10.0.0.2' }));
  const q = hasher([{ policySpecifier: { kind: 'queryParameter', queryParameter: { name: 'u' } } }]);
  assert.equal(q(requestForTest({ query: 'u=1&x=2' }), {}), q(requestForTest({ query: 'x=3&u=1' }), {}));
  const terminal = hasher([{ ...header, terminal: true }, { policySpecifier: { kind: 'connectionProperties', connectionProperties: { sourceIp: true } } }]);
  const both = hasher([header, { policySpecifier: { kind: 'connectionProperties', connectionProperties: { sourceIp: true } } }]);
  const req = requestForTest({ headers: { 'x-user': 'alice' } });
  assert.equal(terminal(req, { sourceIp: '10.0.0.1' }), u1, 'terminal: only the first hash');
  assert.notEqual(both(req, { sourceIp: '10.0.0.1' }), u1, 'non-terminal: hashes combined');
  assert.equal(both(requestForTest({}), { sourceIp: '10.0.0.1' }), ip(requestForTest({}), { sourceIp: '10.0.0.1' }), 'a missing value is skipped');
});
