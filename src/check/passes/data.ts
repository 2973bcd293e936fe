// Pass 4: data sources and latent priors, checked against their catalog entries; the types of
// the batches they give.
import { phrase } from "../../diagnostics/index.js";
import type { IrData, IrLatent, IrType } from "../../ir/types.js";
import { CONSTANT_KINDS, DATA_SOURCES, has, isProblem, PRIORS, showType, tensor } from "../../lang/index.js";
import { argSpan, constArgs } from "../args.js";
import type { Context, DeclOf } from "../context.js";
import { resolveShape } from "../types-resolve.js";

function checkData(ctx: Context, d: DeclOf<"Data">): IrData[] {
  const source = d.source.callee.name;
  if (!has(DATA_SOURCES, source)) {
    ctx.unknown("E0601", source, d.source.callee.span, Object.keys(DATA_SOURCES), "data source", true);
    return [];
  }
  const entry = DATA_SOURCES[source];
  const args = constArgs(ctx, source, entry.params, d.source.args, d.source.span);
  if (!args.ok) return [];
  const out = entry.outputs(args.values);
  if (isProblem(out)) {
    ctx.reportProblem(out, argSpan(out.at, [], args.byName, d.source.span));
    return [];
  }
  const [first, last] = [d.bindings[0]!, d.bindings[d.bindings.length - 1]!];
  if (out.length !== d.bindings.length) {
    const name = first.name.name;
    const help = out.length === 2 ? phrase("bindTwo", { name }) : source === "mnist" ? phrase("bindLabels") : phrase("bindOne", { name });
    ctx.report("E0602", { file: first.span.file, start: first.span.start, end: last.span.end }, { source, outputs: out.length, bindings: d.bindings.length }, { help });
    return [];
  }
  const types = out.map((t, i): IrType => {
    const b = d.bindings[i]!;
    if (!b.domain) return t;
    const dom = ctx.lookup(b.domain.name, b.domain.span, ["domain"]);
    if (dom?.kind !== "domain") return t;
    const shape = resolveShape(ctx, dom.decl.shape);
    if (shape && (t.kind !== "tensor" || showType(tensor(shape)) !== showType(tensor(t.shape)))) {
      ctx.report("E0310", b.domain.span, { domain: b.domain.name, shape: showType(tensor(shape)), source, found: showType(t), name: b.name.name }, { notes: [{ message: phrase("domainDeclared", { name: b.domain.name }), span: dom.decl.span }] });
      return tensor(shape, b.domain.name); // check the rest of the spec against the declared domain
    }
    return t.kind === "tensor" ? tensor(t.shape, b.domain.name) : t;
  });
  d.bindings.forEach((b, i) => ctx.dataTypes.set(b.name.name, types[i]!));
  return [{ names: d.bindings.map((b) => b.name.name), types, source, args: args.values, span: d.span }];
}

function checkLatent(ctx: Context, d: DeclOf<"Latent">): IrLatent[] {
  const prior = d.value.callee.name;
  if (!has(PRIORS, prior)) {
    ctx.unknown("E0603", prior, d.value.callee.span, Object.keys(PRIORS), "latent prior", true);
    return [];
  }
  const entry = PRIORS[prior];
  const args = constArgs(ctx, prior, entry.params, d.value.args, d.value.span);
  const parts: string[] = [];
  const partTypes: IrType[] = [];
  let ok = args.ok;
  for (const p of entry.params.filter((q) => q.kind === "latent"))
    for (const e of args.refs[p.name] ?? []) {
      if (e.kind !== "Name") {
        ctx.report("E0214", e.span, { param: p.name, fn: prior, expected: phrase("aLatent") });
        ok = false;
        continue;
      }
      const t = ctx.lookup(e.name, e.span, ["latent"]) && ctx.latentTypes.get(e.name);
      if (!t) ok = false;
      else {
        parts.push(e.name);
        partTypes.push(t);
      }
    }
  if (!ok) return [];
  const type = entry.type(args.values, partTypes);
  if (isProblem(type)) {
    ctx.reportProblem(type, argSpan(type.at, args.refs.latents ?? [], args.byName, d.value.span));
    return [];
  }
  ctx.latentTypes.set(d.name.name, type);
  // the size is in the type, the latents joined in `parts`: `args` keeps the other constants
  const kept = Object.fromEntries(Object.entries(args.values).filter(([k]) => entry.params.some((p) => p.name === k && CONSTANT_KINDS.has(p.kind) && p.kind !== "shape")));
  return [{ name: d.name.name, prior, type, args: kept, ...(parts.length ? { parts } : {}), span: d.span }];
}

export function dataAndLatents(ctx: Context): void {
  ctx.ir.data = ctx.all("Data").flatMap((d) => ctx.within(d.bindings.map((b) => b.name.name), () => checkData(ctx, d)));
  ctx.ir.latents = ctx.all("Latent").flatMap((d) => ctx.within(d.name.name, () => checkLatent(ctx, d)));
}
