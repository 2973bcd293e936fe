// Every spec in specs/ (found at test time), shrunk to a tiny model and compiled once, trained for
// 2 steps by the runtime's harness on webgpu and on cpu in one process (the backends and webgpu's
// compiled shaders are shared by all specs), from the same seed, so the same initial weights, data
// and noise (all drawn on the host): every logged loss, monitor and state agrees within TOLERANCE
// (relative), and the webgpu run writes its sample grid and checkpoint like the cpu run.
import * as fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { loadProgram } from "../../src/cli/run.js";
import * as rt from "../../src/runtime/index.js";
import { allSpecs, readMetrics, setsToRecord, tempDir, tinySets, values } from "../train/helpers.js";
import { adapter, onAdapter, relativeDiff, skipReason } from "./helpers.js";

/**
 * float32 on both sides, summed in different orders: measured differences are below 2e-6 on
 * lavapipe and GLES llvmpipe for every spec (README, "WebGPU"). A spec whose losses are less
 * precise gets its own entry here, with the reason.
 */
const TOLERANCE = 1e-4;
const LOOSER: Record<string, { tolerance: number; why: string }> = {};

const SPECS = allSpecs();
const tmp = tempDir("gpu-diff");
afterAll(tmp.cleanup);
const worst: Record<string, number> = {};
afterAll(() => {
  if (Object.keys(worst).length) console.log(`max relative difference webgpu vs cpu ${onAdapter}:\n${Object.entries(worst).map(([k, v]) => `  ${k.padEnd(24)} ${v.toExponential(2)}`).join("\n")}`);
});

const quiet = { write: () => true };

async function train(program: rt.Program<rt.ModelBase>, spec: string, backend: "webgpu" | "cpu"): Promise<string> {
  const runDir = path.join(tmp.dir, `${path.basename(spec, ".gan")}-${backend}`);
  const options = { steps: 2, seed: 5, backend, runDir, logEvery: 1, sampleEvery: 0, checkpointEvery: 0, progress: quiet, handleSignals: false };
  const r = await rt.train(rt.trainerOf(program, path.dirname(path.resolve(spec))), options);
  expect(r.backend).toBe(backend);
  return runDir;
}

describe.skipIf(adapter === null)(`every spec: 2 steps on webgpu equal 2 steps on cpu ${onAdapter}${skipReason}`, () => {
  it.each(SPECS)("%s", async (spec) => {
    const name = path.basename(spec, ".gan");
    const checked = checkFile(spec, { overrides: setsToRecord(tinySets(spec)) });
    expect(checked.ir).toBeDefined();
    const program = loadProgram(await moduleFor(checked.ir!));
    const gpu = await train(program, spec, "webgpu");
    const cpu = await train(program, spec, "cpu");
    const a = readMetrics(gpu).map(values);
    const b = readMetrics(cpu).map(values);
    expect(a.map((m) => m.step)).toEqual([1, 2]);
    expect(Object.keys(a[1]!).sort()).toEqual(Object.keys(b[1]!).sort());
    let max = 0;
    for (let i = 0; i < a.length; i++) {
      for (const [k, v] of Object.entries(b[i]!)) {
        const d = relativeDiff(a[i]![k]!, v);
        max = Math.max(max, d);
        const tolerance = LOOSER[name]?.tolerance ?? TOLERANCE;
        expect(d, `${k} at step ${i + 1}: webgpu ${a[i]![k]} vs cpu ${v}`).toBeLessThanOrEqual(tolerance);
      }
    }
    worst[name] = max;
    expect(JSON.parse(fs.readFileSync(path.join(gpu, "run.json"), "utf8")).backend).toBe("webgpu");
    expect(fs.statSync(path.join(gpu, "checkpoints", "step-000002", "weights.bin")).size).toBe(fs.statSync(path.join(cpu, "checkpoints", "step-000002", "weights.bin")).size);
    expect(fs.readdirSync(path.join(gpu, "samples"))).toEqual(fs.readdirSync(path.join(cpu, "samples")));
  });
});
