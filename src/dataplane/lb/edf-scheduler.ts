/**
 * Earliest-deadline-first scheduling (Envoy's EdfScheduler, source/common/upstream/edf_scheduler.h):
 * each entry is due at `deadline`; a pick takes the earliest (ties: the one added first) and
 * reschedules it 1/weight later. Over any run of picks each entry gets its weight's share, spread
 * evenly, which is what makes weighted round robin smooth and exact (1:2:7 → 1, 2 and 7 picks in
 * every 10). A binary heap, updated in place: no allocation per pick.
 */
interface Entry<T> {
  readonly item: T;
  deadline: number;
  order: number;
}

export class EdfScheduler<T> {
  readonly #heap: Entry<T>[] = [];
  #order = 0;

  get size(): number {
    return this.#heap.length;
  }

  add(item: T, weight: number, now = 0): void {
    const e: Entry<T> = { item, deadline: now + 1 / weight, order: this.#order++ };
    const heap = this.#heap;
    heap.push(e);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.#less(heap[i], heap[parent])) break;
      const t = heap[i];
      heap[i] = heap[parent];
      heap[parent] = t;
      i = parent;
    }
  }

  /** The earliest entry; it is rescheduled `1 / weightOf(item)` after its deadline. */
  pick(weightOf: (item: T) => number): T {
    const heap = this.#heap;
    const top = heap[0];
    top.deadline += 1 / weightOf(top.item);
    top.order = this.#order++;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.#less(heap[l], heap[m])) m = l;
      if (r < n && this.#less(heap[r], heap[m])) m = r;
      if (m === i) break;
      const t = heap[i];
      heap[i] = heap[m];
      heap[m] = t;
      i = m;
    }
    return top.item;
  }

  #less(a: Entry<T>, b: Entry<T>): boolean {
    return a.deadline < b.deadline || (a.deadline === b.deadline && a.order < b.order);
  }
}
