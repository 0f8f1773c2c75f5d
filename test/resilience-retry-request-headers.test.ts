// retry_policy.retriable_request_headers over real sockets: with the list set, a request is
// retried only if it matches one of the matchers (here `:method` GET, or an `x-retry-ok` header);
// any other request gets the upstream's first answer, even when it asks for retries itself with
// x-envoy-retry-on (Envoy clears retry_on when no request header matches).
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { DataPlane } from '../src/dataplane/index.ts';
import type { RetryPolicy } from '../src/model/index.ts';
import { httpRequest } from './support/http-client.ts';
import { httpListener, inlineHcm, prefixRoute, snapshotOf, staticCluster, counter } from './support/upstreams.ts';

const POLICY: RetryPolicy = {
  retryOn: ['5xx'],
  numRetries: 2,
  retryBackOff: { baseIntervalMs: 1 },
  retriableStatusCodes: [],
  retriableHeaders: [],
  retriableRequestHeaders: [
    { name: ':method', headerMatchSpecifier: { kind: 'stringMatch', stringMatch: { kind: 'exact', exact: 'GET' } } },
    { name: 'x-retry-ok', headerMatchSpecifier: { kind: 'present', present: true } },
  ],
  retryHostPredicate: [],
} as unknown as RetryPolicy;

describe('retry_policy.retriable_request_headers', () => {
  let server: http.Server;
  let seen = 0;
  let dp: DataPlane;
  let port: number;

  before(async () => {
    server = http.createServer((req, res) => {
      seen++;
      req.resume();
      req.on('end', () => {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('unavailable');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    dp = new DataPlane({});
    const applied = await dp.apply(
      snapshotOf({
        listeners: [httpListener('main', inlineHcm([prefixRoute('/', 'failing', { retryPolicy: POLICY })]))],
        clusters: [staticCluster('failing', [`127.0.0.1:${(server.address() as AddressInfo).port}`])],
      }),
    );
    assert.ok(applied.ok, JSON.stringify(!applied.ok && applied.error));
    port = dp.boundAddress('main')!.port;
  });

  after(async () => {
    await dp.stop({ drainTimeoutMs: 100 });
    server.closeAllConnections();
    await new Promise<void>((r) => server.close(() => r()));
  });

  async function tries(method: string, headers: http.OutgoingHttpHeaders = {}): Promise<number> {
    const before = seen;
    const r = await httpRequest({ port, method, path: '/x', headers, body: method === 'GET' ? undefined : 'body' });
    assert.equal(r.status, 503);
    return seen - before;
  }

  test('a matching request (GET) is retried num_retries times', async () => {
    const before = counter(dp, 'cluster.failing.upstream_rq_retry');
    assert.equal(await tries('GET'), 3);
    assert.equal(counter(dp, 'cluster.failing.upstream_rq_retry') - before, 2);
  });

  test('a request matching none of them (POST) is not retried', async () => {
    const before = counter(dp, 'cluster.failing.upstream_rq_retry');
    assert.equal(await tries('POST'), 1);
    assert.equal(counter(dp, 'cluster.failing.upstream_rq_retry') - before, 0);
  });

  test('any one matcher is enough: a POST with x-retry-ok is retried', async () => {
    assert.equal(await tries('POST', { 'x-retry-ok': '1' }), 3);
  });

  test('x-envoy-retry-on does not bring retries back for a request that matches none', async () => {
    // The test client is on loopback: an internal request, whose x-envoy-* headers are honoured.
    assert.equal(await tries('PUT', { 'x-envoy-retry-on': '5xx,reset', 'x-envoy-max-retries': '2' }), 1);
  });
});
