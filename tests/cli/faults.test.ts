// Hostile input and a failing file system (issue 12), through the CLI in-process: every case stops
// with `ganc: ...` naming the path and the reason, the exit code of the documented scheme, and no
// stack trace; nothing already written is lost. Cases that need a tmpfs (a full or a read-only
// disk) mount one, and are skipped, saying so, where mounting is not allowed.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sha256 } from "../../src/runtime/checkpoint-validate.js";
import { decodePng } from "../../src/runtime/index.js";
import { expectNoStackTrace, ganc, readMetrics, type Run } from "../train/helpers.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-faults-"));
const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync("umount", ["-l", m]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Mounts a tmpfs at `dir` (options as for mount -o); false where this process may not mount. */
function mountTmpfs(dir: string, options: string): boolean {
  fs.mkdirSync(dir, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir], { stdio: "ignore" });
  } catch {
    return false;
  }
  mounts.push(dir);
  return true;
}
/** Whether this process may mount (root, or CAP_SYS_ADMIN): tried once, and unmounted at once. */
function mayMount(): boolean {
  if (!mountTmpfs(path.join(tmp, "probe"), "size=64k")) return false;
  execFileSync("umount", [mounts.pop()!]);
  return true;
}
const canMount = mayMount();

/** A clear failure: the exit code, `ganc: ` and the message, no stack trace. */
function expectFailure(r: Run, code: number, message: string | RegExp): void {
  expect(r.code, r.err).toBe(code);
  expect(r.err).toMatch(/^ganc: /m);
  if (typeof message === "string") expect(r.err).toContain(`ganc: ${message}`);
  else expect(r.err).toMatch(message);
  expectNoStackTrace(r);
}

const TINY = ["--set", "ngf=4", "--set", "ndf=4", "--set", "batch=2"];

/** A one-step tiny DCGAN run on MNIST, shared by the tests that sample or break a run (they copy it first). */
let run: string;
beforeAll(async () => {
  run = path.join(tmp, "dcgan");
  expect((await ganc("run", "specs/dcgan.gan", "--steps", "1", "--backend", "wasm", "--out", run, ...TINY)).code).toBe(0);
});

describe("ganc --version", () => {
  it("prints the version of package.json", async () => {
    const r = await ganc("--version");
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe(JSON.parse(fs.readFileSync("package.json", "utf8")).version);
  });
});

describe("non-regular files are refused, not waited on", () => {
  const fifo = path.join(tmp, "fifo.gan");
  beforeAll(() => execFileSync("mkfifo", [fifo]));

  it("a FIFO as the spec exits 2", async () => {
    expectFailure(await ganc("check", fifo), 2, `cannot read \`${fifo}\`: it is not a regular file (a FIFO or a device)`);
  });

  it("a FIFO as the spec a spec extends is an E0105 diagnostic", async () => {
    const spec = path.join(tmp, "extends-fifo.gan");
    fs.writeFileSync(spec, 'extends "fifo.gan"\n');
    const r = await ganc("check", spec);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${spec}:1:9 error[E0105]: cannot read \`${fifo}\`: it is not a regular file`);
  });

  it("a FIFO among the images of a data folder stops the run before training", async () => {
    const dir = path.join(tmp, "fifo-images");
    fs.mkdirSync(path.join(dir, "digits"), { recursive: true });
    execFileSync("mkfifo", [path.join(dir, "digits", "a.png")]);
    const spec = path.join(dir, "folder_gan.gan");
    fs.writeFileSync(spec, fs.readFileSync("specs/dcgan.gan", "utf8").replace(/^data x = mnist\(.*\)$/m, 'data x = images(path = "digits", size = [28, 28], channels = 1, range = [-1, 1])'));
    const out = path.join(tmp, "fifo-run");
    const r = await ganc("run", spec, "--steps", "1", "--backend", "wasm", "--out", out, ...TINY);
    expectFailure(r, 1, `cannot read image ${path.join(dir, "digits", "a.png")}: it is a named pipe (FIFO), not a regular file`);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("output paths and a failing file system", () => {
  it("an existing file as `run --out` is a usage error (2); a path through a file fails with ENOTDIR (1)", async () => {
    const file = path.join(tmp, "a-file");
    fs.writeFileSync(file, "mine\n");
    expectFailure(await ganc("run", "specs/dcgan.gan", "--steps", "1", "--backend", "wasm", "--out", file, ...TINY), 2, `--out \`${file}\` is a file, not a folder`);
    expectFailure(
      await ganc("run", "specs/dcgan.gan", "--steps", "1", "--backend", "wasm", "--out", path.join(file, "run"), ...TINY),
      1,
      `cannot access ${path.join(file, "run")}: a part of the path is a file, not a folder (ENOTDIR); choose a path whose folders are folders`,
    );
    expect(fs.readFileSync(file, "utf8")).toBe("mine\n");
  });

  it("`sample --out` on a folder is a usage error; a full device (/dev/full) names the file and ENOSPC", async () => {
    expectFailure(await ganc("sample", run, "--n", "4", "--backend", "wasm", "--out", tmp), 2, `--out \`${tmp}\` is a folder; give the name of the file to write in it`);
    const full = path.join(tmp, "full.png");
    fs.symlinkSync("/dev/full", full);
    expectFailure(await ganc("sample", run, "--n", "4", "--backend", "wasm", "--out", full), 1, `cannot write ${full}: no space left on the device (ENOSPC); free some space`);
  });

  it("`build -o` on an existing file is a usage error; a full device names the file", async () => {
    const file = path.join(tmp, "not-a-folder");
    fs.writeFileSync(file, "");
    expectFailure(await ganc("build", "specs/dcgan.gan", "-o", file), 2, `-o \`${file}\` is a file, not a folder`);
    const dir = path.join(tmp, "build-full");
    fs.mkdirSync(dir);
    fs.symlinkSync("/dev/full", path.join(dir, "dcgan.ts"));
    expectFailure(await ganc("build", "specs/dcgan.gan", "-o", dir), 1, `cannot write ${path.join(dir, "dcgan.ts")}: no space left on the device (ENOSPC)`);
  });

  it.skipIf(!canMount)("`build -o` on a read-only file system says so (needs root to mount a tmpfs)", async () => {
    const ro = path.join(tmp, "ro");
    expect(mountTmpfs(ro, "size=64k,ro")).toBe(true);
    expectFailure(await ganc("build", "specs/dcgan.gan", "-o", ro), 1, `cannot open ${path.join(ro, "dcgan.ts")}: the file system is read-only (EROFS); choose a folder on a writable disk`);
    expectFailure(await ganc("build", "specs/dcgan.gan", "-o", path.join(ro, "gen")), 1, `cannot create the folder ${path.join(ro, "gen")}: the file system is read-only (EROFS)`);
    const r = await ganc("run", "specs/dcgan.gan", "--steps", "1", "--backend", "wasm", "--out", path.join(ro, "run"), ...TINY);
    expectFailure(r, 1, /^ganc: cannot create the folder .*ro\/run.*: the file system is read-only \(EROFS\)/m);
  });

  it.skipIf(!canMount)("a disk that fills up during training: exit 1 naming the file, the newest checkpoint intact, and the run resumes once there is space (needs root to mount a tmpfs)", async () => {
    const disk = path.join(tmp, "small-disk");
    expect(mountTmpfs(disk, "size=400k")).toBe(true);
    const out = path.join(disk, "run");
    const sets = ["--set", "width=8", "--set", "batch=8", "--set", "log_every=1", "--set", "checkpoint_every=1", "--set", "sample_every=1000", "--set", "samples=16"];
    const r = await ganc("run", "specs/ring_gan.gan", "--steps", "400", "--backend", "cpu", "--out", out, "--keep-checkpoints", "0", ...sets);
    expectFailure(r, 1, new RegExp(`^ganc: cannot write ${out}/(checkpoints/\\.tmp-step-\\d+-\\d+/\\S+|metrics\\.jsonl|\\S+): no space left on the device \\(ENOSPC\\); free some space`, "m"));
    const names = fs.readdirSync(path.join(out, "checkpoints"));
    expect(names.filter((n) => n.startsWith(".tmp-"))).toEqual([]); // no partial checkpoint is left behind
    const newest = names.sort().at(-1)!;
    // more room: the run resumes from its newest checkpoint (which validates) and finishes
    execFileSync("mount", ["-o", "remount,size=8m", disk]);
    const resumed = await ganc("run", "--resume", out, "--steps", "60", "--backend", "cpu", "--keep-checkpoints", "2");
    expect(resumed.code, resumed.err).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(out, "run.json"), "utf8")).resumedAt).toBe(Number(newest.slice(5)));
    expect(readMetrics(out).map((m) => m.step)).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});

describe("checkpoints that cannot be trusted", () => {
  it('resuming from a checkpoint with "step": "abc" fails clearly and keeps metrics.jsonl', async () => {
    const dir = path.join(tmp, "abc-run");
    fs.cpSync(run, dir, { recursive: true });
    const meta = path.join(dir, "checkpoints", "step-000001", "checkpoint.json");
    fs.writeFileSync(meta, fs.readFileSync(meta, "utf8").replace('"step": 1', '"step": "abc"'));
    const metrics = fs.readFileSync(path.join(dir, "metrics.jsonl"), "utf8");
    const r = await ganc("run", "--resume", dir, "--steps", "3", "--backend", "wasm");
    expectFailure(r, 1, `${dir} has no valid checkpoint:\n  checkpoint ${meta}: "step" must be a non-negative integer, found "abc"`);
    expect(fs.readFileSync(path.join(dir, "metrics.jsonl"), "utf8")).toBe(metrics);
    expect(fs.readdirSync(path.join(dir, "checkpoints"))).toEqual(["step-000001"]);
  });

  it("`sample` and `eval` refuse a checkpoint with NaN weights (one written by an older ganc, checksum and all)", async () => {
    const dir = path.join(tmp, "nan-weights");
    fs.cpSync(run, dir, { recursive: true });
    const c = path.join(dir, "checkpoints", "step-000001");
    const w = fs.readFileSync(path.join(c, "weights.bin"));
    new Float32Array(w.buffer, w.byteOffset, 4)[3] = NaN;
    fs.writeFileSync(path.join(c, "weights.bin"), w);
    const meta = JSON.parse(fs.readFileSync(path.join(c, "checkpoint.json"), "utf8"));
    fs.writeFileSync(path.join(c, "checkpoint.json"), JSON.stringify({ ...meta, weights: { ...meta.weights, sha256: sha256(w) } }));
    const reason = /checkpoint \S+step-000001\/weights\.bin: "params\/\S+" holds NaN: the run had diverged when this checkpoint was written/;
    expectFailure(await ganc("sample", dir, "--backend", "wasm", "--out", path.join(tmp, "nan.png")), 1, reason);
    expectFailure(await ganc("sample", dir, "--checkpoint", "1", "--backend", "wasm", "--out", path.join(tmp, "nan.png")), 1, reason);
    expect(fs.existsSync(path.join(tmp, "nan.png"))).toBe(false);
    expectFailure(await ganc("eval", dir, "--samples", "10", "--backend", "wasm"), 1, reason);
    expect(fs.existsSync(path.join(dir, "eval.json"))).toBe(false);
  });

  it("`sample` passes over a damaged newest checkpoint, saying which it uses instead", async () => {
    const dir = path.join(tmp, "damaged-newest");
    fs.cpSync(run, dir, { recursive: true });
    fs.cpSync(path.join(dir, "checkpoints", "step-000001"), path.join(dir, "checkpoints", "step-000002"), { recursive: true });
    fs.truncateSync(path.join(dir, "checkpoints", "step-000002", "weights.bin"), 100);
    const file = path.join(tmp, "fallback.png");
    const r = await ganc("sample", dir, "--n", "4", "--backend", "wasm", "--out", file);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`ganc: checkpoint ${path.join(dir, "checkpoints", "step-000002", "weights.bin")}: it has 100 bytes`);
    expect(r.err).toContain("step-000002 is invalid: using step-000001, the newest valid checkpoint");
    expect(r.out).toContain("from step-000001");
  });
});

describe("sampling: any --n or --truncation ends", () => {
  it("--n 100000 on MNIST is refused up front with how many fit; --n 600 is generated in chunks of 256", async () => {
    expectFailure(await ganc("sample", run, "--n", "100000", "--backend", "wasm"), 2, "a grid of 100,000 28×28 images would be 9512 × 9482 pixels; ganc writes at most 8192 a side: ask for at most --n 74529");
    const file = path.join(tmp, "many.png");
    const r = await ganc("sample", run, "--n", "600", "--backend", "wasm", "--out", file);
    expect(r.code, r.err).toBe(0);
    const png = decodePng(fs.readFileSync(file));
    const side = 25 * 28 + 26 * 2; // ceil(sqrt(600)) = 25 columns, and 24 rows
    expect([png.width, png.height]).toEqual([side, 24 * 28 + 25 * 2]);
    // tiles from the first and the last chunk are drawn
    const blank = (k: number) => {
      const [x0, y0] = [2 + (k % 25) * 30, 2 + Math.floor(k / 25) * 30];
      for (let y = y0; y < y0 + 28; y++) for (let x = x0; x < x0 + 28; x++) if (png.rgba[(y * side + x) * 4] !== 255) return false;
      return true;
    };
    expect([0, 300, 599].map(blank)).toEqual([false, false, false]);
  });

  it("--truncation 1e-300 ends (it resampled forever)", async () => {
    const r = await ganc("sample", run, "--n", "4", "--truncation", "1e-300", "--backend", "wasm", "--out", path.join(tmp, "t.png"));
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("4 samples, truncation 1e-300");
  });
});

describe("data too small for the run fails before training", () => {
  const pairs = (dir: string, n: number) => {
    fs.mkdirSync(path.join(dir, "pairs"), { recursive: true });
    for (let i = 0; i < n; i++) {
      const png = new PNG({ width: 56, height: 28 });
      png.data.fill(i * 20);
      fs.writeFileSync(path.join(dir, "pairs", `p${i}.png`), PNG.sync.write(png));
    }
    const spec = path.join(dir, "pairs_gan.gan");
    const text = fs.readFileSync("specs/pix2pix.gan", "utf8");
    fs.writeFileSync(spec, text.replace(/^data \(edges: Edges, digit: Digits\) = mnist_pairs\(.*\)$/m, 'data (edges: Edges, digit: Digits) = image_pairs(path = "pairs", size = [28, 28], channels = 1, range = [-1, 1])'));
    return spec;
  };
  const sets = ["--set", "ngf=4", "--set", "ndf=4", "--set", "batch=4"];

  it("image_pairs with fewer pairs than the sample grid shows (or than a batch) stops at start, writing nothing", async () => {
    const dir = path.join(tmp, "few-pairs");
    const spec = pairs(dir, 6);
    const source = `${path.join(dir, "pairs")} (left halves)`;
    const out = path.join(tmp, "few-pairs-run");
    expectFailure(await ganc("run", spec, "--steps", "2", "--backend", "wasm", "--out", out, ...sets), 1, `data \`edges\` (${source}) has 6 examples, fewer than the 64 the sample grid shows the generator on: add examples, or lower \`samples\` in run {} (--set samples=6)`);
    expectFailure(await ganc("run", spec, "--steps", "2", "--backend", "wasm", "--out", out, ...sets, "--set", "batch=8"), 1, `data \`edges\` (${source}) has 6 examples, fewer than the batch size 8`);
    expect(fs.existsSync(out)).toBe(false);
    // as the message says: with samples = 6 it trains and samples
    const r = await ganc("run", spec, "--steps", "2", "--backend", "wasm", "--out", out, ...sets, "--set", "samples=6", "--set", "sample_every=1");
    expect(r.code, r.err).toBe(0);
    expect(fs.readdirSync(path.join(out, "samples")).sort()).toEqual(["step-000001.png", "step-000002.png"]);
    expectFailure(await ganc("sample", out, "--n", "10", "--backend", "wasm"), 2, `--n 10 is more than the 6 examples of \`edges\` (${source})`);
  });
});

describe("ganc diff exit codes", () => {
  it("a spec with errors exits 2, like diff(1) when it cannot compare (1 means they differ), printing the diagnostics", async () => {
    const bad = "tests/fixtures/diagnostics/E0101-unknown-name.gan";
    const r = await ganc("diff", "specs/dcgan.gan", bad);
    expect(r.code).toBe(2);
    expect(r.out).toBe("");
    expect(r.err).toContain(`${bad}:28:28 error[E0101]`);
  });
});

describe("checkpoint retention from the command line", () => {
  it("`keep_checkpoints` in run {} (or --set), and --keep-checkpoints over it", async () => {
    const ring = ["--steps", "5", "--backend", "cpu", "--set", "width=8", "--set", "batch=8", "--set", "checkpoint_every=1", "--set", "sample_every=1000", "--set", "samples=16"];
    const kept = (dir: string) => fs.readdirSync(path.join(dir, "checkpoints")).sort();
    const [spec, flag] = [path.join(tmp, "keep-spec"), path.join(tmp, "keep-flag")];
    expect((await ganc("run", "specs/ring_gan.gan", "--out", spec, ...ring, "--set", "keep_checkpoints=2")).code).toBe(0);
    expect(kept(spec)).toEqual(["step-000004", "step-000005"]);
    expect((await ganc("run", "specs/ring_gan.gan", "--out", flag, ...ring, "--set", "keep_checkpoints=2", "--keep-checkpoints", "0")).code).toBe(0);
    expect(kept(flag).length).toBe(5);
  });
});
