// Which network is the generator and what its latents stand for, for `ganc export`. Today this is
// guessed from the spec's shape by the helpers `ganc sample` uses; when the IR states roles,
// `generatorRoles` is the one place to change.
import type { IrLatent, IrSpec } from "../ir/types.js";
import { findGenerator } from "../ir/query.js";
import { categoricalLatents, latentsOf, type GeneratorCall } from "../cli/generator.js";

export interface GeneratorRoles {
  call: GeneratorCall;
  /** The base latents the call reads (concatenations expanded), with their role. */
  latents: { latent: IrLatent; role: "noise" | "class" | "code" }[];
}

export function generatorRoles(ir: IrSpec): GeneratorRoles | undefined {
  const call = findGenerator(ir);
  if (!call) return undefined;
  const categorical = new Map(categoricalLatents(ir, call).map((c) => [c.latent.name, c.role]));
  const base = latentsOf(ir, call).filter((l) => !l.parts);
  // The noise is the first normal latent (the first uniform one when there is none: BEGAN's z);
  // other continuous latents are codes (InfoGAN's u).
  const noise = base.find((l) => l.prior === "normal") ?? base.find((l) => l.prior === "uniform");
  return { call, latents: base.map((latent) => ({ latent, role: categorical.get(latent.name) ?? (latent === noise ? "noise" : "code") })) };
}
