/**
 * Progress display for training: on a TTY a single redrawn line with a bar,
 * steps/s, ETA and current losses; otherwise plain lines at log steps.
 */
export interface ProgressStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, "0")}m` : m > 0 ? `${m}m${String(r).padStart(2, "0")}s` : `${r}s`;
}

function formatValues(values: Record<string, number>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toFixed(4)}`)
    .join(" ");
}

export class Progress {
  private lastDraw = 0;
  constructor(
    private readonly out: ProgressStream,
    private readonly total: number,
  ) {}

  private get tty(): boolean {
    return this.out.isTTY === true;
  }

  /** Called after every step; `log` is true on logging steps. */
  update(done: number, stepsPerSec: number, values: Record<string, number>, log: boolean): void {
    const eta = formatDuration((this.total - done) / stepsPerSec);
    const rate = `${stepsPerSec.toFixed(2)} steps/s`;
    if (this.tty) {
      const now = Date.now();
      if (!log && done !== this.total && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 20;
      const filled = Math.round((done / this.total) * width);
      const bar = "#".repeat(filled) + ".".repeat(width - filled);
      this.out.write(`\r\x1b[2Kstep ${done}/${this.total} [${bar}] ${rate} ETA ${eta} ${formatValues(values)}`);
      if (done === this.total) this.out.write("\n");
    } else if (log) {
      this.out.write(`step ${done}/${this.total} ${rate} ETA ${eta} ${formatValues(values)}\n`);
    }
  }

  /** A message on its own line (checkpoint written, interrupted...). */
  message(text: string): void {
    this.out.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }
}
