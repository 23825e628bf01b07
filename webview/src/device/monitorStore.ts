// The monitor's rows: a bounded list (the newest `capacity` lines; the complete log is on disk),
// a pause that holds new lines back without losing them, and search with next/previous. Pure.

import type { MonitorLine } from './messages';

export interface Match {
  /** Absolute row number (survives trimming of older rows). */
  row: number;
  start: number;
  end: number;
}

export class MonitorStore {
  private rows: MonitorLine[] = [];
  /** Absolute number of rows[0]. */
  first = 0;
  private held: MonitorLine[] = [];
  paused = false;
  /** Rows dropped from the view (still in the log file). */
  trimmed = 0;
  /** Lines the host could not send in time (also in the log file). */
  dropped = 0;

  constructor(readonly capacity = 5000) {}

  get length(): number {
    return this.rows.length;
  }

  get heldCount(): number {
    return this.held.length;
  }

  get last(): number {
    return this.first + this.rows.length;
  }

  row(absolute: number): MonitorLine | undefined {
    return this.rows[absolute - this.first];
  }

  /** Adds lines; returns true when the visible rows changed. */
  add(lines: readonly MonitorLine[]): boolean {
    if (this.paused) {
      this.held.push(...lines);
      if (this.held.length > this.capacity) this.held.splice(0, this.held.length - this.capacity);
      return false;
    }
    this.append(lines);
    return lines.length > 0;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (!paused && this.held.length > 0) {
      const held = this.held;
      this.held = [];
      this.append(held);
    }
  }

  clear(): void {
    this.first += this.rows.length;
    this.rows = [];
    this.held = [];
  }

  all(): readonly MonitorLine[] {
    return this.rows;
  }

  /** Every match of `query` (case-insensitive, plain text) in the rows, in order. */
  search(query: string): Match[] {
    if (query.length === 0) return [];
    const q = query.toLowerCase();
    const matches: Match[] = [];
    this.rows.forEach((r, i) => {
      const text = r.text.toLowerCase();
      let at = text.indexOf(q);
      while (at >= 0) {
        matches.push({ row: this.first + i, start: at, end: at + q.length });
        at = text.indexOf(q, at + q.length);
      }
    });
    return matches;
  }

  private append(lines: readonly MonitorLine[]): void {
    this.rows.push(...lines);
    const excess = this.rows.length - this.capacity;
    if (excess > 0) {
      this.rows.splice(0, excess);
      this.first += excess;
      this.trimmed += excess;
    }
  }
}

/** Next (or previous) match index from `current`, wrapping around. */
export function stepMatch(count: number, current: number, direction: 1 | -1): number {
  if (count === 0) return -1;
  if (current < 0) return direction === 1 ? 0 : count - 1;
  return (current + direction + count) % count;
}

/** `12:03:04.567` local time. */
export function formatTime(time: number): string {
  const d = new Date(time);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}
