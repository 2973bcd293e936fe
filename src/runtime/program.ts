/**
 * The shape of a generated training module, as the runtime's trainer sees it.
 * `ganc build` emits a module exporting `program: Program<Model>`.
 */
import type * as tf from "@tensorflow/tfjs";
import type { SampleOutput, TrainerModule } from "./train.js";
import type { HistoryPool } from "./history.js";
import type { ParamStore } from "./nn/params.js";
import type { Ema } from "./train-ops.js";
import { RuntimeUserError } from "./errors.js";
import { evaluateProgram, hasReference, scalarMetrics, type EvalReference, type EvaluateOptions } from "./eval/index.js";

export interface RunSettings {
  batch: number;
  steps: number;
  seed: number;
  log_every: number;
  sample_every: number;
  checkpoint_every: number;
  keep_checkpoints: number;
  eval_every: number;
  samples: number;
}

export interface CreateOptions {
  store: ParamStore;
  seed: number;
  /** The spec file's folder: relative data paths resolve against it. */
  baseDir: string;
}

/** A real-data source: batches drawn deterministically from (seed, step, stream). */
export interface DataSource {
  /** One tensor per output of the source (images, or images and labels, or input and target). */
  batch(n: number, step: number, stream: string): tf.Tensor[];
  /** For toy 2-D mixtures: the mode centres. */
  centers?: [number, number][];
  /** For a finite set: how many examples it has (a batch cannot be larger), and where they come from. */
  size?: { count: number; source: string };
}

/** What every generated Model has besides its networks, optimisers and state. */
export interface ModelBase {
  seed: number;
  /** Each network applied to its inputs, giving its outputs and taps by name. */
  nets: Record<string, (...inputs: tf.Tensor[]) => Record<string, tf.Tensor>>;
  store: ParamStore;
  optimizers: Record<string, tf.Optimizer>;
  state: Record<string, tf.Variable>;
  data: Record<string, DataSource>;
  /** History pools of `history(...)` calls, when the spec has any. */
  pools?: HistoryPool[];
  /** Moving averages of weights kept by `ema` statements, when the spec has any. */
  ema?: Record<string, Ema>;
}

export interface Program<M extends ModelBase> {
  name: string;
  run: RunSettings;
  params: Readonly<Record<string, number | string | boolean>>;
  create(options: CreateOptions): M;
  /** One iteration of the schedule at `step`; returns scalars to log (the caller disposes them). */
  iteration(m: M, step: number): Record<string, tf.Scalar>;
  /** n samples from a fixed draw, for the sample grid (absent when the spec has no generator). */
  sample?(m: M, n: number): tf.Tensor;
}

export interface TrainerOfOptions {
  /**
   * Evaluation during training (the harness calls it every `evalEvery` steps): what samples are
   * compared with (see eval/), and how many samples (default 500).
   */
  evaluation?: EvaluateOptions & { reference: EvalReference; samples?: number };
  /** The data (keys of `Model.data`) the sample grid reads, for a generator of real inputs (pix2pix's G(edges)). */
  sampleData?: string[];
}

/**
 * Finite data sets that cannot fill a batch, or the sample grid when it shows the generator on
 * real inputs, stop the run before it starts (not at the first sample step, after training).
 */
function checkDataSizes(m: ModelBase, run: RunSettings, sampleData: string[]): void {
  for (const [name, d] of Object.entries(m.data)) {
    if (d.size === undefined) continue;
    const { count, source } = d.size;
    const has = `data \`${name}\` (${source}) has ${count} example${count === 1 ? "" : "s"}`;
    if (count < run.batch) throw new RuntimeUserError(`${has}, fewer than the batch size ${run.batch}: add examples, or lower \`batch\` in run {} (--set batch=${count})`);
    if (sampleData.includes(name) && count < run.samples) {
      throw new RuntimeUserError(`${has}, fewer than the ${run.samples} the sample grid shows the generator on: add examples, or lower \`samples\` in run {} (--set samples=${count})`);
    }
  }
}

/** A history pool's images for a checkpoint: one base64 string of float32 bytes per image (exact). */
async function packPool(p: HistoryPool): Promise<string[]> {
  return (await p.state()).items.map((a) => Buffer.from(Float32Array.from(a).buffer).toString("base64"));
}

function unpackPool(p: HistoryPool, items: string[]): void {
  p.restore({ items: items.map((s) => Array.from(new Float32Array(new Uint8Array(Buffer.from(s, "base64")).buffer))) });
}

/**
 * The runtime trainer's view of a generated program: the harness owns the ParamStore,
 * optimisers are registered for checkpoints, and the sample grid (or 2-D scatter plot)
 * comes from the program's fixed draw. With `options.evaluation` (and a generator) it also
 * has `evaluate`, which returns the metrics prefixed `eval_`.
 */
export function trainerOf<M extends ModelBase>(program: Program<M>, baseDir: string, options: TrainerOfOptions = {}): TrainerModule {
  let model: M | undefined;
  const m = () => model!;
  const trainer: TrainerModule = {
    name: program.name,
    saveExtra: async () => (m().pools?.length ? { pools: await Promise.all(m().pools!.map(packPool)) } : {}),
    restoreExtra(extra) {
      const pools = extra.pools as string[][] | undefined;
      if (pools) (m().pools ?? []).forEach((p, i) => unpackPool(p, pools[i] ?? []));
    },
    init(ctx) {
      model = program.create({ store: ctx.params, seed: ctx.seed, baseDir });
      checkDataSizes(model, program.run, options.sampleData ?? []);
      Object.assign(ctx.optimizers, model.optimizers);
    },
    iteration: (ctx) => program.iteration(m(), ctx.step),
    dispose: () => m().pools?.forEach((p) => p.dispose()),
  };
  const sample = program.sample;
  if (!sample) return trainer;
  const evaluation = options.evaluation;
  if (evaluation && hasReference(evaluation.reference)) {
    trainer.evaluate = async () => scalarMetrics(await evaluateProgram(program, m(), evaluation.reference, { ...evaluation, samples: evaluation.samples ?? 500 }));
  }
  return {
    ...trainer,
    sample(): SampleOutput {
      const n = program.run.samples;
      const out = sample(m(), n);
      if (out.rank === 2 && out.shape[1] === 2) {
        const source = Object.values(m().data).find((d) => d.centers);
        const real = source?.batch(n, 0, "samples/real")[0];
        return { kind: "points", fake: out, ...(real ? { real } : {}), ...(source?.centers ? { centers: source.centers } : {}) };
      }
      return { kind: "images", images: out };
    },
  };
}
