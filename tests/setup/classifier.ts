// Vitest global setup: make sure ganc's MNIST evaluation classifier is in the cache
// ($GANC_CACHE or ~/.cache/ganc) before the tests start, training it once (a minute or two)
// on a fresh machine, so that no test's time limit has to cover the training.
import { useBackend } from "../../src/runtime/backend.js";
import { mnistClassifier } from "../../src/runtime/eval/index.js";

export default async function setup(): Promise<void> {
  await useBackend("wasm");
  await mnistClassifier({ log: (t) => console.log(t) });
}
