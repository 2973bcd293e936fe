// The checker's shared state, which every pass reads and adds to: the declarations and every
// top-level name, the constant environment (params after `--set`), the IR as the passes build
// it, what each declaration read (to say which file caused a problem, see relocate.ts), and the
// one way to report a problem: `report(code, span, args)`.
import { diagnostic, didYouMean, phrase, type ArgsOf, type Code, type Diagnostic, type Extra, type Span } from "../diagnostics/index.js";
import type { Decl, Expr, Ident } from "../syntax/ast.js";
import { declName } from "../syntax/ast.js";
import type { Const, IrExpr, IrNetwork, IrSpec, IrType } from "../ir/types.js";
import { codeList } from "../diagnostics/messages.js";
import type { Problem } from "../lang/index.js";
import { ConstError, evalConst, type ConstEnv } from "./consts.js";

export type Entity =
  | { kind: "param"; decl: Extract<Decl, { kind: "Param" }> }
  | { kind: "state"; decl: Extract<Decl, { kind: "State" }> }
  | { kind: "domain"; decl: Extract<Decl, { kind: "Domain" }> }
  | { kind: "type"; decl: Extract<Decl, { kind: "Type" }> }
  | { kind: "data"; decl: Extract<Decl, { kind: "Data" }>; index: number }
  | { kind: "latent"; decl: Extract<Decl, { kind: "Latent" }> }
  | { kind: "network"; decl: Extract<Decl, { kind: "Network" }> }
  | { kind: "block"; decl: Extract<Decl, { kind: "Block" }> }
  | { kind: "let"; decl: Extract<Decl, { kind: "Let" }> }
  | { kind: "loss"; decl: Extract<Decl, { kind: "Loss" }> }
  | { kind: "monitor"; decl: Extract<Decl, { kind: "Monitor" }> };

export const KIND_WORD: Record<Entity["kind"], string> = {
  param: "a param",
  state: "a state variable",
  domain: "a domain",
  type: "a type",
  data: "a data batch",
  latent: "a latent",
  network: "a network",
  block: "a block",
  let: "a let value",
  loss: "a loss",
  monitor: "a monitor",
};

export type DeclOf<K extends Decl["kind"]> = Extract<Decl, { kind: K }>;

/** The file name under which `--set` overrides are quoted in diagnostics. */
export const COMMAND_LINE = "<command line>";

/** Where a declaration that caused a problem was written (see relocate.ts). */
export interface Cause {
  name: string;
  span: Span;
}

export interface CheckInput {
  /** Merged declarations, base first (load.ts). */
  decls: Decl[];
  /** The files read, base first. */
  files: string[];
  /** `--set` overrides as written, and where each is quoted. */
  overrides: Record<string, string>;
  overrideSpans: Map<string, { key: Span; value: Span }>;
}

/** Makes `name` the latest element of `reads` (a Set keeps the order of insertion). */
function latest(reads: Set<string>, name: string): void {
  reads.delete(name);
  reads.add(name);
}

export class Context {
  readonly diagnostics: Diagnostic[] = [];
  /** Declarations a problem in another (earlier) file was caused by: relocate.ts moves those problems there. */
  readonly causes = new Map<Diagnostic, Cause>();
  readonly names = new Map<string, Entity>();
  readonly used = new Set<string>();
  /** Names declared twice: their uses are not checked, to avoid errors that only echo the E0102. */
  readonly ambiguous = new Set<string>();
  /** Keys of problems already reported once (e.g. one class head used by several losses). */
  readonly reportedOnce = new Set<string>();
  /** Param values (after `--set`); reading one marks it used. */
  readonly params = new Map<string, Const>();
  readonly env: ConstEnv = {
    get: (name: string): Const | undefined => {
      const v = this.params.get(name);
      if (v !== undefined) this.use(name);
      return v;
    },
    explain: (name: string) => this.explainConst(name),
  };

  /** The IR as the passes build it; the driver assembles the spec from it. */
  readonly ir: Partial<IrSpec> = {};
  readonly dataTypes = new Map<string, IrType>();
  readonly latentTypes = new Map<string, IrType>();
  readonly networkIr = new Map<string, IrNetwork | undefined>();
  readonly valueIr = new Map<string, IrExpr | undefined>();
  /** A network's IR, checked on first use (the networks pass wires this). */
  network: (name: string, span?: Span) => IrNetwork | undefined = () => undefined;
  /** The IR of a let, loss or monitor, checked on first use (the values pass wires this). */
  value: (name: string, span: Span) => IrExpr | undefined = () => undefined;

  /** The declarations being checked (innermost last), each with the names it has read, latest last. */
  private readonly reading: Set<string>[] = [];
  /** What each checked declaration read, itself and through what it read. */
  private readonly readsOf = new Map<string, string[]>();
  /** Declarations being checked on demand (a use of one of them is a cycle). */
  private readonly busy = new Set<string>();

  constructor(readonly input: CheckInput) {}

  get decls(): Decl[] {
    return this.input.decls;
  }

  /** The declarations of one kind, in order. */
  all<K extends Decl["kind"]>(kind: K): DeclOf<K>[] {
    return this.input.decls.filter((d): d is DeclOf<K> => d.kind === kind);
  }

  // ------------------------------------------------------------ reporting

  /** The one way to report a problem: its code, where, and its message's arguments. */
  report<C extends Code>(code: C, span: Span, args: ArgsOf<C>, extra: Extra = {}): void {
    this.push(diagnostic(code, span, args, extra));
  }

  /** A problem a catalog rule returned, at `span` (the rule says which argument when it knows). */
  reportProblem(p: Problem, span: Span, extra: Extra = {}): void {
    this.report(p.code, span, p.args as never, { ...(p.help ? { help: p.help } : {}), ...extra });
  }

  /** A constant that could not be evaluated: its diagnostic; anything else is a bug and is thrown on. */
  fail(e: unknown): void {
    if (!(e instanceof ConstError)) throw e;
    if (e.diagnostic) this.push(e.diagnostic);
  }

  /** A constant that must be a number: the number, or undefined after reporting why not. */
  constNumber(e: Expr, what: string, env: ConstEnv = this.env): number | undefined {
    try {
      const v = evalConst(e, env, what);
      if (typeof v === "number") return v;
      this.report("E0211", e.span, { what, found: JSON.stringify(v) });
    } catch (err) {
      this.fail(err);
    }
    return undefined;
  }

  private push(d: Diagnostic): void {
    this.diagnostics.push(d);
    const cause = this.causeOf(d.span);
    if (cause) this.causes.set(d, cause);
  }

  // ------------------------------------------------------------ what each declaration reads

  /** Marks a name used (no "unused" warning) and read by the declaration being checked. */
  use(name: string): void {
    this.used.add(name);
    const reads = this.reading[this.reading.length - 1];
    if (!reads) return;
    for (const n of this.readsOf.get(name) ?? []) latest(reads, n);
    latest(reads, name);
  }

  /**
   * Runs the check of a declaration (named by `keys`: its names), recording what it reads, and
   * adding that to what the declaration that asked for it reads.
   */
  within<T>(keys: string | readonly string[], check: () => T): T {
    this.reading.push(new Set());
    try {
      return check();
    } finally {
      const reads = [...this.reading.pop()!];
      for (const k of typeof keys === "string" ? [keys] : keys) if (!this.readsOf.has(k)) this.readsOf.set(k, reads);
      const outer = this.reading[this.reading.length - 1];
      if (outer) for (const n of reads) latest(outer, n);
    }
  }

  /**
   * A declaration checked on first use and remembered (networks, lets and losses may be used
   * before they are written): `check` runs once, within the declaration; `cycle` reports a use
   * of the declaration while it is being checked.
   */
  onDemand<T>(memo: Map<string, T | undefined>, name: string, check: () => T | undefined, cycle: () => void): T | undefined {
    if (memo.has(name)) return memo.get(name);
    if (this.busy.has(name)) {
      cycle();
      return undefined;
    }
    this.busy.add(name);
    const ir = this.within(name, check);
    this.busy.delete(name);
    memo.set(name, ir);
    return ir;
  }

  /** The order of the spec's layers: base files first, the spec itself, then the command line. */
  layerOf(file: string): number {
    return file === COMMAND_LINE ? this.input.files.length : this.input.files.indexOf(file);
  }

  /**
   * The most recent read, by the declaration being checked, of a declaration written in a later
   * layer than `span` (an override in the extending spec, or a `--set`): what may have caused
   * a problem reported at `span`.
   */
  private causeOf(span: Span): Cause | undefined {
    const top = this.reading[this.reading.length - 1];
    if (!top) return undefined;
    const reads = [...top];
    const at = this.layerOf(span.file);
    for (let i = reads.length - 1; i >= 0; i--) {
      const written = this.writtenAt(reads[i]!);
      if (written && this.layerOf(written.file) > at) return { name: reads[i]!, span: written };
    }
    return undefined;
  }

  /** Where a name's value is written: a `--set`, a param's value, or the declaration's name. */
  private writtenAt(name: string): Span | undefined {
    const e = this.names.get(name);
    if (!e) return undefined;
    if (e.kind === "param") return this.input.overrideSpans.get(name)?.value ?? e.decl.value.span;
    return e.kind === "data" ? e.decl.bindings[e.index]!.name.span : e.decl.name.span;
  }

  // ------------------------------------------------------------ names

  /** Why `name` is not a constant: what it is, or the param it may be a typo of. */
  explainConst(name: string, extra: Iterable<string> = []): { is?: string; guess?: string; failed?: boolean } {
    const e = this.names.get(name);
    if (e) {
      this.use(name);
      return e.kind === "param" ? { failed: true } : { is: KIND_WORD[e.kind] };
    }
    const guess = didYouMean(name, [...extra, ...this.namesOf(["param"])]);
    if (guess) this.used.add(guess);
    return guess ? { guess } : {};
  }

  /** Declared names of the given kinds, in order. */
  namesOf(kinds: readonly Entity["kind"][]): string[] {
    return [...this.names].filter(([, v]) => kinds.includes(v.kind)).map(([n]) => n);
  }

  /** Register a declared name; a second declaration of the same name is an error. */
  declare(id: Ident, entity: Entity): void {
    const prior = this.names.get(id.name);
    if (prior) {
      const at = prior.kind === "data" ? prior.decl.bindings[prior.index]!.name.span : declName(prior.decl)!.span;
      this.report("E0102", id.span, { name: id.name, kind: KIND_WORD[prior.kind] }, { notes: [{ message: phrase("firstDeclared"), span: at }], help: phrase("renameDuplicate") });
      this.ambiguous.add(id.name);
      return;
    }
    this.names.set(id.name, entity);
  }

  /** Look a name up, reporting an unknown name with a did-you-mean among `kinds` (all when absent). */
  lookup(name: string, span: Span, kinds?: readonly Entity["kind"][], also: Iterable<string> = []): Entity | undefined {
    const e = this.names.get(name);
    if (e) this.use(name);
    if (e && (!kinds || kinds.includes(e.kind))) return e;
    if (e) this.report("E0104", span, { name, kind: KIND_WORD[e.kind], expected: kinds!.map((k) => KIND_WORD[k]).join(" or ") });
    else this.unknown("E0101", name, span, [...this.namesOf(kinds ?? Object.keys(KIND_WORD) as Entity["kind"][]), ...also], "name");
    return undefined;
  }

  /**
   * Report an unknown name with a did-you-mean. The suggested name counts as used, so that a typo
   * does not also produce an "unused" warning for the name that was meant. With `listAll`, a short
   * candidate list is printed when nothing is close.
   */
  unknown(code: "E0101" | "E0201" | "E0601" | "E0603", name: string, span: Span, candidates: Iterable<string>, what = "name", listAll = false): void {
    const all = [...candidates];
    const guess = didYouMean(name, all);
    if (guess) this.used.add(guess);
    const help = guess ? phrase("didYouMean", { name: guess }) : listAll && all.length > 0 && all.length <= 8 ? phrase("expectedOneOf", { names: codeList(all) }) : undefined;
    this.report(code, span, { name, what }, help ? { help } : {});
  }
}
