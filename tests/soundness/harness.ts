// The generative soundness check (issue 10): random well-typed specs (random-spec.ts) are
// checked by the real checker; each that checks is built with shape checks and trained for ONE
// iteration on its real data and networks (batch 4), then once more with fixed stand-in networks
// and data, whose logged losses, monitors and state are compared with the reference evaluator
// (reference.ts). Used by tests/soundness/generative.test.ts (a fixed slice) and
// bench/soundness.ts (thousands).
import * as tf from "@tensorflow/tfjs";
import * as rt from "../../src/runtime/index.js";
import type { IrExpr } from "../../src/ir/types.js";
import { compileText, problems, type Compiled } from "./compile.js";
import { randomSpec, rng, type RandomSpec } from "./random-spec.js";
import { Reference, type RefValue } from "./reference.js";

export interface SoundnessCounts {
  generated: number;
  /** Rejected by the checker (the generator means to write well-typed specs: expected 0). */
  rejected: number;
  /** Checked clean and trained one iteration. */
  ran: number;
  runtimeFailures: number;
  shapeMismatches: number;
  /** Logged values differing from the reference evaluator's. */
  referenceMismatches: number;
  /** Each failure: the seed, what failed, and the spec. */
  failures: { seed: number; kind: string; message: string; text: string }[];
}

type Model = rt.ModelBase & {
  nets: Record<string, (...x: tf.Tensor[]) => Record<string, tf.Tensor>>;
  vars: Record<string, tf.Variable[]>;
};

/** One iteration of a fresh model of `c`, with `patch` applied after `create()`: the logged values. */
export function iterate(
  c: Compiled,
  seed: number,
  patch?: (m: Model, store: rt.nn.ParamStore) => void,
): Record<string, number> {
  const store = new rt.nn.ParamStore(seed);
  let m: Model | undefined;
  try {
    m = c.program.create({ store, seed, baseDir: "." }) as Model;
    patch?.(m, store);
    const values = c.program.iteration(m, 0);
    const out = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.dataSync()[0]!]));
    tf.dispose(Object.values(values));
    return out;
  } finally {
    for (const opt of Object.values(m?.optimizers ?? {})) (opt as tf.Optimizer).dispose();
    store.dispose();
  }
}

const size = (shape: readonly number[]) => shape.reduce((p, d) => p * d, 1);

/** Fixed random inputs: the real batch X, G's output F and D's linear map W (float64 for the reference). */
function standIns(spec: RandomSpec, seed: number, n: number) {
  const r = rng(seed ^ 0x5eed);
  const uniform = (k: number, scale: number) => Float64Array.from({ length: k }, () => (2 * r() - 1) * scale);
  const d = size(spec.data);
  const o = size(spec.dOut);
  const X = Array.from({ length: n }, () => uniform(d, 1));
  const F = Array.from({ length: n }, () => uniform(d, 1));
  const W = uniform(d * o, 1 / Math.sqrt(d));
  const linearD = (v: RefValue): RefValue => {
    if ("s" in v) throw new Error("D of a scalar");
    return {
      shape: spec.dOut,
      samples: v.samples.map((s) => {
        const out = new Float64Array(o);
        for (let j = 0; j < o; j++) for (let i = 0; i < d; i++) out[j]! += s[i]! * W[i * o + j]!;
        return out;
      }),
    };
  };
  const asTensor = (samples: Float64Array[]) =>
    tf.tensor(Float32Array.from(samples.flatMap((s) => [...s])), [n, ...spec.data]);
  return { X, F, W, linearD, asTensor };
}

/** The expression of the state update (the generated specs have one, of `s`). */
function stateUpdate(c: Compiled): IrExpr {
  const find = (ss: Compiled["ir"]["schedule"]): IrExpr | undefined => {
    for (const s of ss) {
      if (s.k === "assign") return s.expr;
      if (s.k === "together" || s.k === "repeat") {
        const e = find(s.body);
        if (e) return e;
      }
    }
    return undefined;
  };
  return find(c.ir.schedule)!;
}

function close(a: number, b: number): boolean {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  return Math.abs(a - b) <= 2e-3 + 2e-3 * Math.abs(b);
}

/** Checks, trains and compares the spec of `seed`; adds to `counts`. */
export async function checkSeed(
  seed: number,
  counts: SoundnessCounts,
  spec: RandomSpec = randomSpec(seed),
): Promise<void> {
  counts.generated++;
  const fail = (kind: string, message: string): void =>
    void counts.failures.push({ seed, kind, message, text: spec.text });
  const failed = (e: unknown, on: string): void => {
    const message = (e as Error).message;
    const shape = message.startsWith("shape check failed");
    if (shape) counts.shapeMismatches++;
    else counts.runtimeFailures++;
    fail(shape ? "shape" : "runtime", `on ${on}: ${message}`);
  };
  const errors = problems(spec.text).filter((p) => p.startsWith("E"));
  if (errors.length) {
    counts.rejected++;
    return fail("rejected", errors.join("\n"));
  }
  const c = await compileText(spec.text);
  counts.ran++;
  try {
    iterate(c, seed);
  } catch (e) {
    return failed(e, "its networks and data");
  }

  // the same program on stand-ins, against the reference evaluator
  const n = c.ir.run.batch;
  const s = standIns(spec, seed, n);
  const W = tf.tensor2d(Float32Array.from(s.W), [size(spec.data), size(spec.dOut)]);
  let logged: Record<string, number>;
  try {
    logged = iterate(c, seed, (m, store) => {
      const wD = store.variable("test/wD", [1], "zeros");
      const wG = store.variable("test/wG", [1], "zeros");
      m.vars.D = [wD];
      m.vars.G = [wG];
      const zero = (w: tf.Variable) => tf.mul(tf.sum(w), 0);
      m.data.x = { batch: () => [s.asTensor(s.X)] };
      m.nets.G = () => ({ out: tf.add(s.asTensor(s.F), zero(wG)) });
      m.nets.D = (x: tf.Tensor) => ({
        out: tf.add(tf.reshape(tf.matMul(tf.reshape(x, [n, -1]), W), [n, ...spec.dOut]), zero(wD)),
      });
    });
  } catch (e) {
    return failed(e, "stand-ins");
  } finally {
    W.dispose();
  }
  const ref = new Reference(c.ir, {
    batch: { x: { shape: spec.data, samples: s.X } },
    nets: {
      D: ([v]) => s.linearD(v!),
      G: () => ({ shape: spec.data, samples: s.F }),
    },
    states: { s: 0 },
  });
  const want: Record<string, number> = {};
  for (const v of c.ir.values) if (v.role !== "let") want[v.name] = (ref.value(v.name) as { s: number }).s;
  want.s = (ref.eval(stateUpdate(c)) as { s: number }).s; // from s = 0
  const wrong = Object.entries(want).filter(([k, v]) => !close(logged[k]!, v));
  if (wrong.length) {
    counts.referenceMismatches++;
    fail("reference", wrong.map(([k, v]) => `${k}: generated code ${logged[k]}, reference ${v}`).join("; "));
  }
}

export function emptyCounts(): SoundnessCounts {
  return {
    generated: 0,
    rejected: 0,
    ran: 0,
    runtimeFailures: 0,
    shapeMismatches: 0,
    referenceMismatches: 0,
    failures: [],
  };
}

export function summary(c: SoundnessCounts): string {
  return `${c.generated} specs generated, ${c.rejected} rejected by the checker, ${c.ran} trained one step: ${c.runtimeFailures} runtime failures, ${c.shapeMismatches} shape mismatches, ${c.referenceMismatches} differ from the reference evaluator`;
}
