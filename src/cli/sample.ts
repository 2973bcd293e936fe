// `ganc sample RUN_DIR`: a PNG grid from a run's latest (or a named) checkpoint: plain or
// truncated samples, latent walks (lerp/slerp), a fixed class, InfoGAN code sweeps, and for
// translation specs the input, output, target or reconstruction side by side.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import type { IrLatent, IrSpec } from "../ir/types.js";
import { assemble, categoricals, drawLatent as draw, generatorOf, latentsOf, shapeOf, type Generator, type Latents } from "./generator.js";
import { writeFile } from "../runtime/files.js";
import { outputFile } from "./fs-errors.js";
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

/** An InfoGAN sweep (when the generator reads a code and no --class is given): a row per value of `cat`, a column per value of `sweep`. */
function sweepOf(ir: IrSpec, base: IrLatent[], o: SampleOptions): { cat: IrLatent; classes: number; sweep: IrLatent | undefined; k: number } | undefined {
  const code = categoricals(ir, "code")[0];
  if (o.interpolate || !code || o.class !== undefined) return undefined;
  const isCode = (l: IrLatent) => ir.roles.latents.some((r) => r.name === l.name && r.role === "code");
  const sweep = base.find((l) => isCode(l) && l.prior === "uniform" && shapeOf(l).length === 1);
  return { cat: code.latent, classes: code.classes, sweep, k: sweep ? o.steps : 1 };
}

/** How many tiles (or points) the grid `o` asks for has, and its columns (none: a square): known before anything is drawn. */
function layoutOf(ir: IrSpec, g: Generator, o: SampleOptions): { cells: number; columns?: number } {
  if (ir.roles.translation) return { cells: o.n * 3, columns: 3 }; // input, output and target or reconstruction, at most
  if (o.interpolate) return { cells: o.n * o.steps, columns: o.steps };
  const sweep = sweepOf(ir, latentsOf(ir, g), o);
  if (sweep) return { cells: sweep.classes * sweep.k, columns: sweep.k };
  return { cells: o.n };
}

/** The most 2-D points a scatter plot draws. */
const MAX_POINTS = 1_000_000;

/** Refuses a grid too large to write (a PNG side over MAX_PNG_SIDE, or too many points), saying how much fits. */
function checkSize(ir: IrSpec, g: Generator, o: SampleOptions): void {
  const { cells, columns } = layoutOf(ir, g, o);
  const type = ir.networks.find((n) => n.name === g.network)?.outputs.find((x) => x.name === g.output)?.type;
  const out = type?.kind === "tensor" ? type.shape : [];
  if (out.length !== 3) {
    if (cells > MAX_POINTS) throw new UsageError(`a scatter plot of ${cells.toLocaleString("en")} points is too many; it takes at most ${MAX_POINTS.toLocaleString("en")} (--n)`);
    return;
  }
  const [h, w] = out as [number, number];
  const fits = (n: number) => {
    const s = rt.gridSize(n, h, w, columns ? { columns } : {});
    return Math.max(s.width, s.height) <= rt.MAX_PNG_SIDE;
  };
  if (fits(cells)) return;
  const { width, height } = rt.gridSize(cells, h, w, columns ? { columns } : {});
  const why = `a grid of ${cells.toLocaleString("en")} ${h}×${w} images would be ${width} × ${height} pixels; ganc writes at most ${rt.MAX_PNG_SIDE} a side`;
  if (columns) {
    const most = (tile: number) => Math.floor((rt.MAX_PNG_SIDE - 2) / (tile + 2)); // tiles with 2-pixel borders
    throw new UsageError(`${why}: at most ${most(h)} rows (--n) of ${most(w)} columns (--steps) fit`);
  }
  let most = 1; // the largest --n that fits, by bisection (the grid grows with n)
  for (let lo = 1, hi = cells; lo <= hi; ) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) [most, lo] = [mid, mid + 1];
    else hi = mid - 1;
  }
  throw new UsageError(`${why}: ask for at most --n ${most}`);
}

function planLatents(ir: IrSpec, base: IrLatent[], o: SampleOptions): Plan {
  const continuous = base.filter((l) => l.prior === "normal" || l.prior === "uniform");
  const categorical = base.filter((l) => l.prior === "categorical");
  const swept = sweepOf(ir, base, o);
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
  if (swept) {
    // InfoGAN sweep: a row per categorical value, a column per value of the first uniform code.
    const { cat, classes, sweep, k } = swept;
    const n = classes * k;
    const draws: Latents = {};
    for (const l of continuous) draws[l.name] = tf.tile(drawLatent(l, 1, o, "fixed"), [n, ...shapeOf(l).map(() => 1)]);
    draws[cat.name] = tf.tensor1d(Array.from({ length: n }, (_, i) => Math.floor(i / k)), "int32");
    for (const l of categorical.filter((c) => c !== cat)) draws[l.name] = drawLatent(l, n, o, "other");
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
  const g = ir.roles.generator;
  if (!g) throw new UsageError(`\`${ir.name}\` has no generator applied to latents or data to sample from`);
  checkSize(ir, g, o);
  if (o.out !== undefined) outputFile(o.out, "--out");
  await rt.useBackend(o.backend);
  const { model: m, meta, dir, dispose } = await restoreRun(io, saved, runDir, o.checkpoint);
  try {
    io.out(`${await writeSample(ir, g, m, meta.step, runDir, o)}, from ${path.basename(dir)}`);
    return EXIT.ok;
  } finally {
    dispose();
  }
}

/** Generator outputs per forward pass: the backend's memory stays bounded for any --n. */
const CHUNK = 256;

/** `generate` applied to `inputs` (equally long along axis 0) CHUNK rows at a time, read into one array. */
async function inChunks(generate: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[]): Promise<rt.ImageArray> {
  const n = inputs[0]!.shape[0]!;
  let out: rt.ImageArray | undefined;
  for (let start = 0; start < n; start += CHUNK) {
    const size = Math.min(CHUNK, n - start);
    const part = tf.tidy(() => generate(...inputs.map((t) => tf.slice(t, start, size))));
    const [, ...rest] = part.shape;
    out ??= { shape: [n, ...rest], values: new Float32Array(n * part.size / size) };
    out.values.set(await part.data(), (start * part.size) / size);
    part.dispose();
  }
  return out!;
}

/** Draws the grid `o` asks for and writes the PNG; returns what it wrote ("FILE: what"). */
async function writeSample(ir: IrSpec, g: Generator, m: rt.ModelBase, step: number, runDir: string, o: SampleOptions): Promise<string> {
  const generate = generatorOf(m, g);
  const range = (ir.data[0]?.args.range as number[] | undefined)?.[0] === 0 ? "0..1" : "-1..1";
  const translation = ir.roles.translation;
  let png: Buffer;
  let what: string;
  if (translation) {
    const decl = ir.data.find((d) => d.names.includes(translation.source))!;
    const source = m.data[decl.names[0]!]!;
    if (source.size && o.n > source.size.count) throw new UsageError(`--n ${o.n} is more than the ${source.size.count} examples of \`${decl.names[0]}\` (${source.size.source})`);
    const batch = source.batch(o.n, 0, "sample/data");
    const input = batch[decl.names.indexOf(translation.source)]!;
    const output = generate(input);
    const columns = [input, output];
    const recon = translation.inverse;
    const target = translation.paired ? batch[decl.names.indexOf(translation.target!)] : undefined;
    if (recon) columns.push(m.nets[recon]!(output).out!);
    else if (target) columns.push(target);
    png = await rt.imageGridPng(sideBySide(columns), { columns: columns.length, range });
    what = `${o.n} rows of input, ${g.network}(input)${recon ? `, ${recon}(${g.network}(input))` : target ? ", target" : ""}`;
    tf.dispose([...batch, output, ...columns]);
  } else {
    const plan = planLatents(ir, latentsOf(ir, g), o);
    const out = await inChunks(generate, g.inputs.map((i) => plan.latents[i.name]!));
    tf.dispose(Object.values(plan.latents));
    if (out.shape.length === 2 && out.shape[1] === 2) {
      const source = Object.values(m.data).find((d) => d.centers);
      const fake = tf.tensor(out.values, out.shape);
      const real = source?.batch(out.shape[0]!, 0, "sample/real")[0] ?? null;
      png = await rt.scatterPng(real, fake, source?.centers ? { centers: source.centers } : {});
      tf.dispose([fake, ...(real ? [real] : [])]);
    } else png = await rt.imageGridPng(out, { columns: plan.columns, range });
    what = plan.what;
  }
  const file = o.out ?? path.join(runDir, "samples", `sample-step-${String(step).padStart(6, "0")}.png`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeFile(file, png);
  return `${file}: ${what}`;
}
