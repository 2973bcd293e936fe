// Pass 2: constants. `--set` overrides name a param or a run setting; params are evaluated in
// dependency order (a param may use others), overrides applied; states get their initial values.
import { codeList, didYouMean, phrase } from "../../diagnostics/index.js";
import type { Const } from "../../ir/types.js";
import { RUN_SETTINGS } from "../../lang/index.js";
import { unescapeString } from "../../syntax/cst-to-ast.js";
import { evalConst } from "../consts.js";
import { COMMAND_LINE, type Context } from "../context.js";

const QUOTED = /^"(?:[^"\\]|\\.)*"$/;

/**
 * Why a `--set` value is not a literal of the language (a number, `true`, `false` or a
 * `"string"`), or undefined when it is one. The command line checks this before the spec is read.
 */
export function overrideProblem(raw: string): string | undefined {
  if (raw === "true" || raw === "false" || QUOTED.test(raw)) return undefined;
  if (/^-?(?:\d+(?:\.\d+)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(raw)) return Number.isFinite(Number(raw)) ? undefined : `${raw} is too large for a 64-bit float`;
  return `expected a number, true, false or a "string" (quote it for the shell: --set 'name="text"'), found \`${raw}\``;
}

/** `--set` values: numbers, booleans, `"strings"`; anything else (from the API) as a string as written. */
export function parseOverride(raw: string): Const {
  if (raw === "true" || raw === "false") return raw === "true";
  if (QUOTED.test(raw)) return unescapeString(raw);
  const n = Number(raw);
  return raw.trim() !== "" && Number.isFinite(n) ? n : raw;
}

function checkOverrideNames(ctx: Context): void {
  const params = ctx.all("Param").map((p) => p.name.name);
  const settings = Object.keys(RUN_SETTINGS);
  for (const [key, raw] of Object.entries(ctx.input.overrides)) {
    if (params.includes(key) || settings.includes(key)) continue;
    const guess = didYouMean(key, [...params, ...settings]);
    const help = guess
      ? phrase("didYouMean", { name: guess })
      : params.length
        ? phrase("setNames", { params: codeList(params), settings: codeList(settings) })
        : phrase("setNamesNoParams", { settings: codeList(settings) });
    const at = ctx.input.overrideSpans.get(key)?.key ?? { file: COMMAND_LINE, start: 0, end: 0 };
    ctx.report("E0701", at, { key, value: raw }, { help });
  }
}

function evalParams(ctx: Context): void {
  const byName = new Map(ctx.all("Param").map((p) => [p.name.name, p]));
  const busy = new Set<string>();
  const visit = (name: string): Const | undefined => {
    if (ctx.params.has(name)) return ctx.params.get(name);
    const p = byName.get(name);
    if (!p) return undefined;
    if (name in ctx.input.overrides) {
      const v = parseOverride(ctx.input.overrides[name]!);
      ctx.params.set(name, v);
      return v;
    }
    if (busy.has(name)) {
      ctx.report("E0108", p.name.span, { what: phrase("theParam", { name }) });
      return undefined;
    }
    busy.add(name);
    return ctx.within(name, () => {
      try {
        const get = (n: string) => {
          const v = visit(n);
          if (v !== undefined) ctx.use(n);
          return v;
        };
        const explain = (n: string) => ctx.explainConst(n);
        const v = evalConst(p.value, { get, explain }, phrase("theParam", { name }));
        ctx.params.set(name, v);
        return v;
      } catch (e) {
        ctx.fail(e);
        return undefined;
      }
    });
  };
  for (const name of byName.keys()) visit(name);
}

function evalStates(ctx: Context): void {
  ctx.ir.states = ctx.all("State").flatMap((s) => {
    const init = ctx.within(s.name.name, () => ctx.constNumber(s.value, phrase("initialValue", { name: s.name.name })));
    return init === undefined ? [] : [{ name: s.name.name, init, span: s.span }];
  });
}

export function constants(ctx: Context): void {
  checkOverrideNames(ctx);
  evalParams(ctx);
  ctx.ir.params = ctx.all("Param").map((p) => ({ name: p.name.name, value: ctx.params.get(p.name.name)!, span: p.span }));
  evalStates(ctx);
}
