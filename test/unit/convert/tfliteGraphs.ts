// Small float TFLite graphs for the TFLite -> ONNX op tests, built in the graph IR: a builder that
// tracks tensors and shapes, with deterministic pseudo-random conv and dense weights, so a graph
// reads like the model it stands for.

import type { DType, Graph, OptionValue } from '../../../server/src/model/graph';
import { lcg } from '../../helpers/torchLikeModels';
import { type OpSpec, type TensorSpec, graphOf } from '../engine/graphBuilder';

export class TfliteGraph {
  private readonly tensors: TensorSpec[] = [];
  private readonly ops: OpSpec[] = [];
  private readonly rand: () => number;

  constructor(seed = 1) {
    this.rand = lcg(seed);
  }

  shape(t: number): number[] {
    return this.tensors[t].shape;
  }

  input(shape: number[], dtype: DType = 'float32'): number {
    this.tensors.push({ shape, dtype });
    return this.tensors.length - 1;
  }

  floats(shape: number[], values: number[]): number {
    this.tensors.push({ shape, dtype: 'float32', data: Float32Array.from(values) });
    return this.tensors.length - 1;
  }

  int32s(shape: number[], values: number[]): number {
    this.tensors.push({ shape, dtype: 'int32', data: Int32Array.from(values) });
    return this.tensors.length - 1;
  }

  /** Uniform values in [-bound, bound). */
  random(n: number, bound: number): number[] {
    return Array.from({ length: n }, () => (this.rand() * 2 - 1) * bound);
  }

  op(opType: string, inputs: number[], outShape: number[], options: Record<string, OptionValue> = {}): number {
    const out = this.input(outShape);
    this.ops.push({ opType, inputs, outputs: [out], options });
    return out;
  }

  /** A k x k CONV_2D (VALID, stride 1) from x's channels to `outC`, kaiming-uniform-like weights. */
  conv(x: number, outC: number, k = 1, fusedActivation = 'NONE'): number {
    const [n, h, w, inC] = this.shape(x);
    const bound = 1 / Math.sqrt(inC * k * k);
    const weights = this.floats([outC, k, k, inC], this.random(outC * k * k * inC, bound));
    const bias = this.floats([outC], this.random(outC, bound));
    return this.op('CONV_2D', [x, weights, bias], [n, h - k + 1, w - k + 1, outC], { padding: 'VALID', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, fusedActivation });
  }

  dense(x: number, units: number): number {
    const k = this.shape(x)[this.shape(x).length - 1];
    const weights = this.floats([units, k], this.random(units * k, 1 / Math.sqrt(k)));
    const bias = this.floats([units], this.random(units, 0.1));
    return this.op('FULLY_CONNECTED', [x, weights, bias], [this.shape(x)[0], units], { fusedActivation: 'NONE', weightsFormat: 'DEFAULT', keepNumDims: false });
  }

  /** PAD (or PADV2 with `value`) by [before, after] per axis. */
  pad(x: number, paddings: [number, number][], value?: number): number {
    const p = this.int32s([paddings.length, 2], paddings.flat());
    const shape = this.shape(x).map((d, i) => d + paddings[i][0] + paddings[i][1]);
    return value === undefined ? this.op('PAD', [x, p], shape) : this.op('PADV2', [x, p, this.floats([], [value])], shape);
  }

  transpose(x: number, perm: number[]): number {
    return this.op('TRANSPOSE', [x, this.int32s([perm.length], perm)], perm.map((p) => this.shape(x)[p]));
  }

  mean(x: number, axes: number[], keepDims: boolean): number {
    const shape = this.shape(x).flatMap((d, i) => (axes.includes(i) ? (keepDims ? [1] : []) : [d]));
    return this.op('MEAN', [x, this.int32s([axes.length], axes)], shape, { keepDims });
  }

  concat(inputs: number[], axis: number): number {
    const shape = [...this.shape(inputs[0])];
    shape[axis] = inputs.reduce((s, t) => s + this.shape(t)[axis], 0);
    return this.op('CONCATENATION', inputs, shape, { axis, fusedActivation: 'NONE' });
  }

  reshape(x: number, shape: number[]): number {
    return this.op('RESHAPE', [x, this.int32s([shape.length], shape)], shape, { newShape: shape });
  }

  graph(inputs: number[], outputs: number[]): Graph {
    const g = graphOf(this.tensors, this.ops, inputs, outputs);
    // Named as a converter would name them, so messages and ONNX values read well.
    for (const t of g.subgraphs[0].tensors) t.name = `t${t.index}`;
    return g;
  }
}
