/**
 * Kubernetes resource quantities (`100m`, `128Mi`, `1e3`) as numbers, and the two things kubectl's
 * Pod describer computes from them: the QoS class (qos.ComputePodQOS) and the value of an
 * environment variable taken from a container's resources (ExtractContainerResourceValue).
 */

const SUFFIXES: Readonly<Record<string, number>> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY_RE = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** The value of a quantity in base units (cores, bytes); undefined when it is not one. */
export function parseQuantity(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = QUANTITY_RE.exec(v.trim());
  if (!m) return undefined;
  const base = Number(m[1]);
  if (m[2] !== undefined) return base * 10 ** Number(m[2]);
  return base * SUFFIXES[m[3] ?? ''];
}

export interface ResourceRequirements {
  readonly limits?: Readonly<Record<string, unknown>>;
  readonly requests?: Readonly<Record<string, unknown>>;
}

const QOS_RESOURCES = ['cpu', 'memory'] as const;

/**
 * qos.ComputePodQOS over containers and init containers. Requests the API server would have
 * defaulted from limits (a container with only limits) count as set, as they would be on a cluster.
 */
export function podQosClass(containers: readonly { readonly resources?: ResourceRequirements }[]): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, number>();
  const limits = new Map<string, number>();
  let guaranteed = true;
  for (const c of containers) {
    const lim = c.resources?.limits ?? {};
    const req = { ...lim, ...(c.resources?.requests ?? {}) };
    for (const name of QOS_RESOURCES) {
      const q = parseQuantity(req[name]);
      if (q !== undefined && q > 0) requests.set(name, (requests.get(name) ?? 0) + q);
    }
    let limitsFound = 0;
    for (const name of QOS_RESOURCES) {
      const q = parseQuantity(lim[name]);
      if (q !== undefined && q > 0) {
        limitsFound++;
        limits.set(name, (limits.get(name) ?? 0) + q);
      }
    }
    if (limitsFound < QOS_RESOURCES.length) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [name, r] of requests) {
      if (limits.get(name) !== r) {
        guaranteed = false;
        break;
      }
    }
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/**
 * resourcehelper.ExtractContainerResourceValue: `limits.cpu`, `requests.memory`... divided by the
 * divisor (default 1) and rounded up; '' when the resource name is not one it knows.
 */
export function containerResourceValue(resources: ResourceRequirements | undefined, resource: string, divisor: unknown): string {
  const m = /^(limits|requests)\.(cpu|memory|ephemeral-storage)$/.exec(resource);
  if (!m) return '';
  const list = m[1] === 'limits' ? resources?.limits : { ...(resources?.limits ?? {}), ...(resources?.requests ?? {}) };
  const value = parseQuantity(list?.[m[2]]) ?? 0;
  const div = parseQuantity(divisor);
  const d = div === undefined || div === 0 ? 1 : div;
  // CPU compares in millicores, memory and storage in whole bytes, as Quantity.MilliValue()/Value() do.
  const n = m[2] === 'cpu' ? Math.ceil(Math.ceil(value * 1000) / Math.ceil(d * 1000)) : Math.ceil(Math.ceil(value) / Math.ceil(d));
  return String(n);
}
