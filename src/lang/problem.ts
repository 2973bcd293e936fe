// What a type or shape rule of the catalog returns when its arguments do not fit: a diagnostic
// code with its message arguments (the checker adds the place), never prose.
import { phrase, type ArgsOf, type Code } from "../diagnostics/messages.js";
import type { IrType } from "../ir/types.js";
import { showType } from "./types.js";

export type Problem = {
  [C in Code]: {
    code: C;
    args: ArgsOf<C>;
    /** A help from TEXTS, filled in, when the code's own does not say enough. */
    help?: string;
    /** The argument the problem is about (by position, or by parameter name); the whole call when absent. */
    at?: number | string;
  };
}[Code];

export function problem<C extends Code>(code: C, args: ArgsOf<C>, extra: { help?: string | undefined; at?: number | string } = {}): Problem {
  return { code, args, ...(extra.help ? { help: extra.help } : {}), ...(extra.at !== undefined ? { at: extra.at } : {}) } as Problem;
}

export function isProblem<T extends object>(x: T | Problem): x is Problem {
  return "code" in x && "args" in x;
}

/** E0204: argument `name` of `fn` must be `expected` (a kind of value), but is of type `found`. */
export function wrongArgument(fn: string, name: string, expected: string, found: IrType, extra: { help?: string | undefined; at?: number | string } = {}): Problem {
  return problem("E0204", { what: phrase("argument", { name }), fn, expected, found: showType(found) }, extra);
}
