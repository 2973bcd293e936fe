// Dropout: random zeroing while training, from the run's seed so that a run replays exactly.
import type { LayerEntry } from "../entry.js";
import { sameAsTensor } from "./common.js";

export const dropout: LayerEntry = {
  doc: "zeroes a fraction `rate` of the values while training (its mask drawn from the seed, the step and the layer)",
  params: [{ name: "rate", kind: "number", min: 0, max: 1, exclusiveMax: true }],
  shape: (input) => sameAsTensor(input, "dropout"),
  paramCount: () => 0,
  emit: { names: ["rt.nn.dropout"], object: (n, scope) => `rt.nn.dropout(store, ${scope}, { rate: ${n.args.rate} })`, apply: ({ self, inputs }) => `${self}.apply(${inputs[0]})` },
};
