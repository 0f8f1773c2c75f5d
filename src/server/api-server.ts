/**
 * The local API (DESIGN.md "The local API and the CLI"): the Kubernetes API server's REST layout over
 * the store, a batch apply endpoint with server-side validation, and mount points for the admin
 * endpoints the data plane serves. Reads are open on loopback; writes need the bearer token.
 */
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { joinApiVersion, splitApiVersion } from '../api/object.ts';
import type { KubeObject } from '../api/object.ts';
import { hasErrors } from '../lib/diagnostic.ts';
import { loadManifests, preloadManifestSchemas, preloadSchemas, validateObject } from '../manifest/index.ts';
import type { ManifestFile, SourcedObject } from '../manifest/index.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { StoreError } from '../store/index.ts';
import type { Store, WatchEvent } from '../store/index.ts';
import { discoveryResponse } from './discovery.ts';
import { BodyError, isLoopback, readJsonBody, sendJson, sendStatus } from './http-util.ts';
import { parseResourcePath } from './paths.ts';
import type { ResourcePath } from './paths.ts';
import { APPLY_PATH } from './endpoints.ts';
import { failure, invalid } from './status.ts';
import type { StatusReason } from './status.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

export interface ApiServerOptions {
  store: Store;
  token: string;
  version: string;
  /** Extra GET endpoints by exact path (admin endpoints, status, UI). Open to loopback reads. */
  routes?: ReadonlyMap<string, RouteHandler>;
  /** Allow reads from non-loopback peers without the token (never by default). */
  openReads?: boolean;
  /**
   * Checks beyond schema and metadata that a write must pass (a CiliumEnvoyConfig's Envoy
   * resources); errors refuse the write with 422, warnings travel with the apply result.
   */
  checkObjects?: (objects: readonly SourcedObject[]) => Diagnostic[];
}

export interface ApplyRequest {
  files: ManifestFile[];
  dryRun?: boolean;
  namespace?: string;
}


export class ApiServer {
  readonly #opts: ApiServerOptions;
  readonly #server: Server;
  readonly #token: Buffer;
  readonly #watchers = new Set<ServerResponse>();

  constructor(opts: ApiServerOptions) {
    this.#opts = opts;
    this.#token = Buffer.from(opts.token);
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((e: unknown) => {
        if (e instanceof BodyError) return sendStatus(res, e.status);
        if (!res.headersSent) sendStatus(res, failure('InternalError', (e as Error).message));
        else res.destroy();
      });
    });
    this.#server.keepAliveTimeout = 5_000;
  }

  /** Listens; resolves with the bound address (port 0 picks a free one). */
  listen(host: string, port: number): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  async close(): Promise<void> {
    for (const w of this.#watchers) w.end();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
    });
  }

  #authorized(req: IncomingMessage): boolean {
    const h = req.headers.authorization;
    if (!h || !h.startsWith('Bearer ')) return false;
    const given = Buffer.from(h.slice(7).trim());
    return given.length === this.#token.length && timingSafeEqual(given, this.#token);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const read = method === 'GET' || method === 'HEAD';
    if (!this.#authorized(req)) {
      const loopbackRead = read && (this.#opts.openReads || isLoopback(req.socket.remoteAddress));
      if (!loopbackRead) {
        return sendStatus(res, failure('Unauthorized', 'writes need the bearer token from the state directory (DIR/token)'));
      }
    }
    const extra = this.#opts.routes?.get(url.pathname);
    if (extra && read) return extra(req, res, url);
    if (url.pathname === APPLY_PATH) {
      if (method !== 'POST') return sendStatus(res, failure('MethodNotAllowed', `${method} not allowed on ${APPLY_PATH}`));
      return this.#apply(req, res);
    }
    const disc = discoveryResponse(url.pathname);
    if (disc !== undefined && read) return sendJson(res, 200, disc);
    const parsed = parseResourcePath(url.pathname);
    if (parsed.kind === 'not-resource') return sendStatus(res, failure('NotFound', `no endpoint ${url.pathname}`));
    if (parsed.kind === 'not-found') return sendStatus(res, failure('NotFound', parsed.message));
    const p = parsed.path;
    try {
      switch (method) {
        case 'GET':
          if (p.name === undefined) {
            const watch = url.searchParams.get('watch');
            if (watch === 'true' || watch === '1') return this.#watch(req, res, p, url);
            return this.#list(res, p, url);
          }
          return this.#get(res, p);
        case 'POST':
          if (p.name !== undefined) return sendStatus(res, failure('MethodNotAllowed', 'POST to a named resource'));
          return await this.#create(req, res, p, url);
        case 'PUT':
          if (p.name === undefined) return sendStatus(res, failure('MethodNotAllowed', 'PUT needs a name'));
          return await this.#update(req, res, p, url);
        case 'PATCH':
          if (p.name === undefined) return sendStatus(res, failure('MethodNotAllowed', 'PATCH needs a name'));
          return await this.#patch(req, res, p, url);
        case 'DELETE':
          if (p.name === undefined) return sendStatus(res, failure('MethodNotAllowed', 'DELETE of a collection'));
          return await this.#delete(res, p, url);
        default:
          return sendStatus(res, failure('MethodNotAllowed', `${method} is not supported`));
      }
    } catch (e) {
      if (e instanceof StoreError) return sendStatus(res, storeFailure(e, p));
      throw e;
    }
  }

  #get(res: ServerResponse, p: ResourcePath): void {
    const o = this.#opts.store.get(p.info.group, p.info.kind, p.namespace, p.name as string);
    if (!o) return sendStatus(res, notFound(p));
    sendJson(res, 200, o);
  }

  #list(res: ServerResponse, p: ResourcePath, url: URL): void {
    const store = this.#opts.store;
    let items: KubeObject[];
    try {
      items = store.list(p.info.group, p.info.kind, {
        namespace: p.namespace,
        labelSelector: url.searchParams.get('labelSelector') ?? undefined,
      });
    } catch (e) {
      return sendStatus(res, failure('BadRequest', (e as Error).message));
    }
    const field = fieldSelector(url.searchParams.get('fieldSelector'));
    if (field) items = items.filter(field);
    sendJson(res, 200, {
      kind: `${p.info.kind}List`,
      apiVersion: joinApiVersion(p.info.group, p.version),
      metadata: { resourceVersion: store.resourceVersion },
      items,
    });
  }

  #watch(req: IncomingMessage, res: ServerResponse, p: ResourcePath, url: URL): void {
    const store = this.#opts.store;
    const since = url.searchParams.get('resourceVersion') ?? undefined;
    const labelSelector = url.searchParams.get('labelSelector') ?? undefined;
    const field = fieldSelector(url.searchParams.get('fieldSelector'));
    const filter = { group: p.info.group, kind: p.info.kind, namespace: p.namespace, labelSelector };
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    const send = (ev: WatchEvent | { type: 'ERROR'; object: unknown }) => {
      if (ev.type !== 'ERROR' && field && !field(ev.object)) return;
      res.write(`${JSON.stringify(ev)}\n`);
    };
    let unsubscribe: () => void;
    try {
      if (since === undefined || since === '0' || since === '') {
        // "Get state and start at most recent": synthetic ADDED events for what exists now. Listing
        // and subscribing happen in one tick, so no write can fall between them.
        for (const o of store.list(p.info.group, p.info.kind, { namespace: p.namespace, labelSelector })) {
          send({ type: 'ADDED', object: o });
        }
        unsubscribe = store.watch(send, filter);
      } else {
        unsubscribe = store.watch(send, { ...filter, sinceResourceVersion: since });
      }
    } catch (e) {
      const reason: StatusReason = e instanceof StoreError && e.reason === 'Conflict' ? 'Gone' : 'BadRequest';
      send({ type: 'ERROR', object: failure(reason, (e as Error).message) });
      res.end();
      return;
    }
    this.#watchers.add(res);
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '0');
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined;
    const stop = () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
      this.#watchers.delete(res);
    };
    req.on('close', stop);
    res.on('close', stop);
  }

  /** Checks a request body against the URL (kind, namespace, name) and the schema. */
  #checkBody(body: unknown, p: ResourcePath): { object: KubeObject } | { error: ReturnType<typeof failure> } {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      return { error: failure('BadRequest', 'request body must be a JSON object') };
    }
    const o = body as KubeObject;
    const { group } = splitApiVersion(String(o.apiVersion ?? ''));
    if (o.kind !== p.info.kind || group !== p.info.group) {
      return {
        error: failure('BadRequest', `body is ${o.apiVersion} ${o.kind}, the URL addresses ${p.info.plural}.${p.info.group || 'core'}`),
      };
    }
    const meta = (o.metadata ?? {}) as KubeObject['metadata'];
    if (p.info.namespaced) {
      if (meta.namespace !== undefined && p.namespace !== undefined && meta.namespace !== p.namespace) {
        return { error: failure('BadRequest', `the namespace of the object (${meta.namespace}) does not match the namespace on the request (${p.namespace})`) };
      }
      meta.namespace = meta.namespace ?? p.namespace ?? 'default';
    }
    if (p.name !== undefined && meta.name !== undefined && meta.name !== p.name) {
      return { error: failure('BadRequest', `the name of the object (${meta.name}) does not match the name on the URL (${p.name})`) };
    }
    if (p.name !== undefined && meta.name === undefined) meta.name = p.name;
    o.metadata = meta;
    const diagnostics = validateObject({ object: o });
    if (!hasErrors(diagnostics) && this.#opts.checkObjects) diagnostics.push(...this.#opts.checkObjects([{ object: o as KubeObject }]));
    if (hasErrors(diagnostics)) return { error: invalid(o.kind, String(meta.name ?? ''), diagnostics) };
    return { object: o };
  }

  async #create(req: IncomingMessage, res: ServerResponse, p: ResourcePath, url: URL): Promise<void> {
    const body = await readJsonBody(req);
    await preloadSchemas([body]);
    const checked = this.#checkBody(body, p);
    if ('error' in checked) return sendStatus(res, checked.error);
    let created: KubeObject;
    try {
      created = await this.#opts.store.create(checked.object, { dryRun: isDryRun(url) });
    } catch (e) {
      // A POST names the object in its body, not its URL: say which one exists already.
      if (e instanceof StoreError) return sendStatus(res, storeFailure(e, { ...p, name: checked.object.metadata.name }));
      throw e;
    }
    sendJson(res, 201, created);
  }

  async #update(req: IncomingMessage, res: ServerResponse, p: ResourcePath, url: URL): Promise<void> {
    const body = await readJsonBody(req);
    const store = this.#opts.store;
    if (p.subresource === 'status') {
      const status = (body as KubeObject | null)?.status;
      const updated = await store.updateStatus(p.info.group, p.info.kind, p.namespace, p.name as string, status);
      return sendJson(res, 200, updated);
    }
    await preloadSchemas([body]);
    const checked = this.#checkBody(body, p);
    if ('error' in checked) return sendStatus(res, checked.error);
    const exists = store.get(p.info.group, p.info.kind, p.namespace, p.name as string);
    const dryRun = isDryRun(url);
    if (!exists) return sendJson(res, 201, await store.create(checked.object, { dryRun }));
    sendJson(res, 200, await store.update(checked.object, { dryRun }));
  }

  /** JSON merge patch (RFC 7386), the kind `kubectl patch --type=merge` and `kubectl label` send. */
  async #patch(req: IncomingMessage, res: ServerResponse, p: ResourcePath, url: URL): Promise<void> {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
    if (type !== 'application/merge-patch+json') {
      return sendStatus(res, failure('UnsupportedMediaType', `PATCH supports application/merge-patch+json, not "${type || 'none'}"`));
    }
    const patch = await readJsonBody(req);
    const store = this.#opts.store;
    const current = store.get(p.info.group, p.info.kind, p.namespace, p.name as string);
    if (!current) return sendStatus(res, notFound(p));
    const merged = mergePatch(structuredClone(current), patch) as KubeObject;
    if (p.subresource === 'status') {
      const updated = await store.updateStatus(p.info.group, p.info.kind, p.namespace, p.name as string, merged.status);
      return sendJson(res, 200, updated);
    }
    await preloadSchemas([merged]);
    const checked = this.#checkBody(merged, p);
    if ('error' in checked) return sendStatus(res, checked.error);
    sendJson(res, 200, await store.update(checked.object, { dryRun: isDryRun(url) }));
  }

  async #delete(res: ServerResponse, p: ResourcePath, url: URL): Promise<void> {
    const deleted = await this.#opts.store.delete(p.info.group, p.info.kind, p.namespace, p.name as string, {
      dryRun: isDryRun(url),
    });
    sendJson(res, 200, deleted);
  }

  async #apply(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = (await readJsonBody(req)) as Partial<ApplyRequest> | null;
    const files = body?.files;
    if (!Array.isArray(files) || files.some((f) => typeof f?.name !== 'string' || typeof f?.content !== 'string')) {
      return sendStatus(res, failure('BadRequest', 'apply needs {"files": [{"name": string, "content": string}]}'));
    }
    await preloadManifestSchemas(files);
    const { objects, diagnostics } = loadManifests(files, { defaultNamespace: body?.namespace });
    if (!hasErrors(diagnostics) && this.#opts.checkObjects) diagnostics.push(...this.#opts.checkObjects(objects));
    if (hasErrors(diagnostics)) {
      return sendJson(res, 422, { kind: 'ApplyResult', apiVersion: 'weft.dev/v1', items: [], diagnostics });
    }
    let outcomes: Awaited<ReturnType<Store['apply']>>;
    try {
      outcomes = await this.#opts.store.apply(
        objects.map((o) => o.object),
        { dryRun: body?.dryRun === true },
      );
    } catch (e) {
      // Admission (e.g. a taken clusterIP) or a stale resourceVersion refuses the whole batch.
      if (!(e instanceof StoreError)) throw e;
      const reason = e.reason === 'Invalid' ? 'Invalid' : e.reason === 'Conflict' ? 'Conflict' : 'BadRequest';
      return sendStatus(res, failure(reason, e.message));
    }
    const items = outcomes.map((o) => ({
      apiVersion: o.object.apiVersion,
      kind: o.object.kind,
      namespace: o.object.metadata.namespace,
      name: o.object.metadata.name,
      action: o.action,
    }));
    sendJson(res, 200, { kind: 'ApplyResult', apiVersion: 'weft.dev/v1', items, diagnostics });
  }
}

/** RFC 7386: objects merge key by key, null deletes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> =
    target !== null && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function isDryRun(url: URL): boolean {
  return url.searchParams.getAll('dryRun').includes('All');
}

function notFound(p: ResourcePath) {
  return failure('NotFound', `${p.info.plural}${p.info.group ? `.${p.info.group}` : ''} "${p.name}" not found`, {
    name: p.name,
    kind: p.info.plural,
    group: p.info.group,
  });
}

function storeFailure(e: StoreError, p: ResourcePath) {
  const kind = `${p.info.plural}${p.info.group ? `.${p.info.group}` : ''}`;
  switch (e.reason) {
    case 'NotFound':
      return notFound(p);
    case 'AlreadyExists':
      return failure('AlreadyExists', `${kind} "${p.name ?? ''}" already exists`, { name: p.name, kind: p.info.plural });
    case 'Conflict':
      return failure('Conflict', e.message);
    case 'Invalid':
      return failure('Invalid', e.message);
    case 'Locked':
      return failure('InternalError', e.message);
  }
}

/** Supports the field selectors kubectl uses most: metadata.name and metadata.namespace (=, ==, !=). */
function fieldSelector(sel: string | null): ((o: KubeObject) => boolean) | undefined {
  if (!sel) return undefined;
  const tests = sel.split(',').map((term) => {
    const m = /^\s*(metadata\.name|metadata\.namespace)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw new BodyError('bad selector', failure('BadRequest', `unsupported field selector "${term}"`));
    const [, field, op, value] = m;
    const get = (o: KubeObject) => (field === 'metadata.name' ? o.metadata.name : o.metadata.namespace);
    return op === '!=' ? (o: KubeObject) => get(o) !== value : (o: KubeObject) => get(o) === value;
  });
  return (o) => tests.every((t) => t(o));
}
