// Emitting the whole training module of a spec: params and run settings, data and latent
// draws, networks, one function per loss, one per schedule step, and the iteration.
import type { IrExpr, IrSchedStmt, IrSpec, IrValue } from "../ir/types.js";
import { children, forEachExpr } from "../ir/walk.js";
import { builtinEntry, DATA_SOURCES, LR_SCHEDULES, OPTIMIZERS, PRIORS, shapeOf } from "../lang/index.js";
import { ExprEmitter, keyOf } from "./emit-expr.js";
import { buildName, emitNetwork, hasWeights, statesRead } from "./emit-network.js";
import { camel, js, lineOf, type SpecLines } from "./names.js";

interface Ctx {
  ir: IrSpec;
  /**
   * The arguments each loss function (by name) takes before `draws`: `step, ` when it reads the
   * iteration number (history pools, `iteration`), then the step's draw id when it draws
   * randomness of its own (augmentations).
   */
  lossArgs: Map<string, { step: boolean; id: boolean }>;
  lines: SpecLines;
  values: Map<string, IrValue>;
  /** History pools by the structural key of their `history(...)` expression. */
  pools: Map<string, { ref: string; expr: Extract<IrExpr, { k: "builtin" }> }>;
  /** The lets and losses monitors and state updates read: the loss functions computing them return them. */
  read: Set<string>;
  /** Emit a check of every named value's run-time shape (`ganc run --check-shapes`). */
  checkShapes: boolean;
}

/** The lets and losses `name` computes (itself included), through lets. */
function valuesOf(ctx: Ctx, name: string, out = new Set<string>()): Set<string> {
  if (out.has(name)) return out;
  out.add(name);
  forEachExpr(ctx.values.get(name)!.expr, (x) => void (x.k === "value" && valuesOf(ctx, x.name, out)));
  return out;
}

/** The values monitors and state updates read (they read them from what the steps computed): `real`, or `real.source` of a multi-output let. */
function readByMonitors(ir: IrSpec): Set<string> {
  const out = new Set<string>();
  const visit = (e: IrExpr): void => {
    if (e.k === "member" && e.object.k === "value") out.add(`${e.object.name}.${e.name}`);
    else if (e.k === "value") out.add(e.name);
    else children(e).forEach(visit);
  };
  const assigns = (ss: IrSchedStmt[]): void => ss.forEach((s) => (s.k === "assign" ? visit(s.expr) : s.k === "repeat" || s.k === "together" ? assigns(s.body) : undefined));
  assigns(ir.schedule);
  for (const v of ir.values) if (v.role === "monitor") visit(v.expr);
  return out;
}

/** Data and latent names an expression draws from (through lets). */
function drawsOf(ctx: Ctx, e: IrExpr, out = new Set<string>(), seen = new Set<string>()): Set<string> {
  forEachExpr(e, (x) => {
    if (x.k === "data") out.add(x.name);
    else if (x.k === "latent") {
      out.add(x.name);
      ctx.ir.latents.find((l) => l.name === x.name)?.parts?.forEach((p) => out.add(p));
    } else if (x.k === "value" && !seen.has(x.name)) {
      seen.add(x.name);
      drawsOf(ctx, ctx.values.get(x.name)!.expr, out, seen);
    }
  });
  return out;
}

function comment(ctx: Ctx, span: IrSpec["values"][number]["span"]): string {
  const at = lineOf(ctx.lines, span);
  return `${at.where}: ${at.text}`;
}

function emitter(ctx: Ctx, used: Set<string>, reserved: string[]): ExprEmitter {
  const em = new ExprEmitter(
    ctx.ir,
    ctx.values,
    ctx.lines,
    (e) => {
      if (e.k === "param") return { code: `params.${e.name}`, num: true };
      if (e.k === "state") return { code: `m.state.${e.name}`, num: false };
      used.add(e.name);
      return { code: js(e.name), num: false };
    },
    reserved,
    (e) => ctx.pools.get(keyOf(e, ctx.values))!.ref,
  );
  em.checkShapes = ctx.checkShapes;
  return em;
}

/** `function dLoss(m, step, id, draws)`: a loss (or, for a `together` block, all of its losses) and every scalar computed on the way. */
function emitLoss(ctx: Ctx, losses: IrValue[], fn: string): string {
  const used = new Set<string>();
  const em = emitter(ctx, used, ["m", "step", "draws", ...ctx.ir.data.flatMap((d) => d.names), ...ctx.ir.latents.map((l) => l.name)]);
  for (const loss of losses) {
    const code = em.emit({ k: "value", name: loss.name, type: loss.type, span: loss.span });
    // A loss equal to a value an earlier loss computed (g_loss = loss_fake) is named too.
    if (!em.computed.includes(loss.name)) {
      em.statements.push(`const ${js(loss.name)} = ${em.tensor(code)}; // ${lineOf(ctx.lines, loss.span).where}`);
      em.computed.push(loss.name);
    }
  }
  // Lets (tensors too) that monitors and state updates read, when these losses compute them: returned
  // with the scalars, computed here once (they were, unless only inside a gradient's closure).
  const reported = em.computed.map((c) => (js(c) === c ? c : `${c}: ${js(c)}`));
  const computes = new Set(losses.flatMap((l) => [...valuesOf(ctx, l.name)]));
  for (const read of [...ctx.read].sort()) {
    const [name, output] = read.split(".") as [string, string | undefined];
    if (!computes.has(name) || em.computed.includes(read)) continue;
    const v = ctx.values.get(name)!;
    const value: IrExpr = { k: "value", name, type: v.type, span: v.span };
    const type = v.type.kind === "outputs" && output ? v.type.outputs[output]! : v.type;
    const code = em.tensor(em.emit(output ? { k: "member", object: value, name: output, type, span: v.span } : value));
    reported.push(output ? `${JSON.stringify(read)}: ${code}` : code === read ? read : `${read}: ${code}`);
  }
  ctx.lossArgs.set(fn, { step: em.usesStep, id: em.usesDrawId });
  const names = [...used].sort();
  const what = losses.map((l) => `${l.name} (${comment(ctx, l.span)})`).join(" and ");
  return [
    `/** ${losses.length > 1 ? "Losses" : "Loss"} ${what} and the scalars computed on the way${losses.length > 1 ? ", from one forward pass" : ""}. */`,
    `function ${fn}(m: Model, ${em.usesStep ? "step: number, " : ""}${em.usesDrawId ? "id: string, " : ""}draws: Draws): Values {`,
    names.length ? `const { ${names.map(js).join(", ")} } = draws;` : "",
    ...em.statements,
    `return { ${reported.join(", ")} };`,
    `}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** The steps of a `together` block, and the name of the function computing all their losses. */
function togetherSteps(s: Extract<IrSchedStmt, { k: "together" }>): { steps: Extract<IrSchedStmt, { k: "step" }>[]; fn: string } {
  const steps = s.body.filter((b): b is Extract<IrSchedStmt, { k: "step" }> => b.k === "step");
  return { steps, fn: camel(steps.map((b) => b.loss).join("_and_")) };
}

/** The trainable variables of a step's networks (including networks they use). */
function varsOf(nets: string[]): string {
  return nets.length === 1 ? `m.vars.${nets[0]}` : `[${nets.map((n) => `...m.vars.${n}`).join(", ")}]`;
}


function emitSchedule(ctx: Ctx, stmts: IrSchedStmt[], drawId: string[], out: string[], counter: { n: number; loops: number }): void {
  for (const s of stmts) {
    const id = () => (drawId.length ? `\`s${++counter.n}.${drawId.map((v) => `\${${v}}`).join(".")}\`` : `"s${++counter.n}"`);
    const note = `// ${comment(ctx, s.span)}`;
    switch (s.k) {
      case "step": {
        const needed = [...drawsOf(ctx, ctx.values.get(s.loss)!.expr)].sort();
        const reuse = needed.filter((n) => s.reuse.includes(n));
        const drawn = id();
        out.push(`draws = draw(m, run.batch, step, ${drawn}, ${JSON.stringify(needed)}${reuse.length ? `, draws, ${JSON.stringify(reuse)}` : ""}); ${note}`);
        out.push(`rt.steps.applyGradients(m.optimizers, ${stepGradients(ctx, s, drawn)}, m.vars);`);
        break;
      }
      case "together": {
        const { steps, fn } = togetherSteps(s);
        const needed = [...new Set(steps.flatMap((b) => [...drawsOf(ctx, ctx.values.get(b.loss)!.expr)]))].sort();
        out.push(`${note} (one draw and one forward pass; all gradients from the same weights, then all updates)`);
        const drawn = id();
        out.push(`draws = draw(m, run.batch, step, ${drawn}, ${JSON.stringify(needed)});`);
        const targets = steps.map((b) => `[${JSON.stringify(b.loss)}, ${varsOf(b.networks)}]`);
        out.push(...steps.map((b) => `// ${comment(ctx, b.span)}`));
        out.push(`const [${steps.map((_, i) => `grads${i + 1}`).join(", ")}] = rt.steps.gradientsTogether(() => ${fn}(m, ${lossArgs(ctx, fn, drawn)}draws), [${targets.join(", ")}], values);`);
        steps.forEach((_, i) => out.push(`rt.steps.applyGradients(m.optimizers, grads${i + 1}, m.vars);`));
        break;
      }
      case "repeat": {
        const v = `i${++counter.loops}`;
        out.push(note, `for (let ${v} = 0; ${v} < ${s.count}; ${v}++) {`);
        emitSchedule(ctx, s.body, [...drawId, v], out, counter);
        out.push("}");
        break;
      }
      case "clip_weights":
        out.push(`rt.steps.clipWeights(m.vars.${s.network}, ${s.bound}); ${note}`);
        break;
      case "ema":
        out.push(`m.ema.${s.network}.update(); ${note}`);
        break;
      case "assign": {
        const em = emitter(ctx, new Set(), ["m", "step", "draws", "values"]);
        em.fromValues = true;
        em.drawId = JSON.stringify(`state.${s.state}`);
        const v = em.tensor(em.emit(s.expr));
        const at = lineOf(ctx.lines, s.span);
        out.push(...em.statements, ...em.shapeCheck(v, s.expr.type, `the update of state \`${s.state}\` (${at.where}: ${at.text})`));
        out.push(`m.state.${s.state}.assign(${v}); ${note}`);
        break;
      }
    }
  }
}

/** The arguments of a loss function's call before `draws` (see `Ctx.lossArgs`). */
function lossArgs(ctx: Ctx, fn: string, drawn: string): string {
  const uses = ctx.lossArgs.get(fn);
  return `${uses?.step ? "step, " : ""}${uses?.id ? `${drawn}, ` : ""}`;
}

function stepGradients(ctx: Ctx, s: Extract<IrSchedStmt, { k: "step" }>, drawn: string): string {
  return `rt.steps.gradients(() => ${camel(s.loss)}(m, ${lossArgs(ctx, camel(s.loss), drawn)}draws), ${JSON.stringify(s.loss)}, ${varsOf(s.networks)}, values)`;
}

export function emitModule(ir: IrSpec, lines: SpecLines, options: { checkShapes?: boolean } = {}): string {
  const values = new Map(ir.values.map((v) => [v.name, v]));
  const ctx: Ctx = { ir, lines, values, pools: new Map(), lossArgs: new Map(), read: readByMonitors(ir), checkShapes: options.checkShapes ?? false };
  collectPools(ctx);
  const main = ir.files[ir.files.length - 1]!;
  const out: string[] = [];
  out.push(`// Generated by ganc from ${lines.display(main)}. Do not edit: change the spec and run \`ganc build\`.`);
  out.push(`import * as tf from "@tensorflow/tfjs";`);
  out.push(`import * as rt from "ganc/runtime";`);
  out.push("");
  out.push(`/** The spec's params (\`ganc run --set name=value\` rebuilds with other values). */`);
  out.push(`export const params = { ${ir.params.map((p) => `${p.name}: ${JSON.stringify(p.value)}`).join(", ")} } as const;`);
  out.push("");
  out.push(`/** Run settings. */`);
  out.push(`export const run: rt.RunSettings = ${JSON.stringify(ir.run)};`);
  out.push("");
  // networks, dependencies first
  const order = topoNetworks(ir);
  out.push(`type Apply = (...inputs: tf.Tensor[]) => Outputs;`);
  out.push(`type Outputs = Record<string, tf.Tensor>;`);
  out.push(`type Draws = Record<string, tf.Tensor>;`);
  out.push(`type Values = Record<string, tf.Tensor>;`);
  out.push("");
  for (const n of order) {
    out.push(emitNetwork(n, lines));
    out.push("");
  }
  out.push(emitModelType(ctx));
  out.push("");
  out.push(emitCreate(ctx, order.map((n) => n.name)));
  out.push("");
  out.push(emitDraw(ctx));
  out.push("");
  const stepped = new Set<string>();
  const together: Extract<IrSchedStmt, { k: "together" }>[] = [];
  const collect = (ss: IrSchedStmt[]) => ss.forEach((s) => (s.k === "step" ? stepped.add(s.loss) : s.k === "together" ? together.push(s) : s.k === "repeat" ? collect(s.body) : undefined));
  collect(ir.schedule);
  for (const v of ir.values) if (v.role === "loss" && stepped.has(v.name)) out.push(emitLoss(ctx, [v], camel(v.name)), "");
  for (const { steps, fn } of new Map(together.map(togetherSteps).map((g) => [g.fn, g])).values()) {
    out.push(emitLoss(ctx, steps.map((b) => ctx.values.get(b.loss)!), fn), "");
  }
  const iterationCode = emitIteration(ctx);
  out.push(iterationCode);
  out.push("");
  const sample = emitSample(ctx);
  if (sample) out.push(sample, "");
  out.push(`/** The program ganc's runtime trains. */`);
  out.push(`export const program: rt.Program<Model> = { name: ${JSON.stringify(ir.name)}, run, params, create, iteration${sample ? ", sample" : ""} };`);
  return out.join("\n");
}

function topoNetworks(ir: IrSpec) {
  const byName = new Map(ir.networks.map((n) => [n.name, n]));
  const done = new Set<string>();
  const order: IrSpec["networks"] = [];
  const visit = (name: string) => {
    if (done.has(name)) return;
    done.add(name);
    const n = byName.get(name)!;
    n.uses.forEach(visit);
    order.push(n);
  };
  ir.networks.forEach((n) => visit(n.name));
  return order;
}

function emitModelType(ctx: Ctx): string {
  const { ir } = ctx;
  const nets = ir.networks.map((n) => `${n.name}: Apply`).join("; ");
  const opts = ir.optimizers.map((o) => `${o.network}: tf.Optimizer`).join("; ");
  const states = ir.states.map((s) => `${s.name}: tf.Variable`).join("; ");
  const emas = emaStatements(ir.schedule).map((s) => s.network);
  return [
    `/** Everything a training run holds: networks, their variables and optimisers, state, data. */`,
    `export interface Model extends rt.ModelBase {`,
    `nets: { ${nets} };`,
    `vars: Record<${ir.networks.map((n) => JSON.stringify(n.name)).join(" | ")}, tf.Variable[]>;`,
    `optimizers: { ${opts} };`,
    `state: { ${states} };`,
    ctx.pools.size ? `pools: rt.HistoryPool[];` : "",
    emas.length ? `ema: { ${emas.map((n) => `${n}: rt.steps.Ema`).join("; ")} };` : "",
    `}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** The `ema` statements of the schedule. */
function emaStatements(stmts: IrSchedStmt[]): Extract<IrSchedStmt, { k: "ema" }>[] {
  return stmts.flatMap((s) => (s.k === "ema" ? [s] : s.k === "repeat" || s.k === "together" ? emaStatements(s.body) : []));
}

/** One pool per distinct call of a builtin that keeps one (`history(...)`), in order of appearance. */
function collectPools(ctx: Ctx): void {
  for (const v of ctx.ir.values)
    forEachExpr(v.expr, (e) => {
      if (e.k !== "builtin" || !builtinEntry(e.fn)?.emit.pool) return;
      const k = keyOf(e, ctx.values);
      if (!ctx.pools.has(k)) ctx.pools.set(k, { ref: `m.pools[${ctx.pools.size}]!`, expr: e });
    });
}

function emitCreate(ctx: Ctx, order: string[]): string {
  const { ir } = ctx;
  const builds = order.map((name) => {
    const n = ir.networks.find((x) => x.name === name)!;
    const args = [hasWeights(n) ? "store" : "", n.uses.length ? `{ ${n.uses.map(js).join(", ")} }` : "", statesRead(n).length ? "m_state" : ""].filter(Boolean).join(", ");
    return `const ${js(name)} = ${buildName(name)}(${args});`;
  });
  const closure = (name: string, seen = new Set<string>()): string[] => {
    if (seen.has(name)) return [];
    seen.add(name);
    return [name, ...ir.networks.find((x) => x.name === name)!.uses.flatMap((u) => closure(u, seen))];
  };
  const vars = ir.networks.map((n) => {
    const prefixes = closure(n.name).map((p) => `store.trainable(${JSON.stringify(`${p}/`)})`);
    return `${n.name}: ${prefixes.length === 1 ? prefixes[0] : `[${prefixes.map((p) => `...${p}`).join(", ")}]`},`;
  });
  const optimizers = ir.optimizers.map((o) => `${o.network}: ${OPTIMIZERS[o.kind].emit.create(o.lr.value, o.settings)}, // ${comment(ctx, o.span)}`);
  const states = ir.states.map((s) => `${s.name}: store.variable(${JSON.stringify(`state/${s.name}`)}, [], { constant: ${s.init} }, { trainable: false }), // ${comment(ctx, s.span)}`);
  // networks that read a state (progressive growing's fade) get the variables when built
  const stateFirst = ir.networks.some((n) => statesRead(n).length > 0);
  const stateBlock = `{${states.length ? `\n${states.join("\n")}\n` : ""}}`;
  const data = ir.data.map((d) => `${js(d.names[0]!)}: ${DATA_SOURCES[d.source]!.emit.open(d.source, d.args)}, // ${comment(ctx, d.span)}`);
  const pools = [...ctx.pools.values()].map(({ expr: e }, i) => `${builtinEntry(e.fn)!.emit.pool!(e.options, `${e.fn}/${i}`)}, // ${comment(ctx, e.span)}`);
  const emas = emaStatements(ir.schedule).map((s) => `${s.network}: new rt.steps.Ema(store, m_vars.${s.network}, ${s.decay}), // ${comment(ctx, s.span)}`);
  return [
    `/** Builds a run's networks (weights from the seed), optimisers, state and data sources. */`,
    `export function create(options: rt.CreateOptions): Model {`,
    `const store = options.store;`,
    ...(stateFirst ? [`const m_state: Model["state"] = ${stateBlock};`] : []),
    ...builds,
    `const m_vars: Model["vars"] = {\n${vars.join("\n")}\n};`,
    `return {`,
    `seed: options.seed,`,
    `store,`,
    `nets: { ${order.map(js).join(", ")} },`,
    `vars: m_vars,`,
    `optimizers: {\n${optimizers.join("\n")}\n},`,
    `state: ${stateFirst ? "m_state" : stateBlock},`,
    `data: {\n${data.join("\n")}\n},`,
    pools.length ? `pools: [\n${pools.join("\n")}\n],` : "",
    emas.length ? `ema: {\n${emas.join("\n")}\n},` : "",
    `};`,
    `}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** Whether any step reuses the previous step's draws. */
function anyReuse(stmts: IrSchedStmt[]): boolean {
  return stmts.some((s) => (s.k === "step" && s.reuse.length > 0) || ((s.k === "repeat" || s.k === "together") && anyReuse(s.body)));
}

function emitDraw(ctx: Ctx): string {
  const { ir } = ctx;
  const reuses = anyReuse(ir.schedule);
  const lines: string[] = [];
  for (const d of ir.data) {
    const cond = d.names.map((n) => `want(${JSON.stringify(n)})`).join(" || ");
    const targets = d.names.length === 1 ? `[d.${d.names[0]}]` : `[${d.names.map((n) => `d.${n}`).join(", ")}]`;
    lines.push(`if (${cond}) ${targets} = m.data.${js(d.names[0]!)}.batch(n, step, \`${d.names.join("+")}/\${id}\`); // ${comment(ctx, d.span)}`);
  }
  for (const l of ir.latents) {
    const shape = l.type.kind === "tensor" ? `[n, ${l.type.shape.join(", ")}]` : "";
    const stream = `m.seed, step, \`${l.name}/\${id}\``;
    const parts = (l.parts ?? []).map((p) => ({ name: p, type: ir.latents.find((x) => x.name === p)!.type }));
    const code = PRIORS[l.prior].emit.draw({ latent: l, shape, stream, parts });
    lines.push(`if (want(${JSON.stringify(l.name)})) d.${l.name} = ${code}; // ${comment(ctx, l.span)}`);
  }
  return [
    `/**`,
    ` * Draws a batch of n for each named real batch and latent, from (seed, step, stream id):`,
    ` * every step gets fresh draws${reuses ? ", except the names it reuses from the previous step" : ""}.`,
    ` */`,
    ...(reuses
      ? [
          `function draw(m: Model, n: number, step: number, id: string, names: string[], prev: Draws = {}, reuse: string[] = []): Draws {`,
          `const d: Draws = {};`,
          `for (const name of reuse) d[name] = prev[name]!;`,
          `const want = (name: string) => names.includes(name) && !(name in d);`,
        ]
      : [
          `function draw(m: Model, n: number, step: number, id: string, names: string[]): Draws {`,
          `const d: Draws = {};`,
          `const want = (name: string) => names.includes(name);`,
        ]),
    ...lines,
    `return d;`,
    `}`,
  ].join("\n");
}

function emitIteration(ctx: Ctx): string {
  const { ir } = ctx;
  const body: string[] = [];
  for (const o of ir.optimizers) {
    const { kind, ...lr } = o.lr;
    if (kind !== "constant") body.push(`${LR_SCHEDULES[kind].emit.update(`m.optimizers.${o.network}`, lr)} // ${comment(ctx, o.span)}`);
  }
  emitSchedule(ctx, ir.schedule, [], body, { n: 0, loops: 0 });
  for (const mon of ir.values.filter((v) => v.role === "monitor")) {
    const em = emitter(ctx, new Set(), ["m", "step", "draws", "values"]);
    em.fromValues = true;
    em.drawId = JSON.stringify(`monitor.${mon.name}`);
    const v = em.tensor(em.emit(mon.expr));
    const at = lineOf(ctx.lines, mon.span);
    body.push(...em.statements, `values.${mon.name} = ${v}; // ${comment(ctx, mon.span)}`, ...em.shapeCheck(`values.${mon.name}`, mon.type, `monitor \`${mon.name}\` (${at.where}: ${at.text})`));
  }
  const logged = [...ir.values.filter((v) => v.role === "loss" || v.role === "monitor").map((v) => v.name)];
  return [
    `/** One iteration of the schedule; returns the losses, monitors and states to log. */`,
    `export function iteration(m: Model, step: number): Record<string, tf.Scalar> {`,
    `return tf.tidy(() => {`,
    `const values: Values = {};`,
    `let draws: Draws;`,
    ...body,
    `return rt.steps.logged(values, ${JSON.stringify(logged)}, m.state);`,
    `});`,
    `}`,
  ].join("\n");
}

/** `G(z)`, `G(z, c)`, `D(x).feat`: the generator call as written. */
function generatorCall(g: NonNullable<IrSpec["roles"]["generator"]>): string {
  const call = `${g.network}(${g.inputs.map((i) => i.name).join(", ")})`;
  return g.output === "out" ? call : `${call}.${g.output}`;
}

/** `sample(m, n)`: the generator the IR's roles name, on a fixed draw. */
function emitSample(ctx: Ctx): string {
  const { ir } = ctx;
  const g = ir.roles.generator;
  if (!g) return "";
  const drawn = new Set<string>();
  for (const i of g.inputs) {
    drawn.add(i.name);
    ir.latents.find((l) => l.name === i.name)?.parts?.forEach((p) => drawn.add(p));
  }
  const names = [...drawn].sort();
  const args = g.inputs.map((i) => `draws.${i.name}!`).join(", ");
  const net = ir.networks.find((n) => n.name === g.network)!;
  const outType = net.outputs.find((o) => o.name === g.output)!.type;
  const source = ir.roles.translation?.source;
  const inType = source === undefined ? undefined : ir.data.flatMap((d) => d.types.filter((_, i) => d.names[i] === source))[0];
  const output = `m.nets.${g.network}(${args}).${g.output}!`;
  // The input is shown beside the output: resized (nearest) to the output's size when they
  // differ (super-resolution), and left out when the channels differ.
  const inShape = inType ? shapeOf(inType) : [];
  const outShape = shapeOf(outType);
  const sameChannels = inShape.length === 3 && outShape.length === 3 && inShape[2] === outShape[2];
  const resized = inShape[0] !== outShape[0] || inShape[1] !== outShape[1];
  const input = source !== undefined ? (resized ? `tf.image.resizeNearestNeighbor(draws.${source}! as tf.Tensor4D, [${outShape[0]}, ${outShape[1]}])` : `draws.${source}!`) : "";
  const result = source !== undefined && sameChannels ? `tf.concat([${input}, ${output}], 2)` : output;
  return [
    `/** ${generatorCall(g)} on a fixed draw, for the sample grid${source !== undefined && sameChannels ? ` (input${resized ? ", resized," : ""} and output side by side)` : ""}. */`,
    `export function sample(m: Model, n: number): tf.Tensor {`,
    `return tf.tidy(() => {`,
    `const draws = draw(m, n, 0, "samples", ${JSON.stringify(names)});`,
    `return ${result};`,
    `});`,
    `}`,
  ].join("\n");
}
