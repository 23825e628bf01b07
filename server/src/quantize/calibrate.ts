// Calibration: runs the float graph on the engine over the samples and records every activation
// tensor, then turns what it saw into a range per tensor by min-max, percentile or entropy (KL
// divergence, TensorRT's method). Every tensor gets its own arena slot for these runs, so that all
// of them can be read after each invoke (the TFLM plan would reuse their bytes).

import type { TflmArenaBuffer } from '../analysis/arena/tflmArena';
import { type Engine, prepareEngine } from '../engine/engine';
import type { Graph } from '../model/graph';

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

export interface Range {
  min: number;
  max: number;
}

const HISTOGRAM_BINS = 2048;
/** Observed values below which a tensor's entropy histogram is too sparse to search (10 per bin). */
const MIN_ENTROPY_VALUES = 10 * HISTOGRAM_BINS;
const QUANTIZED_BINS = 128;

/** Float tensors computed at run time (inputs and op outputs): the ones that get a range. */
export function activationTensors(graph: Graph): number[] {
  const sg = graph.subgraphs[0];
  return sg.tensors.filter((t) => t.dtype === 'float32' && !(t.data && t.data.length > 0)).map((t) => t.index);
}

/** An engine whose every non-constant tensor keeps its own bytes until the next invoke. */
export function prepareInspectableEngine(graph: Graph): Engine {
  const plan: TflmArenaBuffer[] = [];
  let offset = 0;
  for (const t of graph.subgraphs[0].tensors) {
    if (t.data && t.data.length > 0) continue;
    let n = 4;
    for (const d of t.shape) n *= Math.max(d, 1);
    const bytes = Math.ceil(n / 16) * 16;
    plan.push({ subgraphIndex: 0, tensorIndex: t.index, bytes, requestedBytes: n, offset, firstUse: 0, lastUse: Number.MAX_SAFE_INTEGER });
    offset += bytes;
  }
  return prepareEngine(graph, { arenaPlan: plan });
}

/** Called after each calibration run with runs done and runs in all; it may throw to stop. */
export type CalibrationProgress = (done: number, total: number) => void;

/** Runs every sample through the engine, calling `visit` with each watched tensor's values. */
function sweep(engine: Engine, samples: readonly Float32Array[][], watched: readonly number[], visit: (tensor: number, values: Float32Array) => void, step?: () => void): void {
  const views = watched.map((i) => engine.tensor(i).data as Float32Array);
  for (const sample of samples) {
    engine.invoke(sample);
    watched.forEach((i, k) => visit(i, views[k]));
    step?.();
  }
}

/** The range of every activation tensor of `graph` by `method` over `samples`. */
export function calibrate(graph: Graph, samples: readonly Float32Array[][], method: CalibrationMethod, percentile = 99.99, onSample?: CalibrationProgress): Map<number, Range> {
  const engine = prepareInspectableEngine(graph);
  const watched = activationTensors(graph);
  // min-max needs one pass over the samples, percentile and entropy a second for the histograms.
  const total = samples.length * (method === 'minmax' ? 1 : 2);
  let done = 0;
  const step = onSample && (() => onSample(++done, total));
  const extremes = new Map<number, Range>(watched.map((i) => [i, { min: Infinity, max: -Infinity }]));
  sweep(engine, samples, watched, (i, values) => {
    const r = extremes.get(i)!;
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v < r.min) r.min = v;
      if (v > r.max) r.max = v;
    }
  }, step);
  for (const r of extremes.values()) {
    if (!Number.isFinite(r.min) || !Number.isFinite(r.max)) {
      r.min = 0;
      r.max = 0;
    }
  }
  if (method === 'minmax') return extremes;

  // Second pass: histograms over the ranges the first pass found (|x| for entropy, as TensorRT).
  const histograms = new Map<number, Float64Array>(watched.map((i) => [i, new Float64Array(HISTOGRAM_BINS)]));
  sweep(engine, samples, watched, (i, values) => {
    const r = extremes.get(i)!;
    const h = histograms.get(i)!;
    const lo = method === 'entropy' ? 0 : r.min;
    const hi = method === 'entropy' ? Math.max(Math.abs(r.min), Math.abs(r.max)) : r.max;
    const width = (hi - lo) / HISTOGRAM_BINS;
    if (!(width > 0)) return;
    for (let k = 0; k < values.length; k++) {
      const v = method === 'entropy' ? Math.abs(values[k]) : values[k];
      let bin = Math.floor((v - lo) / width);
      if (bin >= HISTOGRAM_BINS) bin = HISTOGRAM_BINS - 1;
      if (bin < 0) bin = 0;
      h[bin]++;
    }
  }, step);

  // Model inputs keep their full range: their scale is the sensor's, clipping it only loses signal.
  const inputs = new Set(graph.subgraphs[0].inputs);
  const out = new Map<number, Range>();
  for (const i of watched) {
    if (inputs.has(i)) {
      out.set(i, extremes.get(i)!);
      continue;
    }
    const r = extremes.get(i)!;
    const h = histograms.get(i)!;
    if (method === 'percentile') {
      out.set(i, percentileRange(h, r, percentile));
    } else if (r.min > 0 || r.max < 0) {
      // The KL search runs on |x| from zero (TensorRT's symmetric int8): values that sit away from
      // zero (a regression output, log-probabilities) have no such histogram; keep their range.
      out.set(i, r);
    } else if (h.reduce((a, b) => a + b, 0) < MIN_ENTROPY_VALUES) {
      // Too few values for the KL search: on a sparse histogram (a classifier's logits: a handful
      // per sample) every candidate looks alike and the smallest threshold wins, clipping the
      // very values that decide the class. Their observed range is the better estimate.
      out.set(i, r);
    } else {
      const absMax = Math.max(Math.abs(r.min), Math.abs(r.max));
      // int8 gives a [0, max] tensor all 256 levels, one that straddles zero 128 a side.
      const threshold = entropyThreshold(h, absMax, r.min >= 0 ? 2 * QUANTIZED_BINS : QUANTIZED_BINS);
      out.set(i, { min: Math.max(r.min, -threshold), max: Math.min(r.max, threshold) });
    }
  }
  return out;
}

/** The [100 - p, p] percentiles of a histogram over [range.min, range.max], at bin edges. */
export function percentileRange(h: Float64Array, range: Range, p: number): Range {
  const total = h.reduce((a, b) => a + b, 0);
  if (total === 0 || !(range.max > range.min)) return range;
  const width = (range.max - range.min) / h.length;
  const tail = (total * (100 - p)) / 100;
  let lowBin = 0;
  for (let acc = 0; lowBin < h.length; lowBin++) {
    acc += h[lowBin];
    if (acc > tail) break;
  }
  let highBin = h.length - 1;
  for (let acc = 0; highBin >= 0; highBin--) {
    acc += h[highBin];
    if (acc > tail) break;
  }
  return { min: range.min + lowBin * width, max: range.min + (highBin + 1) * width };
}

/**
 * TensorRT's entropy calibration on a histogram of |x| over [0, absMax]: for each candidate
 * threshold bin i >= 128, the reference P is the first i bins with the clipped tail folded into the
 * last, Q is P merged into 128 levels and expanded back over P's non-empty bins; the threshold with
 * the least KL(P || Q) wins.
 */
export function entropyThreshold(histogram: Float64Array, absMax: number, levels = QUANTIZED_BINS): number {
  const bins = histogram.length;
  // The spike of exact zeros after a ReLU would dominate every candidate and push the threshold
  // down; like NVIDIA's pytorch-quantization, count the first bin as its neighbour.
  const h = histogram.slice();
  if (bins > 1) h[0] = h[1];
  const width = absMax / bins;
  if (!(width > 0)) return absMax;
  let best = bins;
  let bestKl = Infinity;
  const p = new Float64Array(bins);
  const q = new Float64Array(bins);
  for (let i = levels; i <= bins; i++) {
    let outliers = 0;
    for (let k = i; k < bins; k++) outliers += h[k];
    for (let k = 0; k < i; k++) p[k] = h[k];
    p[i - 1] += outliers;
    // Merge the i reference bins into 128 levels, then spread each level over its non-empty bins.
    const perLevel = i / levels;
    for (let level = 0; level < levels; level++) {
      const start = Math.floor(level * perLevel);
      const end = level === levels - 1 ? i : Math.floor((level + 1) * perLevel);
      let sum = 0;
      let nonZero = 0;
      for (let k = start; k < end; k++) {
        sum += h[k];
        if (p[k] !== 0) nonZero++;
      }
      for (let k = start; k < end; k++) q[k] = nonZero > 0 && p[k] !== 0 ? sum / nonZero : 0;
    }
    const kl = klDivergence(p, q, i);
    if (kl < bestKl) {
      bestKl = kl;
      best = i;
    }
  }
  return (best + 0.5) * width;
}

function klDivergence(p: Float64Array, q: Float64Array, n: number): number {
  let sp = 0;
  let sq = 0;
  for (let k = 0; k < n; k++) {
    sp += p[k];
    sq += q[k];
  }
  if (sp === 0) return 0;
  let kl = 0;
  for (let k = 0; k < n; k++) {
    if (p[k] === 0) continue;
    const pk = p[k] / sp;
    // A reference bin the candidate cannot represent: TensorRT smooths it; a large penalty suffices.
    const qk = q[k] > 0 && sq > 0 ? q[k] / sq : 1e-12;
    kl += pk * Math.log(pk / qk);
  }
  return kl;
}
