// Compiling a spec text in memory to a loaded program, as `ganc run` does (check, generate, load).
import { checkFile } from "../../src/check/check.js";
import { generate } from "../../src/codegen/index.js";
import type { IrSpec } from "../../src/ir/types.js";
import { loadProgram } from "../../src/cli/run.js";
import type * as rt from "../../src/runtime/index.js";

export interface Compiled {
  ir: IrSpec;
  code: string;
  program: rt.Program<rt.ModelBase>;
}

/** The checker's messages for `text` (empty when it checks clean). */
export function problems(text: string, file = "spec.gan"): string[] {
  return checkFile(file, { read: () => text }).diagnostics.map((d) => `${d.code} ${d.message}`);
}

/** `text` (the spec file `file`) checked, generated (with shape checks unless told) and loaded. */
export async function compileText(text: string, o: { file?: string; checkShapes?: boolean } = {}): Promise<Compiled> {
  const file = o.file ?? "spec.gan";
  const r = checkFile(file, { read: () => text });
  if (!r.ir)
    throw new Error(
      `the spec does not check:\n${r.diagnostics.map((d) => `${d.code} ${d.message}`).join("\n")}\n${text}`,
    );
  const code = await generate(r.ir, {
    texts: Object.fromEntries(r.files.map((f) => [f, text])),
    checkShapes: o.checkShapes ?? true,
  });
  return { ir: r.ir, code, program: loadProgram(code) };
}
