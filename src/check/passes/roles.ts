// Pass 10: what the spec's parts are for (the IR's `roles`), decided from the schedule, the
// losses and the types, so that `ganc sample`, `ganc eval` and the generated `sample` read it
// instead of guessing:
// - the generator is the first call, among the lets and losses, of a network some step trains,
//   applied to latents and real data only, whose output has the type of real data;
// - a categorical latent it reads is a `class` when a real label batch takes its place somewhere
//   (the same network input, or the same argument of a function of the same network output:
//   cgan's D(x, label) and D(G(z, c), c); acgan's cross_entropy of D(...).class against label and
//   against c); a latent is a `code` when a function compares it with a value computed from the
//   generator's output (InfoGAN's cross_entropy(Q(G(code)).c, c)); the rest is `noise`;
// - a generator applied to real data translates it: its target is real data of its output type
//   (preferably the other half of the same paired source), its inverse a network applied to its
//   output that gives back the source's type.
import type { IrData, IrExpr, IrLatent, IrRoles, IrSchedStmt, IrType, IrValue } from "../../ir/types.js";
import { forEachExpr } from "../../ir/walk.js";
import { sameShape } from "../../lang/index.js";
import type { Context } from "../context.js";

type Call = Extract<IrExpr, { k: "call" }>;

interface Parts {
  data: IrData[];
  latents: IrLatent[];
  values: IrValue[];
  schedule: IrSchedStmt[];
}

/** Same shape, and the same domain when both have one. */
function fits(t: IrType | undefined, want: IrType): boolean {
  return t?.kind === "tensor" && want.kind === "tensor" && sameShape(t.shape, want.shape) && (!t.domain || !want.domain || t.domain === want.domain);
}

function trainedNetworks(stmts: IrSchedStmt[], out = new Set<string>()): Set<string> {
  for (const s of stmts) {
    if (s.k === "step") s.networks.forEach((n) => out.add(n));
    else if (s.k === "repeat" || s.k === "together") trainedNetworks(s.body, out);
  }
  return out;
}

const isDraw = (e: IrExpr): e is Extract<IrExpr, { k: "latent" | "data" }> => e.k === "latent" || e.k === "data";

function findGenerator(p: Parts): Call | undefined {
  const trained = trainedNetworks(p.schedule);
  const real = p.data.flatMap((d) => d.types);
  for (const v of p.values) {
    let found: Call | undefined;
    forEachExpr(v.expr, (e) => {
      if (!found && e.k === "call" && trained.has(e.network) && e.args.every(isDraw) && real.some((t) => fits(e.type, t))) found = e;
    });
    if (found) return found;
  }
  return undefined;
}

/** Reads through lets: the expression a value names. */
function resolve(p: Parts, e: IrExpr): IrExpr {
  for (let i = 0; i < 16 && e.k === "value"; i++) e = p.values.find((v) => v.name === (e as { name: string }).name)?.expr ?? e;
  return e;
}

/** The network output an expression is (through lets and `.name`): `D.class`. */
function producer(p: Parts, e: IrExpr): string | undefined {
  const x = resolve(p, e);
  if (x.k === "call") return `${x.network}.${x.output ?? ""}`;
  if (x.k === "member" && x.object.type.kind === "outputs") return `${x.object.type.network}.${x.name}`;
  return undefined;
}

/** Whether `e` (through lets) calls `network`. */
function calls(p: Parts, e: IrExpr, network: string, seen = new Set<string>()): boolean {
  let found = false;
  forEachExpr(e, (x) => {
    if (x.k === "call" && x.network === network) found = true;
    if (x.k === "value" && !seen.has(x.name)) {
      seen.add(x.name);
      const v = p.values.find((y) => y.name === x.name);
      if (v && calls(p, v.expr, network, seen)) found = true;
    }
  });
  return found;
}

/**
 * The places latents and real batches are used in: a network's input i (`D#1`), or argument i of
 * a function of some network outputs (`cross_entropy#1(D.class)`).
 */
function slots(p: Parts): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (slot: string, name: string) => out.set(slot, (out.get(slot) ?? new Set()).add(name));
  for (const v of p.values)
    forEachExpr(v.expr, (e) => {
      if (e.k === "call") e.args.forEach((a, i) => isDraw(a) && add(`${e.network}#${i}`, a.name));
      if (e.k === "builtin")
        e.args.forEach((a, i) => {
          if (!isDraw(a)) return;
          const others = e.args.flatMap((b, j) => (j === i ? [] : [producer(p, b) ?? "?"]));
          add(`${e.fn}#${i}(${others.join(",")})`, a.name);
        });
    });
  return out;
}

function latentRoles(p: Parts, g: Call): IrRoles["latents"] {
  const read = new Set<string>();
  const add = (name: string) => {
    const l = p.latents.find((x) => x.name === name);
    if (!l || read.has(name)) return;
    read.add(name);
    l.parts?.forEach(add);
  };
  g.args.forEach((a) => a.k === "latent" && add(a.name));
  const labels = new Set(p.data.flatMap((d) => d.names.filter((_, i) => d.types[i]!.kind === "label")));
  const places = [...slots(p).values()];
  const recovered = (name: string) =>
    p.values.some((v) => {
      let found = false;
      forEachExpr(v.expr, (e) => {
        if (e.k !== "builtin" || !e.args.some((a) => a.k === "latent" && a.name === name)) return;
        if (e.args.some((a) => !(a.k === "latent" && a.name === name) && calls(p, a, g.network))) found = true;
      });
      return found;
    });
  return p.latents
    .filter((l) => read.has(l.name) && !l.parts)
    .map((l) => {
      const isClass = l.type.kind === "label" && places.some((s) => s.has(l.name) && [...s].some((n) => labels.has(n)));
      return { name: l.name, role: isClass ? "class" : recovered(l.name) ? "code" : "noise" };
    });
}

function translation(p: Parts, g: Call): IrRoles["translation"] {
  const arg = g.args.find((a) => a.k === "data") as { name: string; type: IrType } | undefined;
  if (!arg) return undefined;
  const decl = p.data.find((d) => d.names.includes(arg.name))!;
  const other = decl.names.length === 2 ? decl.names.findIndex((n) => n !== arg.name) : -1;
  const paired = other >= 0 && fits(decl.types[other], g.type) ? decl.names[other] : undefined;
  const unpaired = p.data.flatMap((d) => (d === decl ? [] : d.names.filter((_, i) => fits(d.types[i], g.type))))[0];
  const target = paired ?? unpaired;
  let inverse: string | undefined;
  for (const v of p.values)
    forEachExpr(v.expr, (e) => {
      if (inverse || e.k !== "call" || e.args.length !== 1 || !fits(e.type, arg.type)) return;
      const inner = resolve(p, e.args[0]!);
      if (inner.k === "call" && inner.network === g.network && inner.args.every((a, i) => isDraw(a) && a.name === (g.args[i] as { name: string }).name)) inverse = e.network;
    });
  return { source: arg.name, ...(target ? { target } : {}), paired: paired !== undefined, ...(inverse ? { inverse } : {}) };
}

/** The roles of a checked spec's parts. */
export function decideRoles(p: Parts): IrRoles {
  const g = findGenerator(p);
  if (!g) return { latents: [] };
  const t = translation(p, g);
  return {
    generator: { network: g.network, output: g.output ?? "out", inputs: g.args.map((a) => ({ kind: a.k as "latent" | "data", name: (a as { name: string }).name })) },
    latents: latentRoles(p, g),
    ...(t ? { translation: t } : {}),
  };
}

export function roles(ctx: Context): void {
  const { data = [], latents = [], values = [], schedule = [] } = ctx.ir;
  ctx.ir.roles = decideRoles({ data, latents, values, schedule });
}
