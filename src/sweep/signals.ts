// SIGINT/SIGTERM for the long-running sweep commands: the first asks for a clean stop, a second
// one for an immediate one. The exit codes follow the shell's convention (128 + signal number).
export type Stop = "SIGINT" | "SIGTERM";

export const exitCodeOf = (s: Stop) => (s === "SIGINT" ? 130 : 143);

export interface StopSignals {
  /** The first signal received, or null. */
  readonly signal: Stop | null;
  dispose(): void;
}

export function onStopSignals(first: (s: Stop) => void, again: (s: Stop) => void): StopSignals {
  const state: { signal: Stop | null } = { signal: null };
  const handler = (s: Stop) => {
    if (state.signal === null) {
      state.signal = s;
      first(s);
    } else again(s);
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    get signal() {
      return state.signal;
    },
    dispose() {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
