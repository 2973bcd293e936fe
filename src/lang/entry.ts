// The shape of a catalog entry, one interface per kind of entry. Every field an entry needs is
// required: an entry without a rule, an emitter or a documentation line does not compile.
//
// Emitters return TypeScript text. `names` lists every runtime (`rt.*`) and TensorFlow.js
// (`tf.*`) function the emitted text calls, so that a test can check they exist.
import type { Const, IrExpr, IrLatent, IrNode, IrRun, IrType } from "../ir/types.js";
import type { Problem } from "./problem.js";
import type { Args, ParamSpec } from "./signature.js";

interface Documented {
  /** One line for LANGUAGE.md: what the entry does. */
  doc: string;
}

interface Emitting {
  /** The `rt.*` and `tf.*` functions the emitted code calls (e.g. "rt.nn.dense", "tf.reshape"). */
  names: readonly string[];
}

// ---------------------------------------------------------------- layers

/** Where a layer is applied in a network's generated function. */
export interface LayerSite {
  node: IrNode;
  /** The layer's runtime object (`layers.conv2d_1`), when it has one. */
  self: string;
  /** The JavaScript names of the node's inputs: the current value, then the taps it names. */
  inputs: string[];
  /** The JavaScript of a state variable the network reads (`state.alpha`). */
  state(name: string): string;
  /** The network's reference batch (for virtual batchnorm). */
  reference: string;
}

export interface LayerEmitter extends Emitting {
  /**
   * The runtime object the layer keeps (its weights, or its random stream), created once when
   * the network is built; absent for layers without one. `scope` is the quoted weight scope.
   */
  object?(node: IrNode, scope: string): string;
  /** The expression applying the layer. */
  apply(at: LayerSite): string;
  /** The network must run a reference batch in front of every batch (virtual batchnorm). */
  reference?: true;
}

export interface LayerEntry extends Documented {
  params: readonly ParamSpec[];
  /** The output type for an input (and the types of the taps its `tap` arguments name). */
  shape(input: IrType, args: Args, taps: IrType[]): IrType | Problem;
  /** Trainable parameters owned by the layer, given what `shape` accepted and returned. */
  paramCount(input: IrType, args: Args, taps: IrType[], out: IrType): number;
  emit: LayerEmitter;
}

// ---------------------------------------------------------------- builtin functions

export type BuiltinExpr = Extract<IrExpr, { k: "builtin" }>;

/** JavaScript for a value: a tensor, or a plain number (constants and params) when `num`. */
export interface Emitted {
  code: string;
  num: boolean;
}

/** Where a builtin is used in a generated function. */
export interface BuiltinSite {
  expr: BuiltinExpr;
  /** The JavaScript of argument i (emitted in order before `code` runs, unless the emitter is lazy). */
  arg(i: number): Emitted;
  /** Argument i as a tensor (`tf.scalar(...)` around a number). */
  tensor(i: number): string;
  /** Binds `code` to a fresh `const` named after `base`; returns its name. */
  hoist(base: string, code: string): string;
  /** A short readable name for argument i (`fake`, `g_z`). */
  nameOf(i: number): string;
  /** The current training iteration (the generated function then takes `step`). */
  step(): string;
  /** The run's seed. */
  seed(): string;
  /**
   * This call's random stream, named after `base`: the JavaScript of a string extending the
   * schedule step's draw id, so that with `seed()` and `step()` a draw is a pure function of
   * (seed, step, stream), as latents are. The same call (by structure) has the same stream in a
   * function and its gradient closures; another call has another.
   */
  stream(base: string): string;
  /** This call site's pool (for emitters that declare one). */
  pool(): string;
  /** A closure recomputing argument `of` from a parameter standing for argument `wrt`, and `wrt`'s value. */
  closure(of: number, wrt: number): { fn: string; point: string };
}

export interface BuiltinEmitter extends Emitting {
  code(at: BuiltinSite): Emitted | string;
  /** `code` emits the arguments it needs itself (in its own order). */
  lazy?: true;
  /** State kept across steps per call site (created once, saved in checkpoints): its constructor. */
  pool?(options: Args, id: string): string;
}

/** What a type rule may ask about its arguments beyond their types. */
export interface TypeQuery {
  /** Whether `y` is computed from the value `x` names. */
  depends(y: IrExpr, x: IrExpr): boolean;
}

export interface BuiltinEntry extends Documented {
  params: readonly ParamSpec[];
  /** The result type; `args` are the checked expression arguments in order (variadic ones flattened). */
  type(args: IrExpr[], options: Args, query: TypeQuery): IrType | Problem;
  emit: BuiltinEmitter;
  /** Written as a name, without parentheses (`iteration`). */
  bare?: true;
  /** No gradient flows through it to the networks its argument calls (stop_gradient, history). */
  blocksGradient?: true;
  /**
   * Its arguments combine elementwise, shapes broadcasting as `combine` types them: the code
   * generator aligns per-sample arguments of different ranks on the right, as the checker does.
   */
  broadcasts?: true;
}

// ---------------------------------------------------------------- operators

export interface OperatorEntry extends Documented {
  /** The TensorFlow.js function applied to two tensors. */
  tensor: string;
  /** The JavaScript operator applied to two plain numbers. */
  number: string;
}

// ---------------------------------------------------------------- data, latents, optimisers, run

export interface DataSourceEntry extends Documented {
  params: readonly ParamSpec[];
  /** The outputs, as LANGUAGE.md describes them. */
  outputsDoc: string;
  /** The per-sample types this source yields with these arguments (one per bound name). */
  outputs(args: Args): IrType[] | Problem;
  emit: Emitting & {
    /** The expression opening the source (`options` is the generated `create`'s parameter). */
    open(source: string, args: Args): string;
  };
}

/** Where a latent is drawn in the generated `draw` function. */
export interface DrawSite {
  latent: IrLatent;
  /** `[n, ...shape]` */
  shape: string;
  /** `m.seed, step, \`z/${id}\``: what makes the draw a pure function of (seed, step, stream). */
  stream: string;
  /** The latents joined (concat), with their types. */
  parts: { name: string; type: IrType }[];
}

export interface PriorEntry extends Documented {
  params: readonly ParamSpec[];
  /** The latent's type; `parts` are the types of the latents a `latent` argument names. */
  type(args: Args, parts: IrType[]): IrType | Problem;
  emit: Emitting & { draw(at: DrawSite): string };
}

export interface OptimizerEntry extends Documented {
  params: readonly ParamSpec[];
  emit: Emitting & { create(lr: number, settings: Readonly<Record<string, number>>): string };
}

export interface LrScheduleEntry extends Documented {
  params: readonly ParamSpec[];
  emit: Emitting & {
    /** The statement setting the rate at the start of each iteration. */
    update(optimizer: string, lr: Readonly<Record<string, number>>): string;
  };
}

export interface RunSettingEntry extends Documented {
  default: IrRun[keyof IrRun];
  min: number;
}

export type { Const };
