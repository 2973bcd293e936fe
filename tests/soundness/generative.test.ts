// Issue 10: a spec that checks is a spec that runs and computes what it says. Random well-typed
// specs (tests/soundness/random-spec.ts) are checked; each that checks trains one iteration with
// shape checks on, and its losses, monitors and state equal the reference evaluator's on stand-in
// networks. A fixed slice of seeds here; `bench/soundness.ts` runs thousands.
import { beforeAll, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { checkSeed, emptyCounts, summary } from "./harness.js";

const FIRST_SEED = 1;
const COUNT = 40;

beforeAll(async () => {
  await rt.useBackend("cpu");
});

it(`${COUNT} random specs check, run with every shape as inferred, and compute what the reference computes`, async () => {
  const counts = emptyCounts();
  for (let seed = FIRST_SEED; seed < FIRST_SEED + COUNT; seed++) await checkSeed(seed, counts);
  console.log(summary(counts));
  const failures = counts.failures.map((f) => `seed ${f.seed} (${f.kind}): ${f.message}\n${f.text}`).join("\n\n");
  expect(counts.ran, failures).toBe(COUNT);
  expect(counts.rejected + counts.runtimeFailures + counts.shapeMismatches + counts.referenceMismatches, failures).toBe(
    0,
  );
  expect(counts.failures, failures).toEqual([]);
}, 120_000);
