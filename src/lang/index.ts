// The language catalog: every layer, builtin function, operator, data source, latent prior,
// optimiser, learning-rate schedule and run setting, each one entry holding its signature, its
// type or shape rule, its emitter and its documentation line. The checker, the code generator,
// `ganc fmt`, the IR printer and differ, and LANGUAGE.md's tables all read these tables; nothing
// here reads them back (src/lang imports only the IR's types and the diagnostics' codes).
export type * from "./entry.js";
export { BUILTINS, BUILTIN_NAMES, builtinEntry } from "./builtins/index.js";
export { combine, numeric, outputsProblem } from "./builtins/combine.js";
export { DATA_SOURCES } from "./data.js";
export { LAYERS, LAYER_NAMES, layerEntry, type LayerName } from "./layers/index.js";
export { NEGATE, OPERATORS } from "./operators.js";
export { LR_SCHEDULES, OPTIMIZERS } from "./optimizers.js";
export { PRIORS } from "./priors.js";
export { isProblem, problem, type Problem } from "./problem.js";
export { RUN_DEFAULTS, RUN_SETTINGS } from "./run.js";
export * from "./signature.js";
export * from "./types.js";

/** Whether `name` is an own key of a catalog table (not `toString` and the like). */
export function has<T extends object>(table: T, name: string): name is Extract<keyof T, string> {
  return Object.prototype.hasOwnProperty.call(table, name);
}
