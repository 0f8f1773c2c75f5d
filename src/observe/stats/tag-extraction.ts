/**
 * Envoy's tag extraction (source/common/stats/tag_producer_impl.cc, well_known_names.cc): turns
 * `cluster.backend.upstream_rq_200` into the tag-extracted name `cluster.upstream_rq` with tags
 * `envoy.response_code="200"`, `envoy.cluster_name="backend"`. Prometheus output is built from
 * these. Extraction runs once per stat (lazily, at the first render), never per request.
 *
 * Semantics copied from Envoy: extractors without a prefix token run first, then those whose
 * prefix is the stat's first token, each in definition order (regex descriptors before tokenized
 * ones); every extractor matches against the full original name; the removed character ranges
 * are unioned; when two extractors share a tag name only the first match counts.
 */
import { RE2JS } from 're2js';
import { err, ok, type Result } from '../../lib/result.ts';

export interface Tag {
  readonly name: string;
  readonly value: string;
}

export interface TaggedName {
  /** The name with every extracted part removed (`cluster.upstream_rq`). */
  readonly extractedName: string;
  /** Tags in extraction order (Envoy prints them in this order). */
  readonly tags: readonly Tag[];
}

/** Envoy's well-known tag names (TagNameValues). */
export const TAG_NAMES = Object.freeze({
  CLUSTER_NAME: 'envoy.cluster_name',
  LISTENER_ADDRESS: 'envoy.listener_address',
  HTTP_CONN_MANAGER_PREFIX: 'envoy.http_conn_manager_prefix',
  HTTP_USER_AGENT: 'envoy.http_user_agent',
  SSL_CIPHER: 'envoy.ssl_cipher',
  SSL_CIPHER_SUITE: 'cipher_suite',
  SSL_CURVE: 'envoy.ssl_curve',
  SSL_SIGALG: 'envoy.ssl_sigalg',
  SSL_VERSION: 'envoy.ssl_version',
  TLS_CERTIFICATE: 'envoy.tls_certificate',
  LOCAL_HTTP_RATELIMIT_PREFIX: 'envoy.local_http_ratelimit_prefix',
  LOCAL_NETWORK_RATELIMIT_PREFIX: 'envoy.local_network_ratelimit_prefix',
  LOCAL_LISTENER_RATELIMIT_PREFIX: 'envoy.local_listener_ratelimit_prefix',
  TCP_PREFIX: 'envoy.tcp_prefix',
  UDP_PREFIX: 'envoy.udp_prefix',
  FAULT_DOWNSTREAM_CLUSTER: 'envoy.fault_downstream_cluster',
  GRPC_BRIDGE_SERVICE: 'envoy.grpc_bridge_service',
  GRPC_BRIDGE_METHOD: 'envoy.grpc_bridge_method',
  VIRTUAL_HOST: 'envoy.virtual_host',
  VIRTUAL_CLUSTER: 'envoy.virtual_cluster',
  RESPONSE_CODE: 'envoy.response_code',
  RESPONSE_CODE_CLASS: 'envoy.response_code_class',
  RDS_ROUTE_CONFIG: 'envoy.rds_route_config',
  SCOPED_RDS_CONFIG: 'envoy.scoped_rds_config',
  ROUTE: 'envoy.route',
  WORKER_ID: 'envoy.worker_id',
  EXT_AUTHZ_PREFIX: 'envoy.ext_authz_prefix',
  CONNECTION_LIMIT_PREFIX: 'envoy.connection_limit_prefix',
  RBAC_PREFIX: 'envoy.rbac_prefix',
  RBAC_HTTP_PREFIX: 'envoy.rbac_http_prefix',
  RBAC_POLICY_NAME: 'envoy.rbac_policy_name',
  PROXY_PROTOCOL_PREFIX: 'envoy.proxy_protocol_prefix',
  GOOGLE_GRPC_CLIENT_PREFIX: 'envoy.google_grpc_client_prefix',
  XDS_RESOURCE_NAME: 'envoy.xds_resource_name',
});

const EXPANSIONS: Readonly<Record<string, string>> = {
  '<ADDRESS>': String.raw`(?:(?:\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[[a-fA-F_\d]+\])_\d+)`,
  '<CIPHER>': String.raw`[\w\-]+`,
  '<TLS_VERSION>': String.raw`TLSv\d\.\d`,
  '<TAG_VALUE>': String.raw`[^\.]+`,
  '<ROUTE_CONFIG_NAME>': String.raw`[\w\-\./]+`,
  '<SCOPED_ROUTE_CONFIG_NAME>': String.raw`[\w\-\.]+`,
  '<LISTENER_OR_CLUSTER_WITH_NAME>': String.raw`(?:listener|cluster)\..*?`,
};

function expand(regex: string): string {
  return regex.replace(/<[A-Z_]+>/g, (m) => EXPANSIONS[m] ?? m);
}

type Descriptor =
  | { readonly kind: 'regex'; readonly name: string; readonly regex: string; readonly substr?: string; readonly negative?: string }
  | { readonly kind: 'tokens'; readonly name: string; readonly pattern: string };

const T = TAG_NAMES;
const R = String.raw;

/** The default extractors weft's stats can hit, in Envoy's definition order. */
const DEFAULT_DESCRIPTORS: readonly Descriptor[] = [
  { kind: 'regex', name: T.RESPONSE_CODE, regex: R`_rq(_(\d{3}))$`, substr: '_rq_' },
  { kind: 'regex', name: T.RESPONSE_CODE_CLASS, regex: R`_rq_((\d))xx$`, substr: '_rq_' },
  { kind: 'regex', name: T.SSL_CIPHER, regex: R`^listener\..*?\.ssl\.ciphers(\.(<CIPHER>))$`, substr: '.ssl.ciphers.' },
  { kind: 'regex', name: T.SSL_CURVE, regex: R`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.curves(\.(<CIPHER>))$`, substr: '.ssl.curves.' },
  { kind: 'regex', name: T.SSL_SIGALG, regex: R`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.sigalgs(\.(<CIPHER>))$`, substr: '.ssl.sigalgs.' },
  { kind: 'regex', name: T.SSL_VERSION, regex: R`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.versions(\.(<TLS_VERSION>))$`, substr: '.ssl.versions.' },
  { kind: 'regex', name: T.SSL_CIPHER_SUITE, regex: R`^cluster\.<TAG_VALUE>\.ssl\.ciphers(\.(<CIPHER>))$`, substr: '.ssl.ciphers.' },
  { kind: 'regex', name: T.HTTP_CONN_MANAGER_PREFIX, regex: R`^listener\..*?\.http\.((<TAG_VALUE>)\.)`, substr: '.http.' },
  { kind: 'regex', name: T.WORKER_ID, regex: R`^(?:listener\.(?:<ADDRESS>|<TAG_VALUE>)|server|listener_manager|thread_local_cluster_manager)\.worker_((\d+)\.)` },
  { kind: 'regex', name: T.LISTENER_ADDRESS, regex: R`^listener\.((<ADDRESS>|<TAG_VALUE>)\.)`, negative: 'admin' },
  { kind: 'regex', name: T.RDS_ROUTE_CONFIG, regex: R`^http\.<TAG_VALUE>\.rds\.((<ROUTE_CONFIG_NAME>)\.)\w+?$`, substr: '.rds.' },
  { kind: 'regex', name: T.SCOPED_RDS_CONFIG, regex: R`^http\.<TAG_VALUE>\.scoped_rds\.((<SCOPED_ROUTE_CONFIG_NAME>)\.)\w+?$`, substr: '.scoped_rds.' },
  { kind: 'regex', name: T.RBAC_POLICY_NAME, regex: R`^http\.<TAG_VALUE>\.rbac\.(?:<TAG_VALUE>\.)?policy\.((<TAG_VALUE>)\.)(allowed|shadow_allowed|denied|shadow_denied)$` },
  { kind: 'regex', name: T.RBAC_HTTP_PREFIX, regex: R`^http\.<TAG_VALUE>\.rbac\.((<TAG_VALUE>)\.).*?`, negative: 'policy' },
  { kind: 'regex', name: T.PROXY_PROTOCOL_PREFIX, regex: R`^proxy_proto\.((<TAG_VALUE>)\.).+$`, negative: 'versions' },
  { kind: 'regex', name: T.TLS_CERTIFICATE, regex: R`^<LISTENER_OR_CLUSTER_WITH_NAME>\.ssl\.certificate\.((<TAG_VALUE>)\.).*$`, substr: '.ssl.certificate' },
  { kind: 'regex', name: T.XDS_RESOURCE_NAME, regex: R`^sds\.((<TAG_VALUE>)\.).+` },
  { kind: 'tokens', name: T.GRPC_BRIDGE_METHOD, pattern: 'cluster.*.grpc.*.$.**' },
  { kind: 'tokens', name: T.HTTP_USER_AGENT, pattern: 'http.*.user_agent.$.**' },
  { kind: 'tokens', name: T.VIRTUAL_CLUSTER, pattern: 'vhost.*.vcluster.$.**' },
  { kind: 'tokens', name: T.FAULT_DOWNSTREAM_CLUSTER, pattern: 'http.*.fault.$.**' },
  { kind: 'tokens', name: T.GRPC_BRIDGE_SERVICE, pattern: 'cluster.*.grpc.$.**' },
  { kind: 'tokens', name: T.TCP_PREFIX, pattern: 'tcp.$.**' },
  { kind: 'tokens', name: T.UDP_PREFIX, pattern: 'udp.$.**' },
  { kind: 'tokens', name: T.CLUSTER_NAME, pattern: 'cluster.$.**' },
  { kind: 'tokens', name: T.EXT_AUTHZ_PREFIX, pattern: 'cluster.*.ext_authz.$.**' },
  { kind: 'tokens', name: T.EXT_AUTHZ_PREFIX, pattern: 'http.*.ext_authz.$.**' },
  { kind: 'tokens', name: T.HTTP_CONN_MANAGER_PREFIX, pattern: 'http.$.**' },
  { kind: 'tokens', name: T.VIRTUAL_HOST, pattern: 'vhost.$.**' },
  { kind: 'tokens', name: T.ROUTE, pattern: 'vhost.*.route.$.**' },
  { kind: 'tokens', name: T.LOCAL_HTTP_RATELIMIT_PREFIX, pattern: '$.http_local_rate_limit.**' },
  { kind: 'tokens', name: T.LOCAL_NETWORK_RATELIMIT_PREFIX, pattern: 'local_rate_limit.$.**' },
  { kind: 'tokens', name: T.LOCAL_LISTENER_RATELIMIT_PREFIX, pattern: 'listener_local_ratelimit.$.**' },
  { kind: 'tokens', name: T.CONNECTION_LIMIT_PREFIX, pattern: 'connection_limit.$.**' },
  { kind: 'tokens', name: T.RBAC_PREFIX, pattern: '$.rbac.**' },
  { kind: 'tokens', name: T.GOOGLE_GRPC_CLIENT_PREFIX, pattern: 'grpc.$.**' },
];

interface Match {
  readonly value: string;
  readonly start: number;
  readonly end: number;
}

interface Extractor {
  readonly name: string;
  /** First token of the names it can match, or '' for any. */
  readonly prefix: string;
  match(statName: string, tokens: () => readonly string[]): Match | undefined;
}

/** Envoy's extractRegexPrefix: `^cluster\.` → `cluster`. */
function regexPrefix(regex: string): string {
  if (!regex.startsWith('^')) return '';
  let i = 1;
  while (i < regex.length && /[A-Za-z0-9_]/.test(regex[i])) i++;
  if (i === 1) return '';
  const rest = regex.slice(i);
  if (rest.startsWith(R`\.`) || rest.startsWith(R`(?=\.)`) || rest === '$') return regex.slice(1, i);
  return '';
}

function regexExtractor(name: string, source: string, substr = '', negative = ''): Extractor {
  const expanded = expand(source);
  const re = new RegExp(expanded, 'd');
  return {
    name,
    prefix: regexPrefix(expanded),
    match(statName) {
      if (substr !== '' && !statName.includes(substr)) return undefined;
      const m = re.exec(statName);
      if (m === null || m.indices === undefined || !m[1]) return undefined;
      const value = m[2] ? m[2] : m[1];
      if (negative !== '' && value === negative) return undefined;
      const [start, end] = m.indices[1] as [number, number];
      return { value, start, end };
    },
  };
}

function re2Extractor(name: string, regex: RE2JS): Extractor {
  return {
    name,
    prefix: regexPrefix(regex.pattern()),
    match(statName) {
      const m = regex.matcher(statName);
      if (!m.find() || m.groupCount() < 1) return undefined;
      const remove = m.group(1);
      if (!remove) return undefined;
      const v2 = m.groupCount() >= 2 ? m.group(2) : null;
      return { value: v2 ? v2 : remove, start: m.start(1), end: m.end(1) };
    },
  };
}

function tokensExtractor(name: string, pattern: string): Extractor {
  const p = pattern.split('.');
  const first = p[0];
  return {
    name,
    prefix: first === '$' || first === '*' || first === '**' ? '' : first,
    match(statName, tokens) {
      const input = tokens();
      let captured = -1;
      const walk = (pi: number, ii: number): boolean => {
        if (pi === p.length) return ii === input.length;
        if (ii === input.length) return false;
        const tok = p[pi];
        if (tok === '**') {
          if (pi === p.length - 1) return true;
          for (let k = ii; k < input.length; k++) if (walk(pi + 1, k)) return true;
          return false;
        }
        if (tok === '$') {
          if (!walk(pi + 1, ii + 1)) return false;
          captured = ii;
          return true;
        }
        return (tok === '*' || tok === input[ii]) && walk(pi + 1, ii + 1);
      };
      if (!walk(0, 0) || captured < 0) return undefined;
      let start = 0;
      for (let i = 0; i < captured; i++) start += input[i].length + 1;
      const value = input[captured];
      let end = start + value.length;
      // Remove the dot after the token, or the one before it when it is the last token.
      if (captured < input.length - 1) end++;
      else if (start > 0) start--;
      return { value, start, end };
    },
  };
}

function fixedExtractor(name: string, value: string): Extractor {
  return { name, prefix: '', match: () => ({ value, start: 0, end: 0 }) };
}

/** Bootstrap `stats_config`: the part of it weft honours. */
export interface StatsTagsConfig {
  /** `use_all_default_tags`; default true, as in Envoy. */
  readonly useAllDefaultTags?: boolean;
  /** `stats_tags`: a regex (RE2; group 1 removed, group 2 the value) or a fixed value. */
  readonly statsTags?: readonly { readonly tagName: string; readonly regex?: string; readonly fixedValue?: string }[];
}

export class TagProducer {
  readonly #withoutPrefix: Extractor[] = [];
  readonly #byPrefix = new Map<string, Extractor[]>();
  readonly #nameCounts = new Map<string, number>();

  private constructor() {}

  /** Envoy's defaults plus `statsTags`; an unusable regex or unknown default name is an error. */
  static create(config: StatsTagsConfig = {}): Result<TagProducer, string> {
    const p = new TagProducer();
    if (config.useAllDefaultTags ?? true) for (const d of DEFAULT_DESCRIPTORS) p.#add(fromDescriptor(d));
    for (const spec of config.statsTags ?? []) {
      if (spec.tagName === '') return err('stats_tags: tag_name cannot be empty');
      if (spec.fixedValue !== undefined) {
        p.#add(fixedExtractor(spec.tagName, spec.fixedValue));
      } else if (spec.regex === undefined || spec.regex === '') {
        const defaults = DEFAULT_DESCRIPTORS.filter((d) => d.name === spec.tagName);
        if (defaults.length === 0) {
          return err(`No regex specified for tag specifier and no default regex for name: '${spec.tagName}'`);
        }
        for (const d of defaults) p.#add(fromDescriptor(d));
      } else {
        let compiled: RE2JS;
        try {
          compiled = RE2JS.compile(spec.regex);
        } catch (e) {
          return err(`stats_tags ${spec.tagName}: invalid RE2 regex ${JSON.stringify(spec.regex)}: ${(e as Error).message}`);
        }
        p.#add(re2Extractor(spec.tagName, compiled));
      }
    }
    return ok(p);
  }

  /** The producer with Envoy's default extractors only. */
  static defaults(): TagProducer {
    const r = TagProducer.create();
    if (!r.ok) throw new Error(r.error); // the built-in table is constant; unreachable
    return r.value;
  }

  #add(e: Extractor): void {
    this.#nameCounts.set(e.name, (this.#nameCounts.get(e.name) ?? 0) + 1);
    if (e.prefix === '') this.#withoutPrefix.push(e);
    else {
      const list = this.#byPrefix.get(e.prefix);
      if (list) list.push(e);
      else this.#byPrefix.set(e.prefix, [e]);
    }
  }

  produceTags(statName: string): TaggedName {
    let tokens: string[] | undefined;
    const getTokens = (): readonly string[] => (tokens ??= statName.split('.'));
    const tags: Tag[] = [];
    const ranges: [number, number][] = [];
    const seen = new Set<string>();
    const run = (e: Extractor): void => {
      const shared = (this.#nameCounts.get(e.name) ?? 0) > 1;
      if (shared && seen.has(e.name)) return;
      const m = e.match(statName, getTokens);
      if (m === undefined) return;
      tags.push({ name: e.name, value: m.value });
      if (m.end > m.start) ranges.push([m.start, m.end]);
      if (shared) seen.add(e.name);
    };
    for (const e of this.#withoutPrefix) run(e);
    const dot = statName.indexOf('.');
    if (dot > 0) for (const e of this.#byPrefix.get(statName.slice(0, dot)) ?? []) run(e);
    return { extractedName: removeRanges(statName, ranges), tags };
  }
}

function fromDescriptor(d: Descriptor): Extractor {
  return d.kind === 'regex' ? regexExtractor(d.name, d.regex, d.substr, d.negative) : tokensExtractor(d.name, d.pattern);
}

function removeRanges(s: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return s;
  const keep = new Uint8Array(s.length).fill(1);
  for (const [a, b] of ranges) keep.fill(0, a, b);
  let out = '';
  for (let i = 0; i < s.length; i++) if (keep[i] === 1) out += s[i];
  return out;
}
