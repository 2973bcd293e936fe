// The builtin functions of loss expressions, by name. A new function is an entry here (and, when
// its emitter names one, a runtime function): the checker, the code generator, the IR printer
// and LANGUAGE.md read this table. A new loss needs no entry: it is written from these in a spec.
import type { BuiltinEntry } from "../entry.js";
import { AUGMENTATIONS } from "./augmentations.js";
import { ELEMENTWISE } from "./elementwise.js";
import { GRADIENTS } from "./gradients.js";
import { LOSSES } from "./losses.js";
import { REDUCTIONS } from "./reductions.js";
import { VALUES } from "./values.js";

const { min, max, clip, ...unary } = ELEMENTWISE;
const { stop_gradient, ...gradients } = GRADIENTS;
const { iteration, cast, ...values } = VALUES;

export const BUILTINS = {
  ...unary,
  stop_gradient,
  min,
  max,
  clip,
  ...REDUCTIONS,
  ...LOSSES,
  ...gradients,
  ...AUGMENTATIONS,
  ...values,
  cast,
  iteration,
} satisfies Record<string, BuiltinEntry>;

export const BUILTIN_NAMES: readonly string[] = Object.keys(BUILTINS);

export function builtinEntry(name: string): BuiltinEntry | undefined {
  return Object.prototype.hasOwnProperty.call(BUILTINS, name) ? (BUILTINS as Record<string, BuiltinEntry>)[name] : undefined;
}
