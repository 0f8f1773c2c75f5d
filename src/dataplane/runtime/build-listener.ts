/**
 * A Listener compiled into a CompiledListener: per filter chain the TLS termination (secure
 * context built from the resolved certificates), and the terminal network filter — an HTTP
 * connection manager (settings resolved, HTTP filter chain built through the registry, access
 * loggers, stats, its route provider) or a tcp_proxy. Non-terminal network filters that are not
 * implemented yet (local rate limit, connection limit: the resilience issue) are left out with a
 * warning.
 */
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../lib/diagnostic.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { stableHash } from '../../lib/stable-hash.ts';
import type { CodecType, FilterChain, HttpConnectionManager, Listener, Secret, SocketAddress } from '../../model/index.ts';
import { ENVOY_DEFAULTS } from '../../model/index.ts';
import type { Clock } from '../../observe/clock.ts';
import { createHttpConnManagerStats, type StatStore } from '../../observe/stats/index.ts';
import { createNetworkFilters } from '../filters/network/index.ts';
import { createHttpFilters } from '../filters/registry.ts';
import type { NetworkReadFilter } from '../listener/network-filter.ts';
import { ConnectionManager } from '../http/connection-manager.ts';
import { resolveConnectionManagerSettings } from '../http/connection-manager-settings.ts';
import type { RouteProvider, RouteSnapshot } from '../http/route-snapshot.ts';
import type { Random } from '../lb/index.ts';
import type { ChainTerminal, CompiledFilterChain, CompiledListener } from '../listener/compiled-listener.ts';
import type { DownstreamTls } from '../listener/downstream-tls.ts';
import { FilterChainSelector } from '../listener/filter-chain-selector.ts';
import { TcpProxy, type UpstreamProvider } from '../listener/tcp-proxy.ts';
import type { UpstreamCluster } from '../upstream/upstream-cluster.ts';
import { buildAccessLoggers, type AccessLogDefaults, type AccessLogSinks } from './access-logs.ts';
import { runtimeDiagnostic, type RuntimeResource } from './runtime-diagnostic.ts';
import { buildDownstreamTls } from './tls-contexts.ts';
import { resolveTlsMaterial, type DataSourceReader } from './tls-material.ts';

export interface ListenerBuildContext {
  readonly secrets: ReadonlyMap<string, Secret>;
  readonly stats: StatStore;
  readonly clock: Clock;
  readonly random: Random;
  readonly newRequestId: () => string;
  readonly sinks: AccessLogSinks;
  readonly accessLogDefaults: AccessLogDefaults;
  readonly upstream: UpstreamProvider;
  /** The shared provider of an RDS route configuration. */
  rdsProvider(name: string): RouteProvider;
  /** Compiles an inline route configuration against the new runtime's clusters. */
  inlineRoutes(hcm: HttpConnectionManager, resource: RuntimeResource): Result<RouteSnapshot, Diagnostic[]>;
  readonly read?: DataSourceReader;
}

/** An HCM of a built listener and where its routes come from (the runtime refreshes them). */
export interface ManagerRoutes {
  readonly cm: ConnectionManager;
  readonly hcm: HttpConnectionManager;
  readonly source: { readonly kind: 'rds'; readonly name: string } | { readonly kind: 'inline'; readonly provider: RouteProvider };
}

export interface BuiltListener {
  readonly compiled: CompiledListener;
  readonly managers: readonly ManagerRoutes[];
  readonly warnings: readonly Diagnostic[];
}

const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
const DEFAULT_CLIENT_HELLO_BYTES = 64 * 1024;

function listenerSecrets(l: Listener, secrets: ReadonlyMap<string, Secret>): Secret[] {
  const names = new Set<string>();
  for (const chain of [...l.filterChains, ...(l.defaultFilterChain ? [l.defaultFilterChain] : [])]) {
    const ctx = chain.transportSocket?.commonTlsContext;
    if (!ctx) continue;
    for (const s of ctx.tlsCertificateSdsSecretConfigs) names.add(s.name);
    const v = ctx.validationContextType;
    if (v?.kind === 'validationContextSdsSecretConfig') names.add(v.validationContextSdsSecretConfig.name);
    if (v?.kind === 'combinedValidationContext') names.add(v.combinedValidationContext.validationContextSdsSecretConfig.name);
  }
  return [...names].sort().map((n) => secrets.get(n)).filter((s): s is Secret => s !== undefined);
}

/** The listener's config hash: the listener and the secrets its chains use (not its sources). */
export function listenerHash(l: Listener, secrets: ReadonlyMap<string, Secret>): string {
  return stableHash({ listener: l, secrets: listenerSecrets(l, secrets) }, { omitKeys: new Set(['sources']) });
}

function defaultAlpn(codec: CodecType): string[] {
  switch (codec) {
    case 'HTTP1':
      return ['http/1.1'];
    case 'HTTP2':
      return ['h2'];
    case 'AUTO':
    case 'HTTP3':
      return ['h2', 'http/1.1'];
    default: {
      const never: never = codec;
      throw new Error(`unexpected codec ${String(never)}`);
    }
  }
}

export async function buildListener(l: Listener, hash: string, ctx: ListenerBuildContext): Promise<Result<BuiltListener, Diagnostic[]>> {
  const resource: RuntimeResource = { kind: 'Listener', name: l.name, sources: l.sources };
  const problems: Diagnostic[] = [];
  const warnings: Diagnostic[] = [];
  const managers: ManagerRoutes[] = [];
  const addresses: SocketAddress[] = [];
  if (l.address?.kind === 'pipe') problems.push(runtimeDiagnostic(resource, 'unix socket (pipe) listeners are not supported', DIAGNOSTIC_CODES.UNSUPPORTED));
  else if (l.address) addresses.push(l.address);
  addresses.push(...l.additionalAddresses);

  // Network filters built so far, released if the listener is refused.
  const built: NetworkReadFilter[] = [];
  const buildChain = async (chain: FilterChain, index: string): Promise<CompiledFilterChain | undefined> => {
    let tls: DownstreamTls | undefined;
    if (chain.transportSocket) {
      const material = resolveTlsMaterial(chain.transportSocket.commonTlsContext, ctx.secrets, ctx.read);
      const built = material.ok ? buildDownstreamTls(chain.transportSocket, material.value) : material;
      if (!built.ok) {
        problems.push(runtimeDiagnostic(resource, `filter chain ${index}: TLS: ${built.error}`));
        return undefined;
      }
      tls = built.value;
    }
    const nf = createNetworkFilters(chain.filters.slice(0, -1), ctx.stats, ctx.clock);
    if (!nf.ok) {
      for (const e of nf.error) problems.push(runtimeDiagnostic(resource, `filter chain ${index}: ${e}`));
      return undefined;
    }
    built.push(...nf.value);
    const last = chain.filters[chain.filters.length - 1];
    let terminal: ChainTerminal;
    if (last === undefined) {
      problems.push(runtimeDiagnostic(resource, `filter chain ${index} has no filters`));
      return undefined;
    } else if (last.kind === 'httpConnectionManager') {
      const cm = await buildManager(last.typedConfig, resource, ctx, managers, problems, warnings);
      if (cm === undefined) return undefined;
      terminal = { kind: 'http', cm, codec: last.typedConfig.codecType ?? 'AUTO' };
    } else if (last.kind === 'tcpProxy') {
      const loggers = await buildAccessLoggers(last.typedConfig.accessLog, ctx.sinks, ctx.accessLogDefaults, ctx.clock, resource);
      if (!loggers.ok) {
        problems.push(...loggers.error);
        return undefined;
      }
      terminal = {
        kind: 'tcp',
        proxy: new TcpProxy(last.typedConfig, {
          stats: ctx.stats,
          clock: ctx.clock,
          random: ctx.random,
          accessLoggers: loggers.value,
          upstream: ctx.upstream,
          upstreamTls: (c: UpstreamCluster) => c.tlsOptions,
        }),
      };
    } else {
      problems.push(runtimeDiagnostic(resource, `filter chain ${index}: the last network filter must be http_connection_manager or tcp_proxy`));
      return undefined;
    }
    const alpn = tls !== undefined && tls.alpnProtocols.length > 0 ? tls.alpnProtocols : terminal.kind === 'http' && tls !== undefined ? defaultAlpn(terminal.codec) : [];
    return {
      name: chain.name,
      tls,
      alpn,
      handshakeTimeoutMs: chain.transportSocketConnectTimeoutMs ?? DEFAULT_HANDSHAKE_TIMEOUT_MS,
      networkFilters: nf.value,
      terminal,
    };
  };

  const chains: { match: FilterChain['filterChainMatch']; value: CompiledFilterChain }[] = [];
  for (let i = 0; i < l.filterChains.length; i++) {
    const c = await buildChain(l.filterChains[i], String(i));
    if (c) chains.push({ match: l.filterChains[i].filterChainMatch, value: c });
  }
  const dflt = l.defaultFilterChain ? await buildChain(l.defaultFilterChain, 'default') : undefined;
  const invalidCidrs: string[] = [];
  const selector = new FilterChainSelector(chains, dflt, invalidCidrs);
  for (const c of invalidCidrs) problems.push(runtimeDiagnostic(resource, `invalid CIDR range ${c} in a filter chain match`));
  const all = [...chains.map((c) => c.value), ...(dflt ? [dflt] : [])];
  if (problems.length > 0) {
    for (const f of built) f.release();
    for (const c of all) {
      if (c.terminal.kind === 'http') c.terminal.cm.close();
      else c.terminal.proxy.close();
    }
    return err(problems);
  }
  const inspector = l.listenerFilters.find((f) => f.kind === 'tlsInspector');
  const compiled: CompiledListener = {
    name: l.name,
    hash,
    addresses,
    selector,
    inspectClientHello: inspector !== undefined || selector.needsClientHello,
    clientHelloMaxBytes: inspector?.typedConfig.initialReadBufferSize ?? DEFAULT_CLIENT_HELLO_BYTES,
    peekTimeoutMs: l.listenerFiltersTimeoutMs ?? ENVOY_DEFAULTS.listener.listenerFiltersTimeoutMs,
    continueOnPeekTimeout: l.continueOnListenerFiltersTimeout === true,
    chains: all,
  };
  return ok({ compiled, managers, warnings });
}

async function buildManager(
  hcm: HttpConnectionManager,
  resource: RuntimeResource,
  ctx: ListenerBuildContext,
  managers: ManagerRoutes[],
  problems: Diagnostic[],
  warnings: Diagnostic[],
): Promise<ConnectionManager | undefined> {
  const settings = resolveConnectionManagerSettings(hcm);
  const filters = createHttpFilters(hcm.httpFilters, { statPrefix: hcm.statPrefix, stats: ctx.stats, clock: ctx.clock, random: ctx.random }, `Listener ${JSON.stringify(resource.name)}`);
  if (!filters.ok) {
    problems.push(...filters.error);
    return undefined;
  }
  warnings.push(...filters.value.warnings);
  const loggers = await buildAccessLoggers(hcm.accessLog, ctx.sinks, ctx.accessLogDefaults, ctx.clock, resource);
  if (!loggers.ok) {
    problems.push(...loggers.error);
    return undefined;
  }
  let provider: RouteProvider;
  let source: ManagerRoutes['source'];
  const rs = hcm.routeSpecifier;
  if (rs.kind === 'rds') {
    provider = ctx.rdsProvider(rs.rds.routeConfigName);
    source = { kind: 'rds', name: rs.rds.routeConfigName };
  } else {
    const snap = ctx.inlineRoutes(hcm, resource);
    if (!snap.ok) {
      problems.push(...snap.error);
      return undefined;
    }
    provider = { current: snap.value };
    source = { kind: 'inline', provider };
  }
  const cm = new ConnectionManager({
    settings,
    filters: filters.value.filters,
    routes: provider,
    stats: createHttpConnManagerStats(ctx.stats, hcm.statPrefix),
    accessLoggers: loggers.value,
    clock: ctx.clock,
    random: ctx.random,
    newRequestId: ctx.newRequestId,
  });
  managers.push({ cm, hcm, source });
  return cm;
}
