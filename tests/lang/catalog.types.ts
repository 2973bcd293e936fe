// Compile-time checks of the catalog's types, run by `npm run typecheck` (not a vitest file):
// an entry without a rule, an emitter or a documentation line does not compile, and a problem's
// arguments must be those of its code's message.
import type { BuiltinEntry, LayerEntry } from "../../src/lang/index.js";
import { problem } from "../../src/lang/index.js";

// @ts-expect-error a layer without an emitter
export const layerWithoutEmitter: LayerEntry = { doc: "d", params: [], shape: (t) => t, paramCount: () => 0 };

// @ts-expect-error a layer without a documentation line
export const layerWithoutDoc: LayerEntry = { params: [], shape: (t) => t, paramCount: () => 0, emit: { names: [], apply: () => "" } };

// @ts-expect-error a layer without a parameter count
export const layerWithoutCount: LayerEntry = { doc: "d", params: [], shape: (t) => t, emit: { names: [], apply: () => "" } };

// @ts-expect-error a builtin without an emitter
export const builtinWithoutEmitter: BuiltinEntry = { doc: "d", params: [], type: () => ({ kind: "scalar" }) };

// @ts-expect-error E0302's message needs `layer`, `expected` and `found`
export const incompleteProblem = problem("E0302", { layer: "dense" });

export const completeProblem = problem("E0302", { layer: "dense", expected: "a vector [n]", found: "[28, 28, 1]" });
