// Random well-typed specs for the generative soundness test: a G and a D made of random layer
// chains (dense on toy 2-D data, convolutions on MNIST-sized images, D's output a vector, a
// [2, 2] matrix or a [7, 7, 1] patch map), lets over them mixing per-sample values of different
// ranks and per-batch scalars (reductions, norm, grad, min/max, comparison losses), losses that
// compute every let, monitors and a state update reading them, in a random schedule. Types are
// tracked here so that what is generated checks; the real checker decides.

import { prng } from "../fuzz/engine.mjs";

/** mulberry32, the fuzzer's seeded generator: the same numbers on every machine. */
export const rng: (seed: number) => () => number = prng;

/** A per-sample type shape, or "scalar" (one number for the batch). */
export type VType = number[] | "scalar";

interface Val {
  code: string;
  type: VType;
  /** The names of the batch values it is computed from (for `grad`). */
  deps: Set<string>;
  /**
   * How deeply `grad`s nest in it (absent: none). At most 2: the reference's finite differences
   * of finite differences of finite differences are mostly rounding error.
   */
  order?: number;
}

export interface RandomSpec {
  text: string;
  images: boolean;
  /** The type of the real data and of G's output. */
  data: number[];
  /** D's output type. */
  dOut: number[];
}

/**
 * NumPy broadcasting of per-sample shapes (right-aligned); undefined when they do not broadcast.
 * Written again here, not imported from src/lang/types.ts: the reference evaluator uses it, and
 * must not share the rule it checks the compiler against.
 */
export function broadcast(a: VType, b: VType): VType | undefined {
  if (a === "scalar") return b;
  if (b === "scalar") return a;
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(Math.max(da, db));
  }
  return out;
}

const UNARY = ["abs", "square", "tanh", "sigmoid", "softplus", "relu"];
/** Functions written so that they stay finite on any input. */
const GUARDED: ((c: string) => string)[] = [
  (c) => `log(abs(${c}) + 1)`,
  (c) => `sqrt(abs(${c}) + 1)`,
  (c) => `exp(tanh(${c}))`,
  (c) => `clip(${c}, -1, 1)`,
];

export function randomSpec(seed: number): RandomSpec {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const images = chance(0.15);
  const k = 2 + Math.floor(r() * 3);
  const lines: string[] = [];
  const data = images ? [28, 28, 1] : [2];
  let dOut: number[];
  if (images) {
    lines.push(`data x = mnist(split = "train", range = [-1, 1])`, `latent z = normal(${k})`, "");
    lines.push(
      `network G(z: [${k}]) -> [28, 28, 1] {`,
      "  dense(7 * 7 * 2)",
      "  relu",
      "  reshape(7, 7, 2)",
      "  conv2d_transpose(2, kernel = 4, stride = 2)",
      "  relu",
      "  conv2d_transpose(1, kernel = 4, stride = 2)",
      "  tanh",
      "}",
      "",
    );
    const patch = chance(0.5);
    dOut = patch ? [7, 7, 1] : [pick([1, 3])];
    const head = patch ? ["  conv2d(1, kernel = 3, stride = 2)"] : ["  flatten", `  dense(${dOut[0]})`];
    lines.push(
      `network D(x: [28, 28, 1]) -> [${dOut.join(", ")}] {`,
      "  conv2d(2, kernel = 4, stride = 2)",
      "  leaky_relu(0.2)",
      ...head,
      "}",
      "",
    );
  } else {
    lines.push(`data x = ring(modes = 8, radius = 1, std = 0.01)`, `latent z = normal(${k})`, "");
    const hidden = () =>
      Array.from({ length: Math.floor(r() * 3) }, () => [
        `  dense(${3 + Math.floor(r() * 3)})`,
        `  ${pick(["relu", "tanh", "leaky_relu(0.2)"])}`,
      ]).flat();
    lines.push(`network G(z: [${k}]) -> [2] {`, ...hidden(), "  dense(2)", "}", "");
    dOut = pick([[1], [3], [2, 2]]);
    const head = dOut.length === 2 ? ["  dense(4)", "  reshape(2, 2)"] : [`  dense(${dOut[0]})`];
    lines.push(`network D(x: [2]) -> [${dOut.join(", ")}] {`, ...hidden(), ...head, "}", "");
  }
  lines.push("param lam = 0.5", "state s = 0", "");

  // the batch values expressions start from
  const lets: Val[] = [
    { code: "real", type: dOut, deps: new Set(["x"]) },
    { code: "fake", type: dOut, deps: new Set(["gz"]) },
    { code: "gz", type: data, deps: new Set(["gz"]) },
  ];
  const x: Val = { code: "x", type: data, deps: new Set(["x"]) };
  lines.push("let real = D(x)", "let gz = G(z)", "let fake = D(gz)");

  /**
   * A random expression over `pool` of at most `depth` levels; `grads`: whether `grad` may
   * appear (not inside a grad, and not in monitors, which may not read data).
   */
  const expr = (pool: Val[], depth: number, grads: boolean): Val => {
    const leaf = (): Val =>
      chance(0.15)
        ? {
            code: pick(["0.5", "2", "lam", "3"]),
            type: "scalar",
            deps: new Set(),
          }
        : pick(pool);
    if (depth <= 0) return leaf();
    const sub = () => expr(pool, depth - 1, grads);
    const choice = r();
    if (choice < 0.15) return leaf();
    if (choice < 0.3) {
      const a = sub();
      const f = chance(0.6) ? (c: string) => `${pick(UNARY)}(${c})` : pick(GUARDED);
      return { ...a, code: f(a.code) };
    }
    if (choice < 0.55) {
      const a = sub();
      let b = sub();
      for (let i = 0; i < 6 && !broadcast(a.type, b.type); i++) b = sub();
      const t = broadcast(a.type, b.type);
      if (!t) return a;
      const deps = new Set([...a.deps, ...b.deps]);
      const order = Math.max(a.order ?? 0, b.order ?? 0);
      const op = pick(["+", "-", "*", "/", "min", "max"]);
      if (op === "min" || op === "max") return { code: `${op}(${a.code}, ${b.code})`, type: t, deps, order };
      const right = op === "/" ? `(abs(${b.code}) + 1)` : `(${b.code})`;
      return { code: `(${a.code}) ${op} ${right}`, type: t, deps, order };
    }
    if (choice < 0.65) {
      const a = sub();
      return a.type === "scalar" ? a : { ...a, code: `norm(${a.code})`, type: [] };
    }
    if (choice < 0.75) {
      const a = sub();
      return { ...a, code: `${pick(["mean", "sum"])}(${a.code})`, type: "scalar" };
    }
    if (choice < 0.85) {
      const a = sub();
      let b = sub();
      for (let i = 0; i < 6 && !broadcast(a.type, b.type); i++) b = sub();
      if (!broadcast(a.type, b.type)) return a;
      const fn = pick(["mse", "l1", "bce_logits"]);
      const order = Math.max(a.order ?? 0, b.order ?? 0);
      return { code: `${fn}(${a.code}, ${b.code})`, type: "scalar", deps: new Set([...a.deps, ...b.deps]), order };
    }
    if (grads) {
      // grad(y, x) or grad(y, gz): y computed from the name (its gradient is not identically absent)
      const wrt = pick(["x", "gz"]);
      const y = expr(
        pool.filter((v) => v.deps.has(wrt) && (v.order ?? 0) < 2),
        depth - 1,
        false,
      );
      if (y.deps.has(wrt))
        return { code: `grad(${y.code}, ${wrt})`, type: data, deps: new Set([wrt]), order: (y.order ?? 0) + 1 };
    }
    return leaf();
  };

  const nLets = 2 + Math.floor(r() * 4);
  const named: { name: string; val: Val; loss: "d" | "g" }[] = [];
  for (let i = 1; i <= nLets; i++) {
    // no grad on images: the reference's finite differences would take seconds there
    const val = expr([x, ...lets], 1 + Math.floor(r() * 3), !images);
    const name = `v${i}`;
    lines.push(`let ${name} = ${val.code}`);
    lets.push({ code: name, type: val.type, deps: val.deps, order: val.order ?? 0 });
    named.push({ name, val, loss: chance(0.5) ? "d" : "g" });
  }
  const scalar = (name: string, t: VType) => (t === "scalar" ? name : `mean(${name})`);
  const terms = (loss: "d" | "g") =>
    named
      .filter((n) => n.loss === loss)
      .map((n) => ` + 0.1 * ${scalar(n.name, n.val.type)}`)
      .join("");
  lines.push("");
  lines.push(
    `loss d_loss = ${pick(["mean(softplus(-real)) + mean(softplus(fake))", "bce_logits(real, 1) + bce_logits(fake, 0)", "mean(fake) - mean(real)"])}${terms("d")}`,
  );
  lines.push(`loss g_loss = ${pick(["mean(softplus(-fake))", "bce_logits(fake, 1)", "-mean(fake)"])}${terms("g")}`);

  // monitors read any let (every let is computed by a step); the state update reads D's
  const monitorPool = lets;
  for (let i = 1, n = 1 + Math.floor(r() * 3); i <= n; i++) {
    const m = expr(monitorPool, 1 + Math.floor(r() * 2), false);
    lines.push(`monitor m${i} = ${scalar(`(${m.code})`, m.type)}`);
  }
  const dPool = [lets[0]!, lets[1]!, ...lets.filter((l) => named.some((n) => n.name === l.code && n.loss === "d"))];
  const update = expr(dPool, 1 + Math.floor(r() * 2), false);
  lines.push("");
  lines.push("optimizer D = adam(lr = 1e-3)", "optimizer G = adam(lr = 1e-3)", "");
  const assign = `  s = 0.9 * s + 0.1 * ${scalar(`(${update.code})`, update.type)}`;
  if (chance(0.3))
    lines.push(
      "schedule {",
      "  together {",
      "    step D minimize d_loss",
      "    step G minimize g_loss",
      "  }",
      assign,
      "}",
    );
  else lines.push("schedule {", "  step D minimize d_loss", assign, "  step G minimize g_loss", "}");
  lines.push("", "run { batch = 4 }", "");
  return { text: lines.join("\n"), images, data, dOut };
}
