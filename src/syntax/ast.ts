// The typed AST of a .gan file. Built from Chevrotain's CST by `cst-to-ast.ts`;
// every node carries a span (0-based, end-exclusive offsets into its file's text).
import type { Span } from "../diagnostics/span.js";

export interface Node {
  span: Span;
}

export interface Ident extends Node {
  name: string;
}

/** A `# ...` comment, kept so that `ganc fmt` can put it back. */
export interface Comment extends Node {
  text: string; // including the leading '#'
}

export interface SpecFile {
  kind: "SpecFile";
  file: string;
  decls: Decl[];
  comments: Comment[];
  span: Span;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | NumberLit
  | StringLit
  | BoolLit
  | ListLit
  | NameRef
  | Call
  | Member
  | Unary
  | Binary;

export interface NumberLit extends Node {
  kind: "Number";
  value: number;
  raw: string; // as written, so that fmt keeps 2e-4 as 2e-4
}
export interface StringLit extends Node {
  kind: "String";
  value: string;
}
export interface BoolLit extends Node {
  kind: "Bool";
  value: boolean;
}
export interface ListLit extends Node {
  kind: "List";
  items: Expr[];
}
export interface NameRef extends Node {
  kind: "Name";
  name: string;
}
export interface Arg extends Node {
  name?: Ident; // named argument `kernel = 4`
  value: Expr;
}
export interface Call extends Node {
  kind: "Call";
  callee: Ident; // a builtin, a network, or a block
  args: Arg[];
}
export interface Member extends Node {
  kind: "Member";
  object: Expr; // `D(x).cls`
  member: Ident;
}
export interface Unary extends Node {
  kind: "Unary";
  op: "-";
  operand: Expr;
}
export type BinaryOp = "+" | "-" | "*" | "/" | "^";
export interface Binary extends Node {
  kind: "Binary";
  op: BinaryOp;
  left: Expr;
  right: Expr;
  /**
   * Set where a long `+` or `*` chain was split here to keep the tree shallow (see
   * `AstBuilder.group`): the right operand continues the written chain, without parentheses.
   */
  split?: true;
}

/** How deep an expression tree may be: the compiler's passes recurse over it. */
export const MAX_DEPTH = 256;

// ---------------------------------------------------------------- types

/** `[28, 28, 1]`, a domain or alias name `X`, or `label(10)`. */
export type TypeExpr = ShapeType | NamedType | LabelType;
export interface ShapeType extends Node {
  kind: "ShapeType";
  dims: Expr[];
}
export interface NamedType extends Node {
  kind: "NamedType";
  name: Ident;
}
export interface LabelType extends Node {
  kind: "LabelType";
  classes: Expr;
}

// ---------------------------------------------------------------- networks

export type NetStmt = LayerStmt | FromStmt | ResidualStmt | HeadStmt;

/** `conv2d(64, kernel = 4)` or `feat: flatten` (a tap named `feat`). */
export interface LayerStmt extends Node {
  kind: "Layer";
  label?: Ident;
  callee: Ident;
  args: Arg[];
  hasParens: boolean;
}
/** `from y`: continue from a network input or an earlier tap. */
export interface FromStmt extends Node {
  kind: "From";
  source: Ident;
}
/** `residual { ... }`: current + body(current). */
export interface ResidualStmt extends Node {
  kind: "Residual";
  label?: Ident;
  body: NetStmt[];
}
/** `head cls { ... }`: a named output branching off the current value. */
export interface HeadStmt extends Node {
  kind: "Head";
  name: Ident;
  body: NetStmt[];
}

export interface NetInput extends Node {
  name: Ident;
  type: TypeExpr;
}
export interface NetOutput extends Node {
  name?: Ident; // absent for a single unnamed output
  type: TypeExpr;
}

// ---------------------------------------------------------------- schedule

export type SchedStmt = StepStmt | RepeatStmt | TogetherStmt | ClipStmt | EmaStmt | AssignStmt;

/** `step D minimize d_loss` or `step G, F minimize g_loss reuse z`. */
export interface StepStmt extends Node {
  kind: "Step";
  networks: Ident[];
  loss: Ident;
  reuse: Ident[];
}
export interface RepeatStmt extends Node {
  kind: "Repeat";
  count: Expr;
  body: SchedStmt[];
}
/** `together { ... }`: simultaneous updates from one draw and one set of weights. */
export interface TogetherStmt extends Node {
  kind: "Together";
  body: SchedStmt[];
}
/** `clip_weights D 0.01` */
export interface ClipStmt extends Node {
  kind: "ClipWeights";
  network: Ident;
  bound: Expr;
}
/** `ema G 0.999` */
export interface EmaStmt extends Node {
  kind: "Ema";
  network: Ident;
  decay: Expr;
}
/** `k = clip(k + lambda_k * (gamma * Lx - Lg), 0, 1)` */
export interface AssignStmt extends Node {
  kind: "Assign";
  target: Ident;
  value: Expr;
}

// ---------------------------------------------------------------- declarations

export type Decl =
  | ExtendsDecl
  | ParamDecl
  | StateDecl
  | DomainDecl
  | TypeDecl
  | DataDecl
  | LatentDecl
  | NetworkDecl
  | BlockDecl
  | LetDecl
  | LossDecl
  | MonitorDecl
  | OptimizerDecl
  | ScheduleDecl
  | RunDecl;

export interface ExtendsDecl extends Node {
  kind: "Extends";
  path: StringLit;
}
export interface ParamDecl extends Node {
  kind: "Param";
  name: Ident;
  value: Expr;
}
export interface StateDecl extends Node {
  kind: "State";
  name: Ident;
  value: Expr;
}
/** `domain X = [28, 28, 1]`: a named image space; values of different domains do not mix. */
export interface DomainDecl extends Node {
  kind: "Domain";
  name: Ident;
  shape: ShapeType;
}
export interface TypeDecl extends Node {
  kind: "Type";
  name: Ident;
  type: TypeExpr;
}
export interface DataBinding extends Node {
  name: Ident;
  domain?: Ident;
}
/** `data x: X = mnist(...)` or `data (x, y) = mnist(labels = true)` */
export interface DataDecl extends Node {
  kind: "Data";
  bindings: DataBinding[];
  tuple: boolean; // written with parentheses
  source: Call;
}
export interface LatentDecl extends Node {
  kind: "Latent";
  name: Ident;
  value: Call; // normal(100), uniform(...), categorical(10), concat(z, c)
}
export interface NetworkDecl extends Node {
  kind: "Network";
  name: Ident;
  inputs: NetInput[];
  outputs: NetOutput[]; // empty: inferred single output
  outputsTuple: boolean; // written as `-> (a: T, b: U)`
  body: NetStmt[];
}
export interface BlockDecl extends Node {
  kind: "Block";
  name: Ident;
  params: Ident[];
  body: NetStmt[];
}
export interface LetDecl extends Node {
  kind: "Let";
  name: Ident;
  value: Expr;
}
export interface LossDecl extends Node {
  kind: "Loss";
  name: Ident;
  value: Expr;
}
export interface MonitorDecl extends Node {
  kind: "Monitor";
  name: Ident;
  value: Expr;
}
export interface OptimizerDecl extends Node {
  kind: "Optimizer";
  network: Ident;
  value: Call; // adam(lr = 2e-4, beta1 = 0.5)
}
export interface ScheduleDecl extends Node {
  kind: "Schedule";
  body: SchedStmt[];
}
export interface RunSetting extends Node {
  name: Ident;
  value: Expr;
}
export interface RunDecl extends Node {
  kind: "Run";
  settings: RunSetting[];
}

/** The name a declaration introduces, for scopes, overrides and diagnostics. */
export function declName(d: Decl): Ident | undefined {
  switch (d.kind) {
    case "Extends":
    case "Schedule":
    case "Run":
    case "Data":
      return undefined;
    case "Optimizer":
      return d.network;
    default:
      return d.name;
  }
}
