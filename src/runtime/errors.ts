/**
 * The error the runtime throws for mistakes a user can fix (bad option, missing
 * data folder, unreadable image, missing optional package). The CLI prints only
 * `message` for these; any other error is a bug and keeps its stack trace.
 */
export class RuntimeUserError extends Error {
  override readonly name = "RuntimeUserError";
  constructor(message: string) {
    super(message);
  }
}

/** True when `e` is a RuntimeUserError (also across duplicated module copies). */
export function isRuntimeUserError(e: unknown): e is RuntimeUserError {
  return e instanceof RuntimeUserError || (e instanceof Error && e.name === "RuntimeUserError");
}
