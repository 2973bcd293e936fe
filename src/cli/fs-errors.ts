// The one way the CLI reports a failing file system (a full disk, a read-only folder, a path
// through a file): the path, the system error in words and what to try, never a stack trace.
// Paths named on the command line are checked up front, as usage errors (exit 2).
import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./io.js";

/** System errors by code: what happened, in words, and what to try. */
const ERRORS: Record<string, [string, string]> = {
  ENOENT: ["no such file or folder", "check the path"],
  EACCES: ["permission denied", "choose a folder you can write to, or change its permissions"],
  EPERM: ["operation not permitted", "choose a folder you can write to, or change its permissions"],
  EROFS: ["the file system is read-only", "choose a folder on a writable disk"],
  ENOSPC: ["no space left on the device", "free some space (old runs and their checkpoints), or write to another disk"],
  EDQUOT: ["the disk quota is exceeded", "free some space (old runs and their checkpoints), or write to another disk"],
  ENOTDIR: ["a part of the path is a file, not a folder", "choose a path whose folders are folders"],
  EISDIR: ["it is a folder, not a file", "give a file name"],
  EEXIST: ["it already exists", "choose another path"],
  ENAMETOOLONG: ["the path is too long", "choose a shorter path"],
  EMFILE: ["too many open files", "raise the limit (ulimit -n) or close other programs"],
  EIO: ["an input/output error of the device", "check the disk"],
};

const VERB: Record<string, string> = { open: "open", read: "read", write: "write", mkdir: "create the folder", rename: "rename", unlink: "remove", rmdir: "remove", scandir: "list", stat: "access", lstat: "access", copyfile: "copy", fsync: "write" };

/**
 * `mkdir -p` reports ENOENT when it cannot create the first missing folder, whatever the reason:
 * the real one is why the nearest existing folder cannot be written (EROFS, EACCES...).
 */
function mkdirCause(dir: string): string {
  let parent = path.dirname(dir);
  while (!fs.existsSync(parent) && path.dirname(parent) !== parent) parent = path.dirname(parent);
  try {
    fs.accessSync(parent, fs.constants.W_OK);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code ?? "ENOENT";
  }
  return "ENOENT";
}

/** The message for a Node.js system error (one with a code and a syscall), or undefined for anything else. */
export function fsErrorMessage(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { syscall, path: file } = e as NodeJS.ErrnoException;
  let { code } = e as NodeJS.ErrnoException;
  if (typeof code !== "string" || typeof syscall !== "string") return undefined;
  if (syscall === "mkdir" && code === "ENOENT" && file) code = mkdirCause(file);
  const [words, hint] = ERRORS[code] ?? [e.message.replace(/^\w+: /, "").replace(/, \w+ .*$/, ""), "check the path and the disk"];
  const verb = VERB[syscall] ?? syscall;
  return `cannot ${verb}${file ? ` ${file}` : ""}: ${words} (${code}); ${hint}`;
}

/** `file` as an output file named by `flag`: it must not be a folder. */
export function outputFile(file: string, flag: string): void {
  if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) {
    throw new UsageError(`${flag} \`${file}\` is a folder; give the name of the file to write in it`);
  }
}

/** `dir` as an output folder named by `flag`: it must be a folder, or not exist yet. */
export function outputFolder(dir: string, flag: string): void {
  const st = fs.statSync(dir, { throwIfNoEntry: false });
  if (st && !st.isDirectory()) throw new UsageError(`${flag} \`${dir}\` is a file, not a folder; give a folder (it is created when missing)`);
}
