/**
 * Composition root of standalone mode (`weft up`, DESIGN.md "Standalone mode"): one process holding
 * the store, the local API, the manifest watcher and, as later pieces land, the controllers and the
 * data plane. This is the only place where they are wired together.
 */
import { randomBytes } from 'node:crypto';
import { watch } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KubeObject } from '../api/object.ts';
import { formatDiagnostic, hasErrors, sortDiagnostics } from '../lib/diagnostic.ts';
import type { Diagnostic } from '../lib/diagnostic.ts';
import { ensureDir, writeFileAtomic } from '../lib/atomic-file.ts';
import { WEFT_VERSION } from '../lib/version.ts';
import { loadManifests, readManifestFiles } from '../manifest/index.ts';
import { ApiServer } from '../server/api-server.ts';
import type { RouteHandler } from '../server/api-server.ts';
import { sendJson, sendText } from '../server/http-util.ts';
import { Store, StoreError } from '../store/index.ts';
import { createStandaloneControllers } from '../controllers/index.ts';
import type { ControllerManager } from '../controllers/index.ts';
import { checkEnvoyConfigs, DEFAULT_NODE, EnvoyConfigStatusWriter, nodeLabelsOf, Reconciler, standaloneIngest } from '../controlplane/index.ts';
import type { NodeSettings } from '../controlplane/index.ts';
import type { SourcedObject } from '../manifest/index.ts';
import { explainRequestRoute, explainRoute, EXPLAIN_PATH, EXPLAIN_REQUEST_PATH } from './explain-route.ts';
import { AppPodRuntime } from './app-pod-runtime.ts';
import { DEFAULT_PROXY_ADDRESS, OutboundProxy, proxyUrlFor } from './outbound-proxy.ts';
import { adminRoutes } from './admin-routes.ts';
import { startServingDataPlane } from './serving-data-plane.ts';
import type { ServingDataPlane } from './serving-data-plane.ts';
import { CONFIG_PATH, STATUS_PATH } from '../server/endpoints.ts';
import type { ComponentStatus, StatusReport } from '../server/endpoints.ts';

export interface StandaloneOptions {
  readonly stateDir: string;
  readonly apiHost: string;
  readonly apiPort: number;
  /** Manifest paths applied at start and re-applied when they change. */
  readonly files: readonly string[];
  readonly watch?: boolean;
  /** An Envoy v3 bootstrap (static_resources) served by the data plane, watched like `-f`. */
  readonly bootstrap?: string;
  /** Envoy's default access log to stdout for HCMs without one of their own. Default true. */
  readonly accessLog?: boolean;
  /** Data plane worker processes sharing the listening sockets (1 = in this process). Default 1. */
  readonly workers?: number;
  /** The outbound proxy's address (default 127.0.0.1:15001; port 0 picks a free one). */
  readonly proxy?: { readonly host: string; readonly port: number };
  /** Service CIDR for ClusterIPs (default 127.96.0.0/16). */
  readonly serviceCidr?: string;
  /** Pod CIDR for Pod IPs (default 127.244.0.0/16). */
  readonly podCidr?: string;
  /** This node's address (NodePorts, wildcard Envoy listeners); default 127.0.0.1. */
  readonly nodeAddress?: string;
  /** Labels added to the node's defaults (`kubernetes.io/hostname`, `kubernetes.io/os`). */
  readonly nodeLabels?: Readonly<Record<string, string>>;
  /** Where weft's own log lines go (stderr by default); the ready line goes to `ready`. */
  readonly log?: (line: string) => void;
}

export interface Standalone {
  readonly apiUrl: string;
  readonly stateDir: string;
  readonly store: Store;
  readonly dataPlane: ServingDataPlane;
  readonly controllers: ControllerManager;
  readonly reconciler: Reconciler;
  /** Re-reads and applies the `-f` paths now; resolves true when they were valid. */
  reapply(): Promise<boolean>;
  stop(): Promise<void>;
}

/** The classes `weft up` serves by default: weft's own, and Cilium's so tutorials run unchanged. */
export const DEFAULT_OBJECTS: readonly KubeObject[] = [
  gatewayClass('weft', 'weft.dev/gateway-controller'),
  gatewayClass('cilium', 'io.cilium/gateway-controller'),
  ingressClass('weft', 'weft.dev/ingress-controller'),
  ingressClass('cilium', 'cilium.io/ingress-controller'),
];

function gatewayClass(name: string, controllerName: string): KubeObject {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'GatewayClass',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'weft' } },
    spec: { controllerName, description: `served by weft${name === 'weft' ? '' : ` (compatible with ${name})`}` },
  };
}

function ingressClass(name: string, controller: string): KubeObject {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: { name, labels: { 'app.kubernetes.io/managed-by': 'weft' } },
    spec: { controller },
  };
}

async function loadOrCreateToken(dir: string): Promise<string> {
  const path = join(dir, 'token');
  try {
    const existing = (await readFile(path, 'utf8')).trim();
    if (/^[0-9a-f]{64}$/.test(existing)) return existing;
  } catch {
    // No token yet: make one below.
  }
  const token = randomBytes(32).toString('hex');
  await writeFileAtomic(path, `${token}\n`, { mode: 0o600 });
  return token;
}

/** A setting of `weft up` that cannot work (the details were logged as Diagnostics). */
export class StandaloneConfigError extends Error {}

/** The `-f` manifests given at start are invalid (the Diagnostics were logged): nothing to be ready with. */
export class StandaloneManifestError extends Error {}

export async function startStandalone(opts: StandaloneOptions): Promise<Standalone> {
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const stateDir = resolve(opts.stateDir);
  await ensureDir(stateDir, 0o700);
  let storeRef: Store | undefined;
  let proxyAddress: { host: string; port: number } | undefined;
  const runtime = new AppPodRuntime({
    store: () => storeRef,
    upstreamProxy: (pod) => (proxyAddress === undefined ? undefined : proxyUrlFor(proxyAddress, pod.metadata.namespace ?? 'default', pod.metadata.name)),
  });
  const node: NodeSettings = { address: opts.nodeAddress ?? DEFAULT_NODE.address, labels: { ...DEFAULT_NODE.labels, ...opts.nodeLabels } };
  const controllerSetup = createStandaloneControllers({
    runtime,
    log,
    node,
    ...(opts.serviceCidr !== undefined ? { serviceCidr: opts.serviceCidr } : {}),
    ...(opts.podCidr !== undefined ? { podCidr: opts.podCidr } : {}),
  });
  if (!controllerSetup.ok) {
    for (const d of controllerSetup.error) log(formatDiagnostic(d));
    throw new StandaloneConfigError('invalid --service-cidr / --pod-cidr (see above)');
  }
  const { store, warnings } = await Store.open({ dir: stateDir, admission: controllerSetup.value.admission });
  storeRef = store;
  for (const w of warnings) log(`weft: state: ${w}`);
  const startedAt = new Date();
  let lastApply: { ok: boolean; at?: Date; errors: number } = { ok: true, errors: 0 };
  let serverState: 'INITIALIZING' | 'LIVE' | 'DRAINING' = 'INITIALIZING';
  let dataPlane: ServingDataPlane | undefined;
  let controllers: ControllerManager | undefined;
  let reconciler: Reconciler | undefined;
  const proxy = new OutboundProxy(store);
  let proxyState: ComponentStatus = { name: 'Outbound proxy', state: 'Disabled', message: 'starting' };
  let server: ApiServer | undefined;
  let apiUrl = '';
  let checkObjects: (objects: readonly SourcedObject[]) => Diagnostic[] = () => [];
  const watchers: FSWatcher[] = [];
  try {
    const token = await loadOrCreateToken(stateDir);
    await store.apply(DEFAULT_OBJECTS);

    const statusReport = (): StatusReport => {
      const components: ComponentStatus[] = [
        { name: 'Weft', state: 'OK', message: `v${WEFT_VERSION}, up since ${startedAt.toISOString()}` },
        { name: 'Store', state: 'OK', message: `${store.listAll().length} objects in ${stateDir}` },
        { name: 'API', state: 'OK', message: apiUrl },
        {
          name: 'Manifests',
          state: opts.files.length === 0 ? 'Disabled' : lastApply.ok ? 'OK' : 'Warning',
          message:
            opts.files.length === 0
              ? 'no -f paths'
              : `${opts.files.join(', ')}${opts.watch === false ? '' : ' (watched)'}${lastApply.ok ? '' : `; last change rejected with ${lastApply.errors} error(s), the previous objects stay applied`}`,
        },
        controllersStatus(),
        proxyState,
        {
          name: 'Data plane',
          state: reconciler === undefined || reconciler.state.ok ? 'OK' : 'Warning',
          message: reconciler?.state.message ?? 'starting',
        },
        envoyConfigsStatus(),
        { name: 'Hubble-style flows', state: 'Disabled', message: 'not built yet' },
      ];
      return { version: WEFT_VERSION, components };
    };
    // CiliumEnvoyConfigs and CiliumClusterwideEnvoyConfigs by their conditions, as `cilium status` lists its controllers.
    const envoyConfigsStatus = (): ComponentStatus => {
      const configs = [...store.list('cilium.io', 'CiliumEnvoyConfig'), ...store.list('cilium.io', 'CiliumClusterwideEnvoyConfig')];
      if (configs.length === 0) return { name: 'Envoy configs', state: 'OK', message: 'no CiliumEnvoyConfigs' };
      const is = (o: KubeObject, type: string, status: string) =>
        ((o as { status?: { conditions?: { type: string; status: string }[] } }).status?.conditions ?? []).some((c) => c.type === type && c.status === status);
      const programmed = configs.filter((o) => is(o, 'Programmed', 'True')).length;
      const rejected = configs.filter((o) => is(o, 'Accepted', 'False')).length;
      const conflicted = configs.filter((o) => is(o, 'Conflicted', 'True')).length;
      const programmedReason = (o: KubeObject) => ((o as { status?: { conditions?: { type: string; reason?: string }[] } }).status?.conditions ?? []).find((c) => c.type === 'Programmed')?.reason;
      const elsewhere = configs.filter((o) => programmedReason(o) === 'NodeNotSelected').length;
      const failed = configs.filter((o) => is(o, 'Accepted', 'True') && is(o, 'Programmed', 'False') && !is(o, 'Conflicted', 'True') && programmedReason(o) !== 'NodeNotSelected').length;
      const notes = [
        `${programmed} programmed`,
        ...(rejected > 0 ? [`${rejected} not accepted`] : []),
        ...(conflicted > 0 ? [`${conflicted} conflicting`] : []),
        ...(elsewhere > 0 ? [`${elsewhere} for other nodes (nodeSelector)`] : []),
        ...(failed > 0 ? [`${failed} refused by the data plane`] : []),
      ];
      return {
        name: 'Envoy configs',
        state: rejected > 0 || conflicted > 0 || failed > 0 ? 'Warning' : 'OK',
        message: `${configs.length} CiliumEnvoyConfigs/CiliumClusterwideEnvoyConfigs: ${notes.join(', ')} (weft get cec,ccec -A -o wide)`,
      };
    };
    const controllersStatus = (): ComponentStatus => {
      if (controllers === undefined) return { name: 'Controllers', state: 'Disabled', message: 'starting' };
      const stats = controllers.stats();
      const failures = stats.reduce((n, s) => n + s.failuresTotal, 0);
      const count = (group: string, kind: string) => store.list(group, kind).length;
      const pods = store.list('', 'Pod');
      const running = pods.filter((p) => (p as { status?: { phase?: string } }).status?.phase === 'Running').length;
      return {
        name: 'Controllers',
        state: 'OK',
        message:
          `${stats.length} controllers; ${count('apps', 'Deployment')} Deployments, ${pods.length} Pods (${running} running, ` +
          `${runtime.runningPods} with built-in apps), ${count('', 'Service')} Services, ${count('discovery.k8s.io', 'EndpointSlice')} EndpointSlices` +
          (failures > 0 ? `; ${failures} failed reconciles (retried)` : ''),
      };
    };
    const routes = new Map<string, RouteHandler>([
      ['/healthz', (_req: IncomingMessage, res: ServerResponse) => sendText(res, 200, 'ok')],
      ['/version', (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, { gitVersion: `v${WEFT_VERSION}`, platform: `${process.platform}/${process.arch}` })],
      [STATUS_PATH, (_req: IncomingMessage, res: ServerResponse) => sendJson(res, 200, statusReport())],
      [
        CONFIG_PATH,
        (_req: IncomingMessage, res: ServerResponse) =>
          sendJson(res, 200, {
            'state-dir': stateDir,
            api: apiUrl,
            'manifest-paths': opts.files.join(','),
            'watch-manifests': String(opts.watch !== false),
            version: WEFT_VERSION,
          }),
      ],
    ]);
    checkObjects = (objects) =>
      checkEnvoyConfigs(objects, {
        existing: [...store.list('cilium.io', 'CiliumEnvoyConfig'), ...store.list('cilium.io', 'CiliumClusterwideEnvoyConfig'), ...store.list('', 'Service')],
        node: { ...node, labels: nodeLabelsOf(store.list('', 'Node'), node) },
        externalClusters: new Set(reconciler?.bootstrapClusters ?? []),
      });
    const statusWriter = new EnvoyConfigStatusWriter(store, { log });
    routes.set(EXPLAIN_PATH, explainRoute({ store, statusWriter }));
    routes.set(EXPLAIN_REQUEST_PATH, explainRequestRoute({ store, dataPlane: () => dataPlane }));
    server = new ApiServer({ store, token, version: WEFT_VERSION, routes, checkObjects });
    const addr = await server.listen(opts.apiHost, opts.apiPort);
    const host = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
    apiUrl = `http://${host}:${addr.port}`;

    dataPlane = await startServingDataPlane({
      workers: opts.workers ?? 1,
      adminAddress: { host: addr.address, port: addr.port },
      defaultAccessLog: opts.accessLog !== false,
    });
    const dp = dataPlane;
    for (const [path, handler] of adminRoutes({
      dataPlane: dp,
      startedAtMs: startedAt.getTime(),
      configPath: opts.bootstrap,
      state: () => serverState,
    })) {
      routes.set(path, handler);
    }

    const wantProxy = opts.proxy ?? DEFAULT_PROXY_ADDRESS;
    try {
      const a = await proxy.listen(wantProxy.host, wantProxy.port);
      proxyAddress = { host: a.address, port: a.port };
      proxyState = { name: 'Outbound proxy', state: 'OK', message: `http://${a.address}:${a.port} (weft exec sets it as http_proxy)` };
      await writeFileAtomic(join(stateDir, 'proxy'), `${a.address}:${a.port}\n`, { mode: 0o600 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      log(`weft: outbound proxy: cannot listen on ${wantProxy.host}:${wantProxy.port} (${code}); weft exec and in-mesh calls of built-in apps will not work (use --proxy HOST:PORT)`);
      proxyState = { name: 'Outbound proxy', state: 'Warning', message: `cannot listen on ${wantProxy.host}:${wantProxy.port} (${code})` };
    }
    controllers = controllerSetup.value.start(store);
    await controllerSetup.value.nodeRegistered();
    reconciler = new Reconciler({
      store,
      publish: (snapshot) => dp.apply(snapshot),
      ingest: standaloneIngest(node),
      onReconciled: statusWriter.write,
      ...(opts.bootstrap !== undefined ? { bootstrapPath: opts.bootstrap } : {}),
      log,
    });
    const rec = reconciler;
    await rec.start();
    serverState = 'LIVE';
    await writeFileAtomic(join(stateDir, 'api'), `${apiUrl}\n`, { mode: 0o600 });

    const reapply = async (): Promise<boolean> => {
      if (opts.files.length === 0) return true;
      const read = await readManifestFiles(opts.files);
      const loaded = loadManifests(read.files);
      const diagnostics = [...read.diagnostics, ...loaded.diagnostics];
      if (!hasErrors(diagnostics)) diagnostics.push(...checkObjects(loaded.objects));
      for (const d of sortDiagnostics(diagnostics)) log(formatDiagnostic(d));
      if (hasErrors(diagnostics)) {
        const errors = diagnostics.filter((d) => d.severity === 'error').length;
        lastApply = { ok: false, at: new Date(), errors };
        log(`weft: ${errors} error(s) in ${opts.files.join(', ')}; nothing applied, the previous objects keep serving`);
        return false;
      }
      let outcomes: Awaited<ReturnType<Store['apply']>>;
      try {
        outcomes = await store.apply(loaded.objects.map((o) => o.object));
      } catch (e) {
        if (!(e instanceof StoreError)) throw e;
        lastApply = { ok: false, at: new Date(), errors: 1 };
        log(`weft: ${opts.files.join(', ')}: ${e.message}; nothing applied, the previous objects keep serving`);
        return false;
      }
      for (const o of outcomes) {
        if (o.action !== 'unchanged') log(`weft: ${o.object.kind.toLowerCase()}/${o.object.metadata.name} ${o.action}`);
      }
      lastApply = { ok: true, at: new Date(), errors: 0 };
      return true;
    };
    // Ready means the -f objects are applied: invalid ones at start end the run (their Diagnostics
    // are printed); later changes that are invalid leave the last good objects serving.
    if (!(await reapply())) throw new StandaloneManifestError(`${opts.files.join(', ')}: invalid (see above); nothing was applied`);
    // The -f objects are applied; let the controllers derive what they can now (ClusterIPs,
    // Pods, EndpointSlices) and the data plane serve it before saying ready.
    await controllers.whenIdle();
    await rec.reconcileNow();
    if (opts.watch !== false) {
      watchers.push(...(await watchPaths(opts.files, reapply, log)));
      if (opts.bootstrap !== undefined) watchers.push(...(await watchPaths([opts.bootstrap], () => rec.reloadBootstrap(), log)));
    }

    let stopped = false;
    return {
      apiUrl,
      stateDir,
      store,
      dataPlane: dp,
      controllers,
      reconciler: rec,
      reapply,
      async stop() {
        if (stopped) return;
        stopped = true;
        serverState = 'DRAINING';
        for (const w of watchers) w.close();
        // Controllers first (the Pod controller stops the apps it started), then whatever app is
        // left, the control plane, the data plane (draining), the API, the store.
        await controllers?.stop();
        await runtime.close();
        await proxy.close();
        await rec.stop();
        await dp.stop({ drainTimeoutMs: 5_000 });
        await server?.close();
        await store.close();
      },
    };
  } catch (e) {
    for (const w of watchers) w.close();
    await controllers?.stop();
    await runtime.close();
    await proxy.close();
    await reconciler?.stop();
    await dataPlane?.stop({ drainTimeoutMs: 0 });
    await server?.close();
    await store.close();
    throw e;
  }
}

/**
 * Watches each path (a file through its directory, since editors replace files by rename; a
 * directory recursively) and calls `onChange` once per burst of events, never two at once.
 */
async function watchPaths(paths: readonly string[], onChange: () => Promise<unknown>, log: (l: string) => void): Promise<FSWatcher[]> {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let again = false;
  const fire = () => {
    if (running) {
      again = true;
      return;
    }
    running = onChange()
      .catch((e: unknown) => log(`weft: re-apply failed: ${(e as Error).message}`))
      .finally(() => {
        running = undefined;
        if (again) {
          again = false;
          fire();
        }
      });
  };
  const schedule = () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(fire, 100);
  };
  const out: FSWatcher[] = [];
  for (const p of paths) {
    if (p === '-') continue;
    const abs = resolve(p);
    let isDir = false;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      // Missing now; watch the parent so its creation is noticed.
    }
    if (isDir) {
      out.push(watch(abs, { recursive: true }, schedule));
    } else {
      const name = basename(abs);
      out.push(watch(dirname(abs), (_ev, file) => (file === null || file === name ? schedule() : undefined)));
    }
  }
  for (const w of out) w.on('error', (e) => log(`weft: watch: ${e.message}`));
  return out;
}
