// Bias compensation for removed channels: a removed channel still carried a mean value into every
// layer that read it (for a dead filter, a constant: its bias through the activation). Measured on
// calibration inputs at each reading layer's input, that mean contribution, sum over the removed
// channels of mean x weight, is folded into the reading layer's bias, so that only the channels'
// variation is lost. Exact for a constant channel read by a 1x1 conv or a fully connected layer;
// with k x k convs the border positions (padding) are approximated.

import type { Graph, Subgraph, Tensor } from '../model/graph';
import { dequantized, setInput } from '../quantize/report';
import { prepareInspectableEngine } from '../quantize/calibrate';
import type { ChannelAnalysis } from './channelSpaces';
import { constantValues, isConstant, ownInput } from './graphEdit';

interface Reader {
  op: number;
  /** Input tensor whose per-column means are needed, and the column count (modulus). */
  tensor: number;
  columns: number;
  /** Channels of the space and the removed ones. */
  channels: number;
  removed: ReadonlySet<number>;
  kind: 'conv' | 'fc';
}

/** Real weight values (q - zero point) x scale of channel `axis`. */
function realWeights(t: Tensor): Float64Array {
  const values = constantValues(t);
  const q = t.quantization;
  if (t.dtype === 'float32' || t.dtype === 'float64' || !q || q.scale.length === 0) return values;
  let inner = 1;
  for (let d = q.axis + 1; d < t.shape.length; d++) inner *= t.shape[d];
  const channels = t.shape[q.axis] ?? 1;
  return values.map((v, i) => {
    const c = q.scale.length > 1 ? Math.floor(i / inner) % channels : 0;
    return (v - (q.zeroPoint[c] ?? 0)) * q.scale[c];
  });
}

function readersOf(sg: Subgraph, analysis: ChannelAnalysis, removed: ReadonlyMap<number, readonly number[]>): Reader[] {
  const out: Reader[] = [];
  for (const [id, gone] of removed) {
    if (gone.length === 0) continue;
    const s = analysis.spaces[id];
    for (const u of s.uses) {
      const op = sg.operators[u.op];
      if (u.kind === 'conv-in') out.push({ op: u.op, tensor: op.inputs[0], columns: s.channels, channels: s.channels, removed: new Set(gone), kind: 'conv' });
      else if (u.kind === 'fc-in') out.push({ op: u.op, tensor: op.inputs[0], columns: sg.tensors[op.inputs[1]].shape[1], channels: s.channels, removed: new Set(gone), kind: 'fc' });
    }
  }
  return out;
}

/**
 * Per reading op, the real value to add to each output's bias. Measured on `original` (which the
 * pruned graph's tensor indices still match) over `samples`.
 */
export function measureCompensation(
  original: Graph,
  analysis: ChannelAnalysis,
  removed: ReadonlyMap<number, readonly number[]>,
  samples: readonly (readonly Float32Array[])[],
): Map<number, Float64Array> {
  const sg = original.subgraphs[0];
  const readers = readersOf(sg, analysis, removed);
  const result = new Map<number, Float64Array>();
  if (readers.length === 0 || samples.length === 0) return result;
  const engine = prepareInspectableEngine(original);
  const sums = readers.map((r) => new Float64Array(r.columns));
  const counts = readers.map(() => 0);
  for (const sample of samples) {
    sample.forEach((values, k) => setInput(engine.inputs[k], values as Float32Array));
    engine.invoke();
    readers.forEach((r, k) => {
      const values = dequantized(engine.tensor(r.tensor));
      for (let i = 0; i < values.length; i++) sums[k][i % r.columns] += values[i];
      counts[k] += values.length / r.columns;
    });
  }
  readers.forEach((r, k) => {
    const mean = sums[k].map((v) => v / counts[k]);
    const w = realWeights(sg.tensors[sg.operators[r.op].inputs[1]]);
    const outputs = sg.tensors[sg.operators[r.op].inputs[1]].shape[0];
    const perOutput = w.length / outputs;
    const add = result.get(r.op) ?? new Float64Array(outputs);
    for (let o = 0; o < outputs; o++) {
      // Conv [O, kh, kw, C]: element i of a row reads channel i % C. FC [O, In]: column i, channel i % C.
      for (let i = 0; i < perOutput; i++) {
        const column = r.kind === 'conv' ? i % r.columns : i;
        if (r.removed.has(column % r.channels)) add[o] += mean[column] * w[o * perOutput + i];
      }
    }
    result.set(r.op, add);
  });
  return result;
}

/** Adds the measured values to each op's bias (int32 at the bias's scale, or float). Returns ops without a bias. */
export function applyCompensation(sg: Subgraph, compensation: ReadonlyMap<number, Float64Array>): number[] {
  const missing: number[] = [];
  for (const [opIndex, add] of compensation) {
    const op = sg.operators[opIndex];
    if ((op.inputs[2] ?? -1) < 0 || !isConstant(sg.tensors[op.inputs[2]])) {
      missing.push(opIndex);
      continue;
    }
    const bias = ownInput(sg, opIndex, 2);
    const data = (bias.data as Uint8Array).slice();
    const view = new DataView(data.buffer);
    const scales = bias.quantization?.scale ?? [];
    for (let o = 0; o < add.length; o++) {
      if (bias.dtype === 'float32') view.setFloat32(4 * o, view.getFloat32(4 * o, true) + add[o], true);
      else if (bias.dtype === 'int32') {
        const scale = scales.length > 1 ? scales[o] : (scales[0] ?? 1);
        const q = view.getInt32(4 * o, true) + Math.round(add[o] / scale);
        view.setInt32(4 * o, Math.max(-2147483648, Math.min(2147483647, q)), true);
      }
    }
    bias.data = data;
  }
  return missing;
}
