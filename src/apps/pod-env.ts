/**
 * A container's environment and mounted configuration files as Kubernetes would give them, read
 * from plain Pod data: `env` in order with `$(VAR)` expansion, `valueFrom` (`fieldRef`,
 * `configMapKeyRef`, `secretKeyRef`), `envFrom`, `HOSTNAME` (the Pod name), and the files of
 * ConfigMap and Secret volumes at their mount paths (with `items` and `subPath`).
 */
import { posix } from 'node:path';

export interface EnvVarLike {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly fieldRef?: { readonly fieldPath: string };
    readonly configMapKeyRef?: { readonly name?: string; readonly key: string };
    readonly secretKeyRef?: { readonly name?: string; readonly key: string };
  };
}

export interface ContainerLike {
  readonly name: string;
  readonly image?: string;
  readonly command?: readonly string[];
  readonly args?: readonly string[];
  readonly ports?: readonly { readonly containerPort: number; readonly protocol?: string }[];
  readonly env?: readonly EnvVarLike[];
  readonly envFrom?: readonly {
    readonly prefix?: string;
    readonly configMapRef?: { readonly name?: string };
    readonly secretRef?: { readonly name?: string };
  }[];
  readonly volumeMounts?: readonly { readonly name: string; readonly mountPath: string; readonly subPath?: string }[];
}

interface KeyToPath {
  readonly key: string;
  readonly path: string;
}

export interface PodLike {
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly uid?: string;
    readonly labels?: Readonly<Record<string, string>>;
    readonly annotations?: Readonly<Record<string, string>>;
  };
  readonly spec?: {
    readonly containers?: readonly ContainerLike[];
    readonly nodeName?: string;
    readonly serviceAccountName?: string;
    readonly volumes?: readonly {
      readonly name: string;
      readonly configMap?: { readonly name?: string; readonly items?: readonly KeyToPath[] };
      readonly secret?: { readonly secretName?: string; readonly items?: readonly KeyToPath[] };
    }[];
  };
}

/** Reads a ConfigMap's or Secret's data (Secret values decoded), or undefined when it does not exist. */
export type VolumeLookup = (kind: 'ConfigMap' | 'Secret', name: string) => Readonly<Record<string, string | Buffer>> | undefined;

function fieldValue(pod: PodLike, podIP: string, path: string): string {
  const m = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (m) return (m[1] === 'labels' ? pod.metadata.labels : pod.metadata.annotations)?.[m[2]] ?? '';
  switch (path) {
    case 'metadata.name':
      return pod.metadata.name ?? '';
    case 'metadata.namespace':
      return pod.metadata.namespace ?? 'default';
    case 'metadata.uid':
      return pod.metadata.uid ?? '';
    case 'spec.nodeName':
      return pod.spec?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod.spec?.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return '127.0.0.1';
    default:
      return '';
  }
}

/** Kubernetes' `$(VAR)` expansion: defined names expand, `$$` escapes, anything else stays as written. */
function expand(text: string, vars: ReadonlyMap<string, string>): string {
  return text.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (all === '$$') return '$';
    return name !== undefined && vars.has(name) ? vars.get(name)! : all;
  });
}

export function containerEnv(c: ContainerLike, pod: PodLike, podIP: string, lookup?: VolumeLookup): Record<string, string> {
  const vars = new Map<string, string>([['HOSTNAME', pod.metadata.name ?? '']]);
  for (const from of c.envFrom ?? []) {
    const ref = from.configMapRef?.name ? lookup?.('ConfigMap', from.configMapRef.name) : from.secretRef?.name ? lookup?.('Secret', from.secretRef.name) : undefined;
    for (const [k, v] of Object.entries(ref ?? {})) vars.set(`${from.prefix ?? ''}${k}`, v.toString());
  }
  for (const e of c.env ?? []) {
    const from = e.valueFrom;
    let value: string | undefined;
    if (from?.fieldRef) value = fieldValue(pod, podIP, from.fieldRef.fieldPath);
    else if (from?.configMapKeyRef) value = lookup?.('ConfigMap', from.configMapKeyRef.name ?? '')?.[from.configMapKeyRef.key]?.toString();
    else if (from?.secretKeyRef) value = lookup?.('Secret', from.secretKeyRef.name ?? '')?.[from.secretKeyRef.key]?.toString();
    else value = expand(e.value ?? '', vars);
    vars.set(e.name, value ?? '');
  }
  return Object.fromEntries(vars);
}

/** The files of the container's ConfigMap and Secret mounts, by absolute path. */
export function containerFiles(c: ContainerLike, pod: PodLike, lookup?: VolumeLookup): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  for (const mount of c.volumeMounts ?? []) {
    const volume = pod.spec?.volumes?.find((v) => v.name === mount.name);
    const source = volume?.configMap
      ? { data: lookup?.('ConfigMap', volume.configMap.name ?? ''), items: volume.configMap.items }
      : volume?.secret
        ? { data: lookup?.('Secret', volume.secret.secretName ?? ''), items: volume.secret.items }
        : undefined;
    if (!source?.data) continue;
    const data = source.data;
    const entries: [string, string | Buffer][] = source.items
      ? source.items.filter((i) => data[i.key] !== undefined).map((i) => [i.path, data[i.key]])
      : Object.entries(data);
    for (const [rel, content] of entries) {
      if (mount.subPath !== undefined && mount.subPath !== '') {
        if (rel === mount.subPath) files.set(mount.mountPath, content);
      } else files.set(posix.join(mount.mountPath, rel), content);
    }
  }
  return files;
}
