// A semantic diff of two checked specs (`ganc diff a.gan b.gan`): one short line per change,
// in a fixed order (params, states, domains, data, latents, networks, values, optimisers,
// schedule, run). Spans never count: two specs differing only in layout or comments diff empty.
import { OPTIMIZERS, PRIORS } from "../lang/index.js";
import { constEqual, fmtCount, fmtNum, printConst, printExpr, printLayerCall, printLr, printScheduleInline, printType } from "./print.js";
import type { Const, IrData, IrExpr, IrLatent, IrNetwork, IrNode, IrOptimizer, IrSchedStmt, IrSpec, IrValue } from "./types.js";

// ---------------------------------------------------------------- equality without spans

const NEVER = new Set(["span", "via"]);

/** Structural equality, ignoring spans (and `type` for expressions: a type follows from its parts). */
export function sameIgnoringSpans(a: unknown, b: unknown, ignore: ReadonlySet<string> = NEVER): boolean {
  if (a === b) return true;
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((x, i) => sameIgnoringSpans(x, bb[i], ignore));
  }
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = (o: Record<string, unknown>) => Object.keys(o).filter((k) => !ignore.has(k) && o[k] !== undefined);
  const ka = keys(ao);
  const kb = keys(bo);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(bo, k) && sameIgnoringSpans(ao[k], bo[k], ignore));
}

const EXPR_IGNORE = new Set(["span", "via", "type"]);
const sameExpr = (a: IrExpr, b: IrExpr) => sameIgnoringSpans(a, b, EXPR_IGNORE);

/** Pairs of a keyed union: a's entries in a's order, then entries only in b, in b's order. */
function pairs<T>(as: readonly T[], bs: readonly T[], key: (x: T) => string): [string, T | undefined, T | undefined][] {
  const bm = new Map(bs.map((x) => [key(x), x]));
  const am = new Map(as.map((x) => [key(x), x]));
  const out: [string, T | undefined, T | undefined][] = as.map((x) => [key(x), x, bm.get(key(x))]);
  for (const x of bs) if (!am.has(key(x))) out.push([key(x), undefined, x]);
  return out;
}

/** `k a -> b` for every key whose value differs (keys of b first, then keys only in a). */
function recordChanges(a: Record<string, Const>, b: Record<string, Const>): string[] {
  const out: string[] = [];
  for (const k of Object.keys(b)) {
    if (!(k in a)) out.push(`${k} ${printConst(b[k]!)} (new)`);
    else if (!constEqual(a[k]!, b[k]!)) out.push(`${k} ${printConst(a[k]!)} -> ${printConst(b[k]!)}`);
  }
  for (const k of Object.keys(a)) if (!(k in b)) out.push(`${k} ${printConst(a[k]!)} (dropped)`);
  return out;
}

// ---------------------------------------------------------------- declarations

function printData(d: IrData): string {
  const args = Object.entries(d.args).map(([k, v]) => `${k} = ${printConst(v)}`);
  return `${d.source}(${args.join(", ")})`;
}

function printLatent(l: IrLatent): string {
  if (l.prior === "concat") return `concat(${(l.parts ?? []).join(", ")})`;
  const parts: string[] = [];
  if (l.type.kind === "tensor") parts.push(l.type.shape.length === 1 ? fmtNum(l.type.shape[0]!) : printConst(l.type.shape));
  const params = PRIORS[l.prior].params;
  for (const [k, v] of Object.entries(l.args)) {
    const p = params.find((q) => q.name === k);
    if (p && p.default === undefined) parts.push(printConst(v)); // categorical(10)
    else if (!(p && p.default !== undefined && constEqual(p.default, v) && l.prior !== "uniform")) parts.push(`${k} = ${printConst(v)}`);
  }
  return `${l.prior}(${parts.join(", ")})`;
}

function diffDecls(a: IrSpec, b: IrSpec, out: string[]): void {
  for (const [name, x, y] of pairs(a.params, b.params, (p) => p.name)) {
    if (!x) out.push(`param ${name}: added (${printConst(y!.value)})`);
    else if (!y) out.push(`param ${name}: removed (was ${printConst(x.value)})`);
    else if (!constEqual(x.value, y.value)) out.push(`param ${name}: ${printConst(x.value)} -> ${printConst(y.value)}`);
  }
  for (const [name, x, y] of pairs(a.states, b.states, (s) => s.name)) {
    if (!x) out.push(`state ${name}: added (${fmtNum(y!.init)})`);
    else if (!y) out.push(`state ${name}: removed`);
    else if (!Object.is(x.init, y.init)) out.push(`state ${name}: init ${fmtNum(x.init)} -> ${fmtNum(y.init)}`);
  }
  for (const [name, x, y] of pairs(a.domains, b.domains, (d) => d.name)) {
    if (!x) out.push(`domain ${name}: added = ${printConst(y!.shape)}`);
    else if (!y) out.push(`domain ${name}: removed`);
    else if (!constEqual(x.shape, y.shape)) out.push(`domain ${name}: ${printConst(x.shape)} -> ${printConst(y.shape)}`);
  }
  for (const [name, x, y] of pairs(a.data, b.data, (d) => d.names.join(", "))) {
    const label = x?.names.length === 2 || y?.names.length === 2 ? `(${name})` : name;
    if (!x) out.push(`data ${label}: added = ${printData(y!)}`);
    else if (!y) out.push(`data ${label}: removed`);
    else if (x.source !== y.source) out.push(`data ${label}: ${printData(x)} -> ${printData(y)}`);
    else {
      const changes = recordChanges(x.args, y.args);
      if (changes.length) out.push(`data ${label}: ${changes.join(", ")}`);
      else if (!sameIgnoringSpans(x.types, y.types)) out.push(`data ${label}: type ${x.types.map(printType).join(", ")} -> ${y.types.map(printType).join(", ")}`);
    }
  }
  for (const [name, x, y] of pairs(a.latents, b.latents, (l) => l.name)) {
    if (!x) out.push(`latent ${name}: added = ${printLatent(y!)}`);
    else if (!y) out.push(`latent ${name}: removed`);
    else if (!sameIgnoringSpans(x, y)) out.push(`latent ${name}: ${printLatent(x)} -> ${printLatent(y)}`);
  }
}

// ---------------------------------------------------------------- networks

function nodeKey(n: IrNode): string {
  return n.op === "call" ? `call ${n.network ?? ""}` : n.op;
}

/** Longest common subsequence of two key lists: the aligned index pairs, in order. */
export function lcsAlign(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  // trim the common prefix and suffix: networks mostly differ in a few layers
  let lo = 0;
  while (lo < n && lo < m && a[lo] === b[lo]) lo++;
  let hiA = n;
  let hiB = m;
  while (hiA > lo && hiB > lo && a[hiA - 1] === b[hiB - 1]) {
    hiA--;
    hiB--;
  }
  const rows = hiA - lo;
  const cols = hiB - lo;
  const len = new Array<Uint32Array>(rows + 1);
  for (let i = 0; i <= rows; i++) len[i] = new Uint32Array(cols + 1);
  for (let i = rows - 1; i >= 0; i--)
    for (let j = cols - 1; j >= 0; j--)
      len[i]![j] = a[lo + i] === b[lo + j] ? len[i + 1]![j + 1]! + 1 : Math.max(len[i + 1]![j]!, len[i]![j + 1]!);
  const out: [number, number][] = [];
  for (let k = 0; k < lo; k++) out.push([k, k]);
  let i = 0;
  let j = 0;
  while (i < rows && j < cols) {
    if (a[lo + i] === b[lo + j]) {
      out.push([lo + i, lo + j]);
      i++;
      j++;
    } else if (len[i + 1]![j]! >= len[i]![j + 1]!) i++;
    else j++;
  }
  for (let k = 0; k < n - hiA; k++) out.push([hiA + k, hiB + k]);
  return out;
}

const shortLayer = (n: IrNode) => printLayerCall(n, { defaults: "changed" });

function signature(items: { name: string; type: import("./types.js").IrType }[]): string {
  return `(${items.map((i) => `${i.name}: ${printType(i.type)}`).join(", ")})`;
}

function outputsOf(net: IrNetwork): string {
  if (net.outputs.length === 1 && net.outputs[0]!.name === "out") return printType(net.outputs[0]!.type);
  return signature(net.outputs);
}

/** A layer list in one phrase: the layers themselves when few, else their count. */
function layerList(net: IrNetwork): string {
  return net.nodes.length <= 4 ? net.nodes.map(shortLayer).join(", ") : `${net.nodes.length} layers`;
}

function diffLayers(name: string, a: IrNetwork, b: IrNetwork, out: string[]): void {
  const aligned = lcsAlign(a.nodes.map(nodeKey), b.nodes.map(nodeKey));
  // nothing in common (a network rewritten as other networks applied in turn): one line, not one per layer
  if (aligned.length === 0 && a.nodes.length > 0 && b.nodes.length > 0 && a.nodes.length + b.nodes.length > 4) {
    out.push(`network ${name}: ${layerList(a)} -> ${layerList(b)}`);
    return;
  }
  // Walk the alignment: between two aligned layers, the unaligned ones of a and b are paired
  // in order as replacements (`batchnorm -> layernorm`); the rest are removed or added.
  type Edit = { k: "same" | "replace"; i: number; j: number } | { k: "removed"; i: number } | { k: "added"; j: number };
  const edits: Edit[] = [];
  let pi = 0;
  let pj = 0;
  for (const [i, j] of [...aligned, [a.nodes.length, b.nodes.length] as [number, number]]) {
    const paired = Math.min(i - pi, j - pj);
    for (let k = 0; k < paired; k++) edits.push({ k: "replace", i: pi + k, j: pj + k });
    for (let k = pi + paired; k < i; k++) edits.push({ k: "removed", i: k });
    for (let k = pj + paired; k < j; k++) edits.push({ k: "added", j: k });
    if (i < a.nodes.length) edits.push({ k: "same", i, j });
    pi = i + 1;
    pj = j + 1;
  }
  // node ids of a translated to b's (network inputs keep their names), to compare wiring
  const idMap = new Map<string, string>();
  for (const e of edits) if (e.k === "same" || e.k === "replace") idMap.set(a.nodes[e.i]!.id, b.nodes[e.j]!.id);
  const layer = (j: number) => `network ${name}: layer ${j + 1}`;
  for (const e of edits) {
    if (e.k === "removed") out.push(`${layer(e.i)} ${shortLayer(a.nodes[e.i]!)} removed`);
    else if (e.k === "added") out.push(`${layer(e.j)} ${shortLayer(b.nodes[e.j]!)} added`);
    else if (e.k === "replace") out.push(`${layer(e.j)} ${shortLayer(a.nodes[e.i]!)} -> ${shortLayer(b.nodes[e.j]!)}`);
    else {
      const x = a.nodes[e.i]!;
      const y = b.nodes[e.j]!;
      const changes = recordChanges(x.args, y.args);
      // the chain (input = the layer just before) is implied by the layers added and removed
      const prevA = a.nodes[e.i - 1]?.id;
      const prevB = b.nodes[e.j - 1]?.id;
      const norm = (ids: string[], prev: string | undefined, map: (id: string) => string) => ids.map((id) => (id === prev ? "^" : map(id)));
      const wiredA = norm(x.inputs, prevA, (id) => idMap.get(id) ?? id);
      const wiredB = norm(y.inputs, prevB, (id) => id);
      if (!sameIgnoringSpans(wiredA, wiredB)) changes.push(`inputs (${x.inputs.map((id) => idMap.get(id) ?? id).join(", ")}) -> (${y.inputs.join(", ")})`);
      if (changes.length) out.push(`${layer(e.j)} ${nodeKey(y)} ${changes.join(", ")}`);
    }
  }
}

function diffNetworks(a: IrSpec, b: IrSpec, out: string[]): void {
  for (const [name, x, y] of pairs(a.networks, b.networks, (n) => n.name)) {
    if (!x) {
      out.push(`network ${name}: added ${signature(y!.inputs)} -> ${outputsOf(y!)}, ${y!.nodes.length} layers, ${fmtCount(y!.paramCount)} params`);
      continue;
    }
    if (!y) {
      out.push(`network ${name}: removed`);
      continue;
    }
    if (sameIgnoringSpans(x, y)) continue;
    const before = out.length;
    if (!sameIgnoringSpans(x.inputs, y.inputs)) out.push(`network ${name}: inputs ${signature(x.inputs)} -> ${signature(y.inputs)}`);
    if (outputsOf(x) !== outputsOf(y)) out.push(`network ${name}: output${x.outputs.length > 1 || y.outputs.length > 1 ? "s" : ""} ${outputsOf(x)} -> ${outputsOf(y)}`);
    diffLayers(name, x, y, out);
    const tapNames = (n: IrNetwork) => n.taps.map((t) => t.name);
    for (const t of tapNames(y)) if (!tapNames(x).includes(t)) out.push(`network ${name}: tap ${t} added`);
    for (const t of tapNames(x)) if (!tapNames(y).includes(t)) out.push(`network ${name}: tap ${t} removed`);
    if (x.paramCount !== y.paramCount && out.length > before) out.push(`network ${name}: params ${fmtCount(x.paramCount)} -> ${fmtCount(y.paramCount)}`);
    // a change the lines above do not show (a tap moved, a head rewired): say so rather than nothing
    if (out.length === before) out.push(`network ${name}: wiring changed`);
  }
}

// ---------------------------------------------------------------- values

interface Term {
  sign: 1 | -1;
  expr: IrExpr;
}

/** The top-level additive terms of an expression: `a - b + c` is +a, -b, +c. */
function terms(e: IrExpr, sign: 1 | -1 = 1, out: Term[] = []): Term[] {
  if (e.k === "binary" && (e.op === "+" || e.op === "-")) {
    terms(e.left, sign, out);
    terms(e.right, e.op === "-" ? (-sign as 1 | -1) : sign, out);
  } else out.push({ sign, expr: e });
  return out;
}

function printTerm(t: Term): string {
  if (t.sign === 1) return printExpr(t.expr);
  const e = t.expr;
  return printExpr({ k: "neg", operand: e, type: e.type, span: e.span });
}

/** The terms of `xs` not matched by one of `ys` (a multiset difference, order kept). */
function missing(xs: Term[], ys: Term[]): Term[] {
  const left = [...ys];
  return xs.filter((x) => {
    const i = left.findIndex((y) => y.sign === x.sign && sameExpr(x.expr, y.expr));
    if (i < 0) return true;
    left.splice(i, 1);
    return false;
  });
}

function diffValue(x: IrValue, y: IrValue): string[] {
  const head = `${y.role} ${y.name}:`;
  if (x.role !== y.role) return [`${x.role} ${x.name}: now a ${y.role} = ${printExpr(y.expr)}`];
  if (sameExpr(x.expr, y.expr)) return [];
  const ta = terms(x.expr);
  const tb = terms(y.expr);
  const added = missing(tb, ta);
  const removed = missing(ta, tb);
  const common = tb.length - added.length;
  if (common > 0 && added.length + removed.length > 0) {
    return [...removed.map((t) => `${head} term removed: ${printTerm(t)}`), ...added.map((t) => `${head} term added: ${printTerm(t)}`)];
  }
  return [`${head} ${printExpr(x.expr)} -> ${printExpr(y.expr)}`];
}

function diffValues(a: IrSpec, b: IrSpec, out: string[]): void {
  for (const [name, x, y] of pairs(a.values, b.values, (v) => v.name)) {
    if (!x) out.push(`${y!.role} ${name}: added = ${printExpr(y!.expr)}`);
    else if (!y) out.push(`${x.role} ${name}: removed`);
    else out.push(...diffValue(x, y));
  }
}

// ---------------------------------------------------------------- optimisers

function nonDefaultSettings(o: IrOptimizer): string[] {
  const spec = OPTIMIZERS[o.kind].params;
  return Object.entries(o.settings)
    .filter(([k, v]) => {
      const p = spec.find((q) => q.name === k);
      return !(p && typeof p.default === "number" && Object.is(p.default, v));
    })
    .map(([k, v]) => `${k} = ${fmtNum(v)}`);
}

function printOptimizer(o: IrOptimizer): string {
  return `${o.kind}(${[`lr = ${printLr(o.lr)}`, ...nonDefaultSettings(o)].join(", ")})`;
}

function diffOptimizers(a: IrSpec, b: IrSpec, out: string[]): void {
  for (const [name, x, y] of pairs(a.optimizers, b.optimizers, (o) => o.network)) {
    if (!x) out.push(`optimizer ${name}: added = ${printOptimizer(y!)}`);
    else if (!y) out.push(`optimizer ${name}: removed`);
    else if (x.kind !== y.kind) out.push(`optimizer ${name}: ${printOptimizer(x)} -> ${printOptimizer(y)}`);
    else {
      const changes: string[] = [];
      if (!sameIgnoringSpans(x.lr, y.lr)) changes.push(`lr ${printLr(x.lr)} -> ${printLr(y.lr)}`);
      for (const c of recordChanges(x.settings, y.settings)) changes.push(c);
      if (changes.length) out.push(`optimizer ${name}: ${y.kind} ${changes.join(", ")}`);
    }
  }
}

// ---------------------------------------------------------------- schedule

/** Optimiser updates per network in one iteration (through `repeat` and `together`), in order of first use. */
export function updatesPerIteration(stmts: IrSchedStmt[], times = 1, out = new Map<string, number>()): Map<string, number> {
  for (const s of stmts) {
    if (s.k === "step") for (const n of s.networks) out.set(n, (out.get(n) ?? 0) + times);
    else if (s.k === "repeat") updatesPerIteration(s.body, times * s.count, out);
    else if (s.k === "together") updatesPerIteration(s.body, times, out);
  }
  return out;
}

/** The steps alone, repeats unwrapped and counts dropped: what remains when counts are explained. */
function stepShape(stmts: IrSchedStmt[]): unknown[] {
  return stmts.flatMap((s): unknown[] => {
    if (s.k === "step") return [{ step: s.networks, loss: s.loss, reuse: s.reuse }];
    if (s.k === "repeat") return stepShape(s.body);
    if (s.k === "together") return [{ together: stepShape(s.body) }];
    return [];
  });
}

/** clip_weights, ema and state updates, with how many times each runs per iteration. */
interface SideEffect {
  key: string;
  text: string;
  times: number;
  s: IrSchedStmt;
}

function sideEffects(stmts: IrSchedStmt[]): SideEffect[] {
  const out = collectSideEffects(stmts, 1, []);
  // a second `clip_weights D` pairs with the other spec's second one
  const seen = new Map<string, number>();
  return out.map((e) => {
    const n = (seen.get(e.key) ?? 0) + 1;
    seen.set(e.key, n);
    return n === 1 ? e : { ...e, key: `${e.key} #${n}` };
  });
}

function collectSideEffects(stmts: IrSchedStmt[], times: number, out: SideEffect[]): SideEffect[] {
  for (const s of stmts) {
    if (s.k === "repeat") collectSideEffects(s.body, times * s.count, out);
    else if (s.k === "together") collectSideEffects(s.body, times, out);
    else if (s.k === "clip_weights") out.push({ key: `clip_weights ${s.network}`, text: `clip_weights ${s.network} ${fmtNum(s.bound)}`, times, s });
    else if (s.k === "ema") out.push({ key: `ema ${s.network}`, text: `ema ${s.network} ${fmtNum(s.decay)}`, times, s });
    else if (s.k === "assign") out.push({ key: `${s.state} =`, text: `${s.state} = ${printExpr(s.expr)}`, times, s });
  }
  return out;
}

function diffSchedule(a: IrSchedStmt[], b: IrSchedStmt[], out: string[]): void {
  if (sameIgnoringSpans(a, b, EXPR_IGNORE)) return;
  const before = out.length;
  const ua = updatesPerIteration(a);
  const ub = updatesPerIteration(b);
  const nets = [...ua.keys(), ...[...ub.keys()].filter((n) => !ua.has(n))];
  const counts = (u: Map<string, number>) => nets.map((n) => u.get(n) ?? 0).join(":");
  if (counts(ua) !== counts(ub)) out.push(`schedule: ${nets.join(":")} updates per iteration ${counts(ua)} -> ${counts(ub)}`);

  const times = (t: number) => (t === 1 ? "" : ` (x${t})`);
  for (const [key, x, y] of pairs(sideEffects(a), sideEffects(b), (e) => e.key)) {
    if (!x) out.push(`schedule: ${y!.text}${times(y!.times)} added`);
    else if (!y) out.push(`schedule: ${x.text}${times(x.times)} removed`);
    else if (!sameIgnoringSpans(x.s, y.s, EXPR_IGNORE) || x.times !== y.times) {
      if (x.s.k === "assign" && y.s.k === "assign") out.push(`schedule: ${key} ${printExpr(x.s.expr)}${times(x.times)} -> ${printExpr(y.s.expr)}${times(y.times)}`);
      else out.push(`schedule: ${x.text}${times(x.times)} -> ${y.text.split(" ").pop()}${times(y.times)}`);
    }
  }
  // the steps themselves changed (a loss, reuse, `together`), or an order the lines above do not show
  if (!sameIgnoringSpans(stepShape(a), stepShape(b)) || out.length === before) {
    out.push(`schedule: { ${printScheduleInline(a)} } -> { ${printScheduleInline(b)} }`);
  }
}

// ---------------------------------------------------------------- the diff

/**
 * The changes from `a` to `b`, one line each. The spec names, source files and spans are not
 * compared; a layer inserted into a network is one line (layers are aligned by operation).
 */
export function diffIr(a: IrSpec, b: IrSpec): string[] {
  const out: string[] = [];
  diffDecls(a, b, out);
  diffNetworks(a, b, out);
  diffValues(a, b, out);
  diffOptimizers(a, b, out);
  diffSchedule(a.schedule, b.schedule, out);
  for (const k of Object.keys(b.run) as (keyof IrSpec["run"])[])
    if (!Object.is(a.run[k], b.run[k])) out.push(`run ${k}: ${fmtNum(a.run[k])} -> ${fmtNum(b.run[k])}`);
  return out;
}
