// The command line, driven in-process: exit codes, where output goes, and that user mistakes
// (bad files, flags, overrides) give a one-line message and never a stack trace.
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";

interface Run {
  code: number;
  out: string;
  err: string;
}

async function ganc(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  return { code, out: out.join(""), err: err.join("") };
}

const FIX = "tests/fixtures/diagnostics";
const WITH_ERROR = `${FIX}/E0101-unknown-name.gan`; // one error: `fakes` at 28:28
const WARNINGS_ONLY = `${FIX}/W0103-unused-let.gan`;
const SPECS = fs.readdirSync("specs").filter((f) => f.endsWith(".gan")).sort().map((f) => `specs/${f}`);

/** No stack trace: no `    at fn (file:line)` frames and no `Error:` prefix from an uncaught throw. */
function noStackTrace(r: Run): void {
  expect(r.err + r.out).not.toMatch(/^\s+at .+:\d+/m);
  expect(r.err + r.out).not.toMatch(/^\w*Error: /m);
}

interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  code: string;
  message: string;
  severity: string;
}

describe("ganc check", () => {
  it("exits 0 and prints nothing on a clean spec", async () => {
    const r = await ganc("check", "specs/dcgan.gan");
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
    expect(r.out).toBe("");
  });

  it("exits 1 on errors, with file:line:col, the source line and a caret", async () => {
    const r = await ganc("check", WITH_ERROR);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${WITH_ERROR}:28:28 error[E0101]: unknown name \`fakes\``);
    expect(r.err).toContain("28 | loss g_loss = bce_logits(D(fakes), 1)");
    expect(r.err).toMatch(/^ {3}\| {28}\^{5}$/m); // the caret is under `fakes`
    expect(r.err).toContain("help: did you mean `fake`?");
    expect(r.err).toContain(`1 error in ${WITH_ERROR}`);
    expect(r.out).toBe("");
  });

  it("exits 0 when there are only warnings, and still prints them", async () => {
    const r = await ganc("check", WARNINGS_ONLY);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(/W0103-unused-let\.gan:\d+:\d+ warning\[W0103\]: let `real_logits` is never used/);
    expect(r.err).toContain("1 warning in");
  });

  it("checks every spec in specs/ cleanly in one call", async () => {
    const r = await ganc("check", ...SPECS);
    expect(r.code).toBe(0);
    expect(r.err).toBe("");
  });

  it("reports every file of several, and exits 1 when any has errors", async () => {
    const r = await ganc("check", "specs/dcgan.gan", WITH_ERROR, WARNINGS_ONLY);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${WITH_ERROR}:28:28 error[E0101]`);
    expect(r.err).toContain("warning[W0103]");
    expect(r.err).not.toContain("specs/dcgan.gan:");
  });

  it("--format json prints one JSON array with file, line, column, code and message", async () => {
    const r = await ganc("check", "--format", "json", WITH_ERROR, WARNINGS_ONLY, "specs/dcgan.gan");
    expect(r.code).toBe(1);
    expect(r.err).toBe(""); // nothing pretty-printed next to the JSON
    const ds = JSON.parse(r.out) as JsonDiagnostic[];
    expect(Array.isArray(ds)).toBe(true);
    expect(ds).toHaveLength(2);
    expect(ds[0]).toMatchObject({ file: WITH_ERROR, line: 28, column: 28, code: "E0101", severity: "error", message: "unknown name `fakes`" });
    expect(ds[1]).toMatchObject({ file: WARNINGS_ONLY, code: "W0103", severity: "warning" });
    for (const d of ds) for (const k of ["file", "line", "column", "code", "message"]) expect(d).toHaveProperty(k);
  });

  it("--format json on a clean spec prints an empty array and exits 0", async () => {
    const r = await ganc("check", "--format", "json", "specs/dcgan.gan");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual([]);
  });

  it("a missing file exits 2 with `ganc: cannot read ...` and no stack trace", async () => {
    const r = await ganc("check", "specs/nosuch.gan");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ganc: cannot read `specs\/nosuch\.gan`/);
    noStackTrace(r);
  });

  it("a directory exits 2 with `ganc: cannot read ...` and no stack trace", async () => {
    const r = await ganc("check", "specs");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^ganc: cannot read `specs`/);
    noStackTrace(r);
  });

  it("a missing file among good ones still exits 2", async () => {
    const r = await ganc("check", "specs/dcgan.gan", "nosuch.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("ganc: cannot read `nosuch.gan`");
    noStackTrace(r);
  });

  it("an unknown flag exits 2", async () => {
    const r = await ganc("check", "--frobnicate", "specs/dcgan.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("--frobnicate");
    noStackTrace(r);
  });

  it("an unknown --format value exits 2", async () => {
    const r = await ganc("check", "--format", "xml", "specs/dcgan.gan");
    expect(r.code).toBe(2);
    noStackTrace(r);
  });

  it("no file exits 2", async () => {
    const r = await ganc("check");
    expect(r.code).toBe(2);
    noStackTrace(r);
  });

  it("--set with an unknown name gives E0701 quoting the command line, with a did-you-mean", async () => {
    const r = await ganc("check", "--set", "lamda=5", "specs/wgan_gp.gan");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E0701]: `--set lamda=5`: this spec has no param or run setting `lamda`");
    expect(r.err).toContain("1 | --set lamda=5");
    expect(r.err).toMatch(/^ {2}\| {7}\^{5}$/m); // under `lamda`
    expect(r.err).toContain("did you mean `lambda`?");
  });

  it("--set nosuch=1 gives E0701 and lists what can be set", async () => {
    const r = await ganc("check", "--set", "nosuch=1", "specs/dcgan.gan");
    expect(r.code).toBe(1);
    expect(r.err).toContain("error[E0701]");
    expect(r.err).toContain("`nosuch`");
    expect(r.err).toMatch(/help: .*`ngf`.*`batch`/);
  });

  it("--set with a bad run-setting value is an error at the value", async () => {
    const r = await ganc("check", "--format", "json", "--set", "batch=0", "specs/dcgan.gan");
    expect(r.code).toBe(1);
    const ds = JSON.parse(r.out) as JsonDiagnostic[];
    expect(ds).toEqual([expect.objectContaining({ code: "E0205", file: "<command line>", column: 13 })]);
  });

  it("--set without `=` exits 2", async () => {
    const r = await ganc("check", "--set", "lambda", "specs/wgan_gp.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("ganc: --set expects name=value");
    noStackTrace(r);
  });
});

describe("ganc (commands)", () => {
  it("an unknown command exits 2", async () => {
    const r = await ganc("frobnicate", "specs/dcgan.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("frobnicate");
    noStackTrace(r);
  });

  it("--help exits 0", async () => {
    const r = await ganc("--help");
    expect(r.code).toBe(0);
    expect(r.out + r.err).toContain("check");
  });
});

describe("ganc ir", () => {
  type Ir = { irVersion: unknown; name: string; params: { name: string; value: unknown }[]; run: Record<string, number> };
  const param = (ir: Ir, name: string) => ir.params.find((p) => p.name === name)?.value;

  it("prints the IR as JSON with irVersion", async () => {
    const r = await ganc("ir", "specs/dcgan.gan");
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out) as Ir;
    expect(ir.irVersion).toBeDefined();
    expect(ir.name).toBe("dcgan");
  });

  it("--set lambda=5 changes the param in the IR", async () => {
    const base = JSON.parse((await ganc("ir", "specs/wgan_gp.gan")).out) as Ir;
    const r = await ganc("ir", "--set", "lambda=5", "specs/wgan_gp.gan");
    expect(r.code).toBe(0);
    const ir = JSON.parse(r.out) as Ir;
    expect(param(base, "lambda")).toBe(10);
    expect(param(ir, "lambda")).toBe(5);
  });

  it("--set batch=32 changes a run setting in the IR", async () => {
    const ir = JSON.parse((await ganc("ir", "--set", "batch=32", "specs/dcgan.gan")).out) as Ir;
    expect(ir.run.batch).toBe(32);
  });

  it("a spec with errors prints diagnostics, no IR, and exits 1", async () => {
    const r = await ganc("ir", WITH_ERROR);
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[E0101]");
  });

  it("--set nosuch=1 exits 1 with E0701", async () => {
    const r = await ganc("ir", "--set", "nosuch=1", "specs/dcgan.gan");
    expect(r.code).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toContain("error[E0701]");
  });

  it("a missing file exits 2", async () => {
    const r = await ganc("ir", "nosuch.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("ganc: cannot read");
    noStackTrace(r);
  });
});

describe("ganc diff", () => {
  it("exits 0 and prints nothing for a spec against itself", async () => {
    const r = await ganc("diff", "specs/dcgan.gan", "specs/dcgan.gan");
    expect(r.code).toBe(0);
    expect(r.out).toBe("");
  });

  it("exits 1 and prints the differences for dcgan vs wgan_gp", async () => {
    const r = await ganc("diff", "specs/dcgan.gan", "specs/wgan_gp.gan");
    expect(r.code).toBe(1);
    expect(r.out).not.toBe("");
    expect(r.out).toContain("lambda");
  });

  it("a missing file exits 2", async () => {
    const r = await ganc("diff", "specs/dcgan.gan", "nosuch.gan");
    expect(r.code).toBe(2);
    expect(r.err).toContain("ganc: cannot read");
    noStackTrace(r);
  });
});

describe("ganc fmt", () => {
  it("--check on specs/ exits 0: the seed specs are in canonical layout", async () => {
    const r = await ganc("fmt", "--check", ...SPECS);
    expect(r.out).toBe("");
    expect(r.code).toBe(0);
  });

  it("--check does not write and exits 1 on an unformatted file", async () => {
    const dir = fs.mkdtempSync("/tmp/ganc-fmt-");
    const file = `${dir}/messy.gan`;
    const messy = fs.readFileSync("specs/dcgan.gan", "utf8").replace(/param ngf = (\d+)/, "param   ngf=$1");
    fs.writeFileSync(file, messy);
    try {
      const r = await ganc("fmt", "--check", file);
      expect(r.code).toBe(1);
      expect(r.out).toContain(`${file}: not formatted`);
      expect(fs.readFileSync(file, "utf8")).toBe(messy);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
