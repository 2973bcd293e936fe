// The generator of a saved run as `ganc sample` and `ganc eval` use it: the network call the
// IR's roles name, which latents it reads, draws of them (a fixed class or code value when
// asked), and the call itself (with the moving average of its weights when the spec keeps one).
import * as tf from "@tensorflow/tfjs";
import * as rt from "../runtime/index.js";
import type { IrLatent, IrRoles, IrSpec } from "../ir/types.js";

export type Generator = NonNullable<IrRoles["generator"]>;
export type Latents = Record<string, tf.Tensor>;

export interface DrawOptions {
  seed: number;
  /** For normal latents: overrides the spec's truncation. */
  truncation?: number;
  /** For categorical latents: every draw is this class (the caller checks it is in range). */
  class?: number;
  /** The stream names' prefix (default "sample"): draws are from (seed, 0, `${prefix}/${latent}/${stream}`). */
  prefix?: string;
}

/** The latents a generator reads, with concatenations expanded to their parts. */
export function latentsOf(ir: IrSpec, g: Generator): IrLatent[] {
  const out: IrLatent[] = [];
  const add = (name: string) => {
    const l = ir.latents.find((x) => x.name === name)!;
    if (l.parts) l.parts.forEach(add);
    if (!out.includes(l)) out.push(l);
  };
  for (const i of g.inputs) if (i.kind === "latent") add(i.name);
  return out;
}

/** The categorical latents of a role (`class`: cgan's and acgan's digit; `code`: InfoGAN's), with their class counts. */
export function categoricals(ir: IrSpec, role: "class" | "code"): { latent: IrLatent; classes: number }[] {
  return ir.roles.latents.flatMap((r) => {
    const latent = ir.latents.find((l) => l.name === r.name)!;
    return r.role === role && latent.type.kind === "label" ? [{ latent, classes: latent.type.classes }] : [];
  });
}

export function shapeOf(l: IrLatent): number[] {
  return l.type.kind === "tensor" ? l.type.shape : [];
}

/** n draws of a (non-concatenated) latent. */
export function drawLatent(l: IrLatent, n: number, o: DrawOptions, stream: string): tf.Tensor {
  const at = [o.seed, 0, `${o.prefix ?? "sample"}/${l.name}/${stream}`] as const;
  switch (l.prior) {
    case "normal": {
      const t = o.truncation ?? (l.args.truncation as number);
      return t > 0 ? rt.rng.truncatedNormal([n, ...shapeOf(l)], ...at, t) : rt.rng.normal([n, ...shapeOf(l)], ...at);
    }
    case "uniform":
      return rt.rng.uniform([n, ...shapeOf(l)], ...at, l.args.low as number, l.args.high as number);
    case "categorical":
      return o.class === undefined ? rt.rng.categorical(l.args.classes as number, n, ...at) : tf.fill([n], o.class, "int32");
    default:
      throw new Error(`not a base latent: ${l.name}`);
  }
}

/** Concatenated latents (InfoGAN's z ⊕ c ⊕ u) from their parts, categoricals one-hot. Adds them to `draws`. */
export function assemble(ir: IrSpec, draws: Latents): Latents {
  for (const l of ir.latents)
    if (l.parts && l.parts.every((p) => draws[p]))
      draws[l.name] = tf.concat(
        l.parts.map((p) => {
          const t = ir.latents.find((x) => x.name === p)!.type;
          return t.kind === "label" ? tf.oneHot(draws[p] as tf.Tensor1D, t.classes).toFloat() : draws[p]!;
        }),
        -1,
      );
  return draws;
}

/**
 * n draws of every latent the generator reads, assembled: `fixed` gives some base latents
 * their values (e.g. a categorical code, int32 [n]); the rest are drawn from `stream`.
 */
export function drawLatents(ir: IrSpec, g: Generator, n: number, o: DrawOptions, stream: string, fixed: Latents = {}): Latents {
  const draws: Latents = { ...fixed };
  for (const l of latentsOf(ir, g)) if (!l.parts && !draws[l.name]) draws[l.name] = drawLatent(l, n, o, stream);
  return assemble(ir, draws);
}

/** The generator's network applied to inputs (through its weights' moving average when the spec keeps one). */
export function generatorOf(m: rt.ModelBase, g: Generator): (...inputs: tf.Tensor[]) => tf.Tensor {
  return (...inputs) => {
    const apply = () => m.nets[g.network]!(...inputs)[g.output]!;
    const ema = m.ema?.[g.network];
    return ema ? ema.withAverage(apply) : apply();
  };
}

/** The generator applied to its latent arguments taken from `latents`. */
export function generateFrom(m: rt.ModelBase, g: Generator, latents: Latents): tf.Tensor {
  return generatorOf(m, g)(...g.inputs.map((i) => latents[i.name]!));
}
