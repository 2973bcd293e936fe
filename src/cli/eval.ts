// `ganc eval RUN_DIR [--samples N]`: restores a run's latest checkpoint, draws samples from its
// generator and reports the metrics the literature uses (toy 2-D mode coverage, or MNIST
// classifier metrics), as a table and in RUN_DIR/eval.json. Structured generators get more:
// class accuracy for a conditional generator (cgan, acgan), code purity for an InfoGAN code,
// and for a translation generator G(x) (pix2pix, cyclegan, srgan) its L1 error on held-out
// MNIST test pairs next to the do-nothing baseline, instead of sample metrics.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import type { IrSpec } from "../ir/types.js";
import { categoricals, drawLatents, generateFrom, generatorOf, type Generator } from "./generator.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { readRun, restoreRun } from "./run.js";
import { writeFile } from "../runtime/files.js";

const MNIST_SOURCES = ["mnist", "mnist_pairs"];

/**
 * For a translation spec (the IR's roles): the data sides of its held-out pairs, the source the
 * generator reads and the target of its output type. A string says why there are none.
 */
export function translationSides(ir: IrSpec): { input: rt.evaluation.MnistSide; target: rt.evaluation.MnistSide } | string {
  const t = ir.roles.translation!;
  const g = ir.roles.generator!.network;
  const sideOf = (name: string) => {
    const d = ir.data.find((x) => x.names.includes(name))!;
    return { source: d.source, args: d.args, part: d.names.indexOf(name) };
  };
  const input = sideOf(t.source);
  if (!MNIST_SOURCES.includes(input.source)) return `translation metrics need MNIST-derived data (mnist, mnist_pairs), and ${g} reads \`${input.source}\``;
  if (t.target === undefined) return `no real data has the type of ${g}'s output, so there is no target to compare with`;
  const target = sideOf(t.target);
  if (!MNIST_SOURCES.includes(target.source)) return `translation metrics need MNIST-derived data (mnist, mnist_pairs), and ${g}'s target is \`${target.source}\``;
  return { input, target };
}

export interface EvalOptions {
  /** Default 2,500 for toy mixtures, 2,000 for MNIST. */
  samples?: number;
  backend: rt.BackendName;
}

export async function evalCommand(io: Io, runDir: string, o: EvalOptions): Promise<number> {
  if (o.samples !== undefined && (!Number.isInteger(o.samples) || o.samples < 2)) throw new UsageError(`--samples expects a whole number of at least 2, found ${o.samples}`);
  if (!fs.existsSync(runDir) || !fs.statSync(runDir).isDirectory()) throw new UsageError(`cannot evaluate \`${runDir}\`: no such folder`);
  const saved = readRun(runDir, "evaluate");
  if (rt.latestCheckpoint(runDir) === null) throw new UsageError(`cannot evaluate \`${runDir}\`: it has no checkpoint yet`);
  const { ir } = saved;
  const g = ir.roles.generator;
  const reference = rt.evaluation.referenceFromData(ir.data);
  const sides = ir.roles.translation ? translationSides(ir) : undefined;
  if (typeof sides === "string" || (sides === undefined && !rt.evaluation.hasReference(reference))) {
    const why = typeof sides === "string" ? sides : `ganc evaluates generators of ring/grid mixtures and of untransformed MNIST, and MNIST translations (its data: ${ir.data.map((d) => d.source).join(", ")})`;
    io.err(`ganc: no metrics for \`${ir.name}\`: ${why}`);
    return EXIT.problems;
  }
  const backend = await rt.useBackend(o.backend);
  const began = performance.now();
  const { program, model, meta, dir: checkpoint, dispose } = await restoreRun(io, saved, runDir);
  const classifier = { log: (t: string) => io.err(t) };
  try {
    if (!program.sample || !g) {
      io.err(`ganc: spec \`${program.name}\` has no generator to sample from`);
      return EXIT.problems;
    }
    const n = o.samples ?? rt.evaluation.DEFAULT_SAMPLES.mnist;
    let metrics: rt.evaluation.EvalMetrics;
    if (sides) {
      const pairs = rt.evaluation.heldOutPairs(sides.input, sides.target, n);
      metrics = { kind: "translation", ...(await rt.evaluation.evaluateTranslation(generatorOf(model, g), pairs, { classifier })) };
    } else {
      metrics = await rt.evaluation.evaluateProgram(program, model, reference, { ...(o.samples !== undefined ? { samples: o.samples } : {}), classifier });
      if (metrics.kind === "mnist") metrics = { ...metrics, ...(await categoricalMetrics(ir, g, model, reference.mnist!.range, n, classifier)) };
    }
    const seconds = (performance.now() - began) / 1000;
    const report = {
      spec: program.name,
      step: meta.step,
      checkpoint: path.relative(runDir, checkpoint),
      backend,
      ...metrics,
      seconds: Math.round(seconds * 100) / 100,
      evaluated_at: new Date().toISOString(),
    };
    const file = path.join(runDir, "eval.json");
    writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
    io.out(`${program.name} at step ${meta.step} (${backend}, ${seconds.toFixed(2)} s):\n${rt.evaluation.formatMetrics(metrics)}\nwrote ${file}`);
    return EXIT.ok;
  } finally {
    dispose();
  }
}

/**
 * Class accuracy for the generator's first class latent (cgan, acgan) and code purity for its
 * first code latent (InfoGAN): `samples` draws split evenly over the latent's values, the other
 * latents drawn at random from eval streams of the model's seed.
 */
async function categoricalMetrics(
  ir: IrSpec,
  g: Generator,
  model: rt.ModelBase,
  range: rt.data.ValueRange,
  samples: number,
  classifier: rt.evaluation.ClassifierOptions,
): Promise<Partial<rt.evaluation.MnistEvalMetrics>> {
  const out: Partial<rt.evaluation.MnistEvalMetrics> = {};
  for (const role of ["class", "code"] as const) {
    const cat = categoricals(ir, role)[0];
    if (!cat) continue;
    const name = cat.latent.name;
    const generate = (value: number, n: number, part: number) =>
      tf.tidy(() => generateFrom(model, g, drawLatents(ir, g, n, { seed: model.seed, prefix: "eval" }, `${name}=${value}/${part}`, { [name]: tf.fill([n], value, "int32") })));
    const options = { values: cat.classes, samples, range, classifier };
    if (role === "class") Object.assign(out, { class_latent: name, ...(await rt.evaluation.evaluateClasses(generate, options)) });
    else Object.assign(out, { code_latent: name, ...(await rt.evaluation.evaluateCodes(generate, options)) });
  }
  return out;
}
