/**
 * envoy.config.route.v3.HeaderMatcher and QueryParameterMatcher compiled once. Semantics follow
 * Envoy's HeaderUtility::matchHeaders (source/common/http/header_utility.cc):
 * - a header with several values is matched against the values joined with `,`;
 * - a missing header matches only `present_match: false` (or, inverted, `present_match: true`),
 *   unless `treat_missing_header_as_empty`, which matches it as the empty string;
 * - otherwise the result of the match is XOR-ed with `invert_match`;
 * - `range_match` parses the value as a base-10 int64 (absl::SimpleAtoi: surrounding whitespace
 *   and a sign allowed) and checks start <= v < end.
 * Query parameters (ConfigUtility::QueryParameterMatcher): the first value of the parameter as it
 * appears in the URL (not percent-decoded); a missing parameter never matches.
 */
import type { HeaderMatcher, QueryParameterMatcher } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { asciiLower } from './ascii.ts';
import type { RouteRequest } from './request.ts';
import { compileStringMatcher, type ValuePredicate } from './string-matcher.ts';

export type RequestPredicate = (req: RouteRequest) => boolean;

type ValueReader = (req: RouteRequest) => string | undefined;

/** Pseudo-headers come from the request's own fields; `:path` is the path with its query, as in Envoy. */
function valueReader(lowerName: string): ValueReader {
  switch (lowerName) {
    case ':authority':
      return (r) => r.authority;
    case ':method':
      return (r) => r.method;
    case ':scheme':
      return (r) => r.scheme;
    case ':path':
      return (r) => (r.query === '' ? r.path : `${r.path}?${r.query}`);
    default:
      return (r) => r.headers.get(lowerName);
  }
}

const INT_RE = /^[ \t\n\v\f\r]*[+-]?\d+[ \t\n\v\f\r]*$/;

function compileValueMatch(h: HeaderMatcher): Result<ValuePredicate | boolean, string> {
  const spec = h.headerMatchSpecifier;
  switch (spec.kind) {
    case 'stringMatch':
      return compileStringMatcher(spec.stringMatch);
    case 'present':
      return ok(spec.present);
    case 'range': {
      const { start, end } = spec.range;
      return ok((s: string) => {
        if (!INT_RE.test(s)) return false;
        const n = Number(s.trim());
        return n >= start && n < end;
      });
    }
    default:
      return assertNever(spec, 'header match specifier');
  }
}

export function compileHeaderMatcher(h: HeaderMatcher): Result<RequestPredicate, string> {
  const read = valueReader(asciiLower(h.name));
  const compiled = compileValueMatch(h);
  if (!compiled.ok) return err(`header ${h.name}: ${compiled.error}`);
  const invert = h.invertMatch === true;
  const missingAsEmpty = h.treatMissingHeaderAsEmpty === true;
  const match = compiled.value;
  if (typeof match === 'boolean') {
    // present_match: the header's presence against the wanted presence, then invert.
    const present = match;
    return ok((req) => {
      const v = read(req);
      if (v === undefined && !missingAsEmpty) return invert ? present : !present;
      return present !== invert;
    });
  }
  return ok((req) => {
    let v = read(req);
    if (v === undefined) {
      if (!missingAsEmpty) return false;
      v = '';
    }
    return match(v) !== invert;
  });
}

/** The first value of each query parameter, raw. Built lazily, once per request, when a route needs it. */
export type QueryParams = ReadonlyMap<string, string>;

export function parseQueryParams(query: string): QueryParams {
  const out = new Map<string, string>();
  if (query === '') return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!out.has(name)) out.set(name, eq < 0 ? '' : part.slice(eq + 1));
  }
  return out;
}

export type QueryPredicate = (params: QueryParams) => boolean;

export function compileQueryParameterMatcher(q: QueryParameterMatcher): Result<QueryPredicate, string> {
  const name = q.name;
  const spec = q.queryParameterMatchSpecifier;
  switch (spec.kind) {
    case 'presentMatch':
      return ok((p) => p.has(name));
    case 'stringMatch': {
      const m = compileStringMatcher(spec.stringMatch);
      if (!m.ok) return err(`query parameter ${name}: ${m.error}`);
      const match = m.value;
      return ok((p) => {
        const v = p.get(name);
        return v !== undefined && match(v);
      });
    }
    default:
      return assertNever(spec, 'query parameter match specifier');
  }
}
