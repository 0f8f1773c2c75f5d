/**
 * Short texts for configuration pieces, as `weft explain request` prints them: matchers
 * (`header version: exact foo`), filter chain matches, header mutations, durations and shares.
 * Descriptions only: whether something matches is always decided by the data plane's compiled code.
 */
import { assertNever } from '../../lib/assert-never.ts';
import { formatGoDuration } from '../../lib/duration.ts';
import type { CidrRange, FilterChainMatch, HeaderMatcher, HeaderValueOption, PathSpecifier, QueryParameterMatcher, RouteMatch, StringMatcher } from '../../model/index.ts';

export function describeDuration(ms: number): string {
  return formatGoDuration(ms);
}

/** A fraction in [0, 1] as a percentage, at most two decimals (`50`, `33.33`). */
export function percentOf(fraction: number): number {
  return Math.round(fraction * 10_000) / 100;
}

export function describeStringMatcher(m: StringMatcher): string {
  const ic = (ignoreCase: boolean | undefined) => (ignoreCase === true ? ' (ignoring case)' : '');
  switch (m.kind) {
    case 'exact':
      return `exact ${m.exact}${ic(m.ignoreCase)}`;
    case 'prefix':
      return `prefix ${m.prefix}${ic(m.ignoreCase)}`;
    case 'suffix':
      return `suffix ${m.suffix}${ic(m.ignoreCase)}`;
    case 'contains':
      return `contains ${m.contains}${ic(m.ignoreCase)}`;
    case 'safeRegex':
      return `regex ${m.regex}`;
    default:
      return assertNever(m, 'string matcher');
  }
}

export function describePath(p: PathSpecifier, caseSensitive: boolean | undefined): string {
  const ic = caseSensitive === false ? ' (ignoring case)' : '';
  switch (p.kind) {
    case 'prefix':
      return `prefix ${p.prefix === '' ? '""' : p.prefix}${ic}`;
    case 'path':
      return `path ${p.path}${ic}`;
    case 'safeRegex':
      return `path regex ${p.regex}`;
    case 'pathSeparatedPrefix':
      return `path-separated prefix ${p.prefix}${ic}`;
    case 'connectMatcher':
      return 'CONNECT requests';
    default:
      return assertNever(p, 'path specifier');
  }
}

export function describeHeaderMatcher(h: HeaderMatcher): string {
  const spec = h.headerMatchSpecifier;
  let what: string;
  switch (spec.kind) {
    case 'stringMatch':
      what = describeStringMatcher(spec.stringMatch);
      break;
    case 'present':
      what = spec.present ? 'present' : 'absent';
      break;
    case 'range':
      what = `in [${spec.range.start}, ${spec.range.end})`;
      break;
    default:
      return assertNever(spec, 'header match specifier');
  }
  const flags = [h.invertMatch === true ? 'inverted' : '', h.treatMissingHeaderAsEmpty === true ? 'missing counts as empty' : ''].filter((f) => f !== '');
  return `header ${h.name}: ${what}${flags.length > 0 ? ` (${flags.join(', ')})` : ''}`;
}

export function describeQueryMatcher(q: QueryParameterMatcher): string {
  const spec = q.queryParameterMatchSpecifier;
  switch (spec.kind) {
    case 'presentMatch':
      return `query ${q.name}: present`;
    case 'stringMatch':
      return `query ${q.name}: ${describeStringMatcher(spec.stringMatch)}`;
    default:
      return assertNever(spec, 'query parameter match specifier');
  }
}

/** Every condition of a route match, in the order Envoy checks them. */
export function describeRouteMatch(m: RouteMatch): string {
  const parts = [describePath(m.pathSpecifier, m.caseSensitive)];
  if (m.runtimeFraction !== undefined && m.runtimeFraction < 1) parts.push(`${percentOf(m.runtimeFraction)}% of requests`);
  if (m.grpc === true) parts.push('gRPC only');
  for (const h of m.headers) parts.push(describeHeaderMatcher(h));
  for (const q of m.queryParameters) parts.push(describeQueryMatcher(q));
  if (m.tlsContext?.presented !== undefined) parts.push(`client certificate ${m.tlsContext.presented ? '' : 'not '}presented`);
  if (m.tlsContext?.validated !== undefined) parts.push(`client certificate ${m.tlsContext.validated ? '' : 'not '}validated`);
  return parts.join(', ');
}

function cidrs(ranges: readonly CidrRange[]): string {
  return ranges.map((r) => `${r.addressPrefix}/${r.prefixLen}`).join(', ');
}

/** A filter_chain_match, one criterion per entry; empty = matches every connection. */
export function describeFilterChainMatch(m: FilterChainMatch | undefined): string[] {
  if (m === undefined) return [];
  const out: string[] = [];
  if (m.destinationPort !== undefined) out.push(`destination port ${m.destinationPort}`);
  if (m.prefixRanges.length > 0) out.push(`destination ${cidrs(m.prefixRanges)}`);
  if (m.serverNames.length > 0) out.push(`server names ${m.serverNames.join(', ')}`);
  if (m.transportProtocol !== undefined && m.transportProtocol !== '') out.push(`transport ${m.transportProtocol}`);
  if (m.applicationProtocols.length > 0) out.push(`ALPN ${m.applicationProtocols.join(', ')}`);
  if (m.directSourcePrefixRanges.length > 0) out.push(`direct source ${cidrs(m.directSourcePrefixRanges)}`);
  if (m.sourceType !== undefined && m.sourceType !== 'ANY') out.push(`source type ${m.sourceType}`);
  if (m.sourcePrefixRanges.length > 0) out.push(`source ${cidrs(m.sourcePrefixRanges)}`);
  if (m.sourcePorts.length > 0) out.push(`source ports ${m.sourcePorts.join(', ')}`);
  return out;
}

/** `set x-a: 1`, `append x-b: 2`, `add if absent x-c: 3` (Envoy's append_action). */
export function describeHeaderAdd(o: HeaderValueOption): string {
  const action = o.appendAction ?? 'APPEND_IF_EXISTS_OR_ADD';
  const verb =
    action === 'APPEND_IF_EXISTS_OR_ADD' ? 'append' : action === 'ADD_IF_ABSENT' ? 'add if absent' : action === 'OVERWRITE_IF_EXISTS_OR_ADD' ? 'set' : 'overwrite if present';
  return `${verb} ${o.header.key}: ${o.header.value}`;
}

export function describeHeaderLayers(layers: readonly { readonly add: readonly HeaderValueOption[]; readonly remove: readonly string[] }[]): string[] {
  const out: string[] = [];
  for (const l of layers) {
    for (const r of l.remove) out.push(`remove ${r}`);
    for (const a of l.add) out.push(describeHeaderAdd(a));
  }
  return out;
}

/** `ip:port`, bracketing IPv6. */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}
