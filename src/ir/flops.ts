// Floating-point work of a spec, counted from the IR: the multiply-accumulates of dense and
// convolution layers (2 FLOPs each), which is where training spends its arithmetic. Benchmarks
// divide it by the time an iteration takes to report achieved GFLOP/s.
import type { IrExpr, IrNetwork, IrNode, IrSchedStmt, IrSpec } from "./types.js";
import { children } from "./walk.js";

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);
const shapeOf = (t: IrNode["outType"]) => (t.kind === "tensor" ? t.shape : []);

/** FLOPs of one layer for one sample (0 for layers without a weight product). */
function nodeFlops(ir: IrSpec, node: IrNode): number {
  const input = shapeOf(node.inTypes[0] ?? { kind: "scalar" });
  const out = shapeOf(node.outType);
  const k = Number(node.args.kernel ?? 1);
  switch (node.op) {
    case "dense":
      return 2 * size(input) * size(out);
    case "conv2d":
      return 2 * k * k * (input[2] ?? 1) * size(out);
    case "conv2d_transpose":
      // every input pixel meets k·k taps of every output channel
      return 2 * k * k * size(input) * (out[2] ?? 1);
    case "call":
      return networkFlops(ir, node.network!);
    default:
      return 0;
  }
}

/** Forward FLOPs of one sample through network `name` (networks it calls included). */
export function networkFlops(ir: IrSpec, name: string): number {
  const net: IrNetwork | undefined = ir.networks.find((n) => n.name === name);
  if (net === undefined) throw new Error(`no network ${name}`);
  return net.nodes.reduce((sum, node) => sum + nodeFlops(ir, node), 0);
}

/** The networks whose weights a step trains: the named ones and every network they call. */
function trainedBy(ir: IrSpec, nets: string[]): Set<string> {
  const out = new Set<string>();
  const visit = (name: string) => {
    if (out.has(name)) return;
    out.add(name);
    ir.networks.find((n) => n.name === name)?.uses.forEach(visit);
  };
  nets.forEach(visit);
  return out;
}

/** A network application in a loss: its structural key, and how the step's gradient reaches it. */
interface Application {
  key: string;
  network: string;
  /** Its weights are trained by the step. */
  trained: boolean;
  /** Its inputs depend on trained weights (the gradient passes through it to them). */
  upstreamTrained: boolean;
  /** It is differentiated inside `grad(...)` (a gradient penalty): the loss's gradient is second order there. */
  inGrad: boolean;
}

const keyOf = (e: IrExpr): string => JSON.stringify(e, (k, v) => (k === "span" || k === "type" ? undefined : v));

/** Every distinct network application in `loss`, following `let` values. */
function applications(ir: IrSpec, loss: string, trained: Set<string>): Application[] {
  const values = new Map(ir.values.map((v) => [v.name, v.expr]));
  const found = new Map<string, Application>();
  /** Walks `e`; returns whether it depends on trained weights. `gradOf` is the value a grad differentiates with respect to. */
  const walk = (e: IrExpr, inGrad: boolean, gradOf: string | null): boolean => {
    if (e.k === "value") {
      // The value a grad differentiates with respect to is computed outside the grad.
      return walk(values.get(e.name)!, inGrad && e.name !== gradOf, e.name === gradOf ? null : gradOf);
    }
    if (e.k === "builtin" && e.fn === "grad") {
      const [y, x] = e.args as [IrExpr, IrExpr];
      const wrt = x.k === "value" ? x.name : null;
      const dx = walk(x, inGrad, gradOf);
      return walk(y, true, wrt) || dx;
    }
    const inputs = children(e).map((c) => walk(c, inGrad, gradOf)).some(Boolean);
    if (e.k !== "call") return inputs;
    const isTrained = trained.has(e.network);
    const key = keyOf(e);
    const seen = found.get(key);
    found.set(key, { key, network: e.network, trained: isTrained, upstreamTrained: inputs, inGrad: inGrad || (seen?.inGrad ?? false) });
    return isTrained || inputs;
  };
  walk(values.get(loss)!, false, null);
  return [...found.values()];
}

/**
 * Backward work of an application relative to its forward pass, by the usual rule that a
 * backward pass costs about twice the forward (input and weight gradients, 1 each): a
 * trained network 2; one the gradient only passes through to trained weights 1; one off
 * the gradient's path 0. Inside a gradient penalty the step differentiates the forward
 * pass and its input gradient (2 forwards' worth) again: 4.
 */
function backwardFactor(a: Application): number {
  if (a.inGrad) return a.trained || a.upstreamTrained ? 4 : 0;
  return a.trained ? 2 : a.upstreamTrained ? 1 : 0;
}

export interface IterationFlops {
  /** FLOPs of one iteration of the schedule at the spec's batch. */
  total: number;
  /** Forward FLOPs of one sample through each network. */
  perNetwork: Record<string, number>;
}

/**
 * FLOPs of one iteration of the schedule: for each step, the forward pass of every network
 * application in its loss (once per `together` block, whose steps share one forward pass)
 * plus its backward work, times the batch; repeats multiply.
 */
export function iterationFlops(ir: IrSpec): IterationFlops {
  const perNetwork = Object.fromEntries(ir.networks.map((n) => [n.name, networkFlops(ir, n.name)]));
  const steps = (stmts: IrSchedStmt[], forwardDone: Set<string> | null): number =>
    stmts.reduce((sum, s) => {
      if (s.k === "repeat") return sum + s.count * steps(s.body, null);
      if (s.k === "together") return sum + steps(s.body, new Set());
      if (s.k !== "step") return sum;
      const done = forwardDone ?? new Set<string>();
      return (
        sum +
        applications(ir, s.loss, trainedBy(ir, s.networks)).reduce((f, a) => {
          const forward = done.has(a.key) ? 0 : a.inGrad ? 2 : 1;
          done.add(a.key);
          return f + (forward + backwardFactor(a)) * perNetwork[a.network]!;
        }, 0)
      );
    }, 0);
  return { total: steps(ir.schedule, null) * ir.run.batch, perNetwork };
}
