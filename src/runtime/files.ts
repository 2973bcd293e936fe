/**
 * File operations the runtime relies on for never losing or hanging on a user's files:
 * reading only regular files (a FIFO or a device named as an image or a checkpoint file would
 * block a read forever), and durable, atomic writes (written to a temporary name, fsynced,
 * renamed into place), so a crash or `kill -9` leaves either the old file or the new one.
 */
import { appendFileSync, chmodSync, closeSync, constants, fstatSync, fsyncSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from "node:fs";
import path from "node:path";
import { RuntimeUserError } from "./errors.js";

/** What a non-regular file is, in words. */
function kindOf(st: import("node:fs").Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isFIFO()) return "a named pipe (FIFO)";
  if (st.isSocket()) return "a socket";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  return "not a regular file";
}

/** A file that cannot be read, or is not a regular file: the reason in words. */
export class FileReadError extends RuntimeUserError {
  constructor(
    readonly file: string,
    readonly reason: string,
    what: string,
  ) {
    super(`cannot read ${what} ${file}: ${reason}`);
  }
}

/**
 * The bytes of `file`, refusing anything but a regular file (opened without blocking, so a
 * FIFO is refused instead of waiting for a writer). `what` names the file in the message.
 */
export function readRegularFile(file: string, what = "file"): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new FileReadError(file, code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : (e as Error).message, what);
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile()) throw new FileReadError(file, `it is ${kindOf(st)}, not a regular file`, what);
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Runs a write to `file`; a system error without a path (those of write(2), like ENOSPC) gets it, for the message. */
function naming<T>(file: string, write: () => T): T {
  try {
    return write();
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (e instanceof Error && typeof err.code === "string" && err.path === undefined) err.path = file;
    throw e;
  }
}

/** fs.writeFileSync, naming the file in any system error. */
export function writeFile(file: string, data: Uint8Array | string): void {
  naming(file, () => writeFileSync(file, data));
}

/** fs.appendFileSync, naming the file in any system error. */
export function appendFile(file: string, data: string): void {
  naming(file, () => appendFileSync(file, data));
}

/** Writes `data` to `file` and fsyncs it (the file is created or truncated). */
export function writeFileSynced(file: string, data: Uint8Array | string): void {
  naming(file, () => {
    const fd = openSync(file, "w");
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  });
}

/** fsyncs a folder so that renames in it are durable. */
export function fsyncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems do not allow fsync on directories; the rename is still atomic.
  }
}

/**
 * Replaces `file` atomically: a crash or a full disk leaves the old content or the new, never a
 * part. An existing file keeps its mode, and a symbolic link stays one (its target is replaced).
 */
export function writeFileAtomic(file: string, data: Uint8Array | string): void {
  const old = statSync(file, { throwIfNoEntry: false });
  const target = old ? realpathSync(file) : file;
  // One fixed temporary name: a crash's leftover is replaced by the next write, not left to pile up.
  const tmp = path.join(path.dirname(target), `.tmp-${path.basename(target)}`);
  try {
    writeFileSynced(tmp, data);
    if (old) chmodSync(tmp, old.mode & 0o7777);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  fsyncDir(path.dirname(target));
}
