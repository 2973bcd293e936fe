/**
 * Helpers for the structured-zoo tests (issue 5): the specs this suite owns, tiny settings,
 * and the CLI run in-process.
 */
import * as fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The structured half of the zoo. */
export const STRUCTURED = ["cgan", "infogan", "vaegan", "aae", "pix2pix", "cyclegan_fused", "srgan", "progan", "stylegan"] as const;

export const specPath = (name: string): string => path.join("specs", `${name}.gan`);

/** Widths to 4 and batch 4: every integer param of 16 or more that is a width or a code size. */
export const TINY: Record<string, string[]> = {
  cgan: ["ngf=4", "ndf=4"],
  infogan: ["ngf=4", "ndf=4"],
  vaegan: ["nz=4", "nf=4"],
  aae: ["nz=4", "nf=4", "nd=4"],
  pix2pix: ["ngf=4", "ndf=4"],
  cyclegan_fused: ["ngf=4", "ndf=4"],
  srgan: ["ngf=4", "ndf=4"],
  progan: ["nz=4", "nf=4"],
  stylegan: ["nz=4", "nf=4", "ndf=4"],
};

export const sets = (name: string, extra: string[] = []): string[] => [...TINY[name]!, "batch=4", "samples=4", "log_every=1", "sample_every=1000", "checkpoint_every=1000", ...extra].flatMap((s) => ["--set", s]);

export { ganc, type Run } from "../helpers/ganc.js";

export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ganc-${prefix}-`));
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

export function readMetrics(runDir: string): Record<string, number>[] {
  return fs
    .readFileSync(path.join(runDir, "metrics.jsonl"), "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as Record<string, number>);
}
