import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { Span } from "../../src/diagnostics/span.js";
import type * as A from "../../src/syntax/ast.js";
import { parseSpec } from "../../src/syntax/index.js";

const specsDir = fileURLToPath(new URL("../../specs/", import.meta.url));
const specs = readdirSync(specsDir)
  .filter((f) => f.endsWith(".gan"))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(specsDir + f, "utf8") }));

function parseOk(text: string): A.SpecFile {
  const r = parseSpec("t.gan", text);
  expect(r.diagnostics.map((d) => d.message)).toEqual([]);
  return r.ast;
}

function firstDecl<K extends A.Decl["kind"]>(text: string, kind: K): Extract<A.Decl, { kind: K }> {
  const d = parseOk(text).decls.find((x) => x.kind === kind);
  expect(d, `no ${kind} declaration`).toBeDefined();
  return d as Extract<A.Decl, { kind: K }>;
}

/** An expression, shown fully parenthesised: `(a + (b * c))`. */
function show(e: A.Expr): string {
  switch (e.kind) {
    case "Number":
      return e.raw;
    case "String":
      return JSON.stringify(e.value);
    case "Bool":
      return String(e.value);
    case "Name":
      return e.name;
    case "List":
      return `[${e.items.map(show).join(", ")}]`;
    case "Call":
      return `${e.callee.name}(${e.args.map((a) => (a.name ? `${a.name.name}=` : "") + show(a.value)).join(", ")})`;
    case "Member":
      return `${show(e.object)}.${e.member.name}`;
    case "Unary":
      return `(-${show(e.operand)})`;
    case "Binary":
      return `(${show(e.left)} ${e.op} ${show(e.right)})`;
  }
}

function exprOf(src: string): A.Expr {
  return firstDecl(`let v = ${src}`, "Let").value;
}

describe("specs parse", () => {
  it.each(specs)("$name parses with no diagnostics", ({ name, text }) => {
    const r = parseSpec(`specs/${name}`, text);
    expect(r.diagnostics).toEqual([]);
    expect(r.ast.decls.length).toBeGreaterThan(0);
    expect(r.ast.comments.length).toBe((text.match(/#/g) ?? []).length);
  });
});

describe("expressions", () => {
  it("precedence: + - < * / < unary - < ^ < call/member", () => {
    expect(show(exprOf("a + b * c - d / e"))).toBe("((a + (b * c)) - (d / e))");
    expect(show(exprOf("-a * b"))).toBe("((-a) * b)");
    expect(show(exprOf("-a ^ 2"))).toBe("(-(a ^ 2))");
    expect(show(exprOf("a ^ -b"))).toBe("(a ^ (-b))");
    expect(show(exprOf("(a + b) * c"))).toBe("((a + b) * c)");
    expect(show(exprOf("a - b - c"))).toBe("((a - b) - c)");
    expect(show(exprOf("2 * D(x).cls ^ 2"))).toBe("(2 * (D(x).cls ^ 2))");
  });

  it("^ is right-associative", () => {
    expect(show(exprOf("a ^ b ^ c"))).toBe("(a ^ (b ^ c))");
  });

  it("member access on a call, chained", () => {
    const e = exprOf("D(G(z), c).source.x");
    expect(e.kind).toBe("Member");
    expect(show(e)).toBe("D(G(z), c).source.x");
    const m = e as A.Member;
    expect(m.member.name).toBe("x");
    expect((m.object as A.Member).object.kind).toBe("Call");
  });

  it("positional and named arguments", () => {
    const e = exprOf('bce_logits(x, 1, smoothing = 0.1, s = "a\\"b\\\\c\\n")') as A.Call;
    expect(e.kind).toBe("Call");
    expect(e.args.map((a) => a.name?.name)).toEqual([undefined, undefined, "smoothing", "s"]);
    expect((e.args[3]!.value as A.StringLit).value).toBe('a"b\\c\n');
  });

  it("literals: numbers as written, booleans, lists", () => {
    const e = exprOf("[2e-4, 1e+3, 0.50, 64, true, false, []]") as A.ListLit;
    expect(e.items.map((i) => (i.kind === "Number" ? [i.raw, i.value] : i.kind))).toEqual([
      ["2e-4", 2e-4],
      ["1e+3", 1000],
      ["0.50", 0.5],
      ["64", 64],
      "Bool",
      "Bool",
      "List",
    ]);
  });

  it("label stays usable as a name", () => {
    const d = firstDecl("data (x, label) = mnist(labels = true)", "Data");
    expect(d.bindings.map((b) => b.name.name)).toEqual(["x", "label"]);
    expect(show(exprOf("cross_entropy(real.class, label)"))).toBe("cross_entropy(real.class, label)");
  });
});

describe("declarations", () => {
  it("data: single, with a domain, and tuple bindings", () => {
    const a = firstDecl('data x = mnist(split = "train")', "Data");
    expect([a.tuple, a.bindings.length, a.source.callee.name]).toEqual([false, 1, "mnist"]);
    const b = firstDecl("data y: Y = mnist()", "Data");
    expect(b.bindings[0]!.domain?.name).toBe("Y");
    const c = firstDecl("data (a: X, b: Y) = image_pairs(path = \"p\")", "Data");
    expect(c.tuple).toBe(true);
    expect(c.bindings.map((x) => `${x.name.name}:${x.domain?.name}`)).toEqual(["a:X", "b:Y"]);
  });

  it("network inputs, single and named outputs", () => {
    const g = firstDecl("network G(z: [100], c: label(10)) -> Image { dense(1) }", "Network");
    expect(g.inputs.map((i) => [i.name.name, i.type.kind])).toEqual([
      ["z", "ShapeType"],
      ["c", "LabelType"],
    ]);
    expect(g.outputsTuple).toBe(false);
    expect(g.outputs).toHaveLength(1);
    expect(g.outputs[0]!.name).toBeUndefined();
    expect(g.outputs[0]!.type.kind).toBe("NamedType");
    const d = firstDecl("network D(x: Image) -> (source: [1], class: [10]) { flatten }", "Network");
    expect(d.outputsTuple).toBe(true);
    expect(d.outputs.map((o) => o.name?.name)).toEqual(["source", "class"]);
    const e = firstDecl("network E(x: [2]) { dense(1) }", "Network");
    expect(e.outputs).toEqual([]);
  });

  it("network bodies: layers, taps, from, residual, heads", () => {
    const n = firstDecl(
      `network D(x: Image, y: [3]) {
        conv2d(64, kernel = 4)
        relu
        feat: flatten
        skip: residual { dense(4) relu }
        from y
        Enc
        head out { dense(1) }
      }`,
      "Network",
    );
    expect(n.body.map((s) => s.kind)).toEqual(["Layer", "Layer", "Layer", "Residual", "From", "Layer", "Head"]);
    const [conv, relu, feat, res, from, enc, head] = n.body as [A.LayerStmt, A.LayerStmt, A.LayerStmt, A.ResidualStmt, A.FromStmt, A.LayerStmt, A.HeadStmt];
    expect([conv.callee.name, conv.args.length, conv.hasParens, conv.args[1]!.name?.name]).toEqual(["conv2d", 2, true, "kernel"]);
    expect([relu.callee.name, relu.hasParens, relu.label]).toEqual(["relu", false, undefined]);
    expect([feat.label?.name, feat.callee.name]).toEqual(["feat", "flatten"]);
    expect([res.label?.name, res.body.length]).toEqual(["skip", 2]);
    expect(from.source.name).toBe("y");
    expect(enc.callee.name).toBe("Enc");
    expect([head.name.name, head.body.length]).toEqual(["out", 1]);
  });

  it("blocks with and without parameters", () => {
    const b = firstDecl("block res(ch, k) { residual { conv2d(ch, kernel = k) } }", "Block");
    expect(b.params.map((p) => p.name)).toEqual(["ch", "k"]);
    expect(firstDecl("block g() { relu }", "Block").params).toEqual([]);
    expect(firstDecl("block g { relu }", "Block").params).toEqual([]);
  });

  it("schedule statements", () => {
    const s = firstDecl(
      `schedule {
        repeat n_critic { step D minimize d_loss clip_weights D 0.01 }
        step G, F minimize g_loss reuse x, y
        together { step D minimize d step G minimize g }
        k = clip(k + 0.1, 0, 1)
        ema G 0.999
      }`,
      "Schedule",
    );
    expect(s.body.map((x) => x.kind)).toEqual(["Repeat", "Step", "Together", "Assign", "Ema"]);
    const [rep, step, tog, asg, ema] = s.body as [A.RepeatStmt, A.StepStmt, A.TogetherStmt, A.AssignStmt, A.EmaStmt];
    expect(show(rep.count)).toBe("n_critic");
    expect(rep.body.map((x) => x.kind)).toEqual(["Step", "ClipWeights"]);
    expect((rep.body[1] as A.ClipStmt).network.name).toBe("D");
    expect(step.networks.map((x) => x.name)).toEqual(["G", "F"]);
    expect(step.loss.name).toBe("g_loss");
    expect(step.reuse.map((x) => x.name)).toEqual(["x", "y"]);
    expect(tog.body).toHaveLength(2);
    expect([asg.target.name, show(asg.value)]).toEqual(["k", "clip((k + 0.1), 0, 1)"]);
    expect([ema.network.name, show(ema.decay)]).toEqual(["G", "0.999"]);
  });

  it("every other declaration kind", () => {
    const ast = parseOk(`extends "base.gan"
      param lambda = 10
      state k = 0
      domain X = [28, 28, 1]
      type T = label(10)
      latent z = normal(100)
      loss l = mean(x)
      monitor m = l
      optimizer G = adam(lr = 2e-4)
      run { batch = 64 steps = 10 }`);
    expect(ast.decls.map((d) => d.kind)).toEqual(["Extends", "Param", "State", "Domain", "Type", "Latent", "Loss", "Monitor", "Optimizer", "Run"]);
    const run = ast.decls[9] as A.RunDecl;
    expect(run.settings.map((s) => s.name.name)).toEqual(["batch", "steps"]);
    expect((ast.decls[0] as A.ExtendsDecl).path.value).toBe("base.gan");
    expect((ast.decls[4] as A.TypeDecl).type.kind).toBe("LabelType");
  });

  it("keywords are not identifiers, but longer names starting with one are", () => {
    const ast = parseOk("param stepsize = 1\nparam run_name = 2\nparam true_value = 3\nparam labels = 4");
    expect(ast.decls.map((d) => (d as A.ParamDecl).name.name)).toEqual(["stepsize", "run_name", "true_value", "labels"]);
  });
});

describe("spans", () => {
  const text = specs.find((s) => s.name === "acgan.gan")!.text;
  const ast = parseSpec("specs/acgan.gan", text).ast;
  const slice = (s: Span) => text.slice(s.start, s.end);

  it("declaration spans cover the declaration exactly", () => {
    expect(slice(ast.decls[0]!.span)).toBe('data (x, label) = mnist(split = "train", range = [-1, 1], labels = true)');
    const net = ast.decls.find((d) => d.kind === "Network")!;
    expect(slice(net.span).startsWith("network G(z: [100], c: label(10)) -> Image {")).toBe(true);
    expect(slice(net.span).endsWith("tanh\n}")).toBe(true);
    const run = ast.decls.find((d) => d.kind === "Run")!;
    expect(slice(run.span).startsWith("run {")).toBe(true);
    expect(slice(run.span).endsWith("checkpoint_every = 500\n}")).toBe(true);
  });

  it("nested node spans", () => {
    const d = ast.decls.find((x) => x.kind === "Network" && x.name.name === "D") as A.NetworkDecl;
    expect(slice(d.name.span)).toBe("D");
    expect(slice(d.outputs[1]!.span)).toBe("class: [10]");
    expect(slice(d.body[0]!.span)).toBe("conv2d(ndf, kernel = 4, stride = 2)");
    const conv = d.body[0] as A.LayerStmt;
    expect(slice(conv.args[1]!.span)).toBe("kernel = 4");
    expect(slice(d.body.find((s) => s.kind === "Head")!.span)).toBe("head source {\n    dense(1)\n  }");
    const flatten = d.body.find((s) => s.kind === "Layer" && s.callee.name === "flatten")!;
    expect(slice(flatten.span)).toBe("flatten");

    const loss = ast.decls.find((x) => x.kind === "Loss") as A.LossDecl;
    const sum = loss.value as A.Binary;
    expect(slice(sum.right.span)).toBe("cross_entropy(fake.class, c)");
    const call = sum.right as A.Call;
    expect(slice(call.args[0]!.value.span)).toBe("fake.class");
    expect(slice((call.args[0]!.value as A.Member).member.span)).toBe("class");

    const g = ast.decls.find((x) => x.kind === "Network" && x.name.name === "G") as A.NetworkDecl;
    expect(slice(g.inputs[1]!.span)).toBe("c: label(10)");
    expect(slice(g.inputs[1]!.type.span)).toBe("label(10)");
    const tap = g.body[1] as A.LayerStmt;
    expect(slice(tap.span)).toBe("class_code: embedding(100)");
    expect(slice(tap.label!.span)).toBe("class_code");
  });

  it("schedule, unary and parenthesised spans", () => {
    const src = "schedule {\n  step G, F minimize g reuse x, y\n  k = -(a + b) * 2\n}\n";
    const s = parseOk(src).decls[0] as A.ScheduleDecl;
    expect(src.slice(s.body[0]!.span.start, s.body[0]!.span.end)).toBe("step G, F minimize g reuse x, y");
    const v = (s.body[1] as A.AssignStmt).value as A.Binary;
    expect(src.slice(v.span.start, v.span.end)).toBe("-(a + b) * 2");
    expect(src.slice(v.left.span.start, v.left.span.end)).toBe("-(a + b)");
    expect(src.slice((v.left as A.Unary).operand.span.start, (v.left as A.Unary).operand.span.end)).toBe("(a + b)");
    const w = exprOf("(a + b) * c") as A.Binary;
    expect(w.span.end - w.span.start).toBe("(a + b) * c".length);
  });

  it("comments are collected with their spans", () => {
    const src = "param a = 1 # one\n# two\nparam b = 2";
    const ast = parseOk(src);
    expect(ast.comments.map((c) => [c.text, src.slice(c.span.start, c.span.end)])).toEqual([
      ["# one", "# one"],
      ["# two", "# two"],
    ]);
  });
});
