import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { decodePng, imageGridPng, scatterPng } from "../../src/runtime/image.js";

beforeAll(async () => {
  await useBackend("cpu");
});

describe("image grid", () => {
  it("lays out tiles with borders and maps [-1,1] to 0..255", async () => {
    const imgs = tf.concat([tf.fill([1, 3, 3, 1], -1), tf.fill([1, 3, 3, 1], 1), tf.fill([1, 3, 3, 1], 0)]);
    const png = decodePng(await imageGridPng(imgs, { columns: 2, border: 1, borderValue: 128 }));
    expect(png.width).toBe(2 * 3 + 3);
    expect(png.height).toBe(2 * 3 + 3);
    const px = (x: number, y: number) => png.rgba[(y * png.width + x) * 4]!;
    expect(px(0, 0)).toBe(128); // border
    expect(px(1, 1)).toBe(0); // first tile: -1
    expect(px(5, 1)).toBe(255); // second tile: +1
    expect(px(1, 5)).toBe(128); // third tile: 0 → 127.5 rounds to 128
    expect(px(5, 5)).toBe(128); // empty slot stays border colour
  });

  it("handles RGB in [0,1] and rejects bad shapes", async () => {
    const rgb = tf.tensor4d([1, 0, 0], [1, 1, 1, 3]);
    const png = decodePng(await imageGridPng(rgb, { range: "0..1", border: 0 }));
    expect(Array.from(png.rgba.slice(0, 4))).toEqual([255, 0, 0, 255]);
    await expect(imageGridPng(tf.zeros([2, 2]))).rejects.toThrow(/N, H, W, 1 or 3/);
  });
});

describe("scatter plot", () => {
  it("draws real and fake points in different colours at fixed positions", async () => {
    const png = decodePng(await scatterPng(tf.tensor2d([[-5, 5]]), tf.tensor2d([[5, -5]]), { size: 101, extent: [-5, 5] }));
    const at = (x: number, y: number) => Array.from(png.rgba.slice((y * 101 + x) * 4, (y * 101 + x) * 4 + 3));
    expect(at(0, 0)).toEqual([40, 110, 220]); // real at top-left
    expect(at(100, 100)).toEqual([230, 90, 30]); // fake at bottom-right
    expect(at(25, 75)).toEqual([255, 255, 255]);
  });
});
