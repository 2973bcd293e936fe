// Output streams and exit codes shared by the commands; tests capture them in-process.
import { overrideProblem } from "../check/check.js";
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

export const processIo: Io = {
  out: (t) => process.stdout.write(t.endsWith("\n") ? t : `${t}\n`),
  err: (t) => process.stderr.write(t.endsWith("\n") ? t : `${t}\n`),
};

/**
 * Exit codes (README.md, "Exit codes"): 0 done and clean; 1 the command found problems or failed
 * (diagnostics, differences, a diverged run, bad data, a failing file system); 2 bad command-line
 * use, an input named on it that cannot be read, or two specs `diff` cannot compare; 128 + the
 * signal for a run stopped by one (after writing its checkpoint): 130 SIGINT, 143 SIGTERM.
 */
export const EXIT = { ok: 0, problems: 1, usage: 2, SIGINT: 130, SIGTERM: 143 } as const;

/** A mistake in how ganc was called (bad flag value, unreadable file): printed, exit 2. */
export class UsageError extends Error {}

/** `--set a=1 --set b="x"` -> { a: "1", b: "\"x\"" }; a value that is not a literal of the language is a UsageError. */
export function parseSets(sets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of sets) {
    const eq = s.indexOf("=");
    if (eq <= 0) throw new UsageError(`--set expects name=value, found \`${s}\``);
    const value = s.slice(eq + 1).trim();
    const problem = overrideProblem(value);
    if (problem) throw new UsageError(`--set ${s.trim()}: ${problem}`);
    out[s.slice(0, eq).trim()] = value;
  }
  return out;
}
