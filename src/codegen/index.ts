// The code generator: IR -> a prettier-formatted TypeScript training module.
// It reads the IR only (and the spec texts, to quote lines in comments).
import * as path from "node:path";
import * as prettier from "prettier";
import type { IrSpec } from "../ir/types.js";
import { emitModule } from "./emit-module.js";
import { SpecLines } from "./names.js";

export { CodegenError } from "./errors.js";

export interface GenerateOptions {
  /** The text of each file in `ir.files`, to quote spec lines in comments. */
  texts: Record<string, string>;
  /** Check every named value's run-time shape against the checker's (`ganc run --check-shapes`). */
  checkShapes?: boolean;
}

/** The TypeScript module for a checked spec. Same IR and texts, same bytes. */
export async function generate(ir: IrSpec, options: GenerateOptions): Promise<string> {
  const lines = new SpecLines(options.texts, (f) => path.basename(f));
  const code = emitModule(ir, lines, { checkShapes: options.checkShapes ?? false });
  return prettier.format(code, { parser: "typescript", printWidth: 120 });
}

/** `generated/<spec name>.ts` */
export function outputFile(ir: IrSpec, dir: string): string {
  return path.join(dir, `${ir.name}.ts`);
}
