// Geometry of the arena timeline: one rectangle per planned buffer, x = allocation step (TFLM's
// scope: 0 = the model's inputs, step s = operator s-1 of the main subgraph), y = arena offset
// growing upwards, from firstUse to lastUse inclusive. Pure numbers; the SVG is drawn elsewhere.

export interface TimelineBuffer {
  offset: number;
  bytes: number;
  firstUse: number;
  lastUse: number;
  label: string;
}

export interface TimelineBox {
  width: number;
  height: number;
  /** Space for axes and labels: left, right, top, bottom. */
  margin: { left: number; right: number; top: number; bottom: number };
}

export interface TimelineRect {
  /** Index into the input buffers. */
  buffer: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TimelinePeak {
  /** The planned head: the highest offset + bytes of any buffer (GetMaximumMemorySize). */
  highWaterBytes: number;
  /** y of the high-water line. */
  y: number;
  /** The buffer whose top reaches the high-water mark (the first such, in input order). */
  buffer: number;
  /** The most bytes live at one step, and the first step where that happens. */
  liveBytes: number;
  step: number;
  /** x range of that step's column. */
  x: number;
  width: number;
}

export interface TimelineLayout {
  steps: number;
  columnWidth: number;
  bytesPerPixel: number;
  rects: TimelineRect[];
  peak?: TimelinePeak;
  plot: { left: number; top: number; width: number; height: number };
}

/** Lays out `buffers` over at least `minSteps` steps in `box`. */
export function layoutTimeline(buffers: readonly TimelineBuffer[], minSteps: number, box: TimelineBox): TimelineLayout {
  const plot = {
    left: box.margin.left,
    top: box.margin.top,
    width: Math.max(1, box.width - box.margin.left - box.margin.right),
    height: Math.max(1, box.height - box.margin.top - box.margin.bottom),
  };
  let steps = Math.max(1, minSteps);
  let highWater = 0;
  let highBuffer = -1;
  buffers.forEach((b, i) => {
    steps = Math.max(steps, b.lastUse + 1, b.firstUse + 1);
    if (b.offset + b.bytes > highWater) {
      highWater = b.offset + b.bytes;
      highBuffer = i;
    }
  });
  const columnWidth = plot.width / steps;
  const scale = highWater > 0 ? plot.height / highWater : 0;
  const bottom = plot.top + plot.height;
  const rects = buffers.map((b, i) => {
    const first = Math.max(0, Math.min(b.firstUse, b.lastUse));
    const last = Math.max(b.firstUse, b.lastUse);
    return {
      buffer: i,
      x: plot.left + first * columnWidth,
      y: bottom - (b.offset + b.bytes) * scale,
      width: (last - first + 1) * columnWidth,
      height: b.bytes * scale,
    };
  });
  const layout: TimelineLayout = { steps, columnWidth, bytesPerPixel: scale > 0 ? 1 / scale : 0, rects, plot };
  if (highBuffer >= 0) {
    const live = liveBytesPerStep(buffers, steps);
    let step = 0;
    for (let s = 1; s < steps; s++) if (live[s] > live[step]) step = s;
    layout.peak = {
      highWaterBytes: highWater,
      y: bottom - highWater * scale,
      buffer: highBuffer,
      liveBytes: live[step],
      step,
      x: plot.left + step * columnWidth,
      width: columnWidth,
    };
  }
  return layout;
}

/** Bytes of the buffers live at each step (a buffer is live from firstUse to lastUse inclusive). */
export function liveBytesPerStep(buffers: readonly TimelineBuffer[], steps: number): number[] {
  const live = new Array<number>(steps).fill(0);
  for (const b of buffers) {
    for (let s = Math.max(0, Math.min(b.firstUse, b.lastUse)); s <= Math.max(b.firstUse, b.lastUse) && s < steps; s++) live[s] += b.bytes;
  }
  return live;
}

/** A label for allocation step `step` of the main subgraph. */
export function stepLabel(step: number): string {
  return step === 0 ? 'input' : `op ${step - 1}`;
}

/** Round-number ticks from 0 to `max` (at most `count` + 1 of them): 1, 2 or 5 times a power of ten. */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let t = 0; t <= max + 1e-9; t += step) ticks.push(Math.round(t * 1e6) / 1e6);
  return ticks;
}

/** Ticks for a byte axis, round in the unit the labels print (B, KiB or MiB). */
export function byteTicks(max: number, count = 4): number[] {
  const unit = max >= 2 * 1024 * 1024 ? 1024 * 1024 : max >= 2 * 1024 ? 1024 : 1;
  return niceTicks(max / unit, count).map((t) => t * unit);
}
