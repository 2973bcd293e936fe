// A sweep resumed by a newer ganc: a run folder of another IR version cannot be resumed, so it
// is renamed (kept, not deleted) and the run starts over; a current folder is left as it is.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { IR_VERSION } from "../../src/ir/types.js";
import { setAsideOlderRun } from "../../src/sweep/execute.js";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-older-run-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function runFolder(name: string, irVersion: number): string {
  const dir = path.join(tmp, name);
  fs.mkdirSync(path.join(dir, "checkpoints", "step-000100"), { recursive: true });
  fs.writeFileSync(path.join(dir, "ir.json"), JSON.stringify({ irVersion }));
  return dir;
}

describe("a sweep's run folder from another version of ganc", () => {
  it("is kept under another name, twice over, and the run starts over; a current one stays", () => {
    const said: string[] = [];
    const io = { out: () => {}, err: (m: string) => said.push(m) };
    const old = runFolder("ring_gan-s4", 1);
    setAsideOlderRun(old, io);
    expect(fs.existsSync(old)).toBe(false);
    expect(fs.existsSync(path.join(`${old}.ir1`, "checkpoints", "step-000100"))).toBe(true);
    expect(said).toEqual([`${old} was made by another version of ganc (IR version 1); it is kept as ${old}.ir1 and the run starts over`]);
    runFolder("ring_gan-s4", 1);
    setAsideOlderRun(old, io);
    expect(fs.existsSync(`${old}.ir1-2`)).toBe(true);

    const current = runFolder("ring_gan-s5", IR_VERSION);
    setAsideOlderRun(current, io);
    setAsideOlderRun(path.join(tmp, "never-started"), io);
    expect(fs.existsSync(path.join(current, "ir.json"))).toBe(true);
    expect(said.length).toBe(2);
  });
});
