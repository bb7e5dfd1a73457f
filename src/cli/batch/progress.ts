import type { Io } from '../io.js';
import { printable } from '../printable.js';

// How a run over many documents shows itself: on a terminal, one progress bar redrawn in place
// on stderr (a document's failure printed above it); elsewhere (CI, a pipe, a file), one plain
// line a document on stdout, which a log keeps in order.

export interface Tally {
  [status: string]: number;
}

const BAR = 30;

export class Progress {
  private readonly tally: Tally = {};
  private doneCount = 0;
  private lastDraw = 0;
  private readonly t0 = performance.now();
  private readonly bar: boolean;

  constructor(
    private readonly total: number,
    private readonly io: Io,
    /** Whether plain lines go to stdout (not with --json, which owns stdout). */
    private readonly lines: boolean,
    terminal = !!process.stderr.isTTY && process.env.TERM !== 'dumb' && !process.env.CI,
  ) {
    this.bar = terminal && total > 0;
  }

  /** One document done: `status` counts it; `line` is its plain line, `said` its stderr lines. */
  done(status: string, line: string, said = ''): void {
    this.doneCount++;
    this.tally[status] = (this.tally[status] ?? 0) + 1;
    if (this.bar) {
      if (said) {
        this.clear();
        this.io.err(said);
      }
      const now = performance.now();
      if (now - this.lastDraw > 100 || this.doneCount === this.total) this.draw(now);
      return;
    }
    if (this.lines) this.io.out(printable(line) + '\n');
    if (said) this.io.err(said);
  }

  /** The counts so far, and the seconds since the run began. */
  summary(): { tally: Tally; seconds: number } {
    return { tally: { ...this.tally }, seconds: (performance.now() - this.t0) / 1000 };
  }

  /** Leaves the terminal as it was: the bar's last state stays on its own line. */
  finish(): void {
    if (this.bar && this.lastDraw > 0) this.io.err('\n');
  }

  // No escape sequences: a carriage return and spaces clear the line on any terminal.
  private width = 0;

  private clear(): void {
    if (this.lastDraw > 0) this.io.err(`\r${' '.repeat(this.width)}\r`);
  }

  private draw(now: number): void {
    const filled = Math.round((this.doneCount / this.total) * BAR);
    const counts = Object.entries(this.tally)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    const seconds = ((now - this.t0) / 1000).toFixed(1);
    const line = `[${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}] ${this.doneCount}/${this.total}  ${counts}  ${seconds} s`;
    this.io.err(`\r${line.padEnd(this.width)}`);
    this.width = Math.max(this.width, line.length);
    this.lastDraw = now;
  }
}
