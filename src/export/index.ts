// `ganc export RUN_DIR`: a static web folder with a run's generator —
//   index.html, page.js, page.css   the page (samples, walks, class/code pickers, a drop zone)
//   generator.js                    the network code and its API (load, generate, sample, translate)
//   ganc-tfjs.js                    tfjs (core, webgl and cpu backends) and ganc's layers, bundled
//   model.json, weights.bin         the generator's weights in TensorFlow.js format
//   examples/                       for translation specs, a few input images (PNG)
//   package.json                    {"type": "module"}, so Node imports generator.js as an ES module
// Only the generator (or translation network) and the networks it applies are exported, with the
// moving average of their weights when the spec keeps one.
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { PNG } from "pngjs";
import type * as rt from "../runtime/index.js";
import type { IrSpec } from "../ir/types.js";
import { asset } from "../report/assets.js";
import type { ExportInfo, PixelRange } from "./info.js";
import { generatorModule, networksNeeded } from "./networks.js";
import { generatorRoles } from "./roles.js";
import { pageHtml } from "./page-html.js";

export interface ExportSource {
  ir: IrSpec;
  texts: Record<string, string>;
  /** The model with the checkpoint's weights, in eval mode. */
  model: rt.ModelBase;
  step: number;
}

/** The files written, relative to the folder. */
export interface ExportResult {
  files: string[];
  info: ExportInfo;
}

const EXAMPLES = 8;

function rangeOf(args: Record<string, unknown> | undefined): PixelRange {
  return (args?.range as number[] | undefined)?.[0] === 0 ? "0..1" : "-1..1";
}

/** What generator.js's `info` says, from the IR and the restored model. */
async function infoOf(src: ExportSource): Promise<ExportInfo | undefined> {
  const { ir, model } = src;
  const roles = generatorRoles(ir);
  if (!roles) return undefined;
  const { generator: call, output } = roles;
  const out = output.kind === "tensor" ? output.shape : [];
  const dataOf = (name: string) => ir.data.find((d) => d.names.includes(name))!;
  return {
    format: "ganc-export/1",
    spec: ir.name,
    network: call.network,
    step: src.step,
    seed: ir.run.seed,
    ema: !!model.ema?.[call.network],
    inputs: call.inputs.map(({ kind, name }) => {
      if (kind !== "data") return { kind: "latent" as const, name };
      const decl = dataOf(name);
      const type = decl.types[decl.names.indexOf(name)]!;
      return { kind: "data" as const, name, shape: type.kind === "tensor" ? type.shape : [], range: rangeOf(decl.args) };
    }),
    latents: roles.latents.map(({ latent: l, role }) => ({
      name: l.name,
      prior: l.prior as "normal" | "uniform" | "categorical",
      shape: l.type.kind === "tensor" ? l.type.shape : [],
      role,
      ...(l.prior === "categorical" ? { classes: l.args.classes as number } : {}),
      ...(l.prior === "uniform" ? { low: l.args.low as number, high: l.args.high as number } : {}),
      ...(l.prior === "normal" ? { truncation: (l.args.truncation as number | undefined) ?? 0 } : {}),
    })),
    concat: ir.latents.filter((l) => l.parts).map((l) => ({ name: l.name, parts: l.parts! })),
    output:
      out.length === 1 && out[0] === 2
        ? { name: call.output, kind: "points" }
        : { name: call.output, kind: "images", shape: out, range: rangeOf(ir.data[0]?.args) },
    // Read asynchronously: a GPU tensor has no synchronous read in Node.
    state: Object.fromEntries(await Promise.all(Object.entries(model.state).map(async ([k, v]) => [k, (await v.data())[0]!] as const))),
  };
}

/** The exported networks' variables, through their weights' moving average where the spec keeps one. */
async function weightsOf(model: rt.ModelBase, networks: string[]): Promise<{ data: ArrayBuffer; specs: tf.io.WeightsManifestEntry[] }> {
  const named: { name: string; tensor: tf.Tensor }[] = [];
  for (const net of networks) {
    const read = () => model.store.entries().flatMap((e) => (e.name.startsWith(`${net}/`) ? [{ name: e.name, tensor: e.variable.clone() }] : []));
    const ema = model.ema?.[net];
    named.push(...(ema ? ema.withAverage(read) : read()));
  }
  try {
    return await tf.io.encodeWeights(named);
  } finally {
    tf.dispose(named.map((n) => n.tensor));
  }
}

function writePng(file: string, rgba: Uint8Array, width: number, height: number): void {
  const png = new PNG({ width, height });
  png.data = Buffer.from(rgba);
  fs.writeFileSync(file, PNG.sync.write(png));
}

/** A few inputs of a translation generator, from its data source's first batch (as `ganc sample` shows them). */
async function writeExamples(src: ExportSource, info: ExportInfo, dir: string): Promise<string[]> {
  const input = info.inputs.find((i) => i.kind === "data");
  if (!input || input.kind !== "data") return [];
  const decl = src.ir.data.find((d) => d.names.includes(input.name))!;
  const batch = src.model.data[decl.names[0]!]!.batch(EXAMPLES, 0, "sample/data");
  try {
    const x = batch[decl.names.indexOf(input.name)]!;
    const [n, h, w, c] = x.shape as number[];
    const image = tf.tidy(() => {
      const unit = input.range === "0..1" ? x : tf.div(tf.add(x, 1), 2);
      const rgb = c === 1 ? tf.tile(unit, [1, 1, 1, 3]) : unit;
      return tf.concat([rgb, tf.onesLike(tf.slice(rgb, [0, 0, 0, 0], [-1, -1, -1, 1]))], 3).mul(255).round().clipByValue(0, 255).toInt();
    });
    const bytes = await image.data();
    image.dispose();
    fs.mkdirSync(path.join(dir, "examples"), { recursive: true });
    const files = Array.from({ length: n! }, (_, i) => {
      const file = `examples/input-${i}.png`;
      writePng(path.join(dir, file), Uint8Array.from(bytes.subarray(i * h! * w! * 4, (i + 1) * h! * w! * 4)), w!, h!);
      return file;
    });
    info.examples = { file: "examples/input-{i}.png", count: n! };
    return files;
  } finally {
    tf.dispose(batch);
  }
}

/** Writes the export folder `dir` (created; files already there are replaced). */
export async function exportGenerator(src: ExportSource, dir: string): Promise<ExportResult | undefined> {
  const info = await infoOf(src);
  if (!info) return undefined;
  const networks = networksNeeded(src.ir, [info.network]);
  fs.mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  const write = (name: string, data: string | Uint8Array) => {
    fs.writeFileSync(path.join(dir, name), data);
    files.push(name);
  };
  files.push(...(await writeExamples(src, info, dir)));
  const weights = await weightsOf(src.model, networks);
  write("weights.bin", new Uint8Array(weights.data));
  write(
    "model.json",
    `${JSON.stringify({ format: "ganc-generator", generatedBy: `TensorFlow.js tfjs-core v${tf.version_core}`, convertedBy: `ganc export (${info.spec}, step ${info.step})`, modelTopology: null, weightsManifest: [{ paths: ["weights.bin"], weights: weights.specs }] }, null, 1)}\n`,
  );
  write("generator.js", await generatorModule(src.ir, src.texts, info, networks));
  for (const f of ["ganc-tfjs.js", "page.js", "page.css"]) write(f, fs.readFileSync(asset(f)));
  write("index.html", pageHtml(info));
  write("package.json", `${JSON.stringify({ name: `${info.spec}-generator`, private: true, type: "module", main: "generator.js" }, null, 2)}\n`);
  return { files, info };
}
