// Where a problem an override caused is reported. A spec that extends a base may override a
// declaration the base reads (`param ndf = 3`, a network, a type), and `--set` overrides a param
// of the spec; a problem the override causes then shows in a line of the base (or of the spec),
// which the user did not change. The rule:
//
//   a problem reported in an earlier layer (a base file; or the spec itself, for a `--set`) than
//   a declaration the failing declaration read (the most recent such read: see Context.causeOf),
//   and that the earlier layer does not have when checked on its own, is reported at that
//   declaration, with a note at the line where it shows.
//
// Layers are the files of the `extends` chain, base first, then the command line.
import { phrase, type Diagnostic } from "../diagnostics/index.js";
import type { Context } from "./context.js";

const same = (a: Diagnostic, b: Diagnostic) => a.code === b.code && a.span.file === b.span.file && a.span.start === b.span.start && a.span.end === b.span.end && a.message === b.message;

/**
 * `diagnostics` with those an override caused moved to the override. `alone(layer)` checks the
 * spec of that layer by itself (no later file, no `--set`).
 */
export function relocate(diagnostics: Diagnostic[], ctx: Context, alone: (layer: number) => Diagnostic[]): Diagnostic[] {
  const baselines = new Map<number, Diagnostic[]>();
  const files = ctx.input.files;
  return diagnostics.map((d) => {
    const cause = ctx.causes.get(d);
    const layer = ctx.layerOf(d.span.file);
    if (!cause || layer < 0) return d;
    if (!baselines.has(layer)) baselines.set(layer, alone(layer));
    if (baselines.get(layer)!.some((b) => same(b, d))) return d;
    const where = phrase(layer < files.length - 1 ? "inTheBaseSpec" : "inTheSpec");
    const label = phrase(ctx.names.get(cause.name)?.kind === "param" ? "setHere" : "declaredHere", { name: cause.name });
    const { label: _shown, ...rest } = d;
    return { ...rest, span: cause.span, label, notes: [{ message: phrase("showsHere", { where }), span: d.span }, ...d.notes] };
  });
}
