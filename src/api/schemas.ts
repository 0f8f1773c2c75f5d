/**
 * The JSON-schema validators for every served kind, taken from the precompiled ajv validators that
 * `kubernetes-models` and `@kubernetes-models/{gateway-api,cilium,istio}` publish.
 *
 * Loading is lazy and per kind. Measured on Node 20 (plain node, warm disk cache), importing one
 * kind's module alone costs about 45 ms for a Service (most of it the shared ObjectMeta and format
 * modules), 105 ms for a Deployment, 130 ms for an HTTPRoute, 290 ms for a CiliumNetworkPolicy;
 * every served kind together about 460 ms. So a CLI call pays only for the kinds it meets. The modules are ESM and Node can only load them asynchronously from every
 * runtime weft supports (require(esm) is missing before Node 20.19 and does not resolve their
 * imports under loader hooks), so loading is a separate async step: `preloadSchemas` for the kinds
 * of some objects, `preloadAllSchemas` for a long-running process. Validation itself is synchronous
 * and asks `schemaValidator`, which only answers from what was loaded.
 */
import { SERVED_KINDS } from './kinds.ts';
import { splitApiVersion } from './object.ts';

/** An ajv error as the precompiled validators report it (they carry no `message`). */
export interface SchemaError {
  readonly instancePath: string;
  readonly keyword: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly schemaPath?: string;
}

/** A precompiled ajv validate function. */
export interface SchemaValidateFunction {
  (data: unknown): boolean;
  errors?: readonly SchemaError[] | null;
}

export interface SchemaValidator {
  readonly validate: SchemaValidateFunction;
  /**
   * Set when the package has no validator for this version and a schema-identical version stands
   * in: the object is validated as if its apiVersion were this one.
   */
  readonly apiVersionAs?: string;
}

type SchemaPackage = 'kubernetes-models' | '@kubernetes-models/gateway-api' | '@kubernetes-models/cilium' | '@kubernetes-models/istio';

interface SchemaRef {
  readonly pkg: SchemaPackage;
  /** File stem under the package's `_schemas/` folder. */
  readonly module: string;
  readonly apiVersionAs?: string;
}

const GW = 'gateway.networking.k8s.io';
const CILIUM = 'cilium.io';
const ISTIO = 'networking.istio.io';

function core(kind: string, group: string, version: string, prefix: string): [string, SchemaRef] {
  return [schemaKey(group, version, kind), { pkg: 'kubernetes-models', module: `IoK8sApi${prefix}${kind}` }];
}

function gateway(kind: string, version: string): [string, SchemaRef] {
  const v = version[0].toUpperCase() + version.slice(1);
  return [schemaKey(GW, version, kind), { pkg: '@kubernetes-models/gateway-api', module: `IoK8sSigsGatewayApiApis${v}${kind}` }];
}

function cilium(kind: string, version: string, apiVersionAs?: string): [string, SchemaRef] {
  const schemaVersion = apiVersionAs ? splitApiVersion(apiVersionAs).version : version;
  const v = schemaVersion[0].toUpperCase() + schemaVersion.slice(1);
  const module = `ComGithubCiliumCiliumPkgK8sApisCiliumIo${v}${kind}`;
  return [schemaKey(CILIUM, version, kind), { pkg: '@kubernetes-models/cilium', module, apiVersionAs }];
}

function istio(kind: string, version: string): [string, SchemaRef] {
  const v = version[0].toUpperCase() + version.slice(1);
  return [schemaKey(ISTIO, version, kind), { pkg: '@kubernetes-models/istio', module: `NetworkingIstioIo${v}${kind}` }];
}

/** `group/version/Kind` → where its validator lives. Every served group/version/kind has one. */
const SCHEMA_REFS = new Map<string, SchemaRef>([
  ...['Namespace', 'Service', 'Secret', 'ConfigMap', 'Pod', 'ServiceAccount', 'Endpoints', 'Node'].map((k) => core(k, '', 'v1', 'CoreV1')),
  core('Deployment', 'apps', 'v1', 'AppsV1'),
  core('EndpointSlice', 'discovery.k8s.io', 'v1', 'DiscoveryV1'),
  ...['Ingress', 'IngressClass', 'NetworkPolicy'].map((k) => core(k, 'networking.k8s.io', 'v1', 'NetworkingV1')),
  gateway('GatewayClass', 'v1'),
  gateway('GatewayClass', 'v1beta1'),
  gateway('Gateway', 'v1'),
  gateway('Gateway', 'v1beta1'),
  gateway('HTTPRoute', 'v1'),
  gateway('HTTPRoute', 'v1beta1'),
  gateway('GRPCRoute', 'v1'),
  gateway('GRPCRoute', 'v1alpha2'),
  gateway('ReferenceGrant', 'v1beta1'),
  gateway('ReferenceGrant', 'v1'),
  gateway('TLSRoute', 'v1alpha2'),
  gateway('TLSRoute', 'v1alpha3'),
  gateway('TLSRoute', 'v1'),
  gateway('TCPRoute', 'v1alpha2'),
  cilium('CiliumEnvoyConfig', 'v2'),
  // Cilium served the Envoy configs as v2alpha1 (1.11–1.13) with the schema v2 has now; the
  // package publishes only v2, so v2alpha1 objects are checked against it.
  cilium('CiliumEnvoyConfig', 'v2alpha1', 'cilium.io/v2'),
  cilium('CiliumClusterwideEnvoyConfig', 'v2'),
  cilium('CiliumClusterwideEnvoyConfig', 'v2alpha1', 'cilium.io/v2'),
  cilium('CiliumNetworkPolicy', 'v2'),
  cilium('CiliumClusterwideNetworkPolicy', 'v2'),
  cilium('CiliumLoadBalancerIPPool', 'v2'),
  cilium('CiliumLoadBalancerIPPool', 'v2alpha1'),
  cilium('CiliumL2AnnouncementPolicy', 'v2alpha1'),
  ...['v1', 'v1beta1', 'v1alpha3'].flatMap((v) => ['Gateway', 'VirtualService', 'DestinationRule'].map((k) => istio(k, v))),
]);

export function schemaKey(group: string, version: string, kind: string): string {
  return `${group}/${version}/${kind}`;
}

/** Whether a validator exists for this group/version/kind (loaded or not). */
export function hasSchema(group: string, version: string, kind: string): boolean {
  return SCHEMA_REFS.has(schemaKey(group, version, kind));
}

const loaded = new Map<string, SchemaValidator>();
const loading = new Map<string, Promise<void>>();

/** The validator for a group/version/kind once `preloadSchemas`/`preloadAllSchemas` loaded it. */
export function schemaValidator(group: string, version: string, kind: string): SchemaValidator | undefined {
  return loaded.get(schemaKey(group, version, kind));
}

function moduleUrl(ref: SchemaRef): string {
  // The packages export `_schemas/*` (Istio does not), but every one exports package.json: going
  // through it reaches the file the same way for all four and yields the URL `import` would use.
  const pkgJson = import.meta.resolve(`${ref.pkg}/package.json`);
  return new URL(`_schemas/${ref.module}.js`, pkgJson).href;
}

function loadOne(key: string): Promise<void> {
  const ref = SCHEMA_REFS.get(key);
  if (!ref || loaded.has(key)) return Promise.resolve();
  let p = loading.get(key);
  if (!p) {
    p = import(moduleUrl(ref)).then((mod: { validate?: SchemaValidateFunction }) => {
      if (typeof mod.validate !== 'function') throw new Error(`${ref.pkg}/_schemas/${ref.module} exports no validate function`);
      loaded.set(key, { validate: mod.validate, apiVersionAs: ref.apiVersionAs });
    });
    p.finally(() => loading.delete(key)).catch(() => undefined);
    loading.set(key, p);
  }
  return p;
}

/**
 * Loads the validators the given objects need (anything with `apiVersion` and `kind`; unknown
 * kinds are skipped, validation reports them). Resolves once they are ready.
 */
export async function preloadSchemas(objects: Iterable<unknown>): Promise<void> {
  const keys = new Set<string>();
  for (const o of objects) {
    if (typeof o !== 'object' || o === null) continue;
    const { apiVersion, kind } = o as { apiVersion?: unknown; kind?: unknown };
    if (typeof apiVersion !== 'string' || typeof kind !== 'string') continue;
    const { group, version } = splitApiVersion(apiVersion);
    keys.add(schemaKey(group, version, kind));
  }
  await Promise.all([...keys].map(loadOne));
}

/** Loads every served kind's validator (about 460 ms, once); for long-running processes. */
export async function preloadAllSchemas(): Promise<void> {
  await Promise.all(SERVED_KINDS.flatMap((i) => i.versions.map((v) => loadOne(schemaKey(i.group, v, i.kind)))));
}

/** group/version/kind keys of served kinds that have no validator (should be none; tested). */
export function servedKindsWithoutSchemaForTest(): string[] {
  return SERVED_KINDS.flatMap((i) => i.versions.map((v) => schemaKey(i.group, v, i.kind))).filter((k) => !SCHEMA_REFS.has(k));
}
