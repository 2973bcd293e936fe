/**
 * ganc runtime — the library that generated training code imports.
 *
 *     import { tf, nn, ops, rng, data, train, type TrainerModule } from "ganc/runtime";
 *
 * Everything here works on the cpu, wasm and webgpu backends (and tfjs-node when
 * installed), reads tensors only asynchronously, is deterministic given a seed, and is twice differentiable
 * where gradient penalties need it. User mistakes throw `RuntimeUserError`
 * (print `.message`, no stack trace).
 *
 * ## Backend
 *   await useBackend("auto" | "webgpu" | "tensorflow" | "wasm" | "cpu"): Promise<string>
 *     The backend in use afterwards; also registers the runtime's kernels
 *     (fast Conv2DBackpropFilter on cpu/wasm). `train()` calls it for you.
 *   backendInUse() → { backend, device, adapter?, wasmVariant? }   (run header, run.json)
 *   await probeWebgpu() → { adapter, found, problems }   await inspectBackends() (`ganc backends`)
 *   wasmVariant(): "threaded-simd" | "simd" | "plain" | null
 *   setWasmThreads(n | undefined)   threads of the wasm backend (default every core, at most 8);
 *     before useBackend (a running wasm backend is restarted with the new count)
 *   wasmThreads()  backendThreads()  backendDescription()   what runs: "wasm (threaded-simd, 2 threads)"
 *
 * ## Parameters and layers (`nn`)
 *   const p = new nn.ParamStore(seed, { kernelInit?: "glorot" | "dcgan" | "he" | ... })
 *     p.variable(name, shape, init, { trainable? }) → tf.Variable (deterministic from (seed, name))
 *     p.trainable("G/") → tf.Variable[]        p.entries()  p.get(name)  p.countParams("D/")
 *     p.mode = "train" | "eval";  p.step = t   (the harness sets both)
 *   Each layer factory creates "<name>/<var>" variables and returns { apply, ...vars }:
 *     nn.dense(p, "D/fc", { inFeatures, units, bias?, init?, spectralNorm? })          .apply(x[N,...]) → [N, units]
 *     nn.conv2d(p, "D/conv1", { inChannels, filters, kernel, stride?=1, padding?="same", bias?, init?, spectralNorm? })
 *     nn.conv2dTranspose(p, "G/up1", { inChannels, filters, kernel, stride?=1, padding?="same", ... })
 *        "same": H·stride; "valid": (H−1)·stride + kernel
 *     nn.upsample({ factor })  nn.avgpool({ factor })                                 .apply(x[N,H,W,C])
 *     nn.batchnorm(p, "G/bn1", { channels, momentum?=0.99, epsilon?=1e-5, affine? })  .apply(x, training = p.training)
 *     nn.layernorm(p, name, { channels, epsilon?, affine? })   nn.instancenorm(p, name, { channels, ... })
 *     nn.dropout(p, name, { rate })                     mask from (seed, step, "<name>#k"); off in eval mode
 *     nn.embedding(p, "G/label", { classes, dim })      .apply(labels int32 [N]) → [N, dim]
 *     nn.minibatchDiscrimination(p, name, { inFeatures, kernels, dim })  .apply(x) → [N, inFeatures + kernels]
 *     nn.adain(p, name, { styleDim, channels }).apply(x, w)   nn.noise(p, name, { channels }).apply(x)
 *     nn.constant(p, name, { height, width, channels }).apply(batch)   nn.fade(a, b, alpha)
 *
 * ## Ops (`ops`) — twice differentiable; prefer these over tf.* in models
 *   ops.leakyRelu(x, alpha=0.2)  ops.elu(x)  ops.tanh(x)  ops.sigmoid(x)  ops.exp(x)
 *   ops.relu(x)  ops.softplus(x)  ops.upsampleNearest(x, f)  ops.avgPool(x, f)
 *   ops.perExampleNorm(x)  ops.perExampleMean(x)  ops.perExampleSum(x)  ops.perExampleStd(x)  ops.std(x)
 *   ops.inputGradient(f, x)  ops.minimum(a, b)  ops.maximum(a, b)  ops.clip(x, low, high)
 *   ops.gradientPenalty(f, x, target=1)   mean((‖∇x f(x)‖₂ − target)²)   (WGAN-GP, DRAGAN)
 *   ops.gradientSquaredNorm(f, x)         mean(‖∇x f(x)‖²)                (R1/R2)
 *   Note tf.tanh/sigmoid/exp/elu/leakyRelu fail when differentiated twice in tfjs.
 *
 * ## Randomness (`rng`) — every draw is a pure function of (seed, step, stream)
 *   rng.seedFor(seed, step, stream): number
 *   rng.normal(shape, seed, step, stream, mean=0, std=1)   rng.uniform(shape, seed, step, stream, min=0, max=1)
 *   rng.truncatedNormal(shape, seed, step, stream, tau=2, std=1)
 *   rng.categorical(nClasses, batch, seed, step, stream) → int32 [batch]
 *   rng.bernoulli(shape, keep, seed, step, stream)  rng.permutation(n, ...)  rng.sampleIndices(n, k, ...)
 *   augment.colorJitter(x, seed, step, stream)  augment.translate(x, ratio, ...)  augment.cutout(x, ratio, ...)
 *     differentiable image augmentations (DiffAugment), drawn per example from (seed, step, stream)
 *   Use one stream name per draw within a step ("z/D", "z/G", "labels/G").
 *
 * ## Data (`data`)
 *   data.loadMnist({ split?: "train"|"test", digits?, range?: "-1..1"|"0..1", labels?, limit? }) → Dataset [28,28,1]
 *   data.ring(k, radius, std)  data.grid(k, spacing, std)   (no defaults: the IR states them)
 *       → { centers, sample(n, seed, step, stream?) → [n,2] }
 *   data.loadImageFolder(dir, { height, width, channels: 1|3, range?, resize?: "bilinear"|"nearest", convertColour? })
 *   data.loadSideBySideFolder(dir, opts) / data.loadMatchedFolders(dirA, dirB, opts) → { a, b } (aligned)
 *   data.pairedByTransform(ds, "edges"|"invert"|"thicken"|"downsample", factor=4) → { a: input, b: target }
 *   data.unpairedByTransform(ds, name) → { a: even examples, b: odd examples transformed }
 *   new data.Batcher([ds, ...aligned], batchSize, seed, stream="data").batch(step)
 *       → { images: tf.Tensor[] (one per dataset), labels: int32 [B] | null }  (caller disposes)
 *
 * ## Images
 *   await imageGridPng(images[N,H,W,C], { range?, columns?, border?=2, scale? }) → PNG Buffer
 *   await scatterPng(real[N,2] | null, fake[N,2], { size?, extent?=[-5,5], centers? }) → PNG Buffer
 *
 * ## Checkpoints
 *   saveCheckpoint(runDir, params, optimizers, { step, seed, state, extra? }) → dir
 *   latestCheckpoint(runDir) → dir | null     loadCheckpoint(dir, params, optimizers) → meta (validated first:
 *     checkpoint-validate.ts; an InvalidCheckpointError names the file and why)
 *   loadNewestCheckpoint(runDir, params, optimizers) → { dir, meta, skipped } | null (passes over invalid ones)
 *
 * ## Training harness
 *   await train(module: TrainerModule, { steps, seed?, backend?, runDir?, runsDir?="runs", resume?,
 *                logEvery?=10, sampleEvery?=500, checkpointEvery?=1000, keepCheckpoints?=3, stopAt?, progress?, handleSignals? })
 *     → { runDir, backend, step, interrupted, signal?, last }
 *   A generated module:
 *     export const module: TrainerModule = {
 *       name: "dcgan",
 *       params: { kernelInit: "dcgan" },
 *       init(ctx) {                                   // build layers, optimisers, state
 *         conv1 = nn.conv2d(ctx.params, "D/conv1", { inChannels: 1, filters: 64, kernel: 4, stride: 2 });
 *         ctx.optimizers.D = tf.train.adam(2e-4, 0.5); ctx.state.ema = 0;
 *       },
 *       iteration(ctx) {                              // one step; return scalars/numbers to log
 *         const z = rng.normal([64, 100], ctx.seed, ctx.step, "z/D");
 *         const lossD = ctx.optimizers.D.minimize(() => ..., true, ctx.params.trainable("D/"))!;
 *         z.dispose();
 *         return { loss_D: lossD };
 *       },
 *       sample(ctx) {                                 // fixed latent batch; eval mode
 *         return { kind: "images", images: tf.tidy(() => G(rng.normal([64, 100], ctx.seed, 0, "sample"))) };
 *       },
 *     };
 */
export * as tf from "@tensorflow/tfjs";
export { RuntimeUserError, isRuntimeUserError } from "./errors.js";
export { BACKEND_NAMES, useBackend, autoBackend, backendInUse, backendDescription, wasmVariant, type BackendName, type BackendInUse, type WasmVariant } from "./backend.js";
export { setWasmThreads, wasmThreads, defaultWasmThreads, backendThreads, MAX_WASM_THREADS } from "./wasm-threads.js";
export { inspectBackends, type BackendReport } from "./backend-report.js";
export { probeWebgpu, describeAdapter, type GpuAdapter, type WebgpuProbe } from "./webgpu.js";
export { registerRuntimeKernels, originalKernel } from "./kernels/register.js";
export * as nn from "./nn/index.js";
export * as ops from "./ops.js";
export * as rng from "./rng.js";
export * as augment from "./augment.js";
export * as data from "./data/index.js";
export { imageGridPng, scatterPng, decodePng, gridSize, MAX_PNG_SIDE, type GridOptions, type ImageArray, type ScatterOptions } from "./image.js";
export {
  saveCheckpoint,
  loadCheckpoint,
  loadNewestCheckpoint,
  describeSkipped,
  latestCheckpoint,
  listCheckpoints,
  checkpointDir,
  InvalidCheckpointError,
  type CheckpointMeta,
  type SaveOptions,
  type SkippedCheckpoint,
} from "./checkpoint.js";
export {
  train,
  type TrainerModule,
  type TrainContext,
  type TrainOptions,
  type TrainResult,
  type SampleOutput,
} from "./train.js";
export { Progress, formatDuration, type ProgressStream } from "./progress.js";

// ---------------------------------------------------------------- generated programs
/**
 * What `ganc build` modules use beyond layers: loss primitives (`losses.bceLogits`, `mse`, `l1`,
 * `crossEntropy`, `klNormal`, `pullingAway`), schedule operations (`steps.gradients`,
 * `steps.applyGradients`, `steps.clipWeights`, `steps.linearDecay`, `steps.Ema`, `steps.logged`),
 * graph helpers (`graph.concatLast`), data sources (`data.open`), the history pool, and the
 * `Program` a module exports, which `trainerOf` adapts to the training harness. Modules built
 * with shape checks (`ganc run --check-shapes`) call `expectShape(value, shape, what, inferred)`.
 */
export * as losses from "./losses.js";
export * as steps from "./train-ops.js";
export * as graph from "./graph.js";
export { HistoryPool, type HistoryState } from "./history.js";
export { expectShape } from "./shape-check.js";
export { trainerOf, type Program, type ModelBase, type CreateOptions, type DataSource, type RunSettings, type TrainerOfOptions } from "./program.js";

// ---------------------------------------------------------------- evaluation
/**
 * `evaluation`: metrics of generated samples (`ganc eval`, `run { eval_every }`).
 *   evaluation.referenceFromData(ir.data) → { toy2d?: { centers, std }, mnist?: { range } }
 *   await evaluation.evaluateProgram(program, model, reference, { samples? }) → metrics
 *   evaluation.toyMetrics(points, { centers, std })   → modes_covered, high_quality_fraction, reverse_kl
 *   await evaluation.mnistClassifier({ cacheDir? })   → the cached MNIST classifier (trained once)
 *   evaluation.frechetDistance(gaussianOf(a, n, d), gaussianOf(b, m, d))
 *   Structured generators, through callbacks (the CLI builds them from the spec):
 *   await evaluation.evaluateClasses((value, n, part) => images, { values, range, samples? })
 *       → class_accuracy, per_class_accuracy            (conditional: cgan, acgan)
 *   await evaluation.evaluateCodes(same)  → code_purity, code_classes, code_majority   (InfoGAN)
 *   evaluation.heldOutPairs(inputSide, targetSide, n) → aligned MNIST test pairs, transformed like the data
 *   await evaluation.evaluateTranslation(G, pairs) → translation_l1, identity_l1 (0..1 pixels)
 */
export * as evaluation from "./eval/index.js";
