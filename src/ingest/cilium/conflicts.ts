/**
 * What two configs cannot both have (Cilium leaves the outcome undefined; weft reports it): the
 * same qualified name with different content, the same Service port redirected, or the same
 * address bound by two listeners. Identical duplicates (same name, same content) are fine.
 */
import { configHash } from '../../model/index.ts';
import type { PreparedConfig } from './prepare-config.ts';
import { resourceKindName } from './prepare-config.ts';
import { resourceName } from './qualify-resource.ts';
import { formatHostPort } from './service-view.ts';

/** A config's claims: key → a value two configs must share for the claim not to conflict. */
export type Claims = ReadonlyMap<string, Claim>;

interface Claim {
  readonly value: string;
  readonly describe: string;
  /** An address bound for a redirect: a clash there is already told as the redirect's. */
  readonly redirected?: boolean;
}

export function claimsOf(config: PreparedConfig): Claims {
  const out = new Map<string, Claim>();
  const redirected = new Set(config.redirects.flatMap((r) => r.addresses));
  for (const { resource } of config.resources) {
    const kind = resourceKindName(resource);
    const name = resourceName(resource);
    out.set(`name:${kind}/${name}`, { value: configHash(resource), describe: `${kind} "${name}" is defined differently` });
    if (resource.kind !== 'listener') continue;
    const l = resource.listener;
    const addresses = [...(l.address ? [l.address] : []), ...l.additionalAddresses];
    for (const a of addresses) {
      const shown = a.kind === 'pipe' ? a.path : formatHostPort(a.address.toLowerCase(), a.portValue);
      out.set(`address:${shown}`, { value: l.name, describe: `both bind ${shown}`, redirected: redirected.has(shown) });
    }
  }
  for (const r of config.redirects) {
    const key = `${r.namespace}/${r.service}:${r.port}`;
    out.set(`redirect:${key}`, { value: `${config.inputIndex}`, describe: `both redirect Service port ${key}` });
  }
  return out;
}

/** What conflicts between two configs' claims, worded for a status message; empty = none. */
export function conflictsBetween(a: Claims, b: Claims): string[] {
  const out: string[] = [];
  for (const [key, claim] of b) {
    const other = a.get(key);
    if (other !== undefined && other.value !== claim.value && !(other.redirected && claim.redirected)) out.push(claim.describe);
  }
  return out;
}
