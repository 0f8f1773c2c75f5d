/**
 * Status conditions as Kubernetes keeps them: a condition's lastTransitionTime changes only when
 * its status does, so writing the same conditions again changes nothing (and writes nothing).
 */
export interface TimedCondition {
  readonly type: string;
  readonly status: string;
  readonly lastTransitionTime?: string;
}

/** `next` with each lastTransitionTime taken from `prev` when the status is unchanged, else `now`. */
export function withTransitionTimes<T extends TimedCondition>(prev: readonly T[] | undefined, next: readonly T[], now: string): T[] {
  return next.map((c) => {
    const old = prev?.find((p) => p.type === c.type);
    const lastTransitionTime = old !== undefined && old.status === c.status && old.lastTransitionTime ? old.lastTransitionTime : now;
    return { ...c, lastTransitionTime };
  });
}

export function findCondition<T extends TimedCondition>(conditions: readonly T[] | undefined, type: string): T | undefined {
  return Array.isArray(conditions) ? conditions.find((c) => c.type === type) : undefined;
}
