/**
 * Mode-coverage metrics for toy 2-D mixtures (ring of 8, grid of 25), as in VEEGAN and PacGAN:
 * each sample is assigned to its nearest mode centre and counts as *high quality* when it lies
 * within `qualityStds` (default 3) standard deviations of that centre (Euclidean distance).
 *
 * - `modes_covered`: modes with at least one high-quality sample;
 * - `high_quality_fraction`: high-quality samples / all samples;
 * - `reverse_kl`: KL(q ‖ uniform) = Σ q_k log(K q_k), where q is the histogram of the
 *   **high-quality** samples over the K modes (the literature's choice); 0 when they are spread
 *   evenly, log K when they all sit on one mode; null when there is no high-quality sample.
 */
export interface ToyMetrics {
  samples: number;
  modes: number;
  modes_covered: number;
  high_quality_fraction: number;
  reverse_kl: number | null;
  /** High-quality samples per mode. */
  mode_counts: number[];
}

export interface ToyReference {
  centers: readonly (readonly [number, number])[];
  /** The mixture components' standard deviation. */
  std: number;
}

/** `points` holds N (x, y) pairs, flat ([x0, y0, x1, y1, ...]). */
export function toyMetrics(points: ArrayLike<number>, ref: ToyReference, qualityStds = 3): ToyMetrics {
  const k = ref.centers.length;
  if (k === 0) throw new Error("toyMetrics needs at least one mode centre");
  if (points.length % 2 !== 0) throw new Error(`toyMetrics expects (x, y) pairs, got ${points.length} numbers`);
  const n = points.length / 2;
  const counts = new Array<number>(k).fill(0);
  const limit2 = (qualityStds * ref.std) ** 2;
  let good = 0;
  for (let i = 0; i < n; i++) {
    const x = points[2 * i]!;
    const y = points[2 * i + 1]!;
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < k; j++) {
      const d = (x - ref.centers[j]![0]) ** 2 + (y - ref.centers[j]![1]) ** 2;
      if (d < bestD) {
        bestD = d;
        best = j;
      }
    }
    if (bestD <= limit2) {
      counts[best]!++;
      good++;
    }
  }
  let kl: number | null = null;
  if (good > 0) {
    kl = 0;
    for (const c of counts) if (c > 0) kl += (c / good) * Math.log((k * c) / good);
    kl = Math.max(0, kl);
  }
  return {
    samples: n,
    modes: k,
    modes_covered: counts.filter((c) => c > 0).length,
    high_quality_fraction: n > 0 ? good / n : 0,
    reverse_kl: kl,
    mode_counts: counts,
  };
}
