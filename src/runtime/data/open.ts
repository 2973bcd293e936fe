/**
 * Opening the data source a spec's `data` declaration names, as a `DataSource` whose
 * batches depend only on (seed, step, stream): in-memory sets are visited in per-stream
 * epochs (see Batcher), toy mixtures are sampled fresh.
 */
import * as path from "node:path";
import type * as tf from "@tensorflow/tfjs";
import { Batcher } from "./batcher.js";
import type { Dataset, ValueRange } from "./dataset.js";
import { loadImageFolder, loadSideBySideFolder } from "./image_folder.js";
import { loadMnist } from "./mnist.js";
import { mixtureOf, type Mixture2d } from "./toy2d.js";
import { pairedByTransform, transformImages, type TransformName } from "./transforms.js";
import { RuntimeUserError } from "../errors.js";
import type { CreateOptions, DataSource } from "../program.js";

type Args = Record<string, unknown>;

function valueRange(r: unknown): ValueRange {
  const [lo, hi] = r as [number, number];
  if (lo === -1 && hi === 1) return "-1..1";
  if (lo === 0 && hi === 1) return "0..1";
  throw new RuntimeUserError(`image data supports range = [-1, 1] or [0, 1], not [${lo}, ${hi}]`);
}

/** Batches of aligned in-memory datasets; one epoch order per (batch size, stream). */
function fromDatasets(sets: Dataset[], withLabels: boolean, seed: number): DataSource {
  const batchers = new Map<string, Batcher>();
  return {
    size: { count: sets[0]!.count, source: sets[0]!.source },
    batch(n: number, step: number, stream: string): tf.Tensor[] {
      const key = `${n}/${stream}`;
      let b = batchers.get(key);
      if (!b) batchers.set(key, (b = new Batcher(sets, n, seed, stream)));
      const { images, labels } = b.batch(step);
      return withLabels ? [...images, labels!] : images;
    },
  };
}

function fromMixture(m: Mixture2d, seed: number): DataSource {
  return { centers: m.centers, batch: (n, step, stream) => [m.sample(n, seed, step, stream)] };
}

function mnist(args: Args, labels: boolean): Dataset {
  const digits = (args.digits as number[] | undefined) ?? []; // mnist_pairs has no `digits`
  return loadMnist({ split: args.split as "train" | "test", range: valueRange(args.range), labels, ...(digits.length ? { digits } : {}) });
}

export function open(source: string, args: Args, options: CreateOptions): DataSource {
  const seed = options.seed;
  const folder = (p: unknown) => path.resolve(options.baseDir, p as string);
  const imageOptions = () => {
    const [height, width] = args.size as [number, number];
    return { height, width, channels: args.channels as 1 | 3, range: valueRange(args.range) };
  };
  switch (source) {
    case "mnist": {
      const d = mnist(args, args.labels as boolean);
      const t = args.transform as string;
      return fromDatasets([t === "none" ? d : transformImages(d, t as TransformName)], args.labels as boolean, seed);
    }
    case "mnist_pairs": {
      const p = pairedByTransform(mnist(args, false), args.transform as TransformName);
      return fromDatasets([p.a, p.b], false, seed);
    }
    case "ring":
    case "grid":
      return fromMixture(mixtureOf(source, args), seed);
    case "images":
      return fromDatasets([loadImageFolder(folder(args.path), imageOptions())], false, seed);
    case "image_pairs": {
      const p = loadSideBySideFolder(folder(args.path), imageOptions());
      return fromDatasets([p.a, p.b], false, seed);
    }
    default:
      throw new RuntimeUserError(`unknown data source "${source}"`);
  }
}
