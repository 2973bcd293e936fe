// Hostile input to the compiler (issue 12): each case once crashed, hung, grew without bound or
// was silently misread. Here each gets a diagnostic, or works, in time and space linear in it.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFile } from "../../src/check/check.js";
import { moduleFor } from "../../src/cli/build.js";
import { renderAllPretty } from "../../src/diagnostics/index.js";
import { formatSpec } from "../../src/fmt/index.js";
import { irToJson } from "../../src/ir/serialize.js";
import { parseSpec } from "../../src/syntax/parse.js";

const DCGAN = fs.readFileSync("specs/dcgan.gan", "utf8");
const G_LOSS = "loss g_loss = bce_logits(fake_logits, 1)";
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ganc-hostile-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** dcgan with `edit` applied, checked as specs/dcgan.gan. */
function check(edit: (text: string) => string) {
  const text = edit(DCGAN);
  return { text, ...checkFile("specs/dcgan.gan", { read: (f) => (f === "specs/dcgan.gan" ? text : fs.readFileSync(f, "utf8")) }) };
}
const codes = (r: { diagnostics: { code: string }[] }) => r.diagnostics.map((d) => d.code);
const chain = (n: number, op = " + ") => `loss g_loss = ${Array.from({ length: n }, () => "bce_logits(fake_logits, 1)").join(op)}`;

describe("hostile input to the compiler", () => {
  it("a 10,000-term sum checks, and `ir` grows about linearly (10x the terms, at most 14x the text)", () => {
    const small = check((t) => t.replace(G_LOSS, chain(1000)));
    const large = check((t) => t.replace(G_LOSS, chain(10000)));
    expect(codes(large)).toEqual([]);
    const ratio = irToJson(large.ir!).length / irToJson(small.ir!).length;
    expect(ratio).toBeLessThan(14); // a left-deep tree's indentation made it 100x
  });

  it("a 2,000-term sum with `-` and `+` builds into code prettier formats", async () => {
    const terms = Array.from({ length: 2000 }, (_, i) => `${i % 3 === 0 ? " - " : " + "}bce_logits(fake_logits, 1)`).join("");
    const r = check((t) => t.replace(G_LOSS, `loss g_loss = bce_logits(fake_logits, 1)${terms}`));
    expect(codes(r)).toEqual([]);
    const code = await moduleFor(r.ir!);
    expect(code).toContain("function gLoss");
  }, 120_000);

  it("deep nesting is E0005 (parentheses, calls, lists, a long run of `-`), not a stack overflow", () => {
    for (const deep of [`${"(".repeat(5000)}1${")".repeat(5000)}`, `${"abs(".repeat(300)}1${")".repeat(300)}`, `${"[".repeat(300)}1${"]".repeat(300)}`, `${"-".repeat(5000)}1`, Array(3000).fill("1").join(" - ")])
      expect(codes(check((t) => t.replace("param ndf = 32", `param ndf = ${deep}`)))).toEqual(["E0005"]);
  });

  it("200 leading minus signs check, and fmt keeps them readable (`--x`, not 200 parentheses)", () => {
    const r = check((t) => t.replace("param ndf = 32", `param ndf = ${"-".repeat(200)}32`));
    expect(codes(r)).toEqual([]);
    const parsed = parseSpec("specs/dcgan.gan", r.text);
    const formatted = formatSpec(parsed.ast, r.text);
    expect(formatted).toContain(`param ndf = ${"-".repeat(200)}32`);
    const long = check((t) => t.replace(G_LOSS, chain(500)));
    const once = formatSpec(parseSpec("specs/dcgan.gan", long.text).ast, long.text);
    expect(once).toBe(long.text); // a split chain prints as written
  });

  it("3,000 unknown names on one line: 5 shown for the line, and a count of the rest", () => {
    const r = check((t) => t.replace(G_LOSS, `loss g_loss = ${Array.from({ length: 3000 }, (_, i) => `u${i}`).join(" + ")}`));
    expect(r.diagnostics).toHaveLength(3000);
    const shown = renderAllPretty(r.diagnostics, r.sources);
    expect(shown.match(/error\[E0101\]/g)).toHaveLength(5);
    expect(shown).toContain("... and 2995 more (at most 5 are shown per line, 100 in all)");
    expect(shown.length).toBeLessThan(5000); // each quoted line cut to a window around its caret
  });

  it("a 1 MB name is reported with a shortened name, and gets no did-you-mean", () => {
    const r = check((t) => t.replace("let fake_logits = D(G(z))", `let fake_logits = D(G(${"z".repeat(1_000_000)}))`));
    expect(codes(r)).toEqual(["W0103", "E0101"]); // `z` is now unused
    const unknown = r.diagnostics[1]!;
    expect(unknown.message).toBe(`unknown name \`${"z".repeat(40)}...${"z".repeat(20)}\``);
    expect(unknown.help).toBeUndefined();
  });

  it("an empty spec's diagnostic names its file; an absolute `extends` path is read as written", () => {
    const empty = checkFile(path.join(tmp, "empty.gan"), { read: () => "" });
    expect(empty.diagnostics.map((d) => [d.code, d.span.file])).toEqual([["E0507", path.join(tmp, "empty.gan")]]);
    const child = path.join(tmp, "child.gan");
    fs.writeFileSync(child, `extends "${path.resolve("specs/dcgan.gan")}"\n\nparam ngf = 16\n`);
    const r = checkFile(child);
    expect(codes(r)).toEqual([]);
    expect(r.files).toEqual([path.resolve("specs/dcgan.gan"), child]);
  });

  it("sizes that cannot fit are refused with their figures (E0317, E0318), ring and grid modes capped", () => {
    const ngf = check((t) => t.replace("param ngf = 32", "param ngf = 2147483648"));
    expect(ngf.diagnostics.map((d) => d.message)).toEqual(["the weights of `dense_1` in `G` would hold 2.1e13 values; a tensor holds at most 2,147,483,647"]);
    const batch = check((t) => t.replace("batch = 64", "batch = 100000000"));
    expect(batch.diagnostics.map((d) => [d.code, batch.text.slice(d.span.start, d.span.end)])).toEqual([["E0317", "100000000"]]);
    const samples = check((t) => t.replace("batch = 64", "batch = 64\n  samples = 100000000"));
    expect(samples.diagnostics.map((d) => [d.code, samples.text.slice(d.span.start, d.span.end)])).toEqual([["E0317", "100000000"]]);
    const memory = check((t) => t.replace("batch = 64", "batch = 64\n  samples = 300000"));
    expect(memory.diagnostics.map((d) => d.message)).toEqual(["this spec needs at least 37 GiB of memory (300000 samples × 32,928 layer outputs of `G`, as float32); the most ganc can hold is 4.0 GiB"]);
    const ring = checkFile("specs/ring_gan.gan", { read: (f) => fs.readFileSync(f, "utf8").replace("modes = 8", "modes = 100000000") });
    expect(codes(ring)).toEqual(["E0205"]);
  });
});

describe("a file of garbage", () => {
  it("stops after 100 syntax errors, and says where it stopped", () => {
    const text = `loss g = a${" - loss".repeat(5000)}\n`;
    const r = parseSpec("garbage.gan", text);
    expect(r.diagnostics).toHaveLength(100);
    expect(r.diagnostics[0]!.notes.map((n) => n.message)).toEqual(["the file has more than 100 syntax errors; ganc stopped reading it after the 100th"]);
  });
});
