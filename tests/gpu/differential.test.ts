// Every spec in specs/ (found at test time) on webgpu against cpu, through `ganc backends
// --verify`'s comparison: shrunk to a tiny model, compiled once, 2 steps on each backend in this
// process (webgpu's compiled shaders are shared by all specs) from the same seed, so the same
// initial weights, data and noise; every logged loss, monitor and state agrees within
// VERIFY_TOLERANCE (relative), and the webgpu run writes its sample grid and checkpoint as cpu's does.
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareWithCpu, VERIFY_TOLERANCE } from "../../src/cli/verify.js";
import { allSpecs, tempDir } from "../train/helpers.js";
import { adapter, onAdapter, skipReason } from "./helpers.js";

/** A spec whose values are less precise gets its own tolerance here, with the reason (none so far). */
const LOOSER: Record<string, { tolerance: number; why: string }> = {};

const SPECS = allSpecs();
const tmp = tempDir("gpu-diff");
afterAll(tmp.cleanup);
const worst: Record<string, number> = {};
afterAll(() => {
  const lines = Object.entries(worst).map(([k, v]) => `  ${k.padEnd(24)} ${v.toExponential(2)}`);
  if (lines.length) console.log(`max relative difference webgpu vs cpu ${onAdapter}:\n${lines.join("\n")}`);
});

describe.skipIf(adapter === null)(`every spec: 2 steps on webgpu equal 2 steps on cpu ${onAdapter}${skipReason}`, () => {
  it.each(SPECS)("%s", async (spec) => {
    const name = path.basename(spec, ".gan");
    const c = await compareWithCpu(spec, "webgpu", tmp.dir);
    worst[name] = c.maxDiff;
    expect(c.maxDiff, JSON.stringify(c.worst)).toBeLessThanOrEqual(LOOSER[name]?.tolerance ?? VERIFY_TOLERANCE);
    expect(JSON.parse(fs.readFileSync(path.join(c.runs.backend, "run.json"), "utf8")).backend).toBe("webgpu");
    const weights = (dir: string) => fs.statSync(path.join(dir, "checkpoints", "step-000002", "weights.bin")).size;
    expect(weights(c.runs.backend)).toBe(weights(c.runs.cpu));
    expect(fs.readdirSync(path.join(c.runs.backend, "samples"))).toEqual(fs.readdirSync(path.join(c.runs.cpu, "samples")));
  });
});
