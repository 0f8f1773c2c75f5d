import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWrkDuration, parseWrkReport, wrkArgs } from './wrk.ts';

const OK = `Running 3s test @ http://127.0.0.1:28080/
  1 threads and 32 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   593.99us  161.63us   2.85ms   70.89%
    Req/Sec    42.15k     4.69k   56.91k    80.00%
  Latency Distribution
     50%  594.00us
     75%  684.00us
     90%  774.00us
     99%    1.00ms
  125763 requests in 3.00s, 29.86MB read
Requests/sec:  41851.29
Transfer/sec:      9.94MB
`;

const ERRORS = `Running 2s test @ http://127.0.0.1:18081/
  1 threads and 32 connections
  Latency Distribution
     50%    1.50s
     75%    1.70s
     90%    1.90s
     99%    2.00s
  1200 requests in 2.00s, 200.00KB read
  Socket errors: connect 0, read 3, write 1, timeout 20
  Non-2xx or 3xx responses: 7
Requests/sec:    600.00
`;

test('parses requests/s, count and the 50th/99th percentiles', () => {
  assert.deepEqual(parseWrkReport(OK), { requestsPerSecond: 41851.29, requests: 125763, p50Ms: 0.594, p99Ms: 1, errors: 0 });
});

test('adds socket errors and non-2xx responses', () => {
  const r = parseWrkReport(ERRORS);
  assert.equal(r?.errors, 31);
  assert.equal(r?.p50Ms, 1500);
  assert.equal(r?.p99Ms, 2000);
});

test('no report when wrk failed', () => {
  assert.equal(parseWrkReport('unable to connect to 127.0.0.1:1 Connection refused\n'), undefined);
});

test('durations in every unit wrk prints', () => {
  assert.equal(parseWrkDuration('250.00us'), 0.25);
  assert.equal(parseWrkDuration('3.5ms'), 3.5);
  assert.equal(parseWrkDuration('1.2s'), 1200);
  assert.equal(parseWrkDuration('1.00m'), 60_000);
  assert.ok(Number.isNaN(parseWrkDuration('fast')));
});

test('wrkArgs', () => {
  assert.deepEqual(wrkArgs({ url: 'http://127.0.0.1:1/', threads: 1, connections: 32, seconds: 10, latency: true }), [
    '-t1', '-c32', '-d10s', '--latency', 'http://127.0.0.1:1/',
  ]);
});
