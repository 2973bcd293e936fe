// `--set` values are literals of the language, checked on the command line: a bad one is a usage
// error (exit 2) that quotes the option, not a type error blamed on a line of the spec.
import { describe, expect, it } from "vitest";
import { ganc } from "../helpers/ganc.js";

describe("--set values", () => {
  it("a name, NaN or an overflowing number is exit 2 naming the option; numbers, booleans and quoted strings pass", async () => {
    const bad = await Promise.all(["ngf=abc", "ngf=NaN", "ngf=1e400"].map((s) => ganc("check", "specs/dcgan.gan", "--set", s)));
    expect(bad.map((r) => [r.code, r.out, r.err.trim()])).toEqual([
      [2, "", 'ganc: --set ngf=abc: expected a number, true, false or a "string" (quote it for the shell: --set \'name="text"\'), found `abc`'],
      [2, "", 'ganc: --set ngf=NaN: expected a number, true, false or a "string" (quote it for the shell: --set \'name="text"\'), found `NaN`'],
      [2, "", "ganc: --set ngf=1e400: 1e400 is too large for a 64-bit float"],
    ]);
    const good = await ganc("check", "specs/dcgan.gan", "--set", "ngf=16", "--set", "ndf=-0.5e1");
    expect(good.err).toContain("--set ndf=-0.5e1"); // a number, then blamed where it is set: a negative width
    const quoted = await ganc("check", "specs/dcgan.gan", "--set", 'ngf="wide"');
    expect(quoted.err).toContain('found "wide"');
  });
});
