/**
 * Writes what each CiliumEnvoyConfig / CiliumClusterwideEnvoyConfig turned into as status
 * conditions (Cilium gives these objects no status at all: its errors live in the agent's log).
 *
 * - `Accepted`: the config decoded and every reference resolved (else False, with the first error).
 * - `Programmed`: its resources are in the snapshot the data plane serves (else False: not selected
 *   by `nodeSelector`, conflicting with an older config, or left out because it broke the snapshot).
 * - `Conflicted`: present when it defines something another config defines differently.
 * Conditions carry observedGeneration; lastTransitionTime changes only when a status does, so an
 * unchanged outcome writes nothing.
 */
import type { KubeObject } from '../api/object.ts';
import type { Snapshot } from '../model/index.ts';
import { explainEnvoyConfig } from './envoy-config-explain.ts';
import type { EnvoyConfigExplanation } from './envoy-config-explain.ts';
import { withTransitionTimes } from '../controllers/conditions.ts';
import type { CiliumEnvoyConfigReport, ConfigCondition } from '../ingest/cilium/index.ts';
import { StoreError } from '../store/index.ts';
import type { Store } from '../store/index.ts';
import { objectKey } from './ingesters.ts';
import type { ReconcileOutcome } from './reconciler.ts';

interface StatusCondition {
  readonly type: string;
  /** `Unknown` before the first reconcile has seen the object. */
  readonly status: ConfigCondition['status'] | 'Unknown';
  readonly reason: string;
  readonly message: string;
  readonly observedGeneration?: number;
  readonly lastTransitionTime?: string;
}

const OWN_TYPES: ReadonlySet<string> = new Set(['Accepted', 'Programmed', 'Conflicted']);

export class EnvoyConfigStatusWriter {
  readonly #store: Store;
  readonly #now: () => Date;
  readonly #log: (line: string) => void;
  /** The last reports, by `kind/ns/name`, and the snapshot serving (for `weft explain`). */
  #reports = new Map<string, CiliumEnvoyConfigReport>();
  #snapshot: Snapshot | undefined;

  constructor(store: Store, opts: { now?: () => Date; log?: (line: string) => void } = {}) {
    this.#store = store;
    this.#now = opts.now ?? (() => new Date());
    this.#log = opts.log ?? (() => {});
  }

  /** What the stored config turned into in the last reconcile. */
  explain(object: KubeObject): EnvoyConfigExplanation {
    return explainEnvoyConfig(object, this.#reports.get(objectKey(object.kind, object.metadata.namespace, object.metadata.name)), this.#snapshot);
  }

  readonly write = async (outcome: ReconcileOutcome): Promise<void> => {
    const byKey = new Map(outcome.envoyConfigs.map((r) => [objectKey(r.object.kind, r.object.namespace, r.object.name), r]));
    this.#reports = byKey;
    this.#snapshot = outcome.snapshot;
    const now = this.#now().toISOString();
    for (const config of outcome.bundle.envoyConfigs) {
      const key = objectKey(config.kind, config.metadata.namespace, config.metadata.name);
      const next = conditionsFor(byKey.get(key), outcome.excluded.get(key), outcome);
      const generation = config.metadata.generation;
      const withGen = next.map((c): StatusCondition => (generation === undefined ? c : { ...c, observedGeneration: generation }));
      const prev = (config as { status?: { conditions?: StatusCondition[] } }).status?.conditions;
      // Conditions of types weft does not own (another controller's, a user's) are kept.
      const foreign = (prev ?? []).filter((c) => !OWN_TYPES.has(c.type));
      const conditions = [...withTransitionTimes(prev, withGen, now), ...foreign];
      try {
        await this.#store.updateStatus('cilium.io', config.kind, config.metadata.namespace, config.metadata.name, { conditions });
      } catch (e) {
        // Deleted since the bundle was read: nothing to report on.
        if (e instanceof StoreError && e.reason === 'NotFound') continue;
        this.#log(`weft: status of ${config.kind} ${config.metadata.name}: ${(e as Error).message}`);
      }
    }
  };
}

function conditionsFor(report: CiliumEnvoyConfigReport | undefined, excludedBecause: string | undefined, outcome: ReconcileOutcome): StatusCondition[] {
  if (excludedBecause !== undefined) {
    return [
      { type: 'Accepted', status: 'True', reason: 'Accepted', message: 'the resources decoded and their references resolve' },
      { type: 'Programmed', status: 'False', reason: 'DataPlaneRejected', message: `left out of the served configuration (tried again every few seconds): ${excludedBecause}` },
    ];
  }
  if (report === undefined) {
    return [{ type: 'Accepted', status: 'Unknown', reason: 'Pending', message: 'not processed yet' }];
  }
  if (outcome.serving) return [...report.conditions];
  return report.conditions.map((c) =>
    c.type === 'Programmed' && c.status === 'True' ? { ...c, status: 'False', reason: 'Pending', message: `${outcome.message}` } : c,
  );
}
