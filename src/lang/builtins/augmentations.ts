// Differentiable augmentations of image batches (DiffAugment, Zhao et al. 2020; bCR's
// translation). Each call site draws its own parameters per example from (seed, step, the
// schedule step's draw id and the call site), like a latent: a resumed run draws the same
// ones, and `let a = translate(x)` used twice in a loss is one draw.
import type { BuiltinEntry } from "../entry.js";
import { wrongArgument } from "../problem.js";
import type { ParamSpec } from "../signature.js";
import { x } from "./elementwise.js";

const ratio = (value: number): ParamSpec => ({ name: "ratio", kind: "number", default: value, min: 0, max: 1 });

/** An augmentation of an image `[h, w, c]`, of the same type; `extra` are its constant options as JavaScript. */
function augmentation(name: string, doc: string, fn: string, params: readonly ParamSpec[], extra: (o: Record<string, unknown>) => string[]): BuiltinEntry {
  return {
    doc,
    params: [x, ...params],
    type: ([v]) => (v!.type.kind === "tensor" && v!.type.shape.length === 3 ? v!.type : wrongArgument(name, "x", "an image [height, width, channels]", v!.type, { at: 0 })),
    emit: {
      names: [fn],
      code(at) {
        const args = [at.tensor(0), ...extra(at.expr.options), at.seed(), at.step(), at.stream(`${name}_${at.nameOf(0)}`)];
        return { code: at.hoist(`${name}_${at.nameOf(0)}`, `${fn}(${args.join(", ")})`), num: false };
      },
    },
  };
}

export const AUGMENTATIONS = {
  color_jitter: augmentation(
    "color_jitter",
    "DiffAugment's colour: per example, brightness + (u − 0.5), saturation × 2u, contrast × (u + 0.5), u ~ U[0, 1) each (randomness from the seed, the step and the call site; differentiable)",
    "rt.augment.colorJitter",
    [],
    () => [],
  ),
  translate: augmentation(
    "translate",
    "per example, a shift by whole pixels drawn from [−s, s] on each axis, s = `ratio` × size, zeros shifted in (DiffAugment's translation; differentiable)",
    "rt.augment.translate",
    [ratio(0.125)],
    (o) => [String(o.ratio)],
  ),
  cutout: augmentation(
    "cutout",
    "per example, a square of side `ratio` × size at a random place set to zero (DiffAugment's cutout; differentiable)",
    "rt.augment.cutout",
    [ratio(0.5)],
    (o) => [String(o.ratio)],
  ),
} satisfies Record<string, BuiltinEntry>;
