import { describe, expect, it } from "vitest";
import { fmtCount, fmtNum, printConst, printExpr, printLayer, printSchedule, printType } from "../../src/ir/print.js";
import type { IrExpr, IrNode, IrSchedStmt, IrType } from "../../src/ir/types.js";
import { parseSpec } from "../../src/syntax/parse.js";
import type { Expr } from "../../src/syntax/ast.js";
import { spec } from "./helpers.js";

const S: IrType = { kind: "scalar" };
const sp = { file: "t.gan", start: 0, end: 0 };
const num = (value: number): IrExpr => ({ k: "const", value, type: S, span: sp });
const ref = (name: string): IrExpr => ({ k: "param", name, type: S, span: sp });
const bin = (op: "+" | "-" | "*" | "/" | "^", left: IrExpr, right: IrExpr): IrExpr => ({ k: "binary", op, left, right, type: S, span: sp });
const neg = (operand: IrExpr): IrExpr => ({ k: "neg", operand, type: S, span: sp });
const fn = (name: string, ...args: IrExpr[]): IrExpr => ({ k: "builtin", fn: name, args, options: {}, type: S, span: sp });

/** The expression of `let v = <src>` as an IR-shaped tree (names as params, calls as builtins). */
function parseExpr(src: string): IrExpr {
  const { ast, diagnostics } = parseSpec("t.gan", `let v = ${src}\n`);
  expect(diagnostics).toEqual([]);
  const d = ast.decls[0]!;
  if (d.kind !== "Let") throw new Error("expected a let");
  const conv = (e: Expr): IrExpr => {
    switch (e.kind) {
      case "Number":
        return num(e.value);
      case "Name":
        return ref(e.name);
      case "Unary":
        return neg(conv(e.operand));
      case "Binary":
        return bin(e.op, conv(e.left), conv(e.right));
      case "Call":
        return fn(e.callee.name, ...e.args.map((a) => conv(a.value)));
      case "Member":
        return { k: "member", object: conv(e.object), name: e.member.name, type: S, span: sp };
      default:
        throw new Error(`unexpected ${e.kind}`);
    }
  };
  return conv(d.value);
}

/** A span- and type-free rendering, to compare trees. */
function tree(e: IrExpr): string {
  switch (e.k) {
    case "binary":
      return `(${e.op} ${tree(e.left)} ${tree(e.right)})`;
    case "neg":
      return `(neg ${tree(e.operand)})`;
    case "builtin":
      return `(${e.fn} ${e.args.map(tree).join(" ")})`;
    case "member":
      return `(. ${tree(e.object)} ${e.name})`;
    case "const":
      return String(e.value);
    default:
      return "name" in e ? e.name : e.k;
  }
}

describe("printExpr", () => {
  // source as written -> minimal form; both must parse to the same tree
  const CASES: [string, string][] = [
    ["a - (b - c)", "a - (b - c)"],
    ["(a - b) - c", "a - b - c"],
    ["a + (b + c)", "a + (b + c)"],
    ["(a + b) * c", "(a + b) * c"],
    ["a * (b * c)", "a * (b * c)"],
    ["a / (b * c)", "a / (b * c)"],
    ["(a / b) * c", "a / b * c"],
    ["a * b + c * d", "a * b + c * d"],
    ["-(a ^ 2)", "-a ^ 2"],
    ["(-a) ^ 2", "(-a) ^ 2"],
    ["a ^ b ^ c", "a ^ b ^ c"],
    ["(a ^ b) ^ c", "(a ^ b) ^ c"],
    ["a ^ -b", "a ^ -b"],
    ["a ^ (b * c)", "a ^ (b * c)"],
    ["a * -b", "a * -b"],
    ["a - -b", "a - -b"],
    ["-(-a)", "-(-a)"],
    ["-(a + b)", "-(a + b)"],
    ["-(a * b)", "-(a * b)"],
    ["(-a) * b", "-a * b"],
    ["mean((a + b) ^ 2)", "mean((a + b) ^ 2)"],
    ["(f(a)).x", "f(a).x"],
    ["(a + b).x", "(a + b).x"],
    ["2e-4 * a + 0.5", "2e-4 * a + 0.5"],
    ["((lambda)) * (penalty)", "lambda * penalty"],
    ["mean(fake) - mean(real) + lambda * penalty", "mean(fake) - mean(real) + lambda * penalty"],
    ["eps * x + (1 - eps) * g", "eps * x + (1 - eps) * g"],
    ["clip(k + l * (g * r - f), 0, 1)", "clip(k + l * (g * r - f), 0, 1)"],
  ];
  it.each(CASES)("%s prints as %s and parses back to the same tree", (src, want) => {
    const e = parseExpr(src);
    const printed = printExpr(e);
    expect(printed).toBe(want);
    expect(tree(parseExpr(printed))).toBe(tree(e));
  });

  it("prints hand-built trees with the parentheses they need", () => {
    expect(printExpr(bin("-", ref("a"), bin("-", ref("b"), ref("c"))))).toBe("a - (b - c)");
    expect(printExpr(bin("^", num(-2), ref("a")))).toBe("(-2) ^ a");
    expect(printExpr(bin("*", ref("a"), num(-2)))).toBe("a * -2");
    expect(printExpr(neg(num(-2)))).toBe("-(-2)");
  });

  it("prints network calls, outputs, options and casts", () => {
    const x: IrExpr = { k: "data", name: "x", type: S, span: sp };
    const call = (output?: string): IrExpr => ({ k: "call", network: "D", args: [x], ...(output ? { output } : {}), type: S, span: sp });
    expect(printExpr(call("out"))).toBe("D(x)");
    expect(printExpr(call())).toBe("D(x)");
    expect(printExpr(call("class"))).toBe("D(x).class");
    expect(printExpr({ k: "builtin", fn: "bce_logits", args: [call("source"), num(1)], options: { smoothing: 0.1 }, type: S, span: sp })).toBe("bce_logits(D(x).source, 1, smoothing = 0.1)");
    expect(printExpr({ k: "builtin", fn: "bce_logits", args: [call(), num(1)], options: { smoothing: 0 }, type: S, span: sp })).toBe("bce_logits(D(x), 1)");
    expect(printExpr({ k: "builtin", fn: "history", args: [x], options: { size: 50, p: 0.5 }, type: S, span: sp })).toBe("history(x)");
    expect(printExpr({ k: "builtin", fn: "cast", args: [x], options: { domain: "X" }, type: S, span: sp })).toBe("cast(x, X)");
    expect(printExpr({ k: "builtin", fn: "iteration", args: [], options: {}, type: S, span: sp })).toBe("iteration");
  });

  it("prints the checked losses of the specs as written", () => {
    const w = spec("wgan_gp");
    const v = (n: string) => printExpr(w.values.find((x) => x.name === n)!.expr);
    expect(v("d_loss")).toBe("mean(fake_logits) - mean(real_logits) + lambda * penalty");
    expect(v("penalty")).toBe("mean(square(norm(grad(D(x_hat), x_hat)) - 1))");
    expect(v("x_hat")).toBe("eps * x + (1 - eps) * G(z)");
    const a = spec("acgan");
    expect(printExpr(a.values.find((x) => x.name === "g_loss")!.expr)).toBe("bce_logits(fake.source, 1) + cross_entropy(fake.class, c)");
    const c = spec("cyclegan");
    expect(printExpr(c.values.find((x) => x.name === "identity")!.expr)).toBe("l1(G(cast(y, X)), y) + l1(F(cast(x, Y)), x)");
  });
});

describe("numbers, constants and types", () => {
  it("formats numbers compactly and exactly", () => {
    expect(fmtNum(2e-4)).toBe("2e-4");
    expect(fmtNum(0.0001)).toBe("1e-4");
    expect(fmtNum(1e-8)).toBe("1e-8");
    expect(fmtNum(0.5)).toBe("0.5");
    expect(fmtNum(0.01)).toBe("0.01");
    expect(fmtNum(0.001)).toBe("1e-3");
    expect(fmtNum(0.999)).toBe("0.999");
    expect(fmtNum(1.5e-5)).toBe("1.5e-5");
    expect(fmtNum(6272)).toBe("6272");
    expect(fmtNum(1000)).toBe("1000");
    expect(fmtNum(-0.25)).toBe("-0.25");
    expect(fmtNum(1e21)).toBe("1e21");
    for (const n of [2e-4, 1 / 3, 0.1 + 0.2, 123456.789, 1e-300, 5e-324]) expect(Number(fmtNum(n))).toBe(n);
  });

  it("groups thousands", () => {
    expect(fmtCount(0)).toBe("0");
    expect(fmtCount(1088)).toBe("1,088");
    expect(fmtCount(633472)).toBe("633,472");
    expect(fmtCount(1234567)).toBe("1,234,567");
  });

  it("prints constants and types", () => {
    expect(printConst([-1, 1])).toBe("[-1, 1]");
    expect(printConst('say "hi"')).toBe('"say \\"hi\\""');
    expect(printConst(true)).toBe("true");
    expect(printType({ kind: "scalar" })).toBe("scalar");
    expect(printType({ kind: "tensor", shape: [28, 28, 1] })).toBe("[28, 28, 1]");
    expect(printType({ kind: "tensor", shape: [28, 28, 1], domain: "X" })).toBe("X [28, 28, 1]");
    expect(printType({ kind: "tensor", shape: [] })).toBe("[]");
    expect(printType({ kind: "label", classes: 10 })).toBe("label(10)");
    expect(printType({ kind: "outputs", network: "D", outputs: { source: { kind: "tensor", shape: [1] }, class: { kind: "tensor", shape: [10] } } })).toBe("(source: [1], class: [10])");
  });
});

describe("printLayer", () => {
  const node = (over: Partial<IrNode>): IrNode => ({ id: "n_1", op: "relu", inputs: ["x"], args: {}, inTypes: [{ kind: "tensor", shape: [4] }], outType: { kind: "tensor", shape: [4] }, paramCount: 0, span: sp, ...over });

  it("prints the example of the brief", () => {
    const conv = node({
      op: "conv2d",
      args: { filters: 64, kernel: 4, stride: 2, padding: "same", bias: true, sn: false },
      inTypes: [{ kind: "tensor", shape: [28, 28, 1] }],
      outType: { kind: "tensor", shape: [14, 14, 64] },
      paramCount: 1088,
    });
    expect(printLayer(conv)).toBe('conv2d(64, kernel=4, stride=2, padding="same") [28, 28, 1] -> [14, 14, 64], 1,088 params');
    expect(printLayer({ ...conv, args: { ...conv.args, bias: false, sn: true }, paramCount: 1024 })).toBe(
      'conv2d(64, kernel=4, stride=2, padding="same", bias=false, sn=true) [28, 28, 1] -> [14, 14, 64], 1,024 params',
    );
  });

  it("prints variadic, reference, residual and network layers", () => {
    expect(printLayer(node({ op: "reshape", args: { dims: [7, 7, 128] }, inTypes: [{ kind: "tensor", shape: [6272] }], outType: { kind: "tensor", shape: [7, 7, 128] } }))).toBe("reshape(7, 7, 128) [6272] -> [7, 7, 128], 0 params");
    expect(printLayer(node({ op: "concat", inputs: ["z", "code"], inTypes: [{ kind: "tensor", shape: [100] }, { kind: "tensor", shape: [10] }], outType: { kind: "tensor", shape: [110] } }))).toBe("concat(code) [100] + [10] -> [110], 0 params");
    expect(printLayer(node({ op: "add", inputs: ["relu_2", "instancenorm_4"], inTypes: [{ kind: "tensor", shape: [4] }, { kind: "tensor", shape: [4] }] }))).toBe("add(relu_2, instancenorm_4) [4] + [4] -> [4], 0 params");
    expect(printLayer(node({ op: "call", network: "Enc", outType: { kind: "tensor", shape: [64] } }))).toBe("Enc [4] -> [64], 0 params (shares the weights of Enc)");
    expect(printLayer(node({ op: "dense", args: { units: 1, bias: true, sn: false }, outType: { kind: "tensor", shape: [1] }, paramCount: 1 }))).toBe("dense(1) [4] -> [1], 1 param");
    expect(printLayer(node({ op: "embedding", args: { dim: 100 }, inTypes: [{ kind: "label", classes: 10 }], outType: { kind: "tensor", shape: [100] }, paramCount: 1000 }))).toBe("embedding(100) label(10) -> [100], 1,000 params");
  });

  it("prints every layer of the DCGAN discriminator", () => {
    expect(spec("dcgan").networks.find((n) => n.name === "D")!.nodes.map(printLayer)).toEqual([
      'conv2d(32, kernel=4, stride=2, padding="same") [28, 28, 1] -> [14, 14, 32], 544 params',
      "leaky_relu(alpha=0.2) [14, 14, 32] -> [14, 14, 32], 0 params",
      'conv2d(64, kernel=4, stride=2, padding="same") [14, 14, 32] -> [7, 7, 64], 32,832 params',
      "batchnorm(momentum=0.9) [7, 7, 64] -> [7, 7, 64], 128 params",
      "leaky_relu(alpha=0.2) [7, 7, 64] -> [7, 7, 64], 0 params",
      "flatten [7, 7, 64] -> [3136], 0 params",
      "dense(1) [3136] -> [1], 3,137 params",
    ]);
  });
});

describe("printSchedule", () => {
  it("prints the specs' schedules in spec syntax", () => {
    expect(printSchedule(spec("wgan_gp").schedule)).toEqual(["  repeat 5 {", "    step D minimize d_loss", "  }", "  step G minimize g_loss"]);
    expect(printSchedule(spec("began").schedule)).toEqual([
      "  together {",
      "    step D minimize d_loss",
      "    step G minimize g_loss",
      "  }",
      "  k = clip(k + lambda_k * (gamma * loss_real - loss_fake), 0, 1)",
    ]);
  });

  it("prints every kind of statement", () => {
    const stmts: IrSchedStmt[] = [
      { k: "repeat", count: 5, span: sp, body: [{ k: "step", networks: ["D"], loss: "d_loss", reuse: [], span: sp }, { k: "clip_weights", network: "D", bound: 0.01, span: sp }] },
      { k: "step", networks: ["G", "F"], loss: "cyc", reuse: ["x", "y"], span: sp },
      { k: "ema", network: "G", decay: 0.999, span: sp },
    ];
    expect(printSchedule(stmts)).toEqual(["  repeat 5 {", "    step D minimize d_loss", "    clip_weights D 0.01", "  }", "  step G, F minimize cyc reuse x, y", "  ema G 0.999"]);
  });
});
