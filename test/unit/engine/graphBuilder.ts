// Tiny single-subgraph graphs for kernel tests, built straight in the graph IR.

import type { DType, Graph, Operator, OptionValue, Tensor } from '../../../server/src/model/graph';
import { prepareEngine } from '../../../server/src/engine/engine';

export interface TensorSpec {
  shape: number[];
  dtype: DType;
  scale?: number | number[];
  zeroPoint?: number | number[];
  axis?: number;
  /** Constant contents. */
  data?: Int8Array | Int32Array | Float32Array | Int16Array | Uint8Array;
}

export interface OpSpec {
  opType: string;
  inputs: number[];
  outputs: number[];
  options?: Record<string, OptionValue>;
}

export function graphOf(tensors: TensorSpec[], ops: OpSpec[], inputs: number[], outputs: number[]): Graph {
  const ts: Tensor[] = tensors.map((spec, index) => {
    const t: Tensor = { index, name: `t${index}`, shape: spec.shape, dtype: spec.dtype, isVariable: false, buffer: 0 };
    if (spec.scale !== undefined) {
      const scale = (Array.isArray(spec.scale) ? spec.scale : [spec.scale]).map(Math.fround);
      const zp = spec.zeroPoint ?? 0;
      const zeroPoint = Array.isArray(zp) ? zp : scale.map(() => zp);
      t.quantization = { scale, zeroPoint, axis: spec.axis ?? 0 };
    }
    if (spec.data) {
      // Copy into a fresh buffer so that views start aligned, as TFLite buffers are.
      t.data = new Uint8Array(spec.data.buffer.slice(spec.data.byteOffset, spec.data.byteOffset + spec.data.byteLength));
      t.buffer = index + 1;
    }
    return t;
  });
  const operators: Operator[] = ops.map((o, index) => ({
    index,
    opType: o.opType,
    known: true,
    builtinCode: -1,
    custom: false,
    version: 1,
    inputs: o.inputs,
    outputs: o.outputs,
    intermediates: [],
    options: o.options ?? {},
  }));
  return {
    format: 'tflite',
    version: 3,
    description: '',
    subgraphs: [{ name: 'main', tensors: ts, operators, inputs, outputs }],
    metadata: [],
    fileBytes: 0,
  };
}

/** One int8 FULLY_CONNECTED: input [1,2] (scale 1, zp 0), filter [[1,2],[3,4]], bias [0,0]. */
export function fcGraph(opts: { act: string }): Graph {
  return graphOf(
    [
      { shape: [1, 2], dtype: 'int8', scale: 1, zeroPoint: 0 },
      { shape: [2, 2], dtype: 'int8', scale: 1, zeroPoint: 0, data: new Int8Array([1, 2, 3, 4]) },
      { shape: [2], dtype: 'int32', scale: 1, zeroPoint: 0, data: new Int32Array([0, 0]) },
      { shape: [1, 2], dtype: 'int8', scale: 1, zeroPoint: 0 },
    ],
    [{ opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: opts.act } }],
    [0],
    [3],
  );
}

/** Prepares the graph, runs it on `inputs` and returns a copy of each output's elements. */
export function run(graph: Graph, inputs: ArrayBufferView[]): number[][] {
  const engine = prepareEngine(graph);
  engine.invoke(inputs);
  return engine.outputs.map((o) => Array.from(o.data));
}
