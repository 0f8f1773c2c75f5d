/**
 * Envoy's CodeStats for one scope: `<prefix>_completed`, `<prefix>_<N>xx` and `<prefix>_<code>`
 * (`upstream_rq_completed`, `upstream_rq_2xx`, `upstream_rq_200`). Envoy creates these on the
 * first response that needs them, so they appear in /stats only once used; here too. Lookup is
 * a small array indexed by the code, so charging a response never formats a name after the
 * first time.
 */
import type { Counter } from './metric.ts';
import type { StatScope } from './stat-store.ts';

export class ResponseCodeStats {
  readonly #scope: StatScope;
  readonly #prefix: string;
  #completed: Counter | undefined;
  readonly #classes: (Counter | undefined)[] = [undefined, undefined, undefined, undefined, undefined, undefined];
  readonly #codes: (Counter | undefined)[] = new Array<Counter | undefined>(600).fill(undefined);

  /** `prefix` is the stem without the trailing underscore, e.g. `upstream_rq`. */
  constructor(scope: StatScope, prefix: string) {
    this.#scope = scope;
    this.#prefix = prefix;
    // Take over counters an earlier holder of this scope created (snapshot swap).
    const stem = `${prefix}_`;
    for (const name of scope.existingNames()) {
      if (!name.startsWith(stem)) continue;
      const rest = name.slice(stem.length);
      if (rest === 'completed') this.#completed = scope.counter(name);
      else if (/^[1-5]xx$/.test(rest)) this.#classes[Number(rest[0])] = scope.counter(name);
      else if (/^[1-5]\d\d$/.test(rest)) this.#codes[Number(rest)] = scope.counter(name);
    }
  }

  /** Counts one completed response with status `code` (100–599; others count as completed only). */
  charge(code: number): void {
    (this.#completed ??= this.#scope.counter(`${this.#prefix}_completed`)).value++;
    if (!(code >= 100 && code <= 599)) return;
    code = code | 0;
    const cls = (code / 100) | 0;
    (this.#classes[cls] ??= this.#scope.counter(`${this.#prefix}_${cls}xx`)).value++;
    (this.#codes[code] ??= this.#scope.counter(`${this.#prefix}_${code}`)).value++;
  }

  /** The counter for one status code, if it was ever charged. */
  codeCounter(code: number): Counter | undefined {
    return this.#codes[code];
  }

  /** The counter for a class (2 → `_2xx`), if it was ever charged. */
  classCounter(cls: 1 | 2 | 3 | 4 | 5): Counter | undefined {
    return this.#classes[cls];
  }
}
