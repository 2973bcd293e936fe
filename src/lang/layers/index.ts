// The layers of the language, by name. A new layer is an entry here (and its implementation in
// the runtime): the checker, the code generator, `ganc fmt`, the IR printer and LANGUAGE.md
// read this table.
import type { LayerEntry } from "../entry.js";
import { ACTIVATIONS } from "./activations.js";
import { CONVOLUTIONS } from "./conv.js";
import { dense, minibatch_disc } from "./dense.js";
import { dropout } from "./dropout.js";
import { JOINS } from "./join.js";
import { LABEL_LAYERS } from "./labels.js";
import { NORMALISATIONS } from "./norm.js";
import { RESHAPING } from "./reshape.js";
import { STYLE_LAYERS } from "./style.js";

export const LAYERS = {
  dense,
  ...CONVOLUTIONS,
  ...RESHAPING,
  ...NORMALISATIONS,
  dropout,
  ...ACTIVATIONS,
  ...LABEL_LAYERS,
  ...JOINS,
  minibatch_disc,
  ...STYLE_LAYERS,
} satisfies Record<string, LayerEntry>;

export type LayerName = keyof typeof LAYERS;

export const LAYER_NAMES: readonly string[] = Object.keys(LAYERS);

/** The entry of a layer name, if it is one (not a block or network used as a layer). */
export function layerEntry(name: string): LayerEntry | undefined {
  return Object.prototype.hasOwnProperty.call(LAYERS, name) ? (LAYERS as Record<string, LayerEntry>)[name] : undefined;
}
