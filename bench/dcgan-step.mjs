// Benchmark (not a test): one training step of the generated DCGAN (specs/dcgan.gan through
// ganc's compiler and runtime) against a hand-written tfjs loop of the same model, in the same
// process, on the same backend, alternating so both see the same machine load.
//
//   npm run build && node bench/dcgan-step.mjs [--backend wasm|cpu] [--batch 64] [--steps 20]
//
// Prints the median step time of each and the ratio generated / hand-written (target <= 1.03).
import { parseArgs } from "node:util";
import * as tf from "@tensorflow/tfjs";
import * as rt from "../dist/runtime/index.js";
import { checkFile } from "../dist/check/check.js";
import { moduleFor } from "../dist/cli/build.js";
import { loadProgram } from "../dist/cli/run.js";

const { values: args } = parseArgs({
  options: { backend: { type: "string", default: "wasm" }, batch: { type: "string", default: "64" }, steps: { type: "string", default: "20" } },
});
const batch = Number(args.batch);
const steps = Number(args.steps);
await rt.useBackend(args.backend);

// ---------------------------------------------------------------- generated
// Widths 64 (ngf = ndf = 64), as the hand-written model below.
const checked = checkFile("specs/dcgan.gan", { overrides: { batch: String(batch), ngf: "64", ndf: "64" } });
const program = loadProgram(await moduleFor(checked.ir));
const store = new rt.nn.ParamStore(1);
const model = program.create({ store, seed: 1, baseDir: "specs" });
const generatedStep = (t) => tf.dispose(program.iteration(model, t));

// ---------------------------------------------------------------- hand-written
// The same architecture as specs/dcgan.gan, in plain tfjs: variables, ops, optimizer.minimize.
const glorot = (shape, fanIn, fanOut) => tf.variable(tf.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut))));
const zeros = (n) => tf.variable(tf.zeros([n]));
const ones = (n) => tf.variable(tf.ones([n]));
const G = {
  w1: glorot([100, 6272], 100, 6272), b1: zeros(6272), g1: ones(6272), be1: zeros(6272),
  k2: glorot([4, 4, 64, 128], 2048, 1024), b2: zeros(64), g2: ones(64), be2: zeros(64),
  k3: glorot([4, 4, 1, 64], 1024, 16), b3: zeros(1),
};
const D = {
  k1: glorot([4, 4, 1, 64], 16, 1024), b1: zeros(64),
  k2: glorot([4, 4, 64, 128], 1024, 2048), b2: zeros(128), g2: ones(128), be2: zeros(128),
  w3: glorot([6272, 1], 6272, 1), b3: zeros(1),
};
const bn = (x, gamma, beta) => {
  const { mean, variance } = tf.moments(x, [...Array(x.rank - 1).keys()]);
  return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, 1e-5))), gamma), beta);
};
const gen = (z) => {
  let h = tf.relu(bn(tf.add(tf.matMul(z, G.w1), G.b1), G.g1, G.be1));
  h = tf.reshape(h, [-1, 7, 7, 128]);
  h = tf.relu(bn(tf.add(tf.conv2dTranspose(h, G.k2, [h.shape[0], 14, 14, 64], 2, "same"), G.b2), G.g2, G.be2));
  return tf.tanh(tf.add(tf.conv2dTranspose(h, G.k3, [h.shape[0], 28, 28, 1], 2, "same"), G.b3));
};
const disc = (x) => {
  let h = tf.leakyRelu(tf.add(tf.conv2d(x, D.k1, 2, "same"), D.b1), 0.2);
  h = tf.leakyRelu(bn(tf.add(tf.conv2d(h, D.k2, 2, "same"), D.b2), D.g2, D.be2), 0.2);
  return tf.add(tf.matMul(tf.reshape(h, [-1, 6272]), D.w3), D.b3);
};
const bce = (logits, target) => tf.mean(tf.sub(tf.softplus(logits), tf.mul(logits, target)));
const optD = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
const optG = tf.train.adam(2e-4, 0.5, 0.999, 1e-8);
const mnist = rt.data.open("mnist", { split: "train", digits: [], range: [-1, 1], labels: false, transform: "none" }, { store, seed: 1, baseDir: "." });
const handStep = (t) =>
  tf.tidy(() => {
    const [x] = mnist.batch(batch, t, "hand/x");
    const z1 = tf.randomNormal([batch, 100]);
    optD.minimize(() => tf.add(bce(disc(x), 1), bce(disc(gen(z1)), 0)), false, Object.values(D));
    const z2 = tf.randomNormal([batch, 100]);
    optG.minimize(() => bce(disc(gen(z2)), 1), false, Object.values(G));
  });

// ---------------------------------------------------------------- timing
const time = (f, t) => {
  const start = performance.now();
  f(t); // cpu and wasm run synchronously: the step is done when f returns
  return performance.now() - start;
};
for (let t = 0; t < 3; t++) {
  generatedStep(t);
  handStep(t);
}
const gen_ms = [];
const hand_ms = [];
for (let t = 3; t < 3 + steps; t++) {
  if (t % 2) {
    gen_ms.push(time(generatedStep, t));
    hand_ms.push(time(handStep, t));
  } else {
    hand_ms.push(time(handStep, t));
    gen_ms.push(time(generatedStep, t));
  }
}
const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const g = median(gen_ms);
const h = median(hand_ms);
console.log(`DCGAN training step, batch ${batch}, backend ${tf.getBackend()}${tf.getBackend() === "wasm" ? ` (${rt.wasmVariant()})` : ""}, median of ${steps}`);
console.log(`  generated (ganc):  ${g.toFixed(1)} ms/step`);
console.log(`  hand-written tfjs: ${h.toFixed(1)} ms/step`);
console.log(`  ratio generated / hand-written: ${(g / h).toFixed(3)} (target <= 1.03)`);
