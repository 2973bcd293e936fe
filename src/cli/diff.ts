// `ganc diff A B`: the semantic differences between two resolved specs, like diff(1)'s exit code.
import { diffIr } from "../ir/diff.js";
import { compile } from "./compile.js";
import { EXIT, type Io } from "./io.js";

export function diffCommand(io: Io, a: string, b: string): number {
  const ia = compile(io, a);
  const ib = compile(io, b);
  if (!ia || !ib) return EXIT.usage;
  const lines = diffIr(ia, ib);
  if (lines.length) io.out(lines.join("\n"));
  return lines.length ? EXIT.problems : EXIT.ok;
}
