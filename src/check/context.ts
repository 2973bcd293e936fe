// The checker's shared state: every top-level name and what it refers to, the constant
// environment (params after `--set`), diagnostics, and which names were used.
import { diag, didYouMean, type Code, type Diagnostic } from "../diagnostics/index.js";
import type { Span } from "../diagnostics/span.js";
import type { Decl, Ident } from "../syntax/ast.js";
import { declName } from "../syntax/ast.js";
import type { Const } from "../ir/types.js";

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

export class Context {
  readonly diagnostics: Diagnostic[] = [];
  readonly names = new Map<string, Entity>();
  readonly used = new Set<string>();
  /** Names declared twice: their uses are not checked, to avoid errors that only echo the E0102. */
  readonly ambiguous = new Set<string>();
  /** Keys of problems already reported once (e.g. one class head used by several losses). */
  readonly reportedOnce = new Set<string>();
  /** Param values (after `--set`); reading one marks it used. */
  readonly params = new Map<string, Const>();
  readonly env = {
    get: (name: string): Const | undefined => {
      const v = this.params.get(name);
      if (v !== undefined) this.used.add(name);
      return v;
    },
    explain: (name: string, extra: Iterable<string> = []) => this.explainConst(name, extra),
  };

  report(d: Diagnostic): void {
    this.diagnostics.push(d);
  }

  /** Why `name` is not a constant: what it is, or the param it may be a typo of. */
  explainConst(name: string, extra: Iterable<string> = []): { is?: string; guess?: string } {
    const e = this.names.get(name);
    if (e) {
      this.used.add(name);
      return { is: KIND_WORD[e.kind] };
    }
    const guess = didYouMean(name, [...extra, ...[...this.names].filter(([, v]) => v.kind === "param").map(([n]) => n)]);
    if (guess) this.used.add(guess);
    return guess ? { guess } : {};
  }

  /** Register a declared name; a second declaration of the same name is an error. */
  declare(id: Ident, entity: Entity): void {
    const prior = this.names.get(id.name);
    if (prior) {
      const at = prior.kind === "data" ? prior.decl.bindings[prior.index]!.name.span : declName(prior.decl)!.span;
      this.report(
        diag("E0102", id.span, `\`${id.name}\` is already declared as ${KIND_WORD[prior.kind]}`, {
          notes: [{ message: "first declared here", span: at }],
          help: "every top-level name must be unique; rename one of them",
        }),
      );
      this.ambiguous.add(id.name);
      return;
    }
    this.names.set(id.name, entity);
  }

  /** Look a name up, reporting an unknown name with a did-you-mean among `kinds` (all when absent). */
  lookup(name: string, span: Span, kinds?: readonly Entity["kind"][], extra: Iterable<string> = []): Entity | undefined {
    const e = this.names.get(name);
    if (e && (!kinds || kinds.includes(e.kind))) {
      this.used.add(name);
      return e;
    }
    if (e) {
      this.used.add(name);
      this.report(
        diag("E0104", span, `\`${name}\` is ${KIND_WORD[e.kind]}, not ${kinds!.map((k) => KIND_WORD[k]).join(" or ")}`),
      );
      return undefined;
    }
    this.unknown(name, span, [...[...this.names].filter(([, v]) => !kinds || kinds.includes(v.kind)).map(([k]) => k), ...extra]);
    return undefined;
  }

  /**
   * Report an unknown name with a did-you-mean. The suggested name counts as used, so that a typo
   * does not also produce an "unused" warning for the name that was meant. With `listAll`, a short
   * candidate list is printed when nothing is close.
   */
  unknown(name: string, span: Span, candidates: Iterable<string>, what = "name", code: Code = "E0101", listAll = false): void {
    const all = [...candidates];
    const guess = didYouMean(name, all);
    if (guess) this.used.add(guess);
    const help = guess ? `did you mean \`${guess}\`?` : listAll && all.length > 0 && all.length <= 8 ? `expected one of: ${all.map((c) => `\`${c}\``).join(", ")}` : undefined;
    this.report(diag(code, span, `unknown ${what} \`${name}\``, help ? { help } : {}));
  }
}
