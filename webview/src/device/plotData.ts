// The plotter's data: named series in ring buffers, filled from parsed serial lines. x is the
// sample number (one per plotted line, as Arduino's plotter counts): lines arrive in batches that
// share one timestamp, so time would squash them; each sample's time is kept for the CSV.

import { RingBuffer } from './ringBuffer';

export interface Series {
  name: string;
  buffer: RingBuffer;
  visible: boolean;
  /** Index into the palette, stable for the series' life. */
  color: number;
}

export class PlotData {
  readonly series = new Map<string, Series>();
  private nextColor = 0;
  /** Names hidden before their series appeared (restored state, presets). */
  private readonly hidden: Set<string>;
  /** Sample number -> time (ms since the epoch), for the CSV and the hover readout. */
  readonly times: RingBuffer;
  /** Number of the newest sample (-1: none yet). */
  latest = -1;

  constructor(
    readonly capacity: number,
    hidden: Iterable<string> = [],
    readonly maxSeries = 32,
  ) {
    this.hidden = new Set(hidden);
    // Sparse series keep older samples than dense ones: times reach further back than one series.
    this.times = new RingBuffer(capacity * 4);
  }

  /** Oldest sample number still buffered. */
  get earliest(): number {
    return this.times.length > 0 ? this.times.x(0) : 0;
  }

  /** One sample (one line's values); returns its number. */
  add(time: number, names: readonly string[], values: readonly number[]): number {
    const x = ++this.latest;
    this.times.push(x, time);
    for (let i = 0; i < names.length; i++) {
      let s = this.series.get(names[i]);
      if (!s) {
        if (this.series.size >= this.maxSeries) continue;
        s = { name: names[i], buffer: new RingBuffer(this.capacity), visible: !this.hidden.has(names[i]), color: this.nextColor++ };
        this.series.set(names[i], s);
      }
      s.buffer.push(x, values[i]);
    }
    return x;
  }

  /** Time of sample `x`, if still buffered. */
  timeOf(x: number): number | undefined {
    const i = this.times.lowerBound(x);
    return i < this.times.length && this.times.x(i) === x ? this.times.y(i) : undefined;
  }

  setVisible(name: string, visible: boolean): void {
    const s = this.series.get(name);
    if (s) s.visible = visible;
    if (visible) this.hidden.delete(name);
    else this.hidden.add(name);
  }

  setHidden(names: Iterable<string>): void {
    this.hidden.clear();
    for (const n of names) this.hidden.add(n);
    for (const s of this.series.values()) s.visible = !this.hidden.has(s.name);
  }

  hiddenNames(): string[] {
    return [...this.hidden];
  }

  visibleSeries(): Series[] {
    return [...this.series.values()].filter((s) => s.visible);
  }

  /** y extent of the visible series within [from, to]. */
  yExtent(from: number, to: number): [number, number] | undefined {
    let lo = Infinity;
    let hi = -Infinity;
    for (const s of this.visibleSeries()) {
      const e = s.buffer.extent(from, to);
      if (!e) continue;
      lo = Math.min(lo, e[0]);
      hi = Math.max(hi, e[1]);
    }
    return lo <= hi ? [lo, hi] : undefined;
  }

  clear(): void {
    for (const s of this.series.values()) s.buffer.clear();
    this.series.clear();
    this.nextColor = 0;
    this.times.clear();
  }

  /** All buffered samples: `sample,time,<series...>`, one row per sample, empty where a series has none. */
  toCsv(): string {
    return plotCsv(
      [...this.series.values()].map((s) => ({ name: s.name, points: s.buffer.toArray() })),
      (x) => this.timeOf(x),
    );
  }
}

/** CSV of series sampled at numbered x; `timeOf` gives each sample's time (ISO 8601 column). */
export function plotCsv(series: { name: string; points: [number, number][] }[], timeOf: (x: number) => number | undefined): string {
  const rows = new Map<number, (number | undefined)[]>();
  series.forEach((s, col) => {
    for (const [x, y] of s.points) {
      let row = rows.get(x);
      if (!row) rows.set(x, (row = new Array(series.length).fill(undefined)));
      row[col] = y;
    }
  });
  const header = ['sample', 'time', ...series.map((s) => csvField(s.name))].join(',');
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const lines = xs.map((x) => {
    const t = timeOf(x);
    return [String(x), t === undefined ? '' : new Date(t).toISOString(), ...rows.get(x)!.map((v) => (v === undefined ? '' : String(v)))].join(',');
  });
  return [header, ...lines].join('\n') + '\n';
}

export function csvField(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
