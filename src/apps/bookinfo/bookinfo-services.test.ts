// details, ratings and reviews on their own (productpage composed through a proxy: test/apps-bookinfo.test.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppStartOptions, RunningApp } from '../app.ts';
import { matchImage } from '../image-registry.ts';

async function start(image: string, extra: Partial<AppStartOptions> = {}): Promise<{ app: RunningApp; base: string }> {
  const spec = matchImage(image);
  assert.ok(spec?.kind === 'app');
  const app = await spec.start({ host: '127.0.0.1', ports: [0], env: {}, podName: 'pod-1', namespace: 'ns1', labels: {}, ...extra });
  return { app, base: `http://127.0.0.1:${app.ports[0]}` };
}

test('details: /details/0 is the Shakespeare JSON byte for byte; bad ids get 400', async () => {
  const { app, base } = await start('docker.io/istio/examples-bookinfo-details-v1:1.20.2');
  try {
    const r = await fetch(`${base}/details/0`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    assert.equal(
      await r.text(),
      '{"id":0,"author":"William Shakespeare","year":1595,"type":"paperback","pages":200,"publisher":"PublisherA","language":"English","ISBN-10":"1234567890","ISBN-13":"123-1234567890"}',
    );
    assert.equal(((await (await fetch(`${base}/details/1`)).json()) as { id: number }).id, 1);
    const bad = await fetch(`${base}/details/abc`);
    assert.equal(bad.status, 400);
    assert.deepEqual(await bad.json(), { error: 'please provide numeric product id' });
    assert.deepEqual(await (await fetch(`${base}/health`)).json(), { status: 'Details is healthy' });
    assert.equal((await fetch(`${base}/ratings`)).status, 404);
  } finally {
    await app.close();
  }
});

test('ratings: /ratings/0 answers the two reviewers; POST replaces them in memory', async () => {
  const { app, base } = await start('docker.io/istio/examples-bookinfo-ratings-v1:1.20.2');
  try {
    assert.equal(await (await fetch(`${base}/ratings/0`)).text(), '{"id":0,"ratings":{"Reviewer1":5,"Reviewer2":4}}');
    const posted = await fetch(`${base}/ratings/7`, { method: 'POST', body: '{"Reviewer1":1}', headers: { 'content-type': 'application/json' } });
    assert.deepEqual(await posted.json(), { id: 7, ratings: { Reviewer1: 1 } });
    assert.deepEqual(await (await fetch(`${base}/ratings/7`)).json(), { id: 7, ratings: { Reviewer1: 1 } });
    assert.equal((await fetch(`${base}/ratings/x`)).status, 400);
    assert.equal((await fetch(`${base}/ratings/1`, { method: 'POST', body: 'not json' })).status, 400);
  } finally {
    await app.close();
  }
});

test('reviews v1 shows no rating and never calls ratings', async () => {
  const { app, base } = await start('docker.io/istio/examples-bookinfo-reviews-v1:1.20.2', { upstreamProxy: 'http://127.0.0.1:1' });
  try {
    const doc = (await (await fetch(`${base}/reviews/0`)).json()) as { id: string; podname: string; reviews: Record<string, unknown>[] };
    assert.equal(doc.id, '0');
    assert.equal(doc.podname, 'pod-1');
    assert.equal(doc.reviews.length, 2);
    assert.deepEqual(doc.reviews.map((r) => r.reviewer), ['Reviewer1', 'Reviewer2']);
    assert.ok(doc.reviews.every((r) => r.rating === undefined));
    assert.equal((await fetch(`${base}/reviews/abc`)).status, 404);
  } finally {
    await app.close();
  }
});

test('reviews v3 says the ratings service is unavailable when the call fails', async () => {
  const { app, base } = await start('docker.io/istio/examples-bookinfo-reviews-v3:1.20.2', { upstreamProxy: 'http://127.0.0.1:1' });
  try {
    const doc = (await (await fetch(`${base}/reviews/0`)).json()) as { reviews: { rating?: unknown }[] };
    assert.deepEqual(doc.reviews[0].rating, { error: 'Ratings service is currently unavailable' });
  } finally {
    await app.close();
  }
});
