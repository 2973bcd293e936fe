// The full fuzz run (not a test): mutants of the zoo's specs through check, ir and fmt, in
// process (tests/fuzz/engine.mjs says what counts as a failure). Prints the counts; appends each
// failing input to --out (default: ganc-fuzz-failures.jsonl in the temporary folder) as it is
// found, one JSON object a line, to reproduce it. Exit 1 on any failure.
//
//   npm run build && node bench/fuzz.mjs [--count 100000] [--seed 1] [--slow-ms 10000] [--out FILE]
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { checkFile } from "../dist/check/check.js";
import { renderAllPretty, renderPretty } from "../dist/diagnostics/index.js";
import { formatSpec } from "../dist/fmt/index.js";
import { irToJson, irToPlain } from "../dist/ir/serialize.js";
import { lexSpec, parseSpec } from "../dist/syntax/parse.js";
import { fuzz } from "../tests/fuzz/engine.mjs";

const { values: args } = parseArgs({
  options: {
    count: { type: "string", default: "100000" },
    seed: { type: "string", default: "1" },
    "slow-ms": { type: "string", default: "10000" },
    out: { type: "string", default: path.join(os.tmpdir(), "ganc-fuzz-failures.jsonl") },
  },
});
const api = { checkFile, renderPretty, renderAllPretty, formatSpec, irToJson, irToPlain, lexSpec, parseSpec };
const count = Number(args.count);
const started = Date.now();
const { counts, failures, slowest } = fuzz(api, {
  specsDir: "specs",
  seed: Number(args.seed),
  count,
  slowMs: Number(args["slow-ms"]),
  onFailure: (f) => fs.appendFileSync(args.out, `${JSON.stringify(f)}\n`),
  onProgress: (n, c) => {
    if (n % 1000 === 0 || n === count) process.stderr.write(`${n}/${count}: ${JSON.stringify(c)} (${((Date.now() - started) / 1000).toFixed(0)} s)\n`);
  },
});
console.log(JSON.stringify({ seed: Number(args.seed), ...counts, slowestMs: slowest, seconds: Math.round((Date.now() - started) / 1000) }));
if (failures.length) {
  console.log(`${failures.length} failing inputs appended to ${args.out}`);
  for (const f of failures.slice(0, 10)) console.log(`#${f.index} ${f.spec}: ${f.failures.map((x) => `${x.kind} (${x.what}): ${x.message}`).join("; ")}`);
}
process.exitCode = failures.length ? 1 : 0;
