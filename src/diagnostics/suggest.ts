// Did-you-mean: the closest candidate by edit distance, if it is close enough.
/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
 * adjacent letters (`mnsit` is one edit from `mnist`), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  const d: number[][] = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++)
    for (let j = 1; j <= y.length; j++) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[x.length]![y.length]!;
}

/** Names longer than this get no suggestion (the distance takes time of the product of the lengths). */
const LONGEST = 64;

export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDist = Math.max(1, Math.floor(name.length / 3));
  if (name.length > LONGEST) return undefined;
  for (const c of candidates) {
    if (c === name || Math.abs(c.length - name.length) > bestDist) continue;
    const d = editDistance(name, c);
    if (d <= bestDist && (best === undefined || d < bestDist || c < best)) {
      best = c;
      bestDist = d;
    }
  }
  return best;
}
