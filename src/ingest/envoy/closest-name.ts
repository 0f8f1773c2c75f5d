/**
 * "Did you mean": the candidate closest to a misspelt name. Case and `_` are ignored first, so a
 * lowerCamelCase spelling finds the snake_case field and the other way round.
 */

function normalise(s: string): string {
  return s.toLowerCase().replace(/_/g, '');
}

/** Optimal string alignment distance (insert, delete, substitute, swap neighbours: 1 each). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2] + 1);
      cur.push(v);
    }
    prev2 = prev;
    prev = cur;
  }
  return prev[b.length];
}

/**
 * The candidate nearest to `word`, if it is near enough: within a third of the word's length
 * (at least 2). Ties go to the first in sorted order, so the answer is deterministic.
 */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const w = normalise(word);
  if (w === '') return undefined;
  const limit = Math.max(2, Math.floor(w.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of [...new Set(candidates)].sort()) {
    if (c === word) continue;
    const n = normalise(c);
    if (n === w) return c;
    const d = editDistance(w, n);
    if (d <= limit && d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}
