/**
 * Cell formats of kubectl's printers (k8s.io/kubernetes pkg/printers/internalversion and
 * apimachinery's label formatting), so `weft get` tables read as kubectl's do.
 */

// Printers read loosely-typed object content.
type Any = any;

/** Width kubectl clips load-balancer addresses to outside `-o wide`. */
const LOAD_BALANCER_WIDTH = 16;

/** `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty. */
export function formatLabels(labels: Readonly<Record<string, string>> | undefined | null): string {
  const keys = Object.keys(labels ?? {}).sort();
  return keys.length === 0 ? '<none>' : keys.map((k) => `${k}=${labels![k]}`).join(',');
}

function requirementText(key: string, operator: string, values: readonly string[]): string {
  const list = () => (values.length === 1 ? values[0] : [...values].sort().join(','));
  switch (operator) {
    case 'In':
      return `${key} in (${list()})`;
    case 'NotIn':
      return `${key} notin (${list()})`;
    case 'Exists':
      return key;
    case 'DoesNotExist':
      return `!${key}`;
    default:
      return `${key} ${operator} (${list()})`;
  }
}

/**
 * `metav1.FormatLabelSelector`: matchLabels as `k=v`, expressions as `k in (a,b)`, `k notin (a)`,
 * `k`, `!k`, all sorted by key; `<none>` when it selects everything or is missing.
 */
export function formatLabelSelector(sel: Any): string {
  if (!sel || typeof sel !== 'object') return '<none>';
  const reqs: { key: string; text: string }[] = Object.entries((sel.matchLabels ?? {}) as Record<string, string>).map(([k, v]) => ({
    key: k,
    text: `${k}=${v}`,
  }));
  for (const e of (sel.matchExpressions ?? []) as Any[]) {
    reqs.push({ key: String(e.key), text: requirementText(String(e.key), String(e.operator), (e.values ?? []) as string[]) });
  }
  reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return reqs.length === 0 ? '<none>' : reqs.map((r) => r.text).join(',');
}

/** kubectl's `listWithMoreString`: at most three items, then `+ N more...`; `<unset>` when empty. */
export function listWithMore(items: readonly string[], max = 3, empty = '<unset>'): string {
  if (items.length > max) return `${items.slice(0, max).join(',')} + ${items.length - max} more...`;
  return items.length === 0 ? empty : items.join(',');
}

/** Service PORT(S): `port[:nodePort]/PROTOCOL`, comma-separated, `<none>` when there are none. */
export function servicePorts(spec: Any): string {
  const ports = (spec?.ports ?? []) as Any[];
  if (ports.length === 0) return '<none>';
  return ports.map((p) => `${p.port}${p.nodePort ? `:${p.nodePort}` : ''}/${p.protocol ?? 'TCP'}`).join(',');
}

/** The addresses of a load-balancer status, sorted and de-duplicated, clipped unless wide. */
export function loadBalancerAddresses(status: Any, wide: boolean): string {
  const set = new Set<string>();
  for (const i of (status?.loadBalancer?.ingress ?? []) as Any[]) {
    if (i.ip) set.add(String(i.ip));
    else if (i.hostname) set.add(String(i.hostname));
  }
  const r = [...set].sort().join(',');
  return !wide && r.length > LOAD_BALANCER_WIDTH ? `${r.slice(0, LOAD_BALANCER_WIDTH - 3)}...` : r;
}

/** Service EXTERNAL-IP, per type, as kubectl's `getServiceExternalIP`. */
export function serviceExternalIP(o: Any, wide: boolean): string {
  const spec = o.spec ?? {};
  const externalIPs = (spec.externalIPs ?? []) as string[];
  switch (spec.type ?? 'ClusterIP') {
    case 'ClusterIP':
    case 'NodePort':
      return externalIPs.length > 0 ? externalIPs.join(',') : '<none>';
    case 'LoadBalancer': {
      const lb = loadBalancerAddresses(o.status, wide);
      if (externalIPs.length > 0) return [...(lb ? lb.split(',') : []), ...externalIPs].join(',');
      return lb || '<pending>';
    }
    case 'ExternalName':
      return String(spec.externalName ?? '');
    default:
      return '<unknown>';
  }
}

/** Service CLUSTER-IP: the first of `clusterIPs` (`None` for headless), `<none>` without one. */
export function serviceClusterIP(spec: Any): string {
  const ips = (spec?.clusterIPs ?? []) as string[];
  return ips[0] ?? (spec?.clusterIP || '<none>');
}

const hostPort = (ip: string, port: number) => (ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`);

/** v1 Endpoints ENDPOINTS: `ip:port` per address and port (IPs alone without ports), first three. */
export function endpointsText(o: Any): string {
  const subsets = (o.subsets ?? []) as Any[];
  if (subsets.length === 0) return '<none>';
  const list: string[] = [];
  for (const ss of subsets) {
    const addresses = ((ss.addresses ?? []) as Any[]).map((a) => String(a.ip));
    const ports = (ss.ports ?? []) as Any[];
    if (ports.length === 0) list.push(...addresses);
    else for (const p of ports) list.push(...addresses.map((ip) => hostPort(ip, p.port)));
  }
  return list.length > 3 ? listWithMore(list) : list.join(',');
}

/** EndpointSlice PORTS: the port numbers (the name, or `*`, when unset), first three. */
export function discoveryPorts(o: Any): string {
  return listWithMore(((o.ports ?? []) as Any[]).map((p) => (p.port != null ? String(p.port) : p.name != null ? String(p.name) : '*')));
}

/** EndpointSlice ENDPOINTS: every endpoint's addresses, first three. */
export function discoveryEndpoints(o: Any): string {
  return listWithMore(((o.endpoints ?? []) as Any[]).flatMap((e) => (e.addresses ?? []) as string[]));
}

/** Ingress HOSTS: the rules' hosts (up to three, then `+ N more...` counting rules), `*` when none. */
export function ingressHosts(spec: Any): string {
  const rules = (spec?.rules ?? []) as Any[];
  const list: string[] = [];
  let more = false;
  for (const r of rules) {
    if (list.length === 3) more = true;
    if (!more && r.host) list.push(String(r.host));
  }
  if (list.length === 0) return '*';
  return more ? `${list.join(',')} + ${rules.length - 3} more...` : list.join(',');
}
