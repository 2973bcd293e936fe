/**
 * The generative soundness check at scale (issue 10; tests/soundness/generative.test.ts runs a
 * fixed slice): random well-typed specs, each checked, trained one iteration with shape checks on
 * the cpu backend, and compared with the reference evaluator. Prints the counts, and each failing
 * seed with its spec (keep a failing case as a fixture in tests/fixtures/soundness/).
 *
 *   npx tsc -p tsconfig.json --rootDir . --outDir .cache/bench && \
 *     GANC_THREADS=1 node .cache/bench/bench/soundness.js [--count 2000] [--seed 1]
 *
 * Exits with status 1 when any spec failed.
 */
import { parseArgs } from "node:util";
import * as rt from "../src/runtime/index.js";
import { checkSeed, emptyCounts, summary } from "../tests/soundness/harness.js";

const { values: args } = parseArgs({
  options: { count: { type: "string", default: "2000" }, seed: { type: "string", default: "1" } },
});
const count = Number(args.count);
const first = Number(args.seed);

await rt.useBackend("cpu");
const counts = emptyCounts();
const start = Date.now();
for (let seed = first; seed < first + count; seed++) {
  const before = counts.failures.length;
  await checkSeed(seed, counts);
  for (const f of counts.failures.slice(before)) console.log(`seed ${f.seed} (${f.kind}): ${f.message.slice(0, 300)}`);
  if ((seed - first + 1) % 100 === 0)
    console.log(`${seed - first + 1}/${count} (${((Date.now() - start) / 1000).toFixed(0)} s): ${summary(counts)}`);
}
for (const f of counts.failures) console.log(`\nseed ${f.seed} (${f.kind}): ${f.message}\n${f.text}`);
console.log(`\n${summary(counts)} in ${((Date.now() - start) / 1000).toFixed(0)} s`);
process.exit(counts.failures.length ? 1 : 0);
