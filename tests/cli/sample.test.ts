// `ganc sample` on real (tiny, one-step) runs: each mode writes a PNG grid of the right size.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import { decodePng } from "../../src/runtime/index.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-sample-"));
const out: string[] = [];
const io = { out: (t: string) => void out.push(t), err: (t: string) => void out.push(t) };

async function ganc(...argv: string[]): Promise<number> {
  return main(argv, io);
}

/** A one-step run of a spec at tiny width; returns its folder. */
async function tinyRun(spec: string, set: string[]): Promise<string> {
  const dir = path.join(tmp, spec);
  const sets = set.flatMap((s) => ["--set", s]);
  expect(await ganc("run", `specs/${spec}.gan`, "--steps", "1", "--backend", "wasm", "--out", dir, "--set", "batch=2", ...sets)).toBe(0);
  return dir;
}

/** Width or height of a grid of `n` 28-pixel tiles with the runtime's 2-pixel border. */
const side = (n: number) => n * 28 + (n + 1) * 2;

function grid(file: string): { width: number; height: number } {
  const { width, height } = decodePng(fs.readFileSync(file));
  return { width, height };
}

describe("ganc sample", () => {
  let dcgan: string;
  beforeAll(async () => {
    dcgan = await tinyRun("dcgan", ["ngf=4", "ndf=4"]);
  });

  it("plain samples from the latest checkpoint", async () => {
    const file = path.join(tmp, "plain.png");
    expect(await ganc("sample", dcgan, "--n", "9", "--backend", "wasm", "--out", file)).toBe(0);
    expect(grid(file)).toEqual({ width: side(3), height: side(3) });
  });

  it("truncated samples and slerp walks", async () => {
    const trunc = path.join(tmp, "trunc.png");
    expect(await ganc("sample", dcgan, "--n", "4", "--truncation", "0.5", "--backend", "wasm", "--out", trunc)).toBe(0);
    expect(grid(trunc)).toEqual({ width: side(2), height: side(2) });
    const walk = path.join(tmp, "walk.png");
    expect(await ganc("sample", dcgan, "--n", "3", "--interpolate", "slerp", "--steps", "5", "--backend", "wasm", "--out", walk)).toBe(0);
    expect(grid(walk)).toEqual({ width: side(5), height: side(3) });
  });

  it("a fixed class for a conditional spec, and InfoGAN code sweeps", async () => {
    const cgan = await tinyRun("cgan", ["ngf=4", "ndf=4"]);
    const cls = path.join(tmp, "class.png");
    expect(await ganc("sample", cgan, "--class", "3", "--n", "4", "--backend", "wasm", "--out", cls)).toBe(0);
    expect(grid(cls)).toEqual({ width: side(2), height: side(2) });
    expect(await ganc("sample", cgan, "--class", "12", "--backend", "wasm", "--out", cls)).toBe(2);
    const infogan = await tinyRun("infogan", ["ngf=4", "ndf=4"]);
    const sweep = path.join(tmp, "sweep.png");
    expect(await ganc("sample", infogan, "--steps", "5", "--backend", "wasm", "--out", sweep)).toBe(0);
    expect(grid(sweep)).toEqual({ width: side(5), height: side(10) }); // a row per class, a column per code value
  });

  it("translation: input, output and reconstruction side by side", async () => {
    const cyclegan = await tinyRun("cyclegan", ["ngf=4", "ndf=4"]);
    const file = path.join(tmp, "cycle.png");
    expect(await ganc("sample", cyclegan, "--n", "4", "--backend", "wasm", "--out", file)).toBe(0);
    expect(grid(file)).toEqual({ width: side(3), height: side(4) });
    expect(out.join("\n")).toContain("F(G(input))");
  });

  it("a folder that is not a run, or has no such checkpoint, is a usage error", async () => {
    expect(await ganc("sample", tmp)).toBe(2);
    expect(await ganc("sample", dcgan, "--checkpoint", "77")).toBe(2);
  });
});
