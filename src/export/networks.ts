// generator.js: the exported networks' code, cut from the training module the code generator
// emits (its `buildX(store, nets?, state?)` functions and the declarations they read), as
// JavaScript that imports tfjs and the runtime's layers from the bundled ./ganc-tfjs.js.
// It relies only on the emitted code's public shape: a `buildX` function per network X.
import ts from "typescript";
import * as prettier from "prettier";
import { generate } from "../codegen/index.js";
import type { IrSpec } from "../ir/types.js";
import type { ExportInfo } from "./info.js";

/** The networks `roots` apply, directly or through others, each after the ones it uses. */
export function networksNeeded(ir: IrSpec, roots: string[]): string[] {
  const out: string[] = [];
  const visit = (name: string) => {
    if (out.includes(name)) return;
    for (const u of ir.networks.find((n) => n.name === name)?.uses ?? []) visit(u);
    out.push(name);
  };
  roots.forEach(visit);
  return out;
}

const declared = (s: ts.Statement): string[] => {
  if (ts.isFunctionDeclaration(s) || ts.isTypeAliasDeclaration(s) || ts.isInterfaceDeclaration(s)) return s.name ? [s.name.text] : [];
  if (ts.isVariableStatement(s)) return s.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) ? [d.name.text] : []));
  return [];
};

/** The names `node` reads (not property names: `layers.dense_1`, `{ units: 3 }`). */
function identifiers(node: ts.Node, into: Set<string>): void {
  const p = node.parent;
  const property =
    (ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p) || ts.isPropertySignature(p) ? p.name : ts.isQualifiedName(p) ? p.right : undefined) === node;
  if (ts.isIdentifier(node) && !property) into.add(node.text);
  node.forEachChild((c) => identifiers(c, into));
}

/** The statements of `code` declaring `buildX` for each network, and what they read, in source order. */
function cut(code: string, networks: string[]): { text: string; params: Map<string, string[]> } {
  const file = ts.createSourceFile("module.ts", code, ts.ScriptTarget.ES2022, true);
  const statements = file.statements.filter((s) => !ts.isImportDeclaration(s));
  const wanted = new Set(networks.map((n) => `build${n}`));
  const params = new Map<string, string[]>();
  const chosen = new Set<ts.Statement>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of statements) {
      if (chosen.has(s) || !declared(s).some((n) => wanted.has(n))) continue;
      chosen.add(s);
      grew = true;
      const used = new Set<string>();
      identifiers(s, used);
      used.forEach((n) => wanted.add(n));
    }
  }
  for (const s of chosen)
    if (ts.isFunctionDeclaration(s) && s.name) params.set(s.name.text, s.parameters.map((p) => p.name.getText(file)));
  for (const n of networks) if (!params.has(`build${n}`)) throw new Error(`the generated code has no function build${n}`);
  const text = statements
    .filter((s) => chosen.has(s))
    .map((s) => code.slice(s.getFullStart(), s.end))
    .join("\n");
  return { text, params };
}

/** Transpiling drops blank lines: one again before each top-level statement and its doc comment. */
function spaced(js: string): string {
  const lines = js.split("\n");
  const comment = (l: string) => /^(\/\/|\/\*\*| \*)/.test(l);
  return lines.map((l, i) => (i > 0 && /^[a-z/]/.test(l) && lines[i - 1] !== "" && !comment(lines[i - 1]!) ? `\n${l}` : l)).join("\n");
}

/** The text of generator.js for `info`'s network and the networks it uses. */
export async function generatorModule(ir: IrSpec, texts: Record<string, string>, info: ExportInfo, networks: string[]): Promise<string> {
  const { text, params } = cut(await generate(ir, { texts }), networks);
  const argument = (net: string, p: string) => {
    if (p === "store" || p === "state") return p;
    if (p === "nets") return `{ ${ir.networks.find((n) => n.name === net)!.uses.join(", ")} }`;
    throw new Error(`build${net} takes a parameter \`${p}\` that ganc export does not know`);
  };
  const build = networks.map((n) => `  const ${n} = build${n}(${params.get(`build${n}`)!.map((p) => argument(n, p)).join(", ")});`);
  const ts_ = [
    `// The generator of ${info.spec} (network ${info.network}, step ${info.step}${info.ema ? ", moving-average weights" : ""}), written by \`ganc export\`.`,
    `// In a page: <script type="module">import { load, sample } from "./generator.js"; await load(); ...</script>`,
    `// In Node: the same import, from this folder (weights are read from disk). See ganc's README.`,
    `import { tf, rt, generatorApi } from "./ganc-tfjs.js";`,
    ``,
    `export { tf };`,
    ``,
    `/** What the generator reads and makes. */`,
    `export const info = ${JSON.stringify(info)};`,
    ``,
    text,
    ``,
    `/** Builds the exported networks in \`store\`; load() then assigns their weights from model.json. */`,
    `function buildNetworks(store: rt.nn.ParamStore, state: Record<string, tf.Variable>) {`,
    ...build,
    `  return { ${networks.join(", ")} };`,
    `}`,
    ``,
    `const api = generatorApi(info, buildNetworks, new URL("./", import.meta.url));`,
    `export const { load, generate, sample, drawNoise, translate, interpolate, toRgba, dispose } = api;`,
  ].join("\n");
  // Type annotations are dropped, comments kept: the emitted code reads as before, in JavaScript.
  const js = ts.transpileModule(ts_, { compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText;
  return prettier.format(spaced(js), { parser: "babel", printWidth: 120 });
}
