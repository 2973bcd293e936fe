// Running the built `ganc` (bin/ganc.js, from dist/) as a real child process, for what only a
// process shows: exit codes, signals, `kill -9`.
import { spawn, type ChildProcess } from "node:child_process";

export interface Exited {
  /** The exit code, or null when a signal ended the process. */
  code: number | null;
  signal: NodeJS.Signals | null;
  out: string;
  err: string;
}

export interface Child {
  process: ChildProcess;
  /** Resolves when the process has exited. */
  exited: Promise<Exited>;
  /** Resolves once stderr contains `text`. */
  stderrIncludes(text: string): Promise<void>;
}

/** Starts `node [nodeArgs] bin/ganc.js args`; it is killed if still running after `timeoutMs`. */
export function startGanc(args: string[], options: { nodeArgs?: string[]; env?: Record<string, string>; timeoutMs?: number } = {}): Child {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), "bin/ganc.js", ...args], { env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const waiting: { text: string; resolve: () => void }[] = [];
  child.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr!.on("data", (d: Buffer) => {
    err += d.toString();
    for (const w of waiting.filter((x) => err.includes(x.text))) {
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  });
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000);
  const exited = new Promise<Exited>((resolve) =>
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, out, err });
    }),
  );
  const stderrIncludes = (text: string) =>
    new Promise<void>((resolve, reject) => {
      if (err.includes(text)) return resolve();
      waiting.push({ text, resolve });
      void exited.then((e) => reject(new Error(`ganc exited (${e.code ?? e.signal}) before printing "${text}":\n${e.err}`)));
    });
  return { process: child, exited, stderrIncludes };
}
