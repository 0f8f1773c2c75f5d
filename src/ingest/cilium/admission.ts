/**
 * Decides, for every config, whether it is accepted and whether it is programmed on this node:
 * 1. valid on its own (prepare-config, check-config-snapshot);
 * 2. its references resolve among the accepted configs (repeated until stable: a config that
 *    loses acceptance can take its dependants with it);
 * 3. its nodeSelector selects this node;
 * 4. it does not conflict with an older programmed config (creationTimestamp, then kind,
 *    namespace, name); both sides of a conflict are told, the older one keeps serving;
 * 5. what it refers to in other configs is programmed too (again until stable), so the merged
 *    snapshot always builds.
 * Every loop removes at least one config per round, so it ends within as many rounds as configs.
 */
import { formatObjectRef, type ObjectRef } from '../../lib/diagnostic.ts';
import { DIAGNOSTIC_CODES } from '../../lib/diagnostic.ts';
import { formatLabelSelector } from '../../lib/label-selector.ts';
import { selectsNode } from './config-spec.ts';
import { claimsOf, conflictsBetween, type Claims } from './conflicts.ts';
import type { PreparedConfig } from './prepare-config.ts';
import { describeRef, definedNames, reportUnresolved, unresolvedRefs } from './resolve-refs.ts';

export type NotProgrammedReason = 'NotAccepted' | 'NodeNotSelected' | 'Conflicted' | 'RefNotProgrammed';

export interface ConflictWith {
  readonly other: ObjectRef;
  /** The other config is older (it wins) or newer. */
  readonly older: boolean;
  readonly what: readonly string[];
}

export interface Admission {
  readonly accepted: { readonly ok: true } | { readonly ok: false; readonly reason: 'Invalid' | 'UnresolvedRefs' };
  readonly programmed: { readonly ok: true } | { readonly ok: false; readonly reason: NotProgrammedReason; readonly message: string };
  readonly conflicts: readonly ConflictWith[];
}

function timestamp(c: PreparedConfig): number {
  const t = Date.parse(c.object.metadata.creationTimestamp ?? '');
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Oldest first: creationTimestamp (missing = newest), then kind, namespace, name. */
export function compareAge(a: PreparedConfig, b: PreparedConfig): number {
  const ta = timestamp(a);
  const tb = timestamp(b);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return compareKeys(a.ref.kind, b.ref.kind) || compareKeys(a.ref.namespace ?? '', b.ref.namespace ?? '') || compareKeys(a.ref.name, b.ref.name);
}

function acceptByRefs(valid: readonly PreparedConfig[], external: ReadonlySet<string>, rejected: Set<PreparedConfig>): PreparedConfig[] {
  let accepted = [...valid];
  for (;;) {
    const defined = definedNames(accepted);
    const failing = accepted.filter((c) => unresolvedRefs(c, defined, external).length > 0);
    if (failing.length === 0) return accepted;
    const keep = accepted.filter((c) => !failing.includes(c));
    for (const c of failing) {
      const refs = unresolvedRefs(c, defined, external);
      reportUnresolved(c, refs, (ref) => {
        const by = [...rejected, ...failing].filter((o) => o !== c && definedNames([o])[ref.kind].has(ref.name));
        return by.length > 0 ? by.map((o) => formatObjectRef(o.ref)).join(', ') : undefined;
      });
      rejected.add(c);
    }
    accepted = keep;
  }
}

function resolveConflicts(candidates: readonly PreparedConfig[], out: Map<PreparedConfig, Admission>): PreparedConfig[] {
  const ordered = [...candidates].sort(compareAge);
  const claims = new Map<PreparedConfig, Claims>(ordered.map((c) => [c, claimsOf(c)]));
  const conflicts = new Map<PreparedConfig, ConflictWith[]>(ordered.map((c) => [c, []]));
  const admitted: PreparedConfig[] = [];
  ordered.forEach((c, i) => {
    let blocked = false;
    for (const older of ordered.slice(0, i)) {
      const what = conflictsBetween(claims.get(older)!, claims.get(c)!);
      if (what.length === 0) continue;
      conflicts.get(c)!.push({ other: older.ref, older: true, what });
      conflicts.get(older)!.push({ other: c.ref, older: false, what });
      if (admitted.includes(older)) blocked = true;
    }
    if (!blocked) admitted.push(c);
  });
  for (const c of ordered) {
    const mine = conflicts.get(c)!;
    if (admitted.includes(c)) {
      out.set(c, { accepted: { ok: true }, programmed: { ok: true }, conflicts: mine });
      continue;
    }
    const winners = mine.filter((w) => w.older && admitted.some((a) => a.ref === w.other));
    const message = `conflicts with ${winners.map((w) => `${formatObjectRef(w.other)} (${w.what.join('; ')})`).join(', ')}, which is older and keeps serving`;
    out.set(c, { accepted: { ok: true }, programmed: { ok: false, reason: 'Conflicted', message }, conflicts: mine });
  }
  for (const c of ordered) {
    for (const w of conflicts.get(c)!) {
      const them = admitted.some((a) => a.ref === w.other);
      const side = admitted.includes(c) ? 'this one is served, the other is not' : them ? 'the other is served, this one is not' : 'neither is served';
      c.diagnostics.warning([], DIAGNOSTIC_CODES.CONFLICT, `conflicts with ${formatObjectRef(w.other)}: ${w.what.join('; ')}; ${side}`, 'rename the resources or drop the duplicate redirect in one of them');
    }
  }
  return admitted;
}

function requireProgrammedRefs(admitted: readonly PreparedConfig[], external: ReadonlySet<string>, out: Map<PreparedConfig, Admission>): void {
  let serving = [...admitted];
  for (;;) {
    const defined = definedNames(serving);
    const failing = serving.filter((c) => unresolvedRefs(c, defined, external).length > 0);
    if (failing.length === 0) return;
    for (const c of failing) {
      const refs = unresolvedRefs(c, defined, external);
      for (const ref of refs) {
        c.diagnostics.warning(ref.path, DIAGNOSTIC_CODES.UNRESOLVED_REF, `${describeRef(c, ref)} is defined only by configs that are not programmed on this node`);
      }
      const message = `${refs.map((r) => describeRef(c, r)).join(', ')} ${refs.length === 1 ? 'is' : 'are'} defined only by configs that are not programmed on this node`;
      out.set(c, { ...out.get(c)!, programmed: { ok: false, reason: 'RefNotProgrammed', message } });
    }
    serving = serving.filter((c) => !failing.includes(c));
  }
}

export function admitConfigs(configs: readonly PreparedConfig[], nodeLabels: Readonly<Record<string, string>>, external: ReadonlySet<string>): Map<PreparedConfig, Admission> {
  const out = new Map<PreparedConfig, Admission>();
  const invalid = new Set(configs.filter((c) => c.diagnostics.errorCount > 0));
  const rejected = new Set<PreparedConfig>(invalid);
  const accepted = acceptByRefs(configs.filter((c) => !invalid.has(c)), external, rejected);
  for (const c of configs) {
    if (accepted.includes(c)) continue;
    const reason = invalid.has(c) ? 'Invalid' : 'UnresolvedRefs';
    out.set(c, { accepted: { ok: false, reason }, programmed: { ok: false, reason: 'NotAccepted', message: 'the config is not accepted' }, conflicts: [] });
  }
  const selected: PreparedConfig[] = [];
  for (const c of accepted) {
    if (selectsNode(c.spec, nodeLabels)) {
      selected.push(c);
      continue;
    }
    const labels = Object.entries(nodeLabels).map(([k, v]) => `${k}=${v}`).sort().join(',') || 'none';
    const message = `spec.nodeSelector (${formatLabelSelector(c.spec.nodeSelector!) || 'nothing'}) does not select this node (labels: ${labels})`;
    out.set(c, { accepted: { ok: true }, programmed: { ok: false, reason: 'NodeNotSelected', message }, conflicts: [] });
  }
  const admitted = resolveConflicts(selected, out);
  requireProgrammedRefs(admitted, external, out);
  return out;
}
