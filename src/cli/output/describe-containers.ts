/**
 * The `Containers:` section of kubectl's Pod and Pod-template describers (describeContainers and
 * its helpers in pkg/describe/describe.go): IDs, image, ports, command and args, state, readiness,
 * resources, probes, environment and mounts, field for field in kubectl's order.
 */
import { containerResourceValue } from './describe-quantity.ts';
import type { ResourceRequirements } from './describe-quantity.ts';
import { formatRfc1123z, stringOrNone } from './describe-writer.ts';
import type { DescribeContext, PrefixWriter } from './describe-writer.ts';

export interface ContainerPort {
  readonly containerPort?: number;
  readonly hostPort?: number;
  readonly protocol?: string;
}

export interface Probe {
  readonly exec?: { readonly command?: readonly string[] };
  readonly httpGet?: { readonly scheme?: string; readonly host?: string; readonly port?: number | string; readonly path?: string };
  readonly tcpSocket?: { readonly host?: string; readonly port?: number | string };
  readonly grpc?: { readonly port?: number; readonly service?: string };
  readonly initialDelaySeconds?: number;
  readonly timeoutSeconds?: number;
  readonly periodSeconds?: number;
  readonly successThreshold?: number;
  readonly failureThreshold?: number;
}

interface KeyRef {
  readonly name?: string;
  readonly key?: string;
  readonly optional?: boolean;
}

export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly fieldRef?: { readonly apiVersion?: string; readonly fieldPath?: string };
    readonly resourceFieldRef?: { readonly resource?: string; readonly divisor?: unknown };
    readonly secretKeyRef?: KeyRef;
    readonly configMapKeyRef?: KeyRef;
  };
}

interface EnvFromSource {
  readonly prefix?: string;
  readonly configMapRef?: KeyRef;
  readonly secretRef?: KeyRef;
}

export interface Container {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly EnvVar[];
  readonly envFrom?: readonly EnvFromSource[];
  readonly resources?: ResourceRequirements;
  readonly livenessProbe?: Probe;
  readonly readinessProbe?: Probe;
  readonly startupProbe?: Probe;
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly readOnly?: boolean; readonly subPath?: string }[];
  readonly volumeDevices?: readonly { readonly name: string; readonly devicePath: string }[];
  readonly securityContext?: { readonly seccompProfile?: { readonly type?: string; readonly localhostProfile?: string } };
}

interface StateDetail {
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly signal?: number;
}

export interface ContainerState {
  readonly running?: StateDetail;
  readonly waiting?: StateDetail;
  readonly terminated?: StateDetail;
}

export interface ContainerStatus {
  readonly name: string;
  readonly containerID?: string;
  readonly imageID?: string;
  readonly ready?: boolean;
  readonly restartCount?: number;
  readonly state?: ContainerState;
  readonly lastState?: ContainerState;
}

/** Resolves a `fieldRef` against the Pod (kubectl's EnvValueRetriever); absent for templates. */
export type FieldResolver = (fieldPath: string) => string;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
/** Go's %q for the plain strings a subPath holds. */
const goQuote = (s: string) => JSON.stringify(s);

function describeBasicInfo(c: Container, status: ContainerStatus | undefined, space: string, w: PrefixWriter): void {
  w.write(1, `${space.length > 0 ? ' ' : ''}${c.name}:\n`);
  if (status) w.write(2, `Container ID:\t${status.containerID ?? ''}\n`);
  w.write(2, `Image:\t${c.image ?? ''}\n`);
  if (status) w.write(2, `Image ID:\t${status.imageID ?? ''}\n`);
  // The API server defaults a port's protocol to TCP and its hostPort to 0.
  const ports = (c.ports ?? []).map((p) => `${p.containerPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  if (ports.includes(',')) w.write(2, `Ports:\t${ports}\n`);
  else w.write(2, `Port:\t${stringOrNone(ports)}\n`);
  const hostPorts = (c.ports ?? []).map((p) => `${p.hostPort ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
  if (hostPorts.includes(',')) w.write(2, `Host Ports:\t${hostPorts}\n`);
  else w.write(2, `Host Port:\t${stringOrNone(hostPorts)}\n`);
  const seccomp = c.securityContext?.seccompProfile;
  if (seccomp) {
    w.write(2, `SeccompProfile:\t${seccomp.type ?? ''}\n`);
    if (seccomp.type === 'Localhost') w.write(3, `LocalhostProfile:\t${seccomp.localhostProfile ?? ''}\n`);
  }
}

function describeCommand(c: Container, w: PrefixWriter): void {
  for (const [title, list] of [['Command', c.command], ['Args', c.args]] as const) {
    if (!list || list.length === 0) continue;
    w.write(2, `${title}:\n`);
    for (const item of list) for (const s of String(item).split('\n')) w.write(3, `${s}\n`);
  }
}

/** describeStatus: Running / Waiting / Terminated with the details kubectl prints for each. */
function describeStatus(title: string, state: ContainerState | undefined, w: PrefixWriter, ctx: DescribeContext): void {
  if (state?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${formatRfc1123z(state.running.startedAt, ctx)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(3, `Message:\t${t.message}\n`);
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if ((t.signal ?? 0) > 0) w.write(3, `Signal:\t${t.signal}\n`);
    w.write(3, `Started:\t${formatRfc1123z(t.startedAt, ctx)}\n`);
    w.write(3, `Finished:\t${formatRfc1123z(t.finishedAt, ctx)}\n`);
  } else {
    w.write(2, `${title}:\tWaiting\n`);
  }
}

/** describeResources: `Limits:` then `Requests:`, resource names sorted. */
export function describeResources(resources: ResourceRequirements | undefined, w: PrefixWriter, level: number): void {
  for (const [title, list] of [['Limits', resources?.limits], ['Requests', resources?.requests]] as const) {
    const names = Object.keys(list ?? {}).sort(cmp);
    if (names.length === 0) continue;
    w.write(level, `${title}:\n`);
    for (const n of names) w.write(level + 1, `${n}:\t${String(list![n])}\n`);
  }
}

/** DescribeProbe: `http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3`. */
export function describeProbe(p: Probe): string {
  // Unset fields show the API server's defaults, as they would on a cluster.
  const attrs = `delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`;
  if (p.httpGet) {
    const g = p.httpGet;
    const port = g.port === undefined ? '' : String(g.port);
    const host = port === '' ? (g.host ?? '') : `${(g.host ?? '').includes(':') ? `[${g.host}]` : (g.host ?? '')}:${port}`;
    const path = g.path ?? '';
    const slash = path !== '' && !path.startsWith('/') && host !== '' ? '/' : '';
    return `http-get ${(g.scheme ?? 'HTTP').toLowerCase()}://${host}${slash}${path} ${attrs}`;
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${String(p.tcpSocket.port ?? '')} ${attrs}`;
  if (p.grpc) return `grpc <pod>:${p.grpc.port ?? 0} ${p.grpc.service ?? ''} ${attrs}`;
  return `unknown ${attrs}`;
}

function describeProbes(c: Container, w: PrefixWriter): void {
  if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`);
  if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`);
  if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`);
}

function describeEnvFrom(c: Container, w: PrefixWriter): void {
  w.write(2, 'Environment Variables from:\n');
  for (const e of c.envFrom ?? []) {
    const [from, ref] = e.configMapRef ? ['ConfigMap', e.configMapRef] : e.secretRef ? ['Secret', e.secretRef] : ['', undefined];
    const optional = ref?.optional === true;
    if (!e.prefix) w.write(3, `${ref?.name ?? ''}\t${from}\tOptional: ${optional}\n`);
    else w.write(3, `${ref?.name ?? ''}\t${from} with prefix '${e.prefix}'\tOptional: ${optional}\n`);
  }
}

function describeEnv(c: Container, resolve: FieldResolver | undefined, w: PrefixWriter): void {
  const env = c.env ?? [];
  w.write(2, `Environment:${env.length === 0 ? '\t<none>' : ''}\n`);
  for (const e of env) {
    const from = e.valueFrom;
    if (!from) {
      String(e.value ?? '')
        .split('\n')
        .forEach((s, i) => w.write(3, i === 0 ? `${e.name}:\t${s}\n` : `\t${s}\n`));
    } else if (from.fieldRef) {
      const path = from.fieldRef.fieldPath ?? '';
      w.write(3, `${e.name}:\t${resolve ? resolve(path) : ''} (${from.fieldRef.apiVersion ?? 'v1'}:${path})\n`);
    } else if (from.resourceFieldRef) {
      const resource = from.resourceFieldRef.resource ?? '';
      let value = containerResourceValue(c.resources, resource, from.resourceFieldRef.divisor);
      if (value === '0' && (resource === 'limits.cpu' || resource === 'limits.memory')) value = 'node allocatable';
      w.write(3, `${e.name}:\t${value} (${resource})\n`);
    } else if (from.secretKeyRef) {
      const r = from.secretKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${r.key ?? ''}' in secret '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    } else if (from.configMapKeyRef) {
      const r = from.configMapKeyRef;
      w.write(3, `${e.name}:\t<set to the key '${r.key ?? ''}' of config map '${r.name ?? ''}'>\tOptional: ${r.optional === true}\n`);
    }
  }
}

function describeMounts(c: Container, w: PrefixWriter): void {
  const mounts = [...(c.volumeMounts ?? [])].sort((a, b) => cmp(a.mountPath, b.mountPath));
  const none = mounts.length === 0 ? '\t<none>' : '';
  w.write(2, `Mounts:${none}\n`);
  for (const m of mounts) {
    const flags = [m.readOnly === true ? 'ro' : 'rw', ...(m.subPath ? [`path=${goQuote(m.subPath)}`] : [])];
    w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`);
  }
  const devices = [...(c.volumeDevices ?? [])].sort((a, b) => cmp(a.devicePath, b.devicePath));
  if (devices.length > 0) {
    w.write(2, `Devices:${none}\n`);
    for (const d of devices) w.write(3, `${d.devicePath} from ${d.name}\n`);
  }
}

/**
 * describeContainers: `label:` (`<none>` without containers), then each container. Statuses are
 * undefined for a Pod template; `space` is the template's extra indentation ("  ").
 */
export function describeContainers(
  label: string,
  containers: readonly Container[],
  statuses: readonly ContainerStatus[] | undefined,
  resolve: FieldResolver | undefined,
  w: PrefixWriter,
  space: string,
  ctx: DescribeContext,
): void {
  const byName = new Map((statuses ?? []).map((s) => [s.name, s]));
  w.write(0, `${space}${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = byName.get(c.name);
    describeBasicInfo(c, status, space, w);
    describeCommand(c, w);
    if (status) {
      describeStatus('State', status.state, w, ctx);
      if (status.lastState?.terminated) describeStatus('Last State', status.lastState, w, ctx);
      w.write(2, `Ready:\t${status.ready === true ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${status.restartCount ?? 0}\n`);
    }
    describeResources(c.resources, w, 2);
    describeProbes(c, w);
    if (c.envFrom && c.envFrom.length > 0) describeEnvFrom(c, w);
    describeEnv(c, resolve, w);
    describeMounts(c, w);
  }
}
