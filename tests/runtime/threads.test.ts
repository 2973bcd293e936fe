// The threaded SIMD wasm build under Node: it starts with the thread count asked for, its
// results are deterministic for a seed and a thread count, and close to one thread's.
import * as tf from "@tensorflow/tfjs";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { loadProgram } from "../../src/cli/run.js";
import { useBackend } from "../../src/runtime/backend.js";
import { ParamStore } from "../../src/runtime/nn/params.js";
import type { ModelBase, Program } from "../../src/runtime/program.js";
import { backendDescription } from "../../src/runtime/backend.js";
import { backendThreads, setWasmThreads, wasmThreads, wasmVariant } from "../../src/runtime/wasm-threads.js";
import { blas } from "../../src/runtime/kernels/blas.js";
import { rand } from "./helpers.js";

/** The wasm build and, when built, OpenBLAS for the products and convolutions. */
const engines = (variant: string): string => (blas() === null ? variant : `${variant} + OpenBLAS`);

async function wasmWith(threads: number): Promise<void> {
  setWasmThreads(threads);
  await useBackend("wasm");
}

/** Losses of `iterations` iterations of a generated program from seed 1. */
function losses(program: Program<ModelBase>, iterations: number): number[][] {
  const store = new ParamStore(1);
  const model = program.create({ store, seed: 1, baseDir: "specs" });
  const out: number[][] = [];
  for (let t = 0; t < iterations; t++) {
    store.step = t;
    const logged = program.iteration(model, t);
    out.push(Object.values(logged).map((v) => v.dataSync()[0]!));
    tf.dispose(Object.values(logged));
  }
  for (const o of Object.values(model.optimizers)) o.dispose();
  store.dispose();
  return out;
}

// Small, but with batches large enough for XNNPACK to split the convolutions between threads.
const SMALL = {
  dcgan: { ngf: "8", ndf: "8", batch: "16" },
  wgan_gp: { ngf: "4", ndf: "4", batch: "8" },
};

describe("the wasm backend with threads", () => {
  afterAll(async () => {
    setWasmThreads(undefined);
  });

  it("starts the threaded SIMD build with the thread count asked for, and one thread without workers", async () => {
    await wasmWith(2);
    expect(wasmVariant()).toBe("threaded-simd");
    expect(wasmThreads()).toBe(2);
    expect(backendThreads()).toBe(2);
    expect(backendDescription()).toBe(`wasm (CPU, WebAssembly ${engines("threaded-simd")}, 2 threads)`);
    expect(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync()[0]).toBe(3);
    await wasmWith(1);
    expect([wasmVariant(), wasmThreads()]).toEqual(["simd", 1]);
    expect(backendDescription()).toBe(`wasm (CPU, WebAssembly ${engines("simd")}, 1 thread)`);
  });

  it("rejects a thread count it cannot run", () => {
    expect(() => setWasmThreads(0)).toThrow(/whole number from 1 to 8, found 0/);
    expect(() => setWasmThreads(1.5)).toThrow(/found 1.5/);
  });

  it("computes what one thread computes on convolutions and products large enough to be split", async () => {
    // Inputs made on each backend (replacing the backend disposes its tensors).
    const run = () =>
      tf.tidy(() => {
        const w = rand([4, 4, 16, 32], 2) as tf.Tensor4D;
        return [
          tf.conv2d(rand([8, 14, 14, 16], 1) as tf.Tensor4D, w, 2, "same").dataSync(),
          tf.conv2dTranspose(rand([8, 7, 7, 32], 5) as tf.Tensor4D, w, [8, 14, 14, 16], 2, "same").dataSync(),
          tf.matMul(rand([96, 200], 3), rand([200, 160], 4)).dataSync(),
        ];
      });
    await wasmWith(1);
    const one = run();
    await wasmWith(2);
    const two = run();
    for (let i = 0; i < one.length; i++) {
      let m = 0;
      for (let j = 0; j < one[i]!.length; j++) m = Math.max(m, Math.abs(one[i]![j]! - two[i]![j]!));
      expect(m).toBeLessThan(1e-4);
    }
  });

  it.each(Object.keys(SMALL))("trains %s to the same losses twice with 2 threads, close to 1 thread's", async (spec) => {
    const program = loadProgram(await moduleFor(checkFile(`specs/${spec}.gan`, { overrides: SMALL[spec as keyof typeof SMALL] }).ir!));
    await wasmWith(2);
    const first = losses(program, 2);
    const second = losses(program, 2);
    expect(second).toEqual(first);
    await wasmWith(1);
    const single = losses(program, 2);
    for (let t = 0; t < first.length; t++) {
      for (let i = 0; i < first[t]!.length; i++) expect(Math.abs(first[t]![i]! - single[t]![i]!)).toBeLessThan(1e-3 * Math.max(1, Math.abs(single[t]![i]!)));
    }
  });
});
