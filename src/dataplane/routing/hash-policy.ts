/**
 * RouteAction.hash_policy compiled once into a function giving the key RING_HASH and MAGLEV
 * clusters hash. As Envoy's Http::HashPolicyImpl::generateHash (source/common/http/hash_policy.cc):
 * policies run in order; each one that yields a value is combined into the running hash by
 * rotating it left one bit and XOR-ing; a `terminal` policy that produced a hash ends the walk; no
 * value at all means "no hash" (the balancer then picks as if at random).
 * Values: a header's value (all values joined with `,`; after regex_rewrite if set), a cookie's
 * value, the downstream source IP, a query parameter's first value. Envoy generates a missing
 * cookie when `ttl` is set; that needs a response header, so it is the router filter's job and
 * this function returns no hash for it.
 */
import type { HashPolicy } from '../../model/index.ts';
import { assertNever } from '../../lib/assert-never.ts';
import { err, ok, type Result } from '../../lib/result.ts';
import { murmur3Hash32 } from '../../lib/stable-hash.ts';
import { parseQueryParams } from './header-matcher.ts';
import { asciiLower } from './ascii.ts';
import { compileRegexRewrite, replaceAllRe2 } from './path-rewrite.ts';
import type { RouteRequest } from './request.ts';

/** Request facts that are not headers. */
export interface HashInput {
  readonly sourceIp?: string;
}

/** An unsigned 32-bit hash, or undefined when no policy produced one. */
export type RequestHasher = (req: RouteRequest, input: HashInput) => number | undefined;

type ValueOf = (req: RouteRequest, input: HashInput) => string | undefined;

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(/[;,]/)) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const v = part.slice(eq + 1).trim();
      return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
    }
  }
  return undefined;
}

function compileValue(p: HashPolicy): Result<ValueOf, string> {
  const spec = p.policySpecifier;
  switch (spec.kind) {
    case 'header': {
      const name = asciiLower(spec.header.headerName);
      const rw = spec.header.regexRewrite;
      if (!rw) return ok((req) => req.headers.get(name));
      const compiled = compileRegexRewrite(rw);
      if (!compiled.ok) return err(compiled.error);
      const c = compiled.value;
      if (c.kind !== 'regex') return err('unexpected rewrite kind');
      return ok((req) => {
        const v = req.headers.get(name);
        return v === undefined ? undefined : replaceAllRe2(c.re, c.parts, v);
      });
    }
    case 'cookie': {
      const name = spec.cookie.name;
      return ok((req) => cookieValue(req.headers.get('cookie'), name));
    }
    case 'connectionProperties':
      return ok(spec.connectionProperties.sourceIp ? (_req: RouteRequest, input: HashInput) => input.sourceIp : () => undefined);
    case 'queryParameter': {
      const name = spec.queryParameter.name;
      return ok((req) => (req.query === '' ? undefined : parseQueryParams(req.query).get(name)));
    }
    default:
      return assertNever(spec, 'hash policy');
  }
}

export function compileHashPolicy(policies: readonly HashPolicy[]): Result<RequestHasher | undefined, string> {
  if (policies.length === 0) return ok(undefined);
  const steps: { value: ValueOf; terminal: boolean }[] = [];
  for (const p of policies) {
    const v = compileValue(p);
    if (!v.ok) return err(v.error);
    steps.push({ value: v.value, terminal: p.terminal === true });
  }
  return ok((req, input) => {
    let hash: number | undefined;
    for (const step of steps) {
      const v = step.value(req, input);
      if (v !== undefined) {
        const rotated = hash === undefined ? 0 : ((hash << 1) | (hash >>> 31)) >>> 0;
        hash = (rotated ^ murmur3Hash32(v)) >>> 0;
      }
      if (step.terminal && hash !== undefined) break;
    }
    return hash;
  });
}
