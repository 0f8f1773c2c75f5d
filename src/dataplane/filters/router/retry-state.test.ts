import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileRetryPolicy, parseRetryOn } from '../../routing/index.ts';
import type { RetryPolicy } from '../../../model/index.ts';
import { RetryState } from './retry-state.ts';

function state(p: Partial<RetryPolicy>): RetryState {
  const c = compileRetryPolicy({ retryOn: [], retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicate: [], ...p });
  assert.ok(c.ok);
  return new RetryState(c.value, c.value.on, c.value.numRetries, 1024);
}

const err = new Error('x');

test('retry_on conditions: responses', () => {
  assert.ok(state({ retryOn: ['5xx'] }).retriableResponse(500, []));
  assert.ok(!state({ retryOn: ['gateway-error'] }).retriableResponse(500, []));
  assert.ok(state({ retryOn: ['gateway-error'] }).retriableResponse(503, []));
  assert.ok(state({ retryOn: ['retriable-4xx'] }).retriableResponse(409, []));
  assert.ok(!state({ retryOn: ['retriable-4xx'] }).retriableResponse(404, []));
  assert.ok(state({ retryOn: ['retriable-status-codes'], retriableStatusCodes: [418] }).retriableResponse(418, []));
  const byHeader = state({ retryOn: ['retriable-headers'], retriableHeaders: [{ name: 'X-Retry', headerMatchSpecifier: { kind: 'present', present: true } } as never] });
  assert.ok(byHeader.retriableResponse(200, ['x-retry', '1']));
  assert.ok(!byHeader.retriableResponse(200, ['x-other', '1']));
});

test('retry_on conditions: failures before headers', () => {
  const connect = { kind: 'connect', timedOut: false, error: err } as const;
  const reset = { kind: 'reset', remoteReset: false, error: err } as const;
  assert.ok(state({ retryOn: ['5xx'] }).retriableFailure(reset));
  assert.ok(state({ retryOn: ['5xx'] }).retriableFailure(undefined), 'per-try timeout');
  assert.ok(state({ retryOn: ['connect-failure'] }).retriableFailure(connect));
  assert.ok(!state({ retryOn: ['connect-failure'] }).retriableFailure(reset));
  assert.ok(state({ retryOn: ['reset'] }).retriableFailure(reset));
  assert.ok(!state({ retryOn: ['retriable-4xx'] }).retriableFailure(connect));
});

test('back-off: jittered below base × 2^n, capped at max_interval', () => {
  const s = state({ retryOn: ['5xx'], retryBackOff: { baseIntervalMs: 25 } });
  const top = { next: () => 0.999 };
  assert.deepEqual([1, 2, 3, 4, 5].map(() => s.nextBackOffMs(top)), [24, 49, 99, 199, 249]);
  assert.equal(s.nextBackOffMs({ next: () => 0 }), 0);
});

test('x-envoy-retry-on values', () => {
  assert.equal(parseRetryOn('5xx, connect-failure,unknown'), parseRetryOn(['5xx', 'connect-failure']));
});

test('a body past the buffer limit is not replayed', async () => {
  const { Readable } = await import('node:stream');
  const s = state({ retryOn: ['5xx'] });
  const out = s.watchBody(Readable.from([Buffer.alloc(600), Buffer.alloc(600)]));
  for await (const _ of out) void _;
  assert.equal(s.replayBody(true), undefined);
  const small = state({ retryOn: ['5xx'] });
  const o2 = small.watchBody(Readable.from([Buffer.from('ab'), Buffer.from('cd')]));
  for await (const _ of o2) void _;
  assert.equal(small.replayBody(true)?.toString(), 'abcd');
  assert.equal(small.replayBody(false), undefined);
});

test('retriable_request_headers: retries only for a request matching one of them; none = all', async () => {
  const { retriesAllowedFor } = await import('../../routing/index.ts');
  const c = compileRetryPolicy({
    retryOn: ['5xx'],
    retriableStatusCodes: [],
    retriableHeaders: [],
    retriableRequestHeaders: [
      { name: ':method', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'GET' } } } as never,
      { name: 'X-Retry-Ok', headerMatchSpecifier: { kind: 'present', present: true } } as never,
    ],
    retryHostPredicate: [],
  });
  assert.ok(c.ok);
  const req = (method: string, headers: Record<string, string>) => ({ authority: 'a', path: '/', query: '', method, scheme: 'http', headers: { get: (n: string) => headers[n] } });
  assert.ok(retriesAllowedFor(c.value, req('GET', {})));
  assert.ok(!retriesAllowedFor(c.value, req('POST', {})));
  assert.ok(retriesAllowedFor(c.value, req('POST', { 'x-retry-ok': '1' })));
  const none = compileRetryPolicy({ retryOn: ['5xx'], retriableStatusCodes: [], retriableHeaders: [], retriableRequestHeaders: [], retryHostPredicate: [] });
  assert.ok(none.ok && retriesAllowedFor(none.value, req('DELETE', {})));
  const bad = compileRetryPolicy({
    retryOn: ['5xx'],
    retriableStatusCodes: [],
    retriableHeaders: [],
    retriableRequestHeaders: [{ name: 'x', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'safeRegex', regex: '(' } } } as never],
    retryHostPredicate: [],
  });
  assert.ok(!bad.ok && bad.error.includes('retriable_request_headers'));
});
