// Resolving written types (`[28, 28, 1]`, `Image`, `X`, `label(10)`) to IR types.
import { phrase } from "../diagnostics/index.js";
import type { ShapeType, TypeExpr } from "../syntax/ast.js";
import type { IrType } from "../ir/types.js";
import { tensor } from "../lang/index.js";
import { evalConst, type ConstEnv } from "./consts.js";
import type { Context } from "./context.js";

export function resolveShape(ctx: Context, t: ShapeType, env: ConstEnv = ctx.env): number[] | undefined {
  const dims: number[] = [];
  for (const d of t.dims) {
    try {
      const v = evalConst(d, env, phrase("aDimension"));
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) {
        ctx.report("E0205", d.span, { what: phrase("aDimension"), expected: phrase("positiveWhole"), found: JSON.stringify(v) });
        return undefined;
      }
      dims.push(v);
    } catch (e) {
      ctx.fail(e);
      return undefined;
    }
  }
  return dims;
}

export function resolveType(ctx: Context, t: TypeExpr, seen: string[] = []): IrType | undefined {
  switch (t.kind) {
    case "ShapeType": {
      const s = resolveShape(ctx, t);
      return s && tensor(s);
    }
    case "LabelType": {
      try {
        const n = evalConst(t.classes, ctx.env, phrase("classCount"));
        if (typeof n === "number" && Number.isInteger(n) && n >= 2) return { kind: "label", classes: n };
        ctx.report("E0205", t.classes.span, { what: phrase("classCount"), expected: phrase("wholeAtLeast", { min: 2 }), found: JSON.stringify(n) });
      } catch (e) {
        ctx.fail(e);
      }
      return undefined;
    }
    case "NamedType": {
      const e = ctx.lookup(t.name.name, t.name.span, ["domain", "type"]);
      if (e?.kind === "domain") {
        const s = resolveShape(ctx, e.decl.shape);
        return s && tensor(s, e.decl.name.name);
      }
      if (e?.kind === "type") {
        if (seen.includes(t.name.name)) {
          ctx.report("E0108", t.name.span, { what: phrase("theType", { name: t.name.name }) });
          return undefined;
        }
        return resolveType(ctx, e.decl.type, [...seen, t.name.name]);
      }
      return undefined;
    }
  }
}
