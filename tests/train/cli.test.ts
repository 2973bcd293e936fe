// `ganc run` when something is wrong: a spec with errors, a backend that is not installed,
// a folder that is not a run, data that is not there. Each stops with a clear message and
// the right exit code, never a stack trace, and trains nothing.
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { expectNoStackTrace, ganc, quietStderr, setFlags, tempDir, tinySets, type Run } from "./helpers.js";

const tmp = tempDir("cli");
afterAll(tmp.cleanup);

async function quiet(...argv: string[]): Promise<Run> {
  const restore = quietStderr();
  try {
    return await ganc(...argv);
  } finally {
    restore();
  }
}

/** dcgan.gan with its MNIST data replaced by an image folder (the path relative to the spec). */
function imageFolderSpec(dir: string, folder: string): string {
  const text = fs.readFileSync("specs/dcgan.gan", "utf8");
  const replaced = text.replace(/^data x = mnist\(.*\)$/m, `data x = images(path = "${folder}", size = [28, 28], channels = 1, range = [-1, 1])`);
  expect(replaced).not.toBe(text);
  fs.mkdirSync(dir, { recursive: true });
  const spec = path.join(dir, "folder_gan.gan");
  fs.writeFileSync(spec, replaced);
  return spec;
}

describe("ganc run: clear failures", () => {
  it("a spec with errors exits 1 with its diagnostics and trains nothing", async () => {
    const spec = "tests/fixtures/diagnostics/E0101-unknown-name.gan";
    const out = path.join(tmp.dir, "errors");
    const r = await quiet("run", spec, "--steps", "3", "--backend", "wasm", "--out", out);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${spec}:28:28 error[E0101]: unknown name \`fakes\``);
    expect(r.err).toContain(`1 error in ${spec}`);
    expect(r.out).toBe("");
    expectNoStackTrace(r);
    expect(fs.existsSync(out)).toBe(false);
  });

  it("--backend tensorflow without tfjs-node says how to install it, no stack trace", async () => {
    const out = path.join(tmp.dir, "tensorflow");
    const r = await quiet("run", "specs/dcgan.gan", "--steps", "3", "--backend", "tensorflow", "--out", out, ...setFlags(tinySets("specs/dcgan.gan")));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^ganc: backend "tensorflow" needs the native TensorFlow bindings/);
    expect(r.err).toContain("npm install @tensorflow/tfjs-node");
    expect(r.err).toContain("--backend wasm");
    expectNoStackTrace(r);
    expect(fs.existsSync(path.join(out, "metrics.jsonl"))).toBe(false);
  });

  it("--resume on a folder that is not a run exits 2", async () => {
    const empty = path.join(tmp.dir, "not-a-run");
    fs.mkdirSync(empty);
    fs.writeFileSync(path.join(empty, "notes.txt"), "hello\n");
    for (const dir of [empty, path.join(tmp.dir, "no-such-folder")]) {
      const r = await quiet("run", "--resume", dir, "--steps", "10", "--backend", "wasm");
      expect(r.code).toBe(2);
      expect(r.err).toContain(`ganc: cannot resume \`${dir}\`: it holds no ir.json`);
      expectNoStackTrace(r);
    }
    expect(fs.readdirSync(empty)).toEqual(["notes.txt"]);
    expect(fs.existsSync(path.join(tmp.dir, "no-such-folder"))).toBe(false);
  });

  it("--resume together with a spec is a usage error (exit 2)", async () => {
    const r = await quiet("run", "specs/dcgan.gan", "--resume", tmp.dir, "--backend", "wasm");
    expect(r.code).toBe(2);
    expect(r.err).toContain("not both");
    expectNoStackTrace(r);
  });

  it("image data from a missing folder stops with a clear message before training", async () => {
    const dir = path.join(tmp.dir, "missing-data");
    const spec = imageFolderSpec(dir, "missing/folder");
    const out = path.join(tmp.dir, "missing-run");
    const r = await quiet("run", spec, "--steps", "3", "--backend", "wasm", "--out", out, ...setFlags(["ngf=4", "ndf=4", "batch=4"]));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`ganc: image folder ${path.resolve(dir, "missing/folder")} does not exist or cannot be read`);
    expectNoStackTrace(r);
    expect(fs.existsSync(out)).toBe(false); // stopped before the run folder was made
  });

  it("image data from a folder with no images stops with a clear message before training", async () => {
    const dir = path.join(tmp.dir, "empty-data");
    const spec = imageFolderSpec(dir, "digits");
    fs.mkdirSync(path.join(dir, "digits"));
    fs.writeFileSync(path.join(dir, "digits", "readme.txt"), "no pictures here\n");
    const out = path.join(tmp.dir, "empty-run");
    const r = await quiet("run", spec, "--steps", "3", "--backend", "wasm", "--out", out, ...setFlags(["ngf=4", "ndf=4", "batch=4"]));
    expect(r.code).toBe(1);
    expect(r.err).toContain(`ganc: image folder ${path.resolve(dir, "digits")} contains no .png, .jpg or .jpeg files`);
    expectNoStackTrace(r);
    expect(fs.existsSync(out)).toBe(false);
  });
});
