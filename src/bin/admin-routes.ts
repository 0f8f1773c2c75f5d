/**
 * Envoy-style admin endpoints on the local API (DESIGN.md): `/config_dump`, `/clusters`,
 * `/listeners`, `/stats`, `/stats/prometheus`, `/server_info`, `/ready`. The data plane's built-in
 * `envoy-admin` cluster points at the API, so a CiliumEnvoyConfig that exposes them works as in Cilium.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { WEFT_VERSION } from '../lib/version.ts';
import { encodeSnapshot } from '../model/envoy-json/index.ts';
import {
  renderClusters,
  renderConfigDump,
  renderListeners,
  renderPrometheusEndpoint,
  renderReady,
  renderServerInfo,
  renderStatsEndpoint,
} from '../observe/admin/index.ts';
import type { AdminResponse, ConfigDumpResource, ServerState } from '../observe/admin/index.ts';
import type { RouteHandler } from '../server/api-server.ts';
import type { ServingDataPlane } from './serving-data-plane.ts';

export interface AdminContext {
  readonly dataPlane: ServingDataPlane;
  readonly startedAtMs: number;
  readonly configPath?: string;
  /** LIVE once the first snapshot serves; DRAINING while stopping. */
  state(): ServerState;
}

function send(res: ServerResponse, r: AdminResponse): void {
  res.writeHead(r.status, { 'content-type': r.contentType, 'content-length': Buffer.byteLength(r.body) });
  res.end(r.body);
}

function configDump(ctx: AdminContext, query: URLSearchParams): AdminResponse {
  const snapshot = ctx.dataPlane.snapshot;
  const at = ctx.dataPlane.appliedAtMs ?? ctx.startedAtMs;
  const encoded = snapshot ? encodeSnapshot(snapshot) : undefined;
  const list = (items: readonly { name: string; config: Record<string, unknown> }[] | undefined): ConfigDumpResource[] =>
    (items ?? []).map((i) => ({ name: i.name, config: i.config, lastUpdatedMs: at }));
  return renderConfigDump(
    {
      versionInfo: snapshot ? `${snapshot.version} ${snapshot.hash}` : '',
      clusters: list(encoded?.clusters),
      endpoints: list(encoded?.endpoints),
      listeners: list(encoded?.listeners),
      routeConfigs: list(encoded?.routeConfigs),
      secrets: list(encoded?.secrets),
    },
    query,
  );
}

export function adminRoutes(ctx: AdminContext): Map<string, RouteHandler> {
  const dp = ctx.dataPlane;
  const routes: [string, (q: URLSearchParams) => AdminResponse | Promise<AdminResponse>][] = [
    ['/config_dump', (q) => configDump(ctx, q)],
    ['/clusters', async (q) => renderClusters((await dp.views()).clusters, q)],
    ['/listeners', async (q) => renderListeners((await dp.views()).listeners, q)],
    ['/stats', async (q) => renderStatsEndpoint(await dp.stats(), q)],
    ['/stats/prometheus', async (q) => renderPrometheusEndpoint(await dp.stats(), q)],
    ['/ready', () => renderReady(ctx.state())],
    [
      '/server_info',
      () =>
        renderServerInfo({
          version: `weft/${WEFT_VERSION}/Clean/RELEASE/node-${process.versions.node}`,
          state: ctx.state(),
          uptimeCurrentEpochSeconds: (Date.now() - ctx.startedAtMs) / 1000,
          commandLineOptions: { concurrency: dp.workers, ...(ctx.configPath ? { configPath: ctx.configPath } : {}) },
        }),
    ],
  ];
  return new Map(
    routes.map(([path, render]): [string, RouteHandler] => [
      path,
      async (_req: IncomingMessage, res: ServerResponse, url: URL) => send(res, await render(url.searchParams)),
    ]),
  );
}
