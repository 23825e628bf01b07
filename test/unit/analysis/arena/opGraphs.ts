// Tiny one-operator graphs for the kernel-model tests: every tensor's type, shape and
// quantization is spelled out by the test, so the expected arena figures can be derived by hand.

import type { DType, Graph, Operator, OptionValue, Tensor } from '../../../../server/src/model/graph';

export interface TensorSpec {
  shape: number[];
  dtype?: DType;
  /** Quantization channels (1 = per tensor); omit for an unquantized tensor. */
  channels?: number;
  constant?: boolean;
  variable?: boolean;
}

/** A graph with one operator: `inputs` (null = absent optional input) and `outputs`. */
export function oneOpGraph(
  opType: string,
  inputs: (TensorSpec | null)[],
  outputs: TensorSpec[],
  options: Record<string, OptionValue> = {},
): Graph {
  const tensors: Tensor[] = [];
  const add = (spec: TensorSpec): number => {
    const index = tensors.length;
    const channels = spec.channels ?? 0;
    tensors.push({
      index,
      name: `t${index}`,
      shape: spec.shape,
      dtype: spec.dtype ?? 'int8',
      isVariable: spec.variable ?? false,
      buffer: spec.constant ? index + 1 : 0,
      ...(spec.constant ? { data: new Uint8Array(1) } : {}),
      ...(channels > 0
        ? { quantization: { scale: new Array<number>(channels).fill(0.5), zeroPoint: new Array<number>(channels).fill(0), axis: 0 } }
        : {}),
    });
    return index;
  };
  const inputIndices = inputs.map((spec) => (spec ? add(spec) : -1));
  const outputIndices = outputs.map(add);
  const op: Operator = {
    index: 0,
    opType,
    known: true,
    builtinCode: -1,
    custom: false,
    version: 1,
    inputs: inputIndices,
    outputs: outputIndices,
    intermediates: [],
    options,
  };
  const graphInputs = inputIndices.filter((i) => i >= 0 && !tensors[i].data && !tensors[i].isVariable);
  return {
    format: 'tflite',
    version: 3,
    description: '',
    subgraphs: [{ name: 'main', tensors, operators: [op], inputs: graphInputs, outputs: outputIndices }],
    metadata: [],
    fileBytes: 0,
  };
}

/** An activation tensor quantized per tensor. */
export const act = (shape: number[], dtype: DType = 'int8'): TensorSpec => ({ shape, dtype, channels: 1 });
/** A constant tensor (weights, axis, paddings), quantized with `channels` when given. */
export const constant = (shape: number[], dtype: DType = 'int8', channels = 0): TensorSpec => ({
  shape,
  dtype,
  channels,
  constant: true,
});

/** int16 conv [1,4,4,3] * [8,3,3,3] (per-channel) + int64 bias -> [1,4,4,8], SAME, stride 1. */
export function conv16x8() {
  return oneOpGraph(
    'CONV_2D',
    [act([1, 4, 4, 3], 'int16'), constant([8, 3, 3, 3], 'int8', 8), constant([8], 'int64', 8)],
    [act([1, 4, 4, 8], 'int16')],
    { padding: 'SAME', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1 },
  );
}

/** int16 fully connected [1,4] x [2,4] + int64 bias -> [1,2]. */
export function fc16x8() {
  return oneOpGraph(
    'FULLY_CONNECTED',
    [act([1, 4], 'int16'), constant([2, 4], 'int8', 1), constant([2], 'int64', 1)],
    [act([1, 2], 'int16')],
  );
}

/**
 * An int8x8_16 LSTM, batch-major: input [1,2,3], eight int8 weights, no peepholes, four int32
 * biases, no projection, int8 hidden state [1,4] and int16 cell state [1,4], no layer norm.
 */
export function lstmGraph() {
  const w = (cols: number) => constant([4, cols], 'int8', 1);
  const bias = () => constant([4], 'int32', 1);
  return oneOpGraph(
    'UNIDIRECTIONAL_SEQUENCE_LSTM',
    [
      act([1, 2, 3]),
      w(3),
      w(3),
      w(3),
      w(3),
      w(4),
      w(4),
      w(4),
      w(4),
      null,
      null,
      null,
      bias(),
      bias(),
      bias(),
      bias(),
      null,
      null,
      { shape: [1, 4], dtype: 'int8', channels: 1, variable: true },
      { shape: [1, 4], dtype: 'int16', channels: 1, variable: true },
      null,
      null,
      null,
      null,
    ],
    [act([1, 2, 4])],
    { timeMajor: false },
  );
}
