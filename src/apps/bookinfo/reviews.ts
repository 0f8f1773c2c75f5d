/**
 * Bookinfo's reviews service (Java/Liberty in the original), port 9080. `GET /reviews/<id>` answers
 * two reviews. v1 shows no rating; v2 (black stars) and v3 (red stars) ask ratings for them,
 * through the mesh, and say "Ratings service is currently unavailable" when that fails. The image
 * decides the version; `ENABLE_RATINGS` and `STAR_COLOR` override it as in the original.
 */
import type { AppSpec, AppStartOptions, RunningApp } from '../app.ts';
import type { AppRequest, AppResponse } from '../http/exchange.ts';
import { createOutboundClient, type OutboundClient } from '../http/outbound.ts';
import { serveOwning } from '../http/serve.ts';
import { BOOKINFO_PORT } from './details.ts';
import { pickHeaders, REVIEWS_FORWARDED } from './trace-headers.ts';

export type ReviewsVersion = 'v1' | 'v2' | 'v3';

const JSON_TYPE = 'application/json';
const TEXTS = [
  'An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!',
  'Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare.',
] as const;

interface ReviewsConfig {
  readonly ratingsEnabled: boolean;
  readonly starColor: string;
  readonly ratingsUrl: string;
  readonly timeoutMs: number;
  readonly podName: string;
  readonly clusterName: string;
}

export function reviewsConfig(version: ReviewsVersion, options: AppStartOptions): ReviewsConfig {
  const env = options.env;
  const ratingsEnabled = env.ENABLE_RATINGS !== undefined ? env.ENABLE_RATINGS.toLowerCase() === 'true' : version !== 'v1';
  const starColor = env.STAR_COLOR ?? (version === 'v3' ? 'red' : 'black');
  const domain = env.SERVICES_DOMAIN ? `.${env.SERVICES_DOMAIN}` : '';
  const host = env.RATINGS_HOSTNAME ?? 'ratings';
  const port = env.RATINGS_SERVICE_PORT ?? '9080';
  return {
    ratingsEnabled,
    starColor,
    ratingsUrl: `http://${host}${domain}:${port}/ratings`,
    // The original waits longer for black stars than for red ones (Istio's fault-injection task relies on it).
    timeoutMs: starColor === 'black' ? 10_000 : 2_500,
    podName: env.HOSTNAME || options.podName,
    clusterName: env.CLUSTER_NAME ?? 'null',
  };
}

async function fetchStars(client: OutboundClient, config: ReviewsConfig, id: number, req: AppRequest): Promise<[number, number]> {
  try {
    const res = await client.get(`${config.ratingsUrl}/${id}`, pickHeaders(req, REVIEWS_FORWARDED), config.timeoutMs);
    if (res.status !== 200) return [-1, -1];
    const ratings = (JSON.parse(res.body.toString('utf8')) as { ratings?: Record<string, unknown> }).ratings ?? {};
    const star = (v: unknown): number => (typeof v === 'number' && Number.isInteger(v) ? v : -1);
    return [star(ratings.Reviewer1), star(ratings.Reviewer2)];
  } catch {
    return [-1, -1];
  }
}

export function reviewsDocument(config: ReviewsConfig, id: number, stars: readonly [number, number] | undefined): Record<string, unknown> {
  const reviews = TEXTS.map((text, i) => {
    const review: Record<string, unknown> = { reviewer: `Reviewer${i + 1}`, text };
    if (stars) {
      review.rating = stars[i] !== -1 ? { stars: stars[i], color: config.starColor } : { error: 'Ratings service is currently unavailable' };
    }
    return review;
  });
  return { id: String(id), podname: config.podName, clustername: config.clusterName, reviews };
}

function startReviews(version: ReviewsVersion, options: AppStartOptions): Promise<RunningApp> {
  const config = reviewsConfig(version, options);
  const client = createOutboundClient(options.upstreamProxy);
  const handler = async (req: AppRequest, res: AppResponse): Promise<void> => {
    if (req.path === '/health') {
      res.send(200, { 'content-type': JSON_TYPE }, '{"status": "Reviews is healthy"}');
      return;
    }
    const m = /^\/reviews\/(-?\d{1,9})$/.exec(req.path);
    if (!m) {
      res.send(404, { 'content-type': 'text/plain' }, 'Not Found');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.send(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }, 'Method Not Allowed');
      return;
    }
    const id = Number(m[1]);
    const stars = config.ratingsEnabled ? await fetchStars(client, config, id, req) : undefined;
    res.send(200, { 'content-type': JSON_TYPE }, JSON.stringify(reviewsDocument(config, id, stars)));
  };
  const ports = options.ports.length > 0 ? options.ports : [BOOKINFO_PORT];
  return serveOwning({ host: options.host, ports, handler }, client);
}

export function createReviewsApp(repository: string, version: ReviewsVersion): AppSpec {
  return {
    kind: 'app',
    app: 'bookinfo-reviews',
    repository,
    defaultPorts: () => [BOOKINFO_PORT],
    start: (options) => startReviews(version, options),
  };
}
