// Resuming and determinism through `ganc run`, on cpu and wasm: a run resumed from its step-5
// checkpoint logs exactly the losses of an uninterrupted run, and the same spec and seed
// always give the same losses.
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ganc, quietStderr, readMetrics, setFlags, tempDir, tinySets, values, type Run } from "./helpers.js";

const tmp = tempDir("resume");
afterAll(tmp.cleanup);

async function run(...argv: string[]): Promise<Run> {
  const restore = quietStderr();
  try {
    const r = await ganc(...argv);
    expect(r.err, r.err).toBe("");
    expect(r.code).toBe(0);
    return r;
  } finally {
    restore();
  }
}

const BACKENDS = ["cpu", "wasm"] as const;

describe("resume reproduces an uninterrupted run exactly", () => {
  for (const backend of BACKENDS) {
    for (const name of ["dcgan", "wgan_gp"]) {
      it(`${name} (tiny), steps 6..10 resumed at 5, ${backend}`, async () => {
        const spec = `specs/${name}.gan`;
        const sets = setFlags([...tinySets(spec), "log_every=1"]);
        const full = path.join(tmp.dir, `${name}-${backend}-full`);
        const part = path.join(tmp.dir, `${name}-${backend}-part`);
        await run("run", spec, "--steps", "10", "--seed", "7", "--backend", backend, "--out", full, ...sets);
        await run("run", spec, "--steps", "5", "--seed", "7", "--backend", backend, "--out", part, ...sets);
        expect(readMetrics(part).map((m) => m.step)).toEqual([1, 2, 3, 4, 5]);
        expect(fs.readdirSync(path.join(part, "checkpoints"))).toEqual(["step-000005"]);

        const r = await run("run", "--resume", part, "--steps", "10", "--backend", backend);
        expect(r.out).toMatch(new RegExp(`^trained ${name} for 10 steps on ${backend}`));
        expect(JSON.parse(fs.readFileSync(path.join(part, "run.json"), "utf8")).resumedAt).toBe(5);

        const a = readMetrics(full).map(values);
        const b = readMetrics(part).map(values);
        expect(a.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(b.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        expect(Object.keys(a[9]!).sort()).toEqual(["d_loss", "g_loss", "step"]);
        // exact equality, not closeness
        expect(b.slice(5)).toEqual(a.slice(5));
        expect(b).toEqual(a);
        // the steps differ from one another (the comparison is not of constants)
        expect(new Set(a.map((m) => m.d_loss)).size).toBe(10);
        expect(fs.readdirSync(path.join(part, "checkpoints")).sort()).toEqual(["step-000005", "step-000010"]);
      });
    }
  }
});

describe("resume restores history pools", () => {
  it("a DCGAN whose D sees history(G(z), size = 6) resumes exactly (wasm)", async () => {
    // The pool fills at step 2 (batch 4) and then swaps images: a resume that forgot it would differ at step 6.
    const text = fs
      .readFileSync("specs/dcgan.gan", "utf8")
      .replace("let fake_logits = D(G(z))", "let fake_logits = D(G(z))\nlet pooled_logits = D(history(G(z), size = 6))")
      .replace("bce_logits(real_logits, 1) + bce_logits(fake_logits, 0)", "bce_logits(real_logits, 1) + bce_logits(pooled_logits, 0)");
    expect(text).toContain("bce_logits(pooled_logits, 0)");
    const spec = path.join(tmp.dir, "pool_gan.gan");
    fs.writeFileSync(spec, text);
    const sets = setFlags(["ngf=4", "ndf=4", "batch=4", "log_every=1"]);
    const full = path.join(tmp.dir, "pool-full");
    const part = path.join(tmp.dir, "pool-part");
    await run("run", spec, "--steps", "10", "--backend", "wasm", "--out", full, ...sets);
    await run("run", spec, "--steps", "5", "--backend", "wasm", "--out", part, ...sets);
    expect(fs.readFileSync(path.join(part, "train.ts"), "utf8")).toContain("new rt.HistoryPool(6");
    await run("run", "--resume", part, "--steps", "10", "--backend", "wasm");
    const a = readMetrics(full).map(values);
    expect(a.map((m) => m.step)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(readMetrics(part).map(values)).toEqual(a);
  });
});

describe("determinism: same spec and seed, same losses", () => {
  // dcgan and wgan_gp are covered above: steps 1..5 of the two fresh runs are compared exactly.
  for (const backend of BACKENDS) {
    for (const name of ["acgan", "began"]) {
      it(`${name} (tiny), 3 steps twice, ${backend}`, async () => {
        const spec = `specs/${name}.gan`;
        const sets = setFlags([...tinySets(spec), "log_every=1"]);
        const dirs = ["a", "b", "other-seed"].map((k) => path.join(tmp.dir, `det-${name}-${backend}-${k}`));
        await run("run", spec, "--steps", "3", "--seed", "3", "--backend", backend, "--out", dirs[0]!, ...sets);
        await run("run", spec, "--steps", "3", "--seed", "3", "--backend", backend, "--out", dirs[1]!, ...sets);
        await run("run", spec, "--steps", "3", "--seed", "4", "--backend", backend, "--out", dirs[2]!, ...sets);
        const [a, b, c] = dirs.map((d) => readMetrics(d).map(values));
        expect(a!.map((m) => m.step)).toEqual([1, 2, 3]);
        expect(b).toEqual(a);
        expect(c).not.toEqual(a);
        // the checkpoints are byte-identical too
        const weights = (d: string) => fs.readFileSync(path.join(d, "checkpoints", "step-000003", "weights.bin"));
        expect(weights(dirs[1]!).equals(weights(dirs[0]!))).toBe(true);
      });
    }
  }
});
