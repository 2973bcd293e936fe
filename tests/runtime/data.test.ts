import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import * as tf from "@tensorflow/tfjs";
import jpeg from "jpeg-js";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useBackend } from "../../src/runtime/backend.js";
import { RuntimeUserError } from "../../src/runtime/errors.js";
import {
  Batcher,
  grid,
  loadImageFolder,
  loadMatchedFolders,
  loadMnist,
  loadSideBySideFolder,
  pairedByTransform,
  ring,
  transformImages,
  unpairedByTransform,
} from "../../src/runtime/data/index.js";

beforeAll(async () => {
  await useBackend("cpu");
});

describe("MNIST", () => {
  it("loads the real test split with shape, range and labels", () => {
    const d = loadMnist({ split: "test" });
    expect(d.count).toBe(10000);
    expect(d.shape).toEqual([28, 28, 1]);
    expect(d.data.length).toBe(10000 * 784);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of d.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect(lo).toBe(-1);
    expect(hi).toBe(1);
    expect(Array.from(d.labels!.slice(0, 10))).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]); // the well-known first test labels
    const counts = new Array(10).fill(0);
    for (const l of d.labels!) counts[l]++;
    expect(counts).toEqual([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]);
  });

  it("filters digits, limits, uses [0,1] and can drop labels", () => {
    const d = loadMnist({ split: "test", digits: [3, 8], range: "0..1", limit: 500 });
    expect(d.count).toBe(500);
    expect(d.labels!.every((l) => l === 3 || l === 8)).toBe(true);
    expect(d.data.reduce((m, v) => Math.min(m, v), Infinity)).toBe(0);
    expect(d.data.reduce((m, v) => Math.max(m, v), -Infinity)).toBe(1);
    expect(loadMnist({ split: "test", labels: false, limit: 5 }).labels).toBeNull();
    expect(() => loadMnist({ digits: [11] })).toThrow(RuntimeUserError);
  });

  it("train split has 60000 examples", () => {
    expect(loadMnist({ split: "train", labels: false }).count).toBe(60000);
  });

  it("derived image-to-image sets", () => {
    const d = loadMnist({ split: "test", limit: 20, range: "0..1" });
    const inv = transformImages(d, "invert");
    expect(inv.data[0]).toBe(1 - d.data[0]!);
    const thick = transformImages(d, "thicken");
    let more = 0;
    for (let i = 0; i < d.data.length; i++) {
      expect(thick.data[i]!).toBeGreaterThanOrEqual(d.data[i]!);
      if (thick.data[i]! > d.data[i]!) more++;
    }
    expect(more).toBeGreaterThan(100);
    const edges = transformImages(d, "edges");
    expect(edges.data[0]).toBe(0); // empty corner
    expect(Math.max(...edges.data)).toBeGreaterThan(0.3);
    const sr = pairedByTransform(d, "downsample");
    expect(sr.a.shape).toEqual([7, 7, 1]);
    expect(sr.b.shape).toEqual([28, 28, 1]);
    let block = 0;
    for (let y = 8; y < 12; y++) for (let x = 8; x < 12; x++) block += d.data[y * 28 + x]!;
    expect(sr.a.data[2 * 7 + 2]).toBeCloseTo(block / 16, 6);
    const un = unpairedByTransform(d, "invert");
    expect(un.a.count).toBe(10);
    expect(un.b.data[0]).toBe(1 - d.data[784]!); // b starts at example 1
  });
});

describe("Batcher", () => {
  const d = loadMnist({ split: "test", limit: 100 });

  it("batch(t) depends only on (seed, t) and each epoch is a permutation", () => {
    const b1 = new Batcher([d], 32, 5, "real");
    const b2 = new Batcher([d], 32, 5, "real");
    expect(b1.stepsPerEpoch).toBe(3);
    const seen = new Set<number>();
    for (let t = 0; t < 3; t++) for (const i of b1.indices(t)) seen.add(i);
    expect(seen.size).toBe(96);
    // out-of-order access on a fresh batcher gives the same batches
    expect(Array.from(b2.indices(4))).toEqual(Array.from(b1.indices(4)));
    expect(Array.from(b2.indices(1))).toEqual(Array.from(b1.indices(1)));
    expect(Array.from(b1.indices(3))).not.toEqual(Array.from(b1.indices(0)));
    expect(Array.from(new Batcher([d], 32, 6, "real").indices(0))).not.toEqual(Array.from(b1.indices(0)));
    const batch = b1.batch(4);
    expect(batch.images[0]!.shape).toEqual([32, 28, 28, 1]);
    const idx = b1.indices(4);
    expect(Array.from(batch.labels!.dataSync())).toEqual(Array.from(idx, (i) => d.labels![i]!));
    expect(Array.from(batch.images[0]!.dataSync().slice(0, 784))).toEqual(Array.from(d.data.slice(idx[0]! * 784, idx[0]! * 784 + 784)));
  });

  it("keeps paired datasets aligned and rejects bad sizes", () => {
    const p = pairedByTransform(d, "invert");
    const b = new Batcher([p.a, p.b], 10, 1);
    const [x, y] = b.batch(2).images;
    const xs = x!.dataSync();
    const ys = y!.dataSync();
    for (let i = 0; i < xs.length; i += 97) expect(xs[i]).toBeCloseTo(-ys[i]!, 6);
    expect(() => new Batcher([d], 1000, 1)).toThrow(/fewer than the batch size/);
  });
});

describe("toy 2-D mixtures", () => {
  it("grid 5x5 spacing 2 has means at {-4..4}^2 and samples near them", () => {
    const g = grid(5, 2, 0.05);
    expect(g.centers.length).toBe(25);
    expect(new Set(g.centers.map((c) => c.join(",")))).toEqual(
      new Set([-4, -2, 0, 2, 4].flatMap((a) => [-4, -2, 0, 2, 4].map((b) => `${a},${b}`))),
    );
    const s = g.sample(500, 1, 3).arraySync() as number[][];
    for (const [x, y] of s) {
      const dist = Math.min(...g.centers.map(([cx, cy]) => Math.hypot(x! - cx, y! - cy)));
      expect(dist).toBeLessThan(0.4);
    }
    expect(g.sample(4, 1, 3).arraySync()).toEqual(g.sample(4, 1, 3).arraySync());
    expect(g.sample(4, 1, 4).arraySync()).not.toEqual(g.sample(4, 1, 3).arraySync());
  });

  it("ring of 8 on radius 2", () => {
    const r = ring(8, 2, 0.01);
    for (const [x, y] of r.centers) expect(Math.hypot(x, y)).toBeCloseTo(2, 9);
    const s = r.sample(200, 2, 0).arraySync() as number[][];
    for (const [x, y] of s) expect(Math.abs(Math.hypot(x!, y!) - 2)).toBeLessThan(0.1);
  });
});

describe("image folders", () => {
  let dir: string;
  const png = (w: number, h: number, f: (x: number, y: number) => [number, number, number]) => {
    const p = new PNG({ width: w, height: h });
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const [r, g, b] = f(x, y);
        const i = (y * w + x) * 4;
        p.data[i] = r;
        p.data[i + 1] = g;
        p.data[i + 2] = b;
        p.data[i + 3] = 255;
      }
    }
    return PNG.sync.write(p);
  };
  const jpg = (w: number, h: number, v: number) => {
    const data = Buffer.alloc(w * h * 4, v);
    return jpeg.encode({ data, width: w, height: h }, 95).data;
  };

  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), "ganc-runtime-data-"));
    mkdirSync(path.join(dir, "grey"));
    writeFileSync(path.join(dir, "grey", "a.png"), png(8, 8, (x) => [x * 32, x * 32, x * 32]));
    writeFileSync(path.join(dir, "grey", "b.jpg"), jpg(16, 16, 200));
    writeFileSync(path.join(dir, "grey", "notes.txt"), "ignored");
    mkdirSync(path.join(dir, "colour"));
    writeFileSync(path.join(dir, "colour", "c.png"), png(4, 4, () => [255, 0, 0]));
    mkdirSync(path.join(dir, "pairs"));
    writeFileSync(path.join(dir, "pairs", "p1.png"), png(8, 4, (x) => (x < 4 ? [0, 0, 0] : [255, 255, 255])));
    mkdirSync(path.join(dir, "A"));
    mkdirSync(path.join(dir, "B"));
    writeFileSync(path.join(dir, "A", "x.png"), png(4, 4, () => [0, 0, 0]));
    writeFileSync(path.join(dir, "B", "x.jpg"), jpg(4, 4, 255));
    mkdirSync(path.join(dir, "empty"));
    mkdirSync(path.join(dir, "broken"));
    writeFileSync(path.join(dir, "broken", "bad.png"), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10]), Buffer.from("not really")]));
    mkdirSync(path.join(dir, "text"));
    writeFileSync(path.join(dir, "text", "t.jpg"), "plain text");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("loads PNG and JPEG, resized, grey, in range", () => {
    const d = loadImageFolder(path.join(dir, "grey"), { height: 4, width: 4, channels: 1, range: "0..1" });
    expect(d.count).toBe(2);
    expect(d.shape).toEqual([4, 4, 1]);
    // a.png is a horizontal ramp: increasing along x after bilinear resize
    expect(d.data[0]!).toBeLessThan(d.data[3]!);
    // b.jpg is flat 200
    for (let i = 16; i < 32; i++) expect(Math.abs(d.data[i]! - 200 / 255)).toBeLessThan(0.02);
    const rgb = loadImageFolder(path.join(dir, "colour"), { height: 2, width: 2, channels: 3 });
    expect(Array.from(rgb.data.slice(0, 3))).toEqual([1, -1, -1]);
  });

  it("accepts a file-name pattern", () => {
    const o = { height: 4, width: 4, channels: 1 as const };
    expect(loadImageFolder(path.join(dir, "grey", "*.png"), o).count).toBe(1);
    expect(loadImageFolder(path.join(dir, "grey", "?.*"), o).count).toBe(2);
    expect(() => loadImageFolder(path.join(dir, "grey", "*.gif"), o)).toThrow(/no .png, .jpg or .jpeg files match/);
  });

  it("reads pix2pix side-by-side pairs and name-matched folders", () => {
    const p = loadSideBySideFolder(path.join(dir, "pairs"), { height: 4, width: 4, channels: 1, range: "0..1" });
    expect(p.a.data.every((v) => v === 0)).toBe(true);
    expect(p.b.data.every((v) => v === 1)).toBe(true);
    const m = loadMatchedFolders(path.join(dir, "A"), path.join(dir, "B"), { height: 4, width: 4, channels: 1 });
    expect(m.a.data.every((v) => v === -1)).toBe(true);
    expect(m.b.data.every((v) => v > 0.95)).toBe(true);
  });

  it("bad data gives clear errors naming the path", () => {
    const o = { height: 4, width: 4, channels: 1 as const };
    const missing = path.join(dir, "nope");
    expect(() => loadImageFolder(missing, o)).toThrow(RuntimeUserError);
    expect(() => loadImageFolder(missing, o)).toThrow(missing);
    expect(() => loadImageFolder(path.join(dir, "empty"), o)).toThrow(/contains no .png/);
    expect(() => loadImageFolder(path.join(dir, "broken"), o)).toThrow(/cannot decode image .*bad.png/);
    expect(() => loadImageFolder(path.join(dir, "text"), o)).toThrow(/t.jpg is not a PNG or JPEG/);
    expect(() => loadImageFolder(path.join(dir, "colour"), o)).toThrow(/c.png is a colour image/);
    expect(loadImageFolder(path.join(dir, "colour"), { ...o, convertColour: true }).count).toBe(1);
    expect(() => loadMatchedFolders(path.join(dir, "A"), path.join(dir, "grey"), o)).toThrow(/do not match/);
    expect(() => loadImageFolder(path.join(dir, "grey"), { ...o, channels: 2 as 1 })).toThrow(/channels must be 1 or 3/);
  });
});

describe("tensors stay on the current backend", () => {
  it("batches are tf tensors", () => {
    const t = ring(8, 1, 0.01).sample(3, 0, 0);
    expect(t).toBeInstanceOf(tf.Tensor);
  });
});
