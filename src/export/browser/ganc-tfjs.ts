// The module every exported generator.js imports (bundled into dist/assets/ganc-tfjs.js): tfjs,
// the runtime's layers, ops and graph helpers under the names generated network code uses
// (`rt.nn.dense`, `rt.ops.relu`, `rt.graph.concatLast`), and the generator API.
import * as nn from "../../runtime/nn/index.js";
import * as ops from "../../runtime/ops.js";
import * as graph from "../../runtime/graph.js";
import * as rng from "../../runtime/rng.js";

export * as tf from "@tensorflow/tfjs";
export const rt = { nn, ops, graph, rng };
export { generatorApi } from "./api.js";
