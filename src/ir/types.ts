// The IR: a typed, versioned, JSON-serialisable description of a checked spec.
// The checker produces it; the code generator and `ganc diff` consume it and nothing else.
// Every node carries the span of the source it came from.
import type { Span } from "../diagnostics/span.js";

export const IR_VERSION = 2;

/** A compile-time constant: params, layer and optimiser arguments. */
export type Const = number | string | boolean | Const[];

/** The type of a per-step value. Shapes exclude the batch axis. */
export type IrType =
  | { kind: "scalar" } // one number for the whole batch (means, params, states)
  | { kind: "tensor"; shape: number[]; domain?: string } // one value per sample
  | { kind: "label"; classes: number } // one class index per sample
  | { kind: "outputs"; network: string; outputs: Record<string, IrType> }; // a multi-output network result

export interface IrSpec {
  irVersion: typeof IR_VERSION;
  name: string;
  /** The files this spec was read from, base first (`extends`). */
  files: string[];
  params: IrParam[];
  states: IrState[];
  domains: IrDomain[];
  data: IrData[];
  latents: IrLatent[];
  networks: IrNetwork[];
  values: IrValue[];
  optimizers: IrOptimizer[];
  schedule: IrSchedStmt[];
  run: IrRun;
  /** What the networks and latents are for, as the checker decided from the losses and types. */
  roles: IrRoles;
}

export interface IrParam {
  name: string;
  value: Const;
  span: Span;
}

export interface IrState {
  name: string;
  init: number;
  span: Span;
}

export interface IrDomain {
  name: string;
  shape: number[];
  span: Span;
}

export interface IrData {
  /** The names bound: one, or two for `data (x, y) = ...`. */
  names: string[];
  types: IrType[];
  source: string; // mnist | mnist_pairs | ring | grid | images | image_pairs
  args: Record<string, Const>;
  span: Span;
}

export interface IrLatent {
  name: string;
  prior: "normal" | "uniform" | "categorical" | "concat";
  type: IrType;
  /** normal: truncation?; uniform: low, high; categorical: classes. */
  args: Record<string, Const>;
  /** concat: the latents joined, in order. */
  parts?: string[];
  span: Span;
}

// ---------------------------------------------------------------- networks

export interface IrNetwork {
  name: string;
  inputs: { name: string; type: IrType; span: Span }[];
  /** Named outputs; a single-output network has one named "out". */
  outputs: { name: string; node: string; type: IrType }[];
  /** Named intermediate values (`feat: flatten`), reachable as `D(x).feat`. */
  taps: { name: string; node: string; type: IrType }[];
  /** Layers in evaluation order (a DAG in SSA form: inputs name earlier nodes or network inputs). */
  nodes: IrNode[];
  /** Networks applied inside this one (their weights are shared, not copied). */
  uses: string[];
  /** Trainable parameters owned by this network (not counting the networks it uses). */
  paramCount: number;
  span: Span;
}

export interface IrNode {
  /** Unique within the network: `conv2d_1`, `dense_2`, ... (also the weights' scope). */
  id: string;
  op: string; // a layer name from the catalog, or `add` (residual), or `call` (another network)
  inputs: string[];
  args: Record<string, Const>;
  /** For `call`: the network applied. */
  network?: string;
  inTypes: IrType[];
  outType: IrType;
  paramCount: number;
  span: Span;
  /** Where a block was inlined, the span of the block call. */
  via?: Span;
}

// ---------------------------------------------------------------- expressions

export type IrExpr =
  | { k: "const"; value: number; type: IrType; span: Span }
  | { k: "param"; name: string; type: IrType; span: Span }
  | { k: "state"; name: string; type: IrType; span: Span }
  | { k: "data"; name: string; type: IrType; span: Span }
  | { k: "latent"; name: string; type: IrType; span: Span }
  | { k: "value"; name: string; type: IrType; span: Span }
  | { k: "call"; network: string; args: IrExpr[]; output?: string; type: IrType; span: Span }
  | { k: "member"; object: IrExpr; name: string; type: IrType; span: Span }
  | { k: "builtin"; fn: string; args: IrExpr[]; options: Record<string, Const>; type: IrType; span: Span }
  | { k: "binary"; op: "+" | "-" | "*" | "/" | "^"; left: IrExpr; right: IrExpr; type: IrType; span: Span }
  | { k: "neg"; operand: IrExpr; type: IrType; span: Span };

export interface IrValue {
  name: string;
  role: "let" | "loss" | "monitor";
  expr: IrExpr;
  type: IrType;
  span: Span;
}

// ---------------------------------------------------------------- training

export type IrLearningRate = { kind: "constant"; value: number } | { kind: "linear_decay"; value: number; start: number };

export interface IrOptimizer {
  network: string;
  kind: "adam" | "rmsprop" | "sgd";
  lr: IrLearningRate;
  /** adam: beta1, beta2, epsilon; rmsprop: decay, momentum, epsilon; sgd: momentum. */
  settings: Record<string, number>;
  span: Span;
}

export type IrSchedStmt =
  | { k: "step"; networks: string[]; loss: string; reuse: string[]; span: Span }
  | { k: "repeat"; count: number; body: IrSchedStmt[]; span: Span }
  | { k: "together"; body: IrSchedStmt[]; span: Span }
  | { k: "clip_weights"; network: string; bound: number; span: Span }
  | { k: "ema"; network: string; decay: number; span: Span }
  | { k: "assign"; state: string; expr: IrExpr; span: Span };

export interface IrRun {
  batch: number;
  steps: number;
  seed: number;
  log_every: number;
  sample_every: number;
  checkpoint_every: number;
  /** Checkpoints kept: the newest N and the best by evaluation (0: all). */
  keep_checkpoints: number;
  eval_every: number;
  samples: number;
}

// ---------------------------------------------------------------- roles

/**
 * What a spec's parts are for, decided once by the checker (src/check/passes/roles.ts) so that
 * sampling, evaluation and the generated `sample` never guess.
 */
export interface IrRoles {
  /**
   * The network call samples come from: a network some step trains, applied to latents and
   * real data only, whose output has the type of real data (the first such call among the
   * lets and losses). Absent when the spec has none (an autoencoder alone).
   */
  generator?: {
    network: string;
    /** The output taken ("out" for a single-output network). */
    output: string;
    /** Its arguments, in order. */
    inputs: { kind: "latent" | "data"; name: string }[];
  };
  /**
   * Every latent the generator reads (the parts of a `concat`, not the concat itself), in
   * declaration order, with what it stands for: a `class` stands for a real label (a label
   * batch takes its place in a network input or a class head); a `code` is recovered from the
   * generator's output by a loss (InfoGAN); `noise` is the rest.
   */
  latents: { name: string; role: "noise" | "class" | "code" }[];
  /** For a generator applied to real data: the two sides of the translation. */
  translation?: {
    /** The real data the generator reads. */
    source: string;
    /** Real data of the generator's output type: what its outputs are compared with. */
    target?: string;
    /** Whether `target` is drawn together with `source` (the other half of a paired source). */
    paired: boolean;
    /** A network mapping the generator's output back to the source's type (CycleGAN's F). */
    inverse?: string;
  };
}
