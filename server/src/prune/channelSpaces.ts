// Channel spaces for structured pruning: which activation tensors index the SAME channels, so that
// removing channel c from one must remove it from all. Ops that pass channels through (activations,
// pooling, quantize, pad, reshapes that keep the last dimension, depthwise convs with multiplier 1)
// and elementwise ADD/SUB/MUL join their tensors' spaces (union-find); a CONV_2D starts a new
// space that its filters define; a concatenation along channels makes a derived space laid out
// from its inputs' spaces. A space that touches the model's inputs or outputs, or an op the pruner
// cannot rewrite, is blocked, with the reasons kept for the report.
//
// Example (ResNet block): conv A -> t1; conv B -> t2; ADD(t1, t2) -> t3 -> conv C. One space
// {t1, t2, t3} defined jointly by A and B, read by C: pruning channel 5 removes A's and B's filter
// 5 and C's input slice 5.

import type { Operator, Subgraph, Tensor } from '../model/graph';
import { constantValues, isConstant } from './graphEdit';

/** What one op does with a space's channels, for the rewrite. */
export type ChannelUse =
  /** CONV_2D whose output channels (filter rows) define the space. */
  | { kind: 'conv-out'; op: number }
  /** CONV_2D reading the space: its filter's input-channel slices follow. */
  | { kind: 'conv-in'; op: number }
  /** DEPTHWISE_CONV_2D (multiplier 1) inside the space: filter, bias and quantization follow. */
  | { kind: 'depthwise'; op: number }
  /** FULLY_CONNECTED reading the space (possibly flattened): its weight columns follow. */
  | { kind: 'fc-in'; op: number; tensor: number }
  /** RESHAPE whose output is in the space: its shape constant follows. */
  | { kind: 'reshape'; op: number }
  /** CONCATENATION along channels reading the space at `offset` of its output. */
  | { kind: 'concat-in'; op: number };

export interface ConcatSource {
  /** Concatenation op and its inputs, in order, with their spaces and original channel offsets. */
  op: number;
  inputs: { tensor: number; space: number; offset: number; channels: number }[];
}

export interface ChannelSpace {
  id: number;
  /** Activation tensors indexing these channels. */
  tensors: number[];
  /** Channels of the space (last dimension of a member tensor divided by its multiplicity). */
  channels: number;
  /** CONV_2D ops whose filters define the channels (more than one when ADD joins them). */
  definers: number[];
  /** Set when a concatenation along channels defines the space. */
  concat?: ConcatSource;
  uses: ChannelUse[];
  /** Why the space cannot be pruned; empty when it can. */
  blocked: string[];
}

export interface ChannelAnalysis {
  spaces: ChannelSpace[];
  /** Space id of every activation tensor. */
  spaceOf: Map<number, number>;
  /**
   * Positions per channel in a tensor's last dimension: 1 for NHWC tensors, H x W for a flatten of
   * [1, H, W, C] (whose last dimension is laid out position-major, channel-minor).
   */
  multiplicity: Map<number, number>;
}

const PASS_THROUGH = new Set([
  'RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'ELU', 'GELU',
  'ABS', 'NEG', 'QUANTIZE', 'DEQUANTIZE', 'MAX_POOL_2D', 'AVERAGE_POOL_2D', 'L2_POOL_2D',
  'RESIZE_BILINEAR', 'RESIZE_NEAREST_NEIGHBOR',
]);
const ELEMENTWISE = new Set(['ADD', 'SUB', 'MUL', 'MAXIMUM', 'MINIMUM', 'SQUARED_DIFFERENCE']);
const REDUCE = new Set(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD']);
const RESHAPES = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS']);

class UnionFind {
  private readonly parent: Int32Array;
  constructor(n: number) {
    this.parent = Int32Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    let r = i;
    while (this.parent[r] !== r) r = this.parent[r];
    while (this.parent[i] !== r) {
      const next = this.parent[i];
      this.parent[i] = r;
      i = next;
    }
    return r;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

function last(shape: readonly number[]): number {
  return shape.length > 0 ? shape[shape.length - 1] : 1;
}

function describe(op: Operator): string {
  return `${op.opType} (op ${op.index})`;
}

/** Finds every activation tensor's channel space in subgraph `sg`. */
export function analyzeChannelSpaces(sg: Subgraph): ChannelAnalysis {
  const n = sg.tensors.length;
  const uf = new UnionFind(n);
  const multiplicity = new Map<number, number>();
  const tensorUses = new Map<number, ChannelUse[]>();
  const tensorBlocks = new Map<number, string[]>();
  const producer = new Map<number, { kind: 'conv' | 'concat' | 'through' | 'opaque'; op: Operator }>();
  const concats = new Map<number, Operator>();

  const isActivation = (i: number): boolean => i >= 0 && i < n && !isConstant(sg.tensors[i]);
  const tensor = (i: number): Tensor => sg.tensors[i];
  const mult = (i: number): number => multiplicity.get(i) ?? 1;
  const use = (t: number, u: ChannelUse): void => {
    const list = tensorUses.get(t);
    if (list) list.push(u);
    else tensorUses.set(t, [u]);
  };
  const block = (t: number, reason: string): void => {
    if (!isActivation(t)) return;
    const list = tensorBlocks.get(t);
    if (list) {
      if (!list.includes(reason)) list.push(reason);
    } else tensorBlocks.set(t, [reason]);
  };
  const through = (op: Operator, from: number, to: number, m = mult(from)): void => {
    uf.union(from, to);
    multiplicity.set(to, m);
    producer.set(to, { kind: 'through', op });
  };
  const opaque = (op: Operator, why: string): void => {
    for (const i of op.inputs) block(i, `read by ${describe(op)}, ${why}`);
    for (const o of op.outputs) if (isActivation(o)) producer.set(o, { kind: 'opaque', op });
  };
  const constantInts = (i: number | undefined): number[] | undefined => {
    if (i === undefined || i < 0 || !isConstant(sg.tensors[i])) return undefined;
    return Array.from(constantValues(sg.tensors[i]));
  };

  for (const op of sg.operators) {
    const acts = op.inputs.filter(isActivation);
    const out = op.outputs[0] ?? -1;
    if (op.outputs.length !== 1 || !isActivation(out)) {
      opaque(op, 'which does not have exactly one computed output');
      continue;
    }
    const x = op.inputs[0] ?? -1;
    const t = op.opType;
    if (t === 'CONV_2D') {
      const filter = sg.tensors[op.inputs[1] ?? -1];
      const bias = op.inputs[2] ?? -1;
      if (!isActivation(x) || !isConstant(filter) || filter.shape.length !== 4 || (bias >= 0 && !isConstant(sg.tensors[bias]))) {
        opaque(op, 'whose filter or bias is not constant');
      } else if (filter.shape[3] !== last(tensor(x).shape) || mult(x) !== 1) {
        opaque(op, 'a grouped convolution');
      } else {
        use(x, { kind: 'conv-in', op: op.index });
        use(out, { kind: 'conv-out', op: op.index });
        producer.set(out, { kind: 'conv', op });
      }
    } else if (t === 'DEPTHWISE_CONV_2D') {
      const filter = sg.tensors[op.inputs[1] ?? -1];
      const bias = op.inputs[2] ?? -1;
      if (!isActivation(x) || !isConstant(filter) || (bias >= 0 && !isConstant(sg.tensors[bias]))) {
        opaque(op, 'whose filter or bias is not constant');
      } else if (last(filter.shape) !== last(tensor(x).shape) || mult(x) !== 1) {
        opaque(op, 'with a depth multiplier other than 1');
      } else {
        use(x, { kind: 'depthwise', op: op.index });
        through(op, x, out);
      }
    } else if (t === 'FULLY_CONNECTED') {
      const weights = sg.tensors[op.inputs[1] ?? -1];
      if (!isActivation(x) || !isConstant(weights) || weights.shape.length !== 2) opaque(op, 'whose weights are not a constant matrix');
      else {
        use(x, { kind: 'fc-in', op: op.index, tensor: x });
        for (const i of op.inputs.slice(1)) block(i, `read by ${describe(op)} as weights`);
        producer.set(out, { kind: 'opaque', op });
      }
    } else if (PASS_THROUGH.has(t) && isActivation(x) && acts.length === 1) {
      through(op, x, out);
    } else if (t === 'PAD' || t === 'PADV2' || t === 'MIRROR_PAD') {
      const pads = constantInts(op.inputs[1]);
      const rank = tensor(x).shape.length;
      if (!isActivation(x) || !pads || pads.length !== 2 * rank || pads[2 * rank - 2] !== 0 || pads[2 * rank - 1] !== 0) {
        opaque(op, 'which pads the channel dimension (or its paddings are not constant)');
      } else through(op, x, out);
    } else if (REDUCE.has(t)) {
      const axes = constantInts(op.inputs[1]);
      const rank = tensor(x).shape.length;
      const reducesChannels = !axes || axes.some((a) => (a < 0 ? a + rank : a) === rank - 1);
      if (!isActivation(x) || reducesChannels) opaque(op, 'which reduces over the channel dimension');
      else through(op, x, out);
    } else if (RESHAPES.has(t)) {
      const from = tensor(x).shape;
      const to = tensor(out).shape;
      if (!isActivation(x) || from.some((d) => d < 0) || to.some((d) => d < 0)) {
        opaque(op, 'with a dynamic shape');
        continue;
      }
      // The last dimension must be a trailing block of the input: the input's last dimension
      // (channels pass through) or a product of its trailing dimensions (a flatten, channel-minor).
      let suffix = 1;
      let m: number | undefined;
      for (let d = from.length - 1; d >= 0; d--) {
        suffix *= from[d];
        if (suffix === last(to)) {
          m = (suffix / last(from)) * mult(x);
          break;
        }
        if (suffix > last(to)) break;
      }
      if (m === undefined) opaque(op, 'which splits the channel dimension');
      else {
        through(op, x, out, m);
        if (t === 'RESHAPE') use(out, { kind: 'reshape', op: op.index });
      }
    } else if (ELEMENTWISE.has(t)) {
      const shape = tensor(out).shape;
      const same = op.inputs.every((i) => isActivation(i) && tensor(i).shape.length === shape.length && tensor(i).shape.every((d, k) => d === shape[k]));
      if (!same || acts.length < 2) opaque(op, 'with a constant or broadcast operand');
      else {
        for (const i of acts) {
          if (mult(i) !== mult(acts[0])) {
            opaque(op, 'joining tensors of different layouts');
            break;
          }
        }
        if (producer.get(out)?.kind !== 'opaque') for (const i of acts) through(op, i, out, mult(acts[0]));
      }
    } else if (t === 'CONCATENATION') {
      const rank = tensor(out).shape.length;
      let axis = typeof op.options.axis === 'number' ? op.options.axis : 0;
      if (axis < 0) axis += rank;
      if (acts.length !== op.inputs.length) opaque(op, 'with a constant operand');
      else if (axis !== rank - 1) for (const i of acts) through(op, i, out);
      else if (acts.some((i) => mult(i) !== 1)) opaque(op, 'joining flattened tensors');
      else {
        for (const i of acts) use(i, { kind: 'concat-in', op: op.index });
        producer.set(out, { kind: 'concat', op });
        concats.set(out, op);
      }
    } else {
      opaque(op, 'which the pruner cannot rewrite');
    }
  }

  sg.inputs.forEach((i) => block(i, 'model input'));
  sg.outputs.forEach((i) => block(i, 'model output'));
  for (const tt of sg.tensors) if (tt.isVariable) block(tt.index, 'variable tensor');

  // Group tensors by root.
  const spaceOf = new Map<number, number>();
  const spaces: ChannelSpace[] = [];
  const byRoot = new Map<number, ChannelSpace>();
  for (let i = 0; i < n; i++) {
    if (!isActivation(i)) continue;
    const r = uf.find(i);
    let s = byRoot.get(r);
    if (!s) {
      s = { id: spaces.length, tensors: [], channels: 0, definers: [], uses: [], blocked: [] };
      byRoot.set(r, s);
      spaces.push(s);
    }
    s.tensors.push(i);
    spaceOf.set(i, s.id);
    for (const u of tensorUses.get(i) ?? []) s.uses.push(u);
    for (const reason of tensorBlocks.get(i) ?? []) if (!s.blocked.includes(reason)) s.blocked.push(reason);
  }

  for (const s of spaces) {
    const counts = new Set<number>();
    for (const i of s.tensors) {
      const c = last(tensor(i).shape) / mult(i);
      counts.add(Number.isInteger(c) && c > 0 ? c : -1);
    }
    s.channels = counts.size === 1 ? [...counts][0] : -1;
    if (s.channels < 0) s.blocked.push('its tensors disagree on the channel count');
    let concatCount = 0;
    for (const i of s.tensors) {
      const p = producer.get(i);
      if (!p) {
        if (!sg.inputs.includes(i)) s.blocked.push(`tensor ${i} has no producer`);
        continue;
      }
      if (p.kind === 'conv') s.definers.push(p.op.index);
      else if (p.kind === 'opaque') {
        const reason = `produced by ${describe(p.op)}, which the pruner does not rewrite`;
        if (!s.blocked.includes(reason)) s.blocked.push(reason);
      } else if (p.kind === 'concat') {
        concatCount++;
        const inputs: ConcatSource['inputs'] = [];
        let offset = 0;
        for (const x of p.op.inputs) {
          const c = last(tensor(x).shape);
          inputs.push({ tensor: x, space: spaceOf.get(x) ?? -1, offset, channels: c });
          offset += c;
        }
        s.concat = { op: p.op.index, inputs };
      }
    }
    if (concatCount > 1 || (concatCount === 1 && s.definers.length > 0)) s.blocked.push('joins a channel concatenation with other channel sources');
  }

  // A blocked concatenation output keeps all of its inputs' channels.
  for (let changed = true; changed; ) {
    changed = false;
    for (const s of spaces) {
      if (!s.concat || s.blocked.length === 0) continue;
      for (const input of s.concat.inputs) {
        const target = spaces[input.space];
        const reason = `concatenated into a space that is kept (op ${s.concat.op})`;
        if (target && !target.blocked.includes(reason)) {
          target.blocked.push(reason);
          changed = true;
        }
      }
    }
  }
  return { spaces, spaceOf, multiplicity };
}
