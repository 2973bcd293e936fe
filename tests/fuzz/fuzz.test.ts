// A bounded slice of the fuzzer (bench/fuzz.mjs runs the full one): 2,000 mutants of the zoo's
// specs from a fixed seed, through check, the rendering of diagnostics, `ir` and `fmt`, in
// process. No crash, no input over the time bound, every diagnostic `file:line:col error[CODE]`,
// fmt a fixed point that re-checks to the same IR.
import { describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { renderAllPretty, renderPretty } from "../../src/diagnostics/index.js";
import { formatSpec } from "../../src/fmt/index.js";
import { irToJson, irToPlain } from "../../src/ir/serialize.js";
import { lexSpec, parseSpec } from "../../src/syntax/parse.js";
import { fuzz, runOne } from "./engine.mjs";

interface Failure {
  kind: string;
  what: string;
  message: string;
}
const api = { checkFile, renderPretty, renderAllPretty, formatSpec, irToJson, irToPlain, lexSpec, parseSpec };

describe("fuzzing the compiler with mutants of the zoo", () => {
  it("2,000 mutants (seed 1): no crash, no hang, well-formed diagnostics, fmt safe", () => {
    const { counts, failures } = fuzz(api, { specsDir: "specs", seed: 1, count: 2000, slowMs: 10000 }) as {
      counts: Record<string, number>;
      failures: { index: number; failures: Failure[] }[];
    };
    expect(failures.map((f) => `#${f.index}: ${f.failures.map((x) => `${x.kind} ${x.what}: ${x.message}`).join("; ")}`)).toEqual([]);
    expect(counts.inputs).toBe(2000);
    // the slice reaches both sides: specs that check (fmt's IR comparison) and ones with errors
    expect(counts.clean).toBeGreaterThan(50);
    expect(counts.withErrors).toBeGreaterThan(1000);
  }, 300_000);

  it("the checks it makes can fail: a renderer that throws is a crash, a header without a code a render failure", () => {
    const throwing = { ...api, renderAllPretty: () => { throw new RangeError("Invalid string length"); } };
    const broken = "loss = ";
    const crash = runOne(throwing, "specs/dcgan.gan", broken, 10000).failures as Failure[];
    expect(crash.map((f) => `${f.kind} ${f.what}`)).toEqual(["crash render all"]);
    const codeless = { ...api, renderPretty: () => "somewhere: wrong\n  |\n1 | x" };
    expect((runOne(codeless, "specs/dcgan.gan", broken, 10000).failures as Failure[]).map((f) => f.kind)).toEqual(["render"]);
  });
});
