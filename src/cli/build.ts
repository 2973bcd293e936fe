// `ganc build SPEC... [-o DIR]`: one formatted TypeScript module per spec.
import * as fs from "node:fs";
import * as path from "node:path";
import { generate, outputFile } from "../codegen/index.js";
import type { IrSpec } from "../ir/types.js";
import { compile } from "./compile.js";
import { writeFile } from "../runtime/files.js";
import { outputFolder } from "./fs-errors.js";
import { EXIT, type Io } from "./io.js";

/** The texts of the spec files a checked spec was read from (quoted in the generated comments). */
export function specTexts(ir: IrSpec): Record<string, string> {
  return Object.fromEntries(ir.files.map((f) => [f, fs.readFileSync(f, "utf8")]));
}

/** The module's text for a checked spec. */
export async function moduleFor(ir: IrSpec): Promise<string> {
  return generate(ir, { texts: specTexts(ir) });
}

export async function buildCommand(io: Io, files: string[], outDir: string, overrides: Record<string, string>): Promise<number> {
  let code: number = EXIT.ok;
  outputFolder(outDir, "-o");
  fs.mkdirSync(outDir, { recursive: true });
  for (const f of files) {
    const ir = compile(io, f, overrides);
    if (!ir) {
      code = EXIT.problems;
      continue;
    }
    const out = outputFile(ir, outDir);
    const text = await moduleFor(ir);
    const old = fs.statSync(out, { throwIfNoEntry: false })?.isFile() ? fs.readFileSync(out, "utf8") : undefined; // never read a device or FIFO
    if (old !== text) writeFile(out, text);
    io.out(`${path.relative(process.cwd(), out) || out}${old === text ? " (unchanged)" : ""}`);
  }
  return code;
}
