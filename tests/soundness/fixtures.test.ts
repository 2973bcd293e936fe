// The specs in tests/fixtures/soundness: each a case the generative test or issue 10 found,
// where a spec that checked did not run or computed something else. Each checks clean, trains
// one iteration on its own networks and data with shape checks, and logs finite values.
import * as fs from "node:fs";
import * as path from "node:path";
import { beforeAll, expect, it } from "vitest";
import * as rt from "../../src/runtime/index.js";
import { compileText } from "./compile.js";
import { iterate } from "./harness.js";

const DIR = "tests/fixtures/soundness";
const FIXTURES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith(".gan"))
  .sort();

beforeAll(async () => {
  await rt.useBackend("cpu");
});

it("finds the fixtures", () => expect(FIXTURES.length).toBeGreaterThanOrEqual(4));

it.each(FIXTURES)("%s checks, runs with every shape as inferred, and logs finite values", async (file) => {
  const c = await compileText(fs.readFileSync(path.join(DIR, file), "utf8"), { file });
  const logged = iterate(c, 1);
  expect(Object.keys(logged)).toEqual(
    expect.arrayContaining(c.ir.values.filter((v) => v.role !== "let").map((v) => v.name)),
  );
  for (const [k, v] of Object.entries(logged)) expect(Number.isFinite(v), `${k} = ${v}`).toBe(true);
});
