import * as tf from "@tensorflow/tfjs";
import { describe, expect, it } from "vitest";
import { useBackend, wasmVariant, type BackendName } from "../../src/runtime/backend.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import { probeWebgpu } from "../../src/runtime/webgpu.js";

const realGpu = (await probeWebgpu()).found.some((a) => !a.software);

describe("useBackend", () => {
  it("selects cpu", async () => {
    expect(await useBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0]).toBe(5);
  });

  it("selects wasm from the installed package and records the variant", async () => {
    expect(await useBackend("wasm")).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    expect(["threaded-simd", "simd", "plain"]).toContain(wasmVariant());
    expect(tf.matMul(tf.ones([2, 3]), tf.ones([3, 2])).dataSync()[0]).toBe(3);
  });

  it.skipIf(realGpu)("auto falls back to wasm when tfjs-node is not installed and there is no GPU (software renderers do not count)", async () => {
    expect(await useBackend("auto")).toBe("wasm");
  });

  it("tensorflow without tfjs-node says how to install it", async () => {
    const p = useBackend("tensorflow");
    await expect(p).rejects.toBeInstanceOf(RuntimeUserError);
    await expect(useBackend("tensorflow")).rejects.toThrow(/npm install @tensorflow\/tfjs-node.*tfjs-node-gpu/s);
  });

  it("rejects unknown names clearly", async () => {
    await expect(useBackend("gpu" as BackendName)).rejects.toThrow(/unknown backend "gpu"/);
  });

  it("can switch back and forth with the runtime kernels registered on both", async () => {
    for (const b of ["cpu", "wasm", "cpu"] as const) {
      await useBackend(b);
      expect(tf.getKernel("Conv2DBackpropFilter", b)).toBeDefined();
    }
  });
});
