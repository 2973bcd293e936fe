// What a sweep prints while it works: a line per event (a run started, finished, failed) and
// the counts of runs waiting/running/done/failed whenever they change, or once a minute with the
// running runs' steps.
import type { Io } from "../cli/io.js";
import { counts, type RunRecord, type SweepFile } from "./state.js";

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());

/** "modes_covered 8, high_quality_fraction 0.76, ..." */
export const formatValues = (values: Record<string, number>) =>
  Object.entries(values)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join(", ");

export class SweepProgress {
  private last = "";
  private lastAt = 0;
  /** Steps of running runs, by run id. */
  readonly steps = new Map<string, { step: number; total: number }>();

  constructor(
    private readonly io: Io,
    private readonly everyMs = 60_000,
  ) {}

  event(text: string): void {
    this.io.err(text);
  }

  outcome(r: RunRecord): void {
    this.steps.delete(r.id);
    if (r.state === "done") this.event(`done ${r.id} (${r.result!.seconds} s): ${formatValues(r.result!.eval)}`);
    else if (r.state === "failed") this.event(`failed ${r.id}: ${r.error}`);
    else this.event(`stopped ${r.id}; it resumes from its checkpoint`);
  }

  /** Prints the counts when they changed, or every `everyMs` with the running runs' steps. */
  status(s: SweepFile): void {
    const c = counts(s);
    const line = `waiting ${c.pending}, running ${c.running}, done ${c.done}, failed ${c.failed}`;
    const now = Date.now();
    if (line === this.last && now - this.lastAt < this.everyMs) return;
    const running = [...this.steps].map(([id, p]) => `${id} ${p.step}/${p.total}`);
    this.event(line + (running.length > 0 ? ` (${running.join(", ")})` : ""));
    this.last = line;
    this.lastAt = now;
  }
}
