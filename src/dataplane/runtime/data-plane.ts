/**
 * The data plane: `apply(snapshot)` compiles a Runtime (clusters, route tables, listeners with
 * their TLS contexts, HTTP connection managers and filter chains) and swaps it in; `stop()`
 * drains and closes. The rules (DESIGN.md, "the data plane's contract"):
 *
 * - A snapshot that fails to compile, or whose new listeners cannot bind, is rejected whole: the
 *   old runtime keeps serving and nothing it uses has changed.
 * - Clusters whose config hash is unchanged are kept (hosts, pools, connections); their endpoints
 *   change with the new assignment at the swap.
 * - Listeners whose config hash is unchanged keep their sockets, connections and HCMs; the routes
 *   they use are the new ones from the swap on. A changed listener on the same address is updated
 *   in place (the socket stays, new connections get the new chains, old connections drain); a
 *   removed one stops accepting and drains.
 * - Every stream keeps the route table and clusters it started with; retired clusters close once
 *   the listeners draining in front of them are done.
 */
import { randomUUID } from 'node:crypto';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import type { HttpConnectionManager, RouteConfiguration, Snapshot, SourceRef } from '../../model/index.ts';
import { SYSTEM_CLOCK, type Clock } from '../../observe/clock.ts';
import { weftChannel, WEFT_CHANNELS } from '../../observe/diagnostics-channels.ts';
import type { AccessLogSink } from '../../observe/access-log/index.ts';
import {
  createClusterManagerStats,
  createHttpConnManagerListenerStats,
  createListenerManagerStats,
  listenerStatPrefix,
  StatStore,
  type ClusterManagerStats,
  type ListenerManagerStats,
} from '../../observe/stats/index.ts';
import type { ClusterStatusView, ListenerStatusView } from '../../observe/admin/index.ts';
import type { RouteProvider, RouteSnapshot } from '../http/route-snapshot.ts';
import { createRandom, type Random } from '../lb/index.ts';
import { closeListener, drainListener } from '../listener/compiled-listener.ts';
import { ListenerSocket, type BoundAddress } from '../listener/listener-socket.ts';
import type { UpstreamProvider } from '../listener/tcp-proxy.ts';
import { ClusterManager } from '../upstream/cluster-manager.ts';
import { systemLookup, type LookupAll } from '../upstream/dns-resolver.ts';
import type { UpstreamCluster } from '../upstream/upstream-cluster.ts';
import { AccessLogSinks } from './access-logs.ts';
import { buildClusters, type AdminAddress, type PendingAssignment } from './build-clusters.ts';
import { buildListener, listenerHash, type BuiltListener, type ListenerBuildContext } from './build-listener.ts';
import { buildRouteSnapshot } from './build-routes.ts';
import { clusterViews, listenerViews } from './views.ts';
import { runtimeDiagnostic } from './runtime-diagnostic.ts';
import type { DataSourceReader } from './tls-material.ts';

export interface DataPlaneOptions {
  readonly stats?: StatStore;
  readonly clock?: Clock;
  readonly random?: Random;
  /** Makes x-request-id values. Default crypto.randomUUID. */
  readonly newRequestId?: () => string;
  /** The local API (admin endpoints): the built-in `envoy-admin` cluster points here. */
  readonly adminAddress?: AdminAddress;
  /**
   * Envoy's default access log (default format, to stdout) for an HCM or tcp_proxy that has no
   * access_log of its own. Default off; `weft up` decides.
   */
  readonly defaultAccessLog?: boolean;
  /** Destinations standing in for the process's stdout / stderr (tests). */
  readonly accessLogStdout?: AccessLogSink;
  readonly accessLogStderr?: AccessLogSink;
  /** DNS lookups for STRICT_DNS clusters. */
  readonly lookup?: LookupAll;
  /** How long a changed or removed listener's connections may drain. Default 10 s. */
  readonly listenerDrainTimeoutMs?: number;
  /** Bound on new clusters warming during apply (first DNS resolution, first health checks). Default 5 s. */
  readonly dnsTimeoutMs?: number;
  readonly readDataSource?: DataSourceReader;
  /** Share listening sockets with the other node:cluster workers (the workers mode). */
  readonly shareListenSockets?: boolean;
}

interface Runtime {
  readonly snapshot: Snapshot;
  readonly appliedAtMs: number;
  readonly clusters: ClusterManager;
  readonly listeners: ReadonlyMap<string, BuiltListener>;
}

const EMPTY_UPSTREAM = new ClusterManager(new Map());
const appliedChannel = weftChannel(WEFT_CHANNELS.runtimeSnapshotApplied);
const rejectedChannel = weftChannel(WEFT_CHANNELS.runtimeSnapshotRejected);

function addressKey(a: { address: string; portValue: number }): string {
  return `${a.address.toLowerCase()}|${a.portValue}`;
}

export class DataPlane {
  readonly stats: StatStore;
  readonly clock: Clock;
  readonly #options: DataPlaneOptions;
  readonly #random: Random;
  readonly #newRequestId: () => string;
  readonly #sinks: AccessLogSinks;
  readonly #clusterManagerStats: ClusterManagerStats;
  readonly #listenerManagerStats: ListenerManagerStats;
  readonly #sockets = new Map<string, ListenerSocket[]>();
  readonly #rds = new Map<string, RouteProvider>();
  readonly #upstream: UpstreamProvider = { current: EMPTY_UPSTREAM };
  readonly #draining = new Set<Promise<void>>();
  #runtime: Runtime | undefined = undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #warnings: readonly Diagnostic[] = [];
  #stopped = false;

  constructor(options: DataPlaneOptions = {}) {
    this.#options = options;
    this.stats = options.stats ?? new StatStore();
    this.clock = options.clock ?? SYSTEM_CLOCK;
    this.#random = options.random ?? createRandom();
    this.#newRequestId = options.newRequestId ?? randomUUID;
    this.#sinks = new AccessLogSinks(options.accessLogStdout, options.accessLogStderr);
    this.#clusterManagerStats = createClusterManagerStats(this.stats);
    this.#listenerManagerStats = createListenerManagerStats(this.stats);
  }

  /** The snapshot being served (for /config_dump), or undefined before the first apply. */
  get snapshot(): Snapshot | undefined {
    return this.#runtime?.snapshot;
  }

  /** Wall-clock ms when the current snapshot was swapped in. */
  get appliedAtMs(): number | undefined {
    return this.#runtime?.appliedAtMs;
  }

  /** Warnings of the last successful apply (features present in the snapshot but not run yet). */
  get warnings(): readonly Diagnostic[] {
    return this.#warnings;
  }

  /** Compiles `snapshot` and swaps it in; on failure nothing changes. Calls are serialised. */
  apply(snapshot: Snapshot): Promise<Result<void, Diagnostic[]>> {
    const run = this.#queue.then(() => this.#apply(snapshot));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  async #apply(snapshot: Snapshot): Promise<Result<void, Diagnostic[]>> {
    if (this.#stopped) return err([{ code: 'WEFT_STOPPED', severity: 'error', message: 'the data plane is stopped' }]);
    const r = await this.#build(snapshot);
    if (!r.ok) {
      if (rejectedChannel.hasSubscribers) rejectedChannel.publish({ version: snapshot.version, diagnostics: r.error });
      return r;
    }
    if (appliedChannel.hasSubscribers) appliedChannel.publish({ version: snapshot.version, hash: snapshot.hash });
    return ok(undefined);
  }

  async #build(snapshot: Snapshot): Promise<Result<void, Diagnostic[]>> {
    const prev = this.#runtime;
    const o = this.#options;
    const secrets = new Map(snapshot.secrets.map((s) => [s.name as string, s]));
    const clusters = buildClusters(
      snapshot,
      prev?.clusters,
      secrets,
      { stats: this.stats, clock: this.clock, random: this.#random, lookup: o.lookup ?? systemLookup },
      o.adminAddress,
      o.readDataSource,
    );
    if (!clusters.ok) return clusters;
    const cb = clusters.value;
    await this.#awaitWarming(cb.created);
    const problems: Diagnostic[] = [];
    const rdsSnapshots = new Map<string, RouteSnapshot>();
    for (const rc of snapshot.routeConfigurations) {
      const s = buildRouteSnapshot(rc, cb.manager, { kind: 'RouteConfiguration', name: rc.name, sources: rc.sources }, o.readDataSource);
      if (s.ok) rdsSnapshots.set(rc.name, s.value);
      else problems.push(...s.error);
    }
    const newProviders = new Map<string, RouteProvider>();
    const ctx: ListenerBuildContext = {
      secrets,
      stats: this.stats,
      clock: this.clock,
      random: this.#random,
      newRequestId: this.#newRequestId,
      sinks: this.#sinks,
      accessLogDefaults: { sink: o.defaultAccessLog ? this.#sinks.stdout() : undefined },
      upstream: this.#upstream,
      rdsProvider: (name) => {
        const have = this.#rds.get(name) ?? newProviders.get(name);
        if (have !== undefined) return have;
        const snap = rdsSnapshots.get(name);
        // buildSnapshot guarantees the name exists; a placeholder keeps types honest otherwise.
        const provider: RouteProvider = { current: snap ?? emptyRoutes(name, cb.manager) };
        if (snap === undefined) problems.push(runtimeDiagnostic({ kind: 'RouteConfiguration', name, sources: [] }, 'route configuration does not exist'));
        newProviders.set(name, provider);
        return provider;
      },
      inlineRoutes: (hcm, resource) => buildRouteSnapshot(inlineConfig(hcm), cb.manager, resource, o.readDataSource),
      ...(o.readDataSource ? { read: o.readDataSource } : {}),
    };
    const listeners = new Map<string, BuiltListener>();
    const created: BuiltListener[] = [];
    const inlineUpdates: { provider: RouteProvider; snapshot: RouteSnapshot }[] = [];
    const warnings: Diagnostic[] = [];
    for (const l of snapshot.listeners) {
      const hash = listenerHash(l, secrets);
      const old = prev?.listeners.get(l.name);
      if (old !== undefined && old.compiled.hash === hash) {
        listeners.set(l.name, old);
        warnings.push(...old.warnings);
        for (const m of old.managers) {
          if (m.source.kind !== 'inline') continue;
          const s = ctx.inlineRoutes(m.hcm, { kind: 'Listener', name: l.name, sources: l.sources });
          if (s.ok) inlineUpdates.push({ provider: m.source.provider, snapshot: s.value });
          else problems.push(...s.error);
        }
        continue;
      }
      const b = await buildListener(l, hash, ctx);
      if (!b.ok) {
        problems.push(...b.error);
        continue;
      }
      listeners.set(l.name, b.value);
      created.push(b.value);
      warnings.push(...b.value.warnings);
    }
    const rollback = (): void => {
      for (const b of created) closeListener(b.compiled);
      for (const c of cb.created) void c.destroy();
    };
    if (problems.length > 0) {
      rollback();
      this.#listenerManagerStats.listenerCreateFailure.inc();
      return err(problems);
    }
    const bound = await this.#bindNew(listeners, (name) => [...(snapshot.listeners.find((l) => l.name === name)?.sources ?? [])]);
    if (!bound.ok) {
      rollback();
      this.#listenerManagerStats.listenerCreateFailure.inc();
      return err(bound.error);
    }
    this.#commit(snapshot, prev, cb.manager, cb.pending, rdsSnapshots, newProviders, inlineUpdates, listeners, bound.value.fresh, bound.value.handedOver);
    this.#warnings = warnings;
    return ok(undefined);
  }

  async #awaitWarming(created: readonly UpstreamCluster[]): Promise<void> {
    const dns = created.filter((c) => c.needsWarming);
    if (dns.length === 0) return;
    const limit = this.#options.dnsTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(dns.map((c) => c.ready())), new Promise<void>((resolve) => (timer = setTimeout(resolve, limit)))]);
    clearTimeout(timer);
  }

  /**
   * Binds the addresses that no current socket serves; on any failure closes what it bound. An
   * address that another listener holds now and gives up in this snapshot (a Service port moving
   * from its L4 listener to a CiliumEnvoyConfig's listener) is handed over instead of bound, so it
   * never stops accepting: the returned `handedOver` sockets change listener in #commit.
   */
  async #bindNew(
    listeners: ReadonlyMap<string, BuiltListener>,
    sourcesOf: (name: string) => SourceRef[],
  ): Promise<Result<{ fresh: Map<string, ListenerSocket[]>; handedOver: Set<ListenerSocket> }, Diagnostic[]>> {
    const fresh = new Map<string, ListenerSocket[]>();
    const handedOver = new Set<ListenerSocket>();
    const all: ListenerSocket[] = [];
    const holders = new Map<string, { name: string; socket: ListenerSocket }>();
    for (const [name, sockets] of this.#sockets) {
      for (const socket of sockets) {
        holders.set(addressKey(socket.configured), { name, socket });
        // A socket configured with port 0 is found by the port it got, too.
        holders.set(addressKey({ address: socket.configured.address, portValue: socket.bound.port }), { name, socket });
      }
    }
    const stillWanted = (name: string, key: string): boolean => listeners.get(name)?.compiled.addresses.some((a) => addressKey(a) === key) === true;
    for (const [name, b] of listeners) {
      const have = this.#sockets.get(name) ?? [];
      if (have.length > 0 && have[0].listener === b.compiled) continue;
      const keep = new Set(have.map((s) => addressKey(s.configured)));
      const out: ListenerSocket[] = [];
      for (const a of b.compiled.addresses) {
        const key = addressKey(a);
        if (keep.has(key)) continue;
        const holder = holders.get(key);
        if (holder !== undefined && holder.name !== name && !stillWanted(holder.name, key) && !handedOver.has(holder.socket)) {
          handedOver.add(holder.socket);
          out.push(holder.socket);
          continue;
        }
        const r = await ListenerSocket.bind(a, b.compiled, this.stats, this.clock, this.#options.shareListenSockets === true);
        if (!r.ok) {
          await Promise.all(all.map((s) => s.close()));
          for (const s of all) s.release();
          return err([runtimeDiagnostic({ kind: 'Listener', name, sources: sourcesOf(name) }, r.error, DIAGNOSTIC_CODES.IO)]);
        }
        out.push(r.value);
        all.push(r.value);
      }
      fresh.set(name, out);
    }
    return ok({ fresh, handedOver });
  }

  #commit(
    snapshot: Snapshot,
    prev: Runtime | undefined,
    manager: ClusterManager,
    pending: readonly PendingAssignment[],
    rdsSnapshots: ReadonlyMap<string, RouteSnapshot>,
    newProviders: ReadonlyMap<string, RouteProvider>,
    inlineUpdates: readonly { provider: RouteProvider; snapshot: RouteSnapshot }[],
    listeners: ReadonlyMap<string, BuiltListener>,
    freshSockets: ReadonlyMap<string, ListenerSocket[]>,
    handedOver: ReadonlySet<ListenerSocket>,
  ): void {
    // Routes and clusters first: from here on, new streams resolve against the new runtime.
    this.#upstream.current = manager;
    for (const [name, snap] of rdsSnapshots) {
      const p = this.#rds.get(name) ?? newProviders.get(name);
      if (p === undefined) continue;
      p.current = snap;
      this.#rds.set(name, p);
    }
    for (const name of [...this.#rds.keys()]) if (!rdsSnapshots.has(name)) this.#rds.delete(name);
    for (const u of inlineUpdates) u.provider.current = u.snapshot;
    for (const p of pending) p.cluster.setLoadAssignment(p.assignment, p.hash);

    const lm = this.#listenerManagerStats;
    const drains: Promise<void>[] = [];
    const drainMs = this.#options.listenerDrainTimeoutMs ?? 10_000;
    for (const [name, b] of listeners) {
      const old = prev?.listeners.get(name);
      if (old === b) continue;
      const have = this.#sockets.get(name) ?? [];
      const wanted = new Set(b.compiled.addresses.map(addressKey));
      const kept: ListenerSocket[] = [];
      for (const s of have) {
        if (wanted.has(addressKey(s.configured))) {
          s.adopt(b.compiled);
          kept.push(s);
        } else if (!handedOver.has(s)) {
          void s.close().then(() => s.release());
        }
      }
      const received = freshSockets.get(name) ?? [];
      for (const s of received) if (handedOver.has(s)) s.adopt(b.compiled);
      const sockets = [...kept, ...received];
      this.#sockets.set(name, sockets);
      this.#bindManagerStats(b, sockets[0]);
      lm.listenerCreateSuccess.inc();
      if (old !== undefined) {
        lm.listenerModified.inc();
        if (kept.length > 0) lm.listenerInPlaceUpdated.inc();
        drains.push(drainListener(old.compiled, drainMs));
      } else {
        lm.listenerAdded.inc();
      }
    }
    for (const [name, old] of prev?.listeners ?? []) {
      if (listeners.has(name)) continue;
      for (const s of this.#sockets.get(name) ?? []) if (!handedOver.has(s)) void s.close().then(() => s.release());
      this.#sockets.delete(name);
      lm.listenerRemoved.inc();
      drains.push(drainListener(old.compiled, drainMs));
    }
    lm.totalListenersActive.set(listeners.size);

    const cms = this.#clusterManagerStats;
    const retired: UpstreamCluster[] = [];
    const now = new Set(manager.clusters());
    for (const c of prev?.clusters.clusters() ?? []) {
      if (now.has(c)) continue;
      retired.push(c);
      if (manager.has(c.name)) cms.clusterModified.inc();
      else cms.clusterRemoved.inc();
    }
    const before = new Set(prev?.clusters.clusters() ?? []);
    for (const c of now) if (!before.has(c) && !prev?.clusters.has(c.name)) cms.clusterAdded.inc();
    cms.activeClusters.set(now.size);

    this.#runtime = { snapshot, appliedAtMs: this.clock.nowMs(), clusters: manager, listeners };
    if (drains.length > 0 || retired.length > 0) {
      lm.totalListenersDraining.add(drains.length);
      const done = Promise.all(drains)
        .then(() => Promise.all(retired.map((c) => c.drain())))
        .then(() => {
          lm.totalListenersDraining.sub(drains.length);
        });
      this.#draining.add(done);
      void done.finally(() => this.#draining.delete(done));
    }
  }

  #bindManagerStats(b: BuiltListener, primary: ListenerSocket | undefined): void {
    const a = primary?.bound;
    const prefix = a ? listenerStatPrefix(a.address, a.port) : `${b.compiled.name}`;
    for (const m of b.managers) m.cm.bindListenerStats(createHttpConnManagerListenerStats(this.stats, prefix, m.hcm.statPrefix));
  }

  /** The addresses each listener is bound to (port 0 resolved to the real port). */
  boundAddresses(): ReadonlyMap<string, readonly BoundAddress[]> {
    const out = new Map<string, BoundAddress[]>();
    for (const [name, sockets] of this.#sockets) out.set(name, sockets.map((s) => s.bound));
    return out;
  }

  /** The first bound address of a listener. */
  boundAddress(listenerName: string): BoundAddress | undefined {
    return this.#sockets.get(listenerName)?.[0]?.bound;
  }

  /** /clusters. */
  clustersView(): ClusterStatusView[] {
    return this.#runtime ? clusterViews(this.#runtime.clusters) : [];
  }

  /** /listeners. */
  listenersView(): ListenerStatusView[] {
    return this.#runtime ? listenerViews(this.#runtime.snapshot, this.#sockets) : [];
  }

  /** The clusters of the serving runtime (tests, the resilience issue's health checks). */
  cluster(name: string): UpstreamCluster | undefined {
    return this.#runtime?.clusters.cluster(name);
  }

  /** Reopens access log files (logrotate; wire to SIGUSR1 with observe's reopenOnSignal). */
  async reopenAccessLogs(): Promise<void> {
    await Promise.all([...this.#sinks.fileSinks()].map((s) => s.reopen()));
  }

  /** Writes buffered access log lines out. */
  flushAccessLogs(): Promise<void> {
    return this.#sinks.flush();
  }

  /**
   * Stops accepting on every listener, lets in-flight requests finish for up to `drainTimeoutMs`
   * (kept-alive connections are told to close), then closes connections and pools.
   */
  async stop(options: { readonly drainTimeoutMs?: number } = {}): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    await this.#queue;
    const timeout = options.drainTimeoutMs ?? 5000;
    const sockets = [...this.#sockets.values()].flat();
    this.#sockets.clear();
    await Promise.all(sockets.map((s) => s.close()));
    const rt = this.#runtime;
    if (rt !== undefined) await Promise.all([...rt.listeners.values()].map((b) => drainListener(b.compiled, timeout, true)));
    for (const s of sockets) s.release();
    await Promise.all([...this.#draining]);
    if (rt !== undefined) await Promise.all(rt.clusters.clusters().map((c) => c.destroy()));
    await this.#sinks.close();
  }
}

function inlineConfig(hcm: HttpConnectionManager): RouteConfiguration {
  const rs = hcm.routeSpecifier;
  if (rs.kind !== 'routeConfig') throw new Error('inlineConfig called for an RDS connection manager');
  return rs.routeConfig;
}

function emptyRoutes(name: string, upstream: ClusterManager): RouteSnapshot {
  const built = buildRouteSnapshot(
    { name: name as RouteConfiguration['name'], virtualHosts: [], internalOnlyHeaders: [], requestHeadersToAdd: [], requestHeadersToRemove: [], responseHeadersToAdd: [], responseHeadersToRemove: [], typedPerFilterConfig: {}, sources: [] },
    upstream,
    { kind: 'RouteConfiguration', name, sources: [] },
  );
  if (!built.ok) throw new Error('an empty route configuration always compiles');
  return built.value;
}
