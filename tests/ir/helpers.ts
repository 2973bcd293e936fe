// Shared helpers for the IR tests: checking specs from disk or from in-memory variants.
import * as fs from "node:fs";
import * as path from "node:path";
import { expect } from "vitest";
import { checkFile } from "../../src/check/check.js";
import type { IrSpec } from "../../src/ir/types.js";

export const REPO = path.resolve(import.meta.dirname, "../..");
export const SPECS = path.join(REPO, "specs");
export const SPEC_NAMES = ["dcgan", "wgan_gp", "acgan", "began", "cyclegan"] as const;

function errorsOf(r: ReturnType<typeof checkFile>): string[] {
  return r.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.span.file}:${d.span.start}: ${d.message}`);
}

/** Check a spec file; fail the test with its errors when it does not check. */
export function checkOk(file: string): IrSpec {
  const r = checkFile(file);
  expect(errorsOf(r)).toEqual([]);
  return r.ir!;
}

export function spec(name: string): IrSpec {
  return checkOk(path.join(SPECS, `${name}.gan`));
}

/**
 * Check a variant of the specs in memory: `files` maps a file name (in specs/) to its new text;
 * other files are read from specs/ as they are.
 */
export function variant(main: string, files: Record<string, string>): IrSpec {
  const read = (f: string) => {
    const base = path.basename(f);
    if (path.dirname(path.resolve(f)) === SPECS && base in files) return files[base]!;
    return fs.readFileSync(f, "utf8");
  };
  const r = checkFile(path.join(SPECS, main), { read });
  expect(errorsOf(r)).toEqual([]);
  return r.ir!;
}

/** The text of a spec with `from` replaced by `to` (which must occur exactly once). */
export function edit(name: string, ...pairs: [string, string][]): string {
  let text = fs.readFileSync(path.join(SPECS, name), "utf8");
  for (const [from, to] of pairs) {
    const n = text.split(from).length - 1;
    if (n !== 1) throw new Error(`${name}: expected one \`${from}\`, found ${n}`);
    text = text.replace(from, to);
  }
  return text;
}
