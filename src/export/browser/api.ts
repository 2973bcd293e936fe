// The API an exported generator.js exposes (load, generate, sample, translate...), around the
// network code `ganc export` writes into it. It runs the runtime's own layers (src/runtime/nn)
// and draws latents with the runtime's RNG, so a seed gives the draws `ganc sample` makes.
import * as tf from "@tensorflow/tfjs";
import { ParamStore } from "../../runtime/nn/params.js";
import * as rng from "../../runtime/rng.js";
import type { ExportInfo, ExportLatent } from "../info.js";

type Nets = Record<string, (...inputs: tf.Tensor[]) => Record<string, tf.Tensor>>;
/** generator.js's `buildNetworks`: every exported network, built in `store`. */
export type BuildNetworks = (store: ParamStore, state: Record<string, tf.Variable>) => Nets;

export interface LoadOptions {
  /** The folder holding model.json and weights.bin (default: generator.js's own folder). */
  url?: string | URL;
  /** A tfjs backend to use ("webgl", "cpu"); default: tfjs's choice. */
  backend?: string;
}

export interface GenerateOptions {
  /** Conditional specs: the class of every sample, or one per sample. */
  class?: number | number[];
  /** InfoGAN codes by latent name: a categorical's value (or one per sample); a uniform code's values (or a row per sample). */
  codes?: Record<string, number | number[] | number[][]>;
  /** Seed of the draws of latents not given (default 0). */
  seed?: number;
}

export interface SampleOptions extends GenerateOptions {
  /** Resample normal latents beyond this many standard deviations (0: none; default: the spec's). */
  truncation?: number;
}

/** Images as RGBA bytes, one array per image (for ImageData or a PNG encoder). */
export interface Rgba {
  width: number;
  height: number;
  images: Uint8ClampedArray[];
}

const isNode = typeof process !== "undefined" && typeof process.versions?.node === "string";
// Hidden from bundlers: only Node reads files.
const nodeFs = "node:fs/promises";

async function readBytes(url: URL): Promise<ArrayBuffer> {
  if (isNode && url.protocol === "file:") {
    const fs = (await import(/* webpackIgnore: true */ /* @vite-ignore */ nodeFs)) as { readFile(u: URL): Promise<Uint8Array> };
    const b = await fs.readFile(url);
    return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
  }
  const r = await fetch(url);
  if (!r.ok) throw new Error(`cannot load ${url.href}: HTTP ${r.status}`);
  return r.arrayBuffer();
}

const folder = (u: string | URL) => {
  const url = new URL(u, isNode ? `file://${process.cwd()}/` : globalThis.location?.href);
  if (!url.pathname.endsWith("/")) url.pathname += "/";
  return url;
};

export function generatorApi(info: ExportInfo, buildNetworks: BuildNetworks, base: URL) {
  let model: { nets: Nets; store: ParamStore; state: tf.Variable[] } | undefined;
  const noise = info.latents.find((l) => l.role === "noise");
  const translates = info.inputs.some((i) => i.kind === "data");

  function loaded() {
    if (!model) throw new Error("the generator is not loaded yet: await load() first");
    return model;
  }

  /** Loads the weights (model.json, weights.bin) and builds the networks; returns `info`. */
  async function load(o: LoadOptions = {}): Promise<ExportInfo> {
    if (o.backend) await tf.setBackend(o.backend);
    await tf.ready();
    const root = folder(o.url ?? base);
    const manifest = JSON.parse(new TextDecoder().decode(await readBytes(new URL("model.json", root)))) as {
      weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    };
    const parts = await Promise.all(manifest.weightsManifest.flatMap((g) => g.paths.map((p) => readBytes(new URL(p, root)))));
    const bytes = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
    parts.reduce((at, p) => (bytes.set(new Uint8Array(p), at), at + p.byteLength), 0);
    const weights = tf.io.decodeWeights(bytes.buffer, manifest.weightsManifest.flatMap((g) => g.weights));
    dispose();
    const store = new ParamStore(info.seed);
    store.mode = "eval";
    const state = Object.fromEntries(Object.entries(info.state).map(([k, v]) => [k, tf.variable(tf.scalar(v), false)]));
    try {
      const nets = buildNetworks(store, state);
      for (const e of store.entries()) {
        const w = weights[e.name];
        if (!w) throw new Error(`model.json has no weights for ${e.name}`);
        if (w.shape.join() !== e.variable.shape.join()) throw new Error(`${e.name}: weights of shape [${w.shape}], the network expects [${e.variable.shape}]`);
        e.variable.assign(w);
      }
      model = { nets, store, state: Object.values(state) };
    } catch (e) {
      store.dispose();
      tf.dispose(Object.values(state));
      throw e;
    } finally {
      tf.dispose(Object.values(weights));
    }
    return info;
  }

  /** A latent's values for n samples: given in `o`, or drawn from (seed, 0, "sample/<name>/plain"). */
  function latentValue(l: ExportLatent, n: number, o: SampleOptions): tf.Tensor {
    const given = l.role === "class" ? o.class : o.codes?.[l.name];
    if (l.prior === "categorical") {
      if (given !== undefined) {
        const values = typeof given === "number" ? new Array<number>(n).fill(given) : (given as number[]);
        for (const v of values) if (!Number.isInteger(v) || v < 0 || v >= l.classes!) throw new Error(`${l.name} must be a class from 0 to ${l.classes! - 1}, found ${v}`);
        return tf.tensor1d(values, "int32");
      }
      return rng.categorical(l.classes!, n, o.seed ?? 0, 0, `sample/${l.name}/plain`);
    }
    if (given !== undefined) {
      const rows = Array.isArray((given as unknown[])[0]) ? (given as number[][]) : new Array<number[]>(n).fill(given as number[]);
      return tf.tensor(rows.flat(), [n, ...l.shape]);
    }
    return drawLatent(l, n, o);
  }

  function drawLatent(l: ExportLatent, n: number, o: SampleOptions): tf.Tensor {
    const at = [o.seed ?? 0, 0, `sample/${l.name}/plain`] as const;
    if (l.prior === "uniform") return rng.uniform([n, ...l.shape], ...at, l.low, l.high);
    const t = o.truncation ?? l.truncation ?? 0;
    return t > 0 ? rng.truncatedNormal([n, ...l.shape], ...at, t) : rng.normal([n, ...l.shape], ...at);
  }

  /** n draws of the noise latent (`z`), as `ganc sample --seed` draws them. */
  function drawNoise(n: number, o: SampleOptions = {}): tf.Tensor {
    if (!noise) throw new Error(`${info.spec}'s generator reads no noise latent`);
    return drawLatent(noise, n, o);
  }

  /** The generator applied to noise z ([n, ...shape], a tensor or nested arrays) and the other latents from `o`. */
  function generate(z: tf.Tensor | number[][] | Float32Array, o: GenerateOptions = {}): tf.Tensor {
    if (translates) throw new Error(`${info.spec}'s generator translates images: call translate(x)`);
    if (!noise) throw new Error(`${info.spec}'s generator reads no noise latent`);
    const m = loaded();
    return tf.tidy(() => {
      const zt = z instanceof tf.Tensor ? z : tf.tensor(z instanceof Float32Array ? z : z.flat(), [-1, ...noise.shape]);
      const n = zt.shape[0]!;
      const values: Record<string, tf.Tensor> = { [noise.name]: zt };
      for (const l of info.latents) values[l.name] ??= latentValue(l, n, o);
      for (const c of info.concat) {
        const parts = c.parts.map((p) => {
          const l = info.latents.find((x) => x.name === p);
          return l?.prior === "categorical" ? tf.oneHot(values[p] as tf.Tensor1D, l.classes!).toFloat() : values[p]!;
        });
        values[c.name] = tf.concat(parts, -1);
      }
      return m.nets[info.network]!(...info.inputs.map((i) => values[i.name]!))[info.output.name]!;
    });
  }

  /** n samples drawn from a seed: `generate(drawNoise(n, o), o)`. */
  function sample(n: number, o: SampleOptions = {}): tf.Tensor {
    const z = drawNoise(n, o);
    try {
      return generate(z, o);
    } finally {
      z.dispose();
    }
  }

  /** Translation specs: the generator applied to input images x [n, H, W, C] in the input's range. */
  function translate(x: tf.Tensor): tf.Tensor {
    if (!translates) throw new Error(`${info.spec}'s generator reads latents: call generate(z)`);
    const m = loaded();
    return tf.tidy(() => m.nets[info.network]!(x)[info.output.name]!);
  }

  /** k points from a to b (each [...shape] or [1, ...shape]): straight (lerp) or along the great circle (slerp). */
  function interpolate(a: tf.Tensor, b: tf.Tensor, k: number, how: "lerp" | "slerp" = "slerp"): tf.Tensor {
    return tf.tidy(() => {
      const [fa, fb] = [a.reshape([-1]), b.reshape([-1])];
      const omega = Math.acos(Math.min(1 - 1e-7, Math.max(-1 + 1e-7, tf.sum(tf.mul(fa, fb)).dataSync()[0]! / (tf.norm(fa).dataSync()[0]! * tf.norm(fb).dataSync()[0]!))));
      const rows = Array.from({ length: k }, (_, j) => {
        const t = k === 1 ? 0 : j / (k - 1);
        const [wa, wb] = how === "slerp" ? [Math.sin((1 - t) * omega) / Math.sin(omega), Math.sin(t * omega) / Math.sin(omega)] : [1 - t, t];
        return tf.add(tf.mul(fa, wa), tf.mul(fb, wb));
      });
      const shape = a.shape[0] === 1 ? a.shape.slice(1) : a.shape;
      return tf.stack(rows).reshape([k, ...shape]);
    });
  }

  /** Images [n, H, W, C] in `range` as RGBA bytes. */
  function toRgba(images: tf.Tensor, range = info.output.kind === "images" ? info.output.range : "-1..1"): Rgba {
    const [n, height, width, channels] = images.shape as number[];
    const bytes = tf.tidy(() => {
      const unit = range === "0..1" ? images : tf.div(tf.add(images, 1), 2);
      const rgb = channels === 1 ? tf.tile(unit, [1, 1, 1, 3]) : unit;
      return tf.concat([rgb, tf.onesLike(tf.slice(rgb, [0, 0, 0, 0], [-1, -1, -1, 1]))], 3).mul(255).round().clipByValue(0, 255).dataSync();
    });
    const per = height! * width! * 4;
    return { width: width!, height: height!, images: Array.from({ length: n! }, (_, i) => Uint8ClampedArray.from(bytes.subarray(i * per, (i + 1) * per))) };
  }

  /** Releases the weights. */
  function dispose(): void {
    if (!model) return;
    model.store.dispose();
    tf.dispose(model.state);
    model = undefined;
  }

  return { info, load, generate, sample, drawNoise, translate, interpolate, toRgba, dispose };
}
