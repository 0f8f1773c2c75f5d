/**
 * "Did you mean" for misspelt field names: the known name closest to what was written, when one is
 * close enough. Case and `_`/`-` separators are ignored first, so Envoy-style `weighted_clusters`
 * finds Kubernetes-style `weightedClusters`.
 */

function normalise(s: string): string {
  return s.toLowerCase().replace(/[_-]/g, '');
}

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions as 1. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2][j - 2] + 1);
      d[i][j] = v;
    }
  }
  return d[a.length][b.length];
}

/** The closest candidate within about a third of the word's length (at least 1, at most 3). */
export function closestName(word: string, candidates: Iterable<string>): string | undefined {
  const w = normalise(word);
  const limit = Math.max(1, Math.min(3, Math.floor(w.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of [...candidates].sort()) {
    if (c === word) continue;
    const d = editDistance(w, normalise(c));
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
