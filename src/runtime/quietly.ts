/** Starting a backend: tfjs warns on the console before `setBackend` returns false. */

/** Runs `f` with console.warn silenced; false if it throws or returns false. */
export async function quietly(f: () => Promise<boolean>): Promise<boolean> {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return await f();
  } catch {
    return false;
  } finally {
    console.warn = warn;
  }
}
