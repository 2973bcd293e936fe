/**
 * Toy 2-D Gaussian mixtures for mode-collapse experiments, sampled fresh each
 * step from (seed, step, stream). Mixture components are equally likely.
 *
 * - ring(k, radius, std): k means evenly spaced on a circle (first at angle 0).
 * - grid(k, spacing, std): k×k means centred on the origin; k = 5, spacing 2
 *   gives means at {-4, -2, 0, 2, 4}².
 *
 * No argument has a default here: a spec's defaults are the language's (src/lang/data.ts), and
 * the IR carries every argument, so a run always states the mixture it trains on.
 */
import * as tf from "@tensorflow/tfjs";
import { RuntimeUserError } from "../errors.js";
import { prngFor } from "../rng.js";

export interface Mixture2d {
  /** The mode centres [[x, y], ...] (evaluation measures coverage against them). */
  centers: [number, number][];
  std: number;
  /** A batch [n, 2] for (seed, step, stream). */
  sample(n: number, seed: number, step: number, stream?: string): tf.Tensor2D;
}

function mixture(centers: [number, number][], std: number): Mixture2d {
  if (!(std >= 0)) throw new RuntimeUserError(`mixture std must be >= 0, got ${std}`);
  return {
    centers,
    std,
    sample(n: number, seed: number, step: number, stream = "data/toy2d"): tf.Tensor2D {
      const rng = prngFor(seed, step, stream);
      const out = new Float32Array(n * 2);
      for (let i = 0; i < n; i++) {
        const c = centers[rng.nextInt(centers.length)]!;
        out[2 * i] = c[0] + std * rng.nextNormal();
        out[2 * i + 1] = c[1] + std * rng.nextNormal();
      }
      return tf.tensor2d(out, [n, 2]);
    },
  };
}

export function ring(k: number, radius: number, std: number): Mixture2d {
  if (!Number.isInteger(k) || k < 1) throw new RuntimeUserError(`ring needs a positive integer number of modes, got ${k}`);
  const centers: [number, number][] = [];
  for (let i = 0; i < k; i++) {
    const a = (2 * Math.PI * i) / k;
    centers.push([radius * Math.cos(a), radius * Math.sin(a)]);
  }
  return mixture(centers, std);
}

export function grid(k: number, spacing: number, std: number): Mixture2d {
  if (!Number.isInteger(k) || k < 1) throw new RuntimeUserError(`grid needs a positive integer size, got ${k}`);
  const centers: [number, number][] = [];
  const off = ((k - 1) * spacing) / 2;
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) centers.push([i * spacing - off, j * spacing - off]);
  return mixture(centers, std);
}

/** The mixture a `ring(...)` or `grid(...)` data declaration names, from its IR arguments (all required). */
export function mixtureOf(source: "ring" | "grid", args: Record<string, unknown>): Mixture2d {
  const arg = (name: string): number => {
    const v = args[name];
    if (typeof v !== "number") throw new RuntimeUserError(`data source ${source} needs its argument \`${name}\` (a number), got ${JSON.stringify(v)}`);
    return v;
  };
  return source === "ring" ? ring(arg("modes"), arg("radius"), arg("std")) : grid(arg("size"), arg("spacing"), arg("std"));
}
