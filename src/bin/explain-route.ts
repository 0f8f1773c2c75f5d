/**
 * The local API's explain endpoints: what a stored object turned into (EXPLAIN_PATH), and what a
 * request will do (EXPLAIN_REQUEST_PATH): the caller and the host name resolved here as the
 * outbound proxy resolves them (resolveHost), then traced through the snapshot the data plane
 * serves with what the running data plane knows of its hosts (dataplane/explain).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIPv4 } from 'node:net';
import { resolveKind } from '../api/kinds.ts';
import type { KubeObject } from '../api/object.ts';
import type { EnvoyConfigStatusWriter } from '../controlplane/index.ts';
import { ENVOY_CONFIG_KINDS } from '../controlplane/index.ts';
import { explainRequest } from '../dataplane/explain/index.ts';
import type { Resolution, RuntimeView, TraceCaller, TraceRequestInput } from '../dataplane/explain/index.ts';
import { labelSelectorFromObject, matchesLabels } from '../lib/label-selector.ts';
import { err, ok, type Result } from '../lib/result.ts';
import { sendJson, sendStatus } from '../server/http-util.ts';
import { failure, type StatusBody } from '../server/status.ts';
import type { Store } from '../store/index.ts';
import { resolveHost } from './outbound-proxy.ts';
import type { ServingDataPlane } from './serving-data-plane.ts';

export { EXPLAIN_PATH, EXPLAIN_REQUEST_PATH } from '../server/endpoints.ts';

/** Where the outbound proxy's connections come from (an unbound socket to a loopback address). */
const PROXY_SOURCE_ADDRESS = '127.0.0.1';

export function explainRoute(deps: { store: Store; statusWriter: EnvoyConfigStatusWriter }) {
  return (_req: IncomingMessage, res: ServerResponse, url: URL): void => {
    const kindName = url.searchParams.get('kind') ?? '';
    const name = url.searchParams.get('name') ?? '';
    const info = resolveKind(kindName);
    if (info === undefined || !ENVOY_CONFIG_KINDS.has(info.kind)) {
      return sendStatus(res, failure('BadRequest', `weft explain knows ciliumenvoyconfigs (cec) and ciliumclusterwideenvoyconfigs (ccec), not "${kindName}"`));
    }
    const namespace = info.namespaced ? url.searchParams.get('namespace') || 'default' : undefined;
    const object = deps.store.get(info.group, info.kind, namespace, name);
    if (object === undefined) {
      return sendStatus(res, failure('NotFound', `${info.plural}.${info.group} "${name}" not found${namespace ? ` in namespace "${namespace}"` : ''}`));
    }
    sendJson(res, 200, deps.statusWriter.explain(object));
  };
}

/** curl's `-H 'Name: value'`; `Name;` sends the header empty. */
function parseHeader(text: string): [string, string] | undefined {
  const colon = text.indexOf(':');
  if (colon <= 0) return text.endsWith(';') && text.length > 1 ? [text.slice(0, -1).trim(), ''] : undefined;
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

/** The request as curl would send it: a URL without a scheme is http. */
export function parseTraceRequest(raw: string, method: string, headerTexts: readonly string[]): Result<{ request: TraceRequestInput; hostname: string; port: number }, string> {
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    return err(`"${raw}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(`${url.protocol}// URLs are not traced (http:// and https:// are)`);
  const headers: [string, string][] = [];
  for (const h of headerTexts) {
    const parsed = parseHeader(h);
    if (parsed === undefined) return err(`header "${h}" is not "Name: value"`);
    headers.push(parsed);
  }
  const scheme = url.protocol === 'https:' ? 'https' : 'http';
  const port = url.port === '' ? (scheme === 'https' ? 443 : 80) : Number(url.port);
  return ok({
    request: { method: (method || 'GET').toUpperCase(), scheme, authority: url.host, target: `${url.pathname}${url.search}`, headers },
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port,
  });
}

/** `--from`: a Pod by name, or `deploy/NAME` (its first Running Pod, as `weft exec` picks it). */
function findCaller(store: Store, from: string | null, namespace: string): Result<TraceCaller, StatusBody> {
  if (from === null || from === '') return ok({ kind: 'host', namespace, name: 'host', sourceAddress: PROXY_SOURCE_ADDRESS });
  const m = /^(deploy|deployment|deployments|deployment\.apps)\/(.+)$/.exec(from);
  let pod: KubeObject | undefined;
  if (m) {
    const dep = store.get('apps', 'Deployment', namespace, m[2]);
    if (dep === undefined) return err(failure('NotFound', `deployments.apps "${m[2]}" not found in namespace "${namespace}"`));
    const sel = labelSelectorFromObject((dep as { spec?: { selector?: Parameters<typeof labelSelectorFromObject>[0] } }).spec?.selector);
    if (!sel.ok) return err(failure('BadRequest', `deployment ${m[2]}: ${sel.error}`));
    pod = store
      .list('', 'Pod', { namespace })
      .filter((p) => matchesLabels(sel.value, p.metadata.labels) && (p as { status?: { phase?: string } }).status?.phase === 'Running')
      .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))[0];
    if (pod === undefined) return err(failure('NotFound', `deployment ${m[2]} has no running Pod`));
  } else {
    const name = from.replace(/^(po|pod|pods)\//, '');
    pod = store.get('', 'Pod', namespace, name);
    if (pod === undefined) return err(failure('NotFound', `pods "${name}" not found in namespace "${namespace}"`));
  }
  return ok({ kind: 'pod', namespace: pod.metadata.namespace ?? namespace, name: pod.metadata.name, sourceAddress: PROXY_SOURCE_ADDRESS });
}

function clusterIPOf(o: KubeObject): string | undefined {
  return (o as { spec?: { clusterIP?: string } }).spec?.clusterIP;
}

/** The outbound proxy's resolution, then what answers at that address. */
function resolve(store: Store, hostname: string, port: number, caller: TraceCaller): Result<Resolution, StatusBody> {
  const target = resolveHost(store, hostname, caller);
  if (target === undefined || !isIPv4(target)) {
    return err(failure('NotFound', `no Service, ClusterIP or Pod answers to ${hostname} (caller namespace ${caller.namespace})`));
  }
  const literal = isIPv4(hostname);
  const svc = store.list('', 'Service').find((s) => clusterIPOf(s) === target);
  if (svc !== undefined) {
    const where = { namespace: svc.metadata.namespace ?? 'default', service: svc.metadata.name, address: target, port };
    return ok(literal ? { kind: 'clusterIP', host: hostname, ...where } : { kind: 'service', host: hostname, ...where });
  }
  const pod = store.list('', 'Pod').find((p) => (p as { status?: { podIP?: string } }).status?.podIP === target);
  if (pod !== undefined) return ok({ kind: 'pod', host: hostname, namespace: pod.metadata.namespace ?? 'default', pod: pod.metadata.name, address: target, port });
  return ok({ kind: 'address', host: hostname, address: target, port });
}

/** Host health from the data plane that serves here; with workers, each has its own: unknown. */
async function runtimeView(dp: ServingDataPlane | undefined): Promise<RuntimeView> {
  if (dp === undefined) return { healthUnknownReason: 'the data plane is starting' };
  const views = await dp.views();
  if (dp.workers <= 1) return { clusters: views.clusters, listeners: views.listeners };
  return { listeners: views.listeners, healthUnknownReason: `the data plane runs in ${dp.workers} worker processes, each with its own health checks and outlier detection` };
}

export function explainRequestRoute(deps: { store: Store; dataPlane: () => ServingDataPlane | undefined }) {
  return async (_req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const q = url.searchParams;
    const parsed = parseTraceRequest(q.get('url') ?? '', q.get('method') ?? 'GET', q.getAll('header'));
    if (!parsed.ok) return sendStatus(res, failure('BadRequest', parsed.error));
    const caller = findCaller(deps.store, q.get('from'), q.get('namespace') || 'default');
    if (!caller.ok) return sendStatus(res, caller.error);
    const resolution = resolve(deps.store, parsed.value.hostname, parsed.value.port, caller.value);
    if (!resolution.ok) return sendStatus(res, resolution.error);
    const dp = deps.dataPlane();
    const runtime = await runtimeView(dp);
    sendJson(res, 200, explainRequest(dp?.snapshot, { request: parsed.value.request, caller: caller.value, resolution: resolution.value, runtime }));
  };
}
