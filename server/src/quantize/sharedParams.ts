// Activation parameters with TFLM's sharing constraints. Int8 kernels that only move, select,
// clamp or compare values (concatenation, pooling, reshapes, padding, RELU6, max/min) do no
// rescaling, so their value inputs and outputs must hold one scale and zero point: TFLM's
// concatenation and pooling refuse anything else, the others silently compute garbage. Tensors so
// tied form a group, and a group takes the union of its members' calibrated ranges (the
// converter's "same operands and result scale" rule): every value a member holds then fits, and
// no op is added. A tensor read by two such ops joins their groups into one, and a model input
// in a group simply declares the union parameters (int8 interface) or gets them from its
// QUANTIZE edge (float interface): a wider step there costs less than a requantizing op's time
// and arena, and the concatenation's own step is the coarsest of its operands' either way. A
// group holding a SOFTMAX / LOGISTIC / TANH output takes that op's fixed parameters; where such a
// tensor would have to share with a differently quantized one, it is requantized into the group
// by an int8 -> int8 QUANTIZE (as the converter inserts), since neither side could take the
// other's parameters without clipping or breaking the fixed-output kernel.

import type { Operator, Subgraph, Tensor } from '../model/graph';
import type { Range } from './calibrate';
import { type AffineParams, activationParams } from './params';
import { floatsOf } from './prepare';

/** Output parameters fixed by TFLM's kernels regardless of calibration. */
export const FIXED_OUTPUT: Readonly<Record<string, AffineParams>> = {
  SOFTMAX: { scale: 1 / 256, zeroPoint: -128 },
  LOGISTIC: { scale: 1 / 256, zeroPoint: -128 },
  TANH: { scale: 1 / 128, zeroPoint: 0 },
};

/** Per op, the inputs (by position, or 'all') whose parameters must equal those of every output. */
export const SAME_SCALE: Readonly<Record<string, 'all' | readonly number[]>> = {
  // Copies or selections of one input (TFLM's pooling Prepare checks the parameters are equal).
  AVERAGE_POOL_2D: [0],
  MAX_POOL_2D: [0],
  RESHAPE: [0],
  SQUEEZE: [0],
  EXPAND_DIMS: [0],
  TRANSPOSE: [0],
  PAD: [0],
  SLICE: [0],
  STRIDED_SLICE: [0],
  GATHER: [0],
  SPACE_TO_DEPTH: [0],
  DEPTH_TO_SPACE: [0],
  BATCH_TO_SPACE_ND: [0],
  SPACE_TO_BATCH_ND: [0],
  UNPACK: [0],
  SPLIT: [1],
  SPLIT_V: [0],
  // TFLM's int8 RELU6 clamps the codes at the input's quantized 0 and 6, without rescaling.
  RELU6: [0],
  // PADV2 writes its pad value as is (TFLM's pad.cc checks it shares the output's parameters).
  PADV2: [0, 2],
  // Several value inputs copied or compared as raw int8.
  CONCATENATION: 'all',
  PACK: 'all',
  MAXIMUM: [0, 1],
  MINIMUM: [0, 1],
};

export interface SharedParams {
  /** Parameters of every op-computed float tensor and of the float constants tied to a group. */
  params: Map<number, AffineParams>;
  warnings: string[];
  /** One line per requantizing op inserted. */
  notes: string[];
}

/** Union-find over tensor indices, each root carrying the fixed parameters of its group if any. */
class Groups {
  private readonly parent = new Map<number, number>();
  readonly fixed = new Map<number, AffineParams>();

  find(x: number): number {
    let root = x;
    while (this.parent.has(root)) root = this.parent.get(root)!;
    if (root !== x) this.parent.set(x, root);
    return root;
  }

  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra === rb) return;
    this.parent.set(rb, ra);
    const f = this.fixed.get(rb);
    if (f) this.fixed.set(ra, f);
    this.fixed.delete(rb);
  }

  fixedOf(x: number): AffineParams | undefined {
    return this.fixed.get(this.find(x));
  }
}

const isFloat = (t: Tensor | undefined): t is Tensor => t !== undefined && t.dtype === 'float32';
const isConstant = (t: Tensor): boolean => t.data !== undefined && t.data.length > 0;
const sameParams = (a: AffineParams, b: AffineParams): boolean => a.scale === b.scale && a.zeroPoint === b.zeroPoint;

/**
 * Groups the float tensors of `sg` that must share parameters and gives every computed float
 * tensor its parameters. Inserts requantizing QUANTIZE ops (and their output tensors) into `sg`
 * where a fixed-parameter tensor meets a group with other needs.
 */
export function assignSharedParams(sg: Subgraph, ranges: ReadonlyMap<number, Range>): SharedParams {
  const groups = new Groups();
  const warnings: string[] = [];
  const notes: string[] = [];
  const rangeOf = new Map(ranges);
  // Outputs of same-scale ops hold only their inputs' values (or 0): they add nothing to the range.
  const derived = new Set<number>();
  const computed = new Set<number>(sg.inputs.filter((i) => isFloat(sg.tensors[i])));
  const tiedConstants = new Set<number>();
  const original = sg.tensors.length;

  for (const op of [...sg.operators]) {
    const outputs = op.outputs.filter((o) => o >= 0 && isFloat(sg.tensors[o]));
    for (const o of outputs) computed.add(o);
    const fixed = FIXED_OUTPUT[op.opType];
    if (fixed) for (const o of outputs) groups.fixed.set(groups.find(o), fixed);
    const spec = SAME_SCALE[op.opType];
    if (!spec || outputs.length === 0) continue;
    const positions = spec === 'all' ? op.inputs.map((_, k) => k) : spec.filter((k) => k < op.inputs.length);
    const tied = positions.filter((k) => op.inputs[k] >= 0 && isFloat(sg.tensors[op.inputs[k]]));
    // Fixed-parameter inputs can join only when every tied input has the same fixed parameters.
    const pinned = tied.map((k) => groups.fixedOf(op.inputs[k]));
    const agree = pinned.every((p) => p === undefined) || pinned.every((p) => p !== undefined && sameParams(p, pinned[0]!));
    const requantized = new Map<number, number>();
    tied.forEach((k, n) => {
      if (!agree && pinned[n]) {
        const source = op.inputs[k];
        if (!requantized.has(source)) {
          const copy = requantize(sg, op, source, rangeOf, notes);
          requantized.set(source, copy);
          computed.add(copy);
        }
        op.inputs[k] = requantized.get(source)!;
      }
      groups.union(outputs[0], op.inputs[k]);
      if (isConstant(sg.tensors[op.inputs[k]])) tiedConstants.add(op.inputs[k]);
    });
    for (const o of outputs) {
      groups.union(outputs[0], o);
      derived.add(o);
    }
  }

  // The union of each group's ranges: computed tensors not derived from others, and constants.
  const union = new Map<number, Range>();
  const widen = (i: number, r: Range): void => {
    const root = groups.find(i);
    const u = union.get(root);
    union.set(root, u ? { min: Math.min(u.min, r.min), max: Math.max(u.max, r.max) } : { ...r });
  };
  for (const i of tiedConstants) widen(i, valueRange(floatsOf(sg.tensors[i])));
  for (const i of computed) {
    if (derived.has(i)) continue;
    const r = rangeOf.get(i) ?? { min: 0, max: 0 };
    if (r.min === 0 && r.max === 0 && i < original && !groups.fixedOf(i)) warnings.push(`tensor ${sg.tensors[i].name} was 0 on every calibration input`);
    widen(i, r);
  }

  const params = new Map<number, AffineParams>();
  for (const i of [...computed, ...tiedConstants]) {
    const root = groups.find(i);
    const r = union.get(root) ?? { min: 0, max: 0 };
    params.set(i, groups.fixed.get(root) ?? activationParams(r.min, r.max));
  }
  return { params, warnings, notes };
}

/** A QUANTIZE (int8 -> int8) of `source` inserted before `consumer`; returns its output tensor. */
function requantize(sg: Subgraph, consumer: Operator, source: number, ranges: Map<number, Range>, notes: string[]): number {
  const from = sg.tensors[source];
  const index = sg.tensors.length;
  sg.tensors.push({ ...from, index, name: `${from.name}_requantized`, buffer: -1, data: undefined, quantization: undefined });
  const range = ranges.get(source);
  if (range) ranges.set(index, range);
  const op: Operator = { index: 0, opType: 'QUANTIZE', known: true, builtinCode: -1, custom: false, version: 1, inputs: [source], outputs: [index], intermediates: [], options: {} };
  const at = sg.operators.indexOf(consumer);
  sg.operators.splice(at, 0, op);
  sg.operators.forEach((o, k) => (o.index = k));
  const producer = sg.operators.find((o) => o.outputs.includes(source));
  notes.push(`requantized ${producer ? `${producer.opType} ${producer.index}'s output` : from.name} for ${consumer.opType} ${consumer.index}: its fixed parameters differ from the ones the ${consumer.opType} shares`);
  return index;
}

function valueRange(values: Float32Array): Range {
  let min = 0;
  let max = 0;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}
