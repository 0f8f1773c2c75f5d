import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LOAD_DEFAULTS, parseLoadArgs, proxyFromEnv } from './options.ts';

test('the tutorial command line: fortio load -c 2 -qps 0 -n 20 http://echo-service:8080', () => {
  const r = parseLoadArgs(['load', '-c', '2', '-qps', '0', '-n', '20', 'http://echo-service:8080']);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.connections, 2);
  assert.equal(r.value.qps, 0);
  assert.equal(r.value.exactly, 20);
  assert.equal(r.value.url, 'http://echo-service:8080');
  assert.equal(r.value.durationMs, LOAD_DEFAULTS.durationMs);
  assert.deepEqual(r.value.percentiles, [50, 75, 90, 99, 99.9]);
});

test('Go flag forms: -flag=value, --flag, bool flags, repeated -H, durations', () => {
  const r = parseLoadArgs(['--c=3', '-t', '1m30s', '-timeout=250ms', '-H', 'x-a: 1', '-H', 'X-B:two', '-k', '-payload-size', '10', '-p', '50, 90', 'svc:9080/path?q=1']);
  assert.ok(r.ok, r.ok ? '' : r.error);
  assert.equal(r.value.connections, 3);
  assert.equal(r.value.durationMs, 90_000);
  assert.equal(r.value.timeoutMs, 250);
  assert.deepEqual(r.value.headers, [['x-a', '1'], ['X-B', 'two']]);
  assert.equal(r.value.insecure, true);
  assert.equal(r.value.payload?.length, 10);
  assert.deepEqual(r.value.percentiles, [50, 90]);
  assert.equal(r.value.url, 'http://svc:9080/path?q=1');
  assert.equal(r.value.qps, 8);
});

test('errors read like Go flag errors; runs must be bounded', () => {
  const cases: [string[], RegExp][] = [
    [['-bogus', 'u'], /flag provided but not defined: -bogus/],
    [['-c'], /flag needs an argument: -c/],
    [['-c', 'x', 'u'], /invalid value "x" for flag -c/],
    [['-t', 'soon', 'u'], /invalid value "soon" for flag -t/],
    [['-c', '2'], /needs a URL/],
    [['-t', '0', 'u'], /bounded/],
    [['-c', '0', 'u'], /-c must be at least 1/],
    [['-H', 'novalue', 'u'], /expecting Key: Value/],
    [['ftp://x'], /unsupported URL scheme/],
    [['u', 'extra'], /unexpected arguments/],
  ];
  for (const [argv, re] of cases) {
    const r = parseLoadArgs(argv);
    assert.ok(!r.ok, `${argv.join(' ')} should fail`);
    assert.match(r.error, re);
  }
  assert.ok(parseLoadArgs(['-t', '0', '-n', '5', 'u']).ok, '-t 0 is fine with -n');
});

test('proxyFromEnv follows http_proxy / no_proxy as curl does', () => {
  const env = { http_proxy: 'http://pod:secret@127.0.0.1:15001', no_proxy: 'localhost,.internal,db:5432' };
  assert.equal(proxyFromEnv('http://echo-service:8080/', env), env.http_proxy);
  assert.equal(proxyFromEnv('http://localhost:8080/', env), undefined);
  assert.equal(proxyFromEnv('http://api.internal/', env), undefined);
  assert.equal(proxyFromEnv('http://db:5432/', env), undefined);
  assert.equal(proxyFromEnv('http://db:80/', env), env.http_proxy);
  assert.equal(proxyFromEnv('https://x/', env), undefined);
  assert.equal(proxyFromEnv('http://x/', { HTTP_PROXY: 'http://p:1' }), 'http://p:1');
  assert.equal(proxyFromEnv('http://x/', { http_proxy: 'http://p:1', NO_PROXY: '*' }), undefined);
});
