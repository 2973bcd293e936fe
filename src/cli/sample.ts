// `ganc sample RUN_DIR`: a PNG grid from a run's latest (or a named) checkpoint: plain or
// truncated samples, latent walks (lerp/slerp), a fixed class, InfoGAN code sweeps, and for
// translation specs the input, output, target or reconstruction side by side.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import { findGenerator, findReconstruction } from "../ir/query.js";
import type { IrLatent, IrSpec } from "../ir/types.js";
import { assemble, drawLatent as draw, generatorOf, latentsOf, shapeOf, type GeneratorCall, type Latents } from "./generator.js";
import { EXIT, UsageError, type Io } from "./io.js";
import { readRun, restoreRun } from "./run.js";

export interface SampleOptions {
  n: number;
  truncation?: number;
  interpolate?: "lerp" | "slerp";
  steps: number;
  class?: number;
  checkpoint?: number;
  seed: number;
  out?: string;
  backend: rt.BackendName;
}

/** n draws of a (non-concatenated) latent from the sampling stream (`--class` checked against its classes). */
function drawLatent(l: IrLatent, n: number, o: SampleOptions, stream: string): tf.Tensor {
  if (l.prior === "categorical" && o.class !== undefined) {
    const k = l.args.classes as number;
    if (!Number.isInteger(o.class) || o.class < 0 || o.class >= k) throw new UsageError(`--class must be a class from 0 to ${k - 1}, found ${o.class}`);
  }
  return draw(l, n, o, stream);
}

function slerp(a: tf.Tensor, b: tf.Tensor, t: number): tf.Tensor {
  return tf.tidy(() => {
    const flat = (x: tf.Tensor) => tf.reshape(x, [x.shape[0]!, -1]);
    const unit = (x: tf.Tensor) => tf.div(flat(x), tf.norm(flat(x), 2, 1, true));
    const omega = tf.acos(tf.clipByValue(tf.sum(tf.mul(unit(a), unit(b)), 1, true), -1 + 1e-7, 1 - 1e-7));
    const so = tf.sin(omega);
    const out = tf.add(tf.mul(tf.div(tf.sin(tf.mul(omega, 1 - t)), so), flat(a)), tf.mul(tf.div(tf.sin(tf.mul(omega, t)), so), flat(b)));
    return tf.reshape(out, a.shape);
  });
}

/** Rows of latents, laid out as a grid of `columns`. */
interface Plan {
  latents: Latents;
  columns: number;
  what: string;
}

function planLatents(ir: IrSpec, base: IrLatent[], o: SampleOptions): Plan {
  const continuous = base.filter((l) => l.prior === "normal" || l.prior === "uniform");
  const categorical = base.filter((l) => l.prior === "categorical");
  const coded = ir.latents.some((l) => l.parts?.some((p) => categorical.some((c) => c.name === p)));
  if (o.interpolate) {
    const k = o.steps;
    const rows = o.n;
    const draws: Latents = {};
    for (const l of categorical) draws[l.name] = tf.tile(drawLatent(l, rows, o, "walk"), [k]).reshape([k, rows]).transpose().reshape([rows * k]);
    for (const l of continuous) {
      const a = drawLatent(l, rows, o, "a");
      const b = drawLatent(l, rows, o, "b");
      const cells = Array.from({ length: k }, (_, j) => {
        const t = k === 1 ? 0 : j / (k - 1);
        return o.interpolate === "slerp" ? slerp(a, b, t) : tf.add(tf.mul(a, 1 - t), tf.mul(b, t));
      });
      draws[l.name] = tf.stack(cells, 1).reshape([rows * k, ...shapeOf(l)]);
    }
    return { latents: assemble(ir, draws), columns: k, what: `${rows} ${o.interpolate} walks of ${k} steps` };
  }
  if (coded && categorical.length > 0 && o.class === undefined) {
    // InfoGAN sweep: a row per categorical value, a column per value of the first uniform code.
    const cat = categorical[0]!;
    const classes = cat.args.classes as number;
    const sweep = continuous.find((l) => l.prior === "uniform" && shapeOf(l).length === 1);
    const k = sweep ? o.steps : 1;
    const n = classes * k;
    const draws: Latents = {};
    for (const l of continuous) draws[l.name] = tf.tile(drawLatent(l, 1, o, "fixed"), [n, ...shapeOf(l).map(() => 1)]);
    draws[cat.name] = tf.tensor1d(Array.from({ length: n }, (_, i) => Math.floor(i / k)), "int32");
    for (const l of categorical.slice(1)) draws[l.name] = drawLatent(l, n, o, "other");
    if (sweep) {
      const [low, high] = [sweep.args.low as number, sweep.args.high as number];
      const values = Array.from({ length: n }, (_, i) => low + ((high - low) * (i % k)) / Math.max(1, k - 1));
      const width = shapeOf(sweep)[0]!;
      const fixed = draws[sweep.name]!;
      draws[sweep.name] = tf.tidy(() => tf.concat([tf.tensor2d(values, [n, 1]), tf.slice(fixed, [0, 1], [n, width - 1])], 1));
      fixed.dispose();
    }
    return { latents: assemble(ir, draws), columns: k, what: `${cat.name} by row (0..${classes - 1})${sweep ? `, ${sweep.name}[0] by column (${sweep.args.low}..${sweep.args.high})` : ""}` };
  }
  const draws: Latents = {};
  for (const l of [...continuous, ...categorical]) draws[l.name] = drawLatent(l, o.n, o, "plain");
  const cls = o.class !== undefined ? `, class ${o.class}` : "";
  const trunc = o.truncation !== undefined ? `, truncation ${o.truncation}` : "";
  return { latents: assemble(ir, draws), columns: Math.ceil(Math.sqrt(o.n)), what: `${o.n} samples${cls}${trunc}` };
}

/** Interleaves equally long image batches as the columns of a grid (resizing smaller ones). */
function sideBySide(columns: tf.Tensor[]): tf.Tensor {
  const [, h, w] = columns.reduce((a, b) => (a.shape[1]! >= b.shape[1]! ? a : b)).shape as number[];
  const sized = columns.map((c) => (c.shape[1] === h && c.shape[2] === w ? c : tf.image.resizeNearestNeighbor(c as tf.Tensor4D, [h!, w!])));
  return tf.stack(sized, 1).reshape([-1, h!, w!, sized[0]!.shape[3]!]);
}

export async function sampleCommand(io: Io, runDir: string, o: SampleOptions): Promise<number> {
  if (!Number.isInteger(o.n) || o.n < 1) throw new UsageError(`--n must be a whole number of at least 1, found ${o.n}`);
  if (!Number.isInteger(o.steps) || o.steps < 2) throw new UsageError(`--steps must be a whole number of at least 2, found ${o.steps}`);
  if (o.truncation !== undefined && !(o.truncation > 0)) throw new UsageError(`--truncation must be positive, found ${o.truncation}`);
  const saved = readRun(runDir, "sample");
  const { ir } = saved;
  const g = findGenerator(ir);
  if (!g) throw new UsageError(`\`${ir.name}\` has no generator applied to latents or data to sample from`);
  const dir = o.checkpoint === undefined ? rt.latestCheckpoint(runDir) : rt.checkpointDir(runDir, o.checkpoint);
  if (!dir || !fs.existsSync(dir)) throw new UsageError(o.checkpoint === undefined ? `\`${runDir}\` has no checkpoint yet` : `\`${runDir}\` has no checkpoint at step ${o.checkpoint}`);
  await rt.useBackend(o.backend);
  const { model: m, meta, dispose } = await restoreRun(saved, dir);
  try {
    io.out(`${await writeSample(ir, g, m, meta.step, runDir, o)}, from ${path.basename(dir)}`);
    return EXIT.ok;
  } finally {
    dispose();
  }
}

/** Draws the grid `o` asks for and writes the PNG; returns what it wrote ("FILE: what"). */
async function writeSample(ir: IrSpec, g: GeneratorCall, m: rt.ModelBase, step: number, runDir: string, o: SampleOptions): Promise<string> {
  const generate = generatorOf(m, g);
  const range = (ir.data[0]?.args.range as number[] | undefined)?.[0] === 0 ? "0..1" : "-1..1";
  const data = g.args.find((a) => a.k === "data");
  let png: Buffer;
  let what: string;
  if (data) {
    const decl = ir.data.find((d) => d.names.includes(data.name))!;
    const batch = m.data[decl.names[0]!]!.batch(o.n, 0, "sample/data");
    const input = batch[decl.names.indexOf(data.name)]!;
    const output = generate(input);
    const columns = [input, output];
    const recon = findReconstruction(ir, g);
    const target = decl.names.length === 2 && decl.types[1]?.kind === "tensor" ? batch[1 - decl.names.indexOf(data.name)] : undefined;
    if (recon) columns.push(m.nets[recon]!(output).out!);
    else if (target) columns.push(target);
    png = await rt.imageGridPng(sideBySide(columns), { columns: columns.length, range });
    what = `${o.n} rows of input, ${g.network}(input)${recon ? `, ${recon}(${g.network}(input))` : target ? ", target" : ""}`;
    tf.dispose([...batch, output, ...columns]);
  } else {
    const plan = planLatents(ir, latentsOf(ir, g), o);
    const out = generate(...g.args.map((a) => plan.latents[(a as { name: string }).name]!));
    if (out.rank === 2 && out.shape[1] === 2) {
      const source = Object.values(m.data).find((d) => d.centers);
      png = await rt.scatterPng(source?.batch(out.shape[0]!, 0, "sample/real")[0] ?? null, out, source?.centers ? { centers: source.centers } : {});
    } else png = await rt.imageGridPng(out, { columns: plan.columns, range });
    what = plan.what;
    tf.dispose([out, ...Object.values(plan.latents)]);
  }
  const file = o.out ?? path.join(runDir, "samples", `sample-step-${String(step).padStart(6, "0")}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  return `${file}: ${what}`;
}
