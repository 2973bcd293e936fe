// What a type or shape rule of the catalog returns when its arguments do not fit: a diagnostic
// code with its message arguments (the checker adds the place), never prose.
import type { ArgsOf, Code } from "../diagnostics/messages.js";

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
