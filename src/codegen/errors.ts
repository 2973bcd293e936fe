import type { Span } from "../diagnostics/span.js";

/** Something the IR allows that the code generator cannot emit (yet); carries the spec location. */
export class CodegenError extends Error {
  constructor(
    message: string,
    readonly span: Span,
  ) {
    super(message);
    this.name = "CodegenError";
  }
}
