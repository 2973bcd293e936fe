// Running the `ganc` command in-process for tests, capturing what it prints.
import { main } from "../../src/cli/main.js";

export interface Run {
  code: number;
  out: string;
  err: string;
}

/** Runs the CLI in-process; the training progress display (process.stderr) is silenced. */
export async function ganc(...argv: string[]): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = (() => true) as typeof process.stderr.write;
  try {
    const code = await main(argv, { out: (t) => out.push(t), err: (t) => err.push(t.endsWith("\n") ? t : `${t}\n`) });
    return { code, out: out.join(""), err: err.join("") };
  } finally {
    process.stderr.write = write;
  }
}
