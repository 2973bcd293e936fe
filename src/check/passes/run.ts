// Pass 9: run settings, from the catalog's defaults, the spec's `run` block and `--set`.
import type { Const, IrRun } from "../../ir/types.js";
import { has, RUN_DEFAULTS, RUN_SETTINGS } from "../../lang/index.js";
import { phrase } from "../../diagnostics/index.js";
import type { Span } from "../../diagnostics/span.js";
import { evalConst } from "../consts.js";
import { COMMAND_LINE, type Context } from "../context.js";
import { parseOverride } from "./params.js";

export function run(ctx: Context): void {
  const decl = ctx.all("Run")[0];
  const out: IrRun = { ...RUN_DEFAULTS };
  const set = (key: keyof IrRun, v: Const, at: Span) => {
    const min = RUN_SETTINGS[key].min;
    if (typeof v !== "number" || !Number.isInteger(v) || v < min) {
      ctx.report("E0205", at, { what: phrase("theRunSetting", { name: key }), expected: min ? phrase("wholeAtLeast", { min }) : phrase("wholeOrZero"), found: JSON.stringify(v) });
      return;
    }
    out[key] = v;
  };
  ctx.within("run", () => {
    for (const s of decl?.settings ?? []) {
      const key = s.name.name;
      if (!has(RUN_SETTINGS, key)) {
        ctx.unknown("E0101", key, s.name.span, Object.keys(RUN_SETTINGS), "run setting");
        continue;
      }
      if (key in ctx.input.overrides) continue;
      try {
        set(key, evalConst(s.value, ctx.env, phrase("theRunSetting", { name: key })), s.value.span);
      } catch (e) {
        ctx.fail(e);
      }
    }
  });
  const params = new Set(ctx.all("Param").map((p) => p.name.name));
  for (const [key, raw] of Object.entries(ctx.input.overrides))
    if (has(RUN_SETTINGS, key) && !params.has(key)) set(key, parseOverride(raw), ctx.input.overrideSpans.get(key)?.value ?? decl?.span ?? { file: COMMAND_LINE, start: 0, end: 0 });
  ctx.ir.run = out;
}
