// Per-layer cost figures (MACs, parameters, weight and output bytes, cost-model kernel kind) for
// the budget table and the latency model. Shapes and constants only: nothing is keyed on a
// model's name, size or hash, and both TFLite and ONNX op sets are understood.
//
// MAC conventions (one multiply-accumulate = 1):
// - conv:        batch * outSpatial * outC * kSpatial * (inC / groups)
// - depthwise:   batch * outSpatial * outC * kSpatial
// - transposed conv: batch * inSpatial * inC * kSpatial * (outC / groups)
// - fc / matmul: output elements * inner dimension (batch * outUnits * inUnits)
// - pool:        every element a window visits counts as one MAC (comparison for max, add for
//                average), i.e. batch * outSpatial * C * kSpatial; a global pool or a reduction
//                (MEAN, ReduceMean...) counts its input elements. This is the convention of
//                common profilers (e.g. TFLM's benchmark tables, netron-style counters).
// - elementwise, softmax and quantize: output elements.
// - lstm / gru / rnn: steps * (input + recurrent weight elements + peephole and projection
//                elements), steps = batch * time; the gate nonlinearities are not counted.
// - svdf:        batch * (feature weight elements + time weight elements).
// - reshape and other data movement: 0; ops without a cost model ('unknown'): 0.

import { dtypeBytes, elementCount, tensorBytes, type Graph, type Operator, type Subgraph, type Tensor } from '../model/graph';

export type LayerKind =
  | 'conv'
  | 'depthwise'
  | 'fc'
  | 'pool'
  | 'elementwise'
  | 'softmax'
  | 'reshape'
  | 'lstm'
  | 'svdf'
  | 'quantize'
  /** Known ops that only move data (PAD, CONCATENATION, TRANSPOSE, Gather...): 0 MACs. */
  | 'other'
  /** Ops with no cost model: 0 MACs, and the budget says so. */
  | 'unknown';

export interface LayerCost {
  index: number;
  op: string;
  /** Shapes of every present input, data inputs and constant weights alike, in input order. */
  inputShapes: number[][];
  outputShape: number[];
  /** Compute type: 'int8', 'float32', 'int16x8' (int16 activations, int8 weights), 'float32->int8' for conversions. */
  dtype: string;
  /** e.g. 'per-channel int8 (32 ch)', 'per-tensor int8', 'float'. */
  quantization: string;
  /** Elements of the constant inputs. */
  params: number;
  /** Bytes of the constant inputs' data. */
  weightBytes: number;
  /** Bytes of all outputs. */
  outputBytes: number;
  macs: number;
  kind: LayerKind;
  /** Output elements (all outputs), a cost-model feature. */
  outputElements: number;
  /** Spatial kernel size for conv, depthwise and pool kinds (e.g. [3, 3]). */
  kernel?: number[];
  /** Output channels per input channel of a depthwise layer. */
  depthMultiplier?: number;
  /** Input channels of conv and depthwise kinds, inner dimension of fc. */
  inChannels?: number;
  /** Output channels of conv and depthwise kinds, output units of fc. */
  outChannels?: number;
}

export function layerCosts(graph: Graph, subgraphIndex = 0): LayerCost[] {
  const subgraph = graph.subgraphs[subgraphIndex];
  if (!subgraph) return [];
  return subgraph.operators.map((op) => costOf(graph.format === 'onnx', subgraph, op));
}

function tensorAt(subgraph: Subgraph, index: number | undefined): Tensor | undefined {
  return index === undefined || index < 0 ? undefined : subgraph.tensors[index];
}

function isConstant(t: Tensor | undefined): boolean {
  return t !== undefined && t.data !== undefined && !t.isVariable;
}

function costOf(onnx: boolean, subgraph: Subgraph, op: Operator): LayerCost {
  const inputs = op.inputs.map((i) => tensorAt(subgraph, i));
  const present = inputs.filter((t): t is Tensor => t !== undefined);
  const outputs = op.outputs.map((i) => tensorAt(subgraph, i)).filter((t): t is Tensor => t !== undefined);
  const out = outputs[0];
  const constants = present.filter(isConstant);
  const roles = onnx ? onnxRoles(op) : tfliteRoles(op);
  const data = roles.data >= 0 ? inputs[roles.data] : present.find((t) => !isConstant(t));
  const weights = roles.weights >= 0 ? inputs[roles.weights] : undefined;

  const cost: LayerCost = {
    index: op.index,
    op: op.opType,
    inputShapes: present.map((t) => [...t.shape]),
    outputShape: out ? [...out.shape] : [],
    dtype: computeType(roles.kind, data ?? out, weights, out),
    quantization: quantizationOf(onnx, op, inputs, data ?? out, weights),
    params: constants.reduce((n, t) => n + elementCount(t.shape), 0),
    weightBytes: constants.reduce((n, t) => n + (t.data?.byteLength ?? 0), 0),
    outputBytes: outputs.reduce((n, t) => n + tensorBytes(t), 0),
    macs: 0,
    kind: roles.kind,
    outputElements: outputs.reduce((n, t) => n + elementCount(t.shape), 0),
  };
  const outElems = out ? elementCount(out.shape) : 0;
  switch (roles.kind) {
    case 'conv':
    case 'depthwise':
      convMacs(cost, onnx, op, data, weights, out);
      break;
    case 'fc':
      fcMacs(cost, onnx, op, data, weights, out);
      break;
    case 'pool':
      poolMacs(cost, onnx, op, data, out);
      break;
    case 'elementwise':
    case 'softmax':
    case 'quantize':
      cost.macs = outElems;
      break;
    case 'lstm':
      cost.macs = recurrentMacs(onnx, op, inputs, data);
      break;
    case 'svdf': {
      const inner = data ? lastDim(data.shape) : 0;
      const steps = data && inner > 0 ? elementCount(data.shape) / inner : 0;
      cost.macs = steps * (count(inputs[1]) + count(inputs[2]));
      break;
    }
    default:
      cost.macs = 0;
  }
  return cost;
}

interface Roles {
  kind: LayerKind;
  /** Input index of the activation, -1 for "first non-constant input". */
  data: number;
  /** Input index of the weights, -1 when the op has none. */
  weights: number;
}

const TFLITE_ELEMENTWISE = new Set([
  'ADD', 'SUB', 'MUL', 'DIV', 'MAXIMUM', 'MINIMUM', 'SQUARED_DIFFERENCE', 'POW', 'FLOOR_DIV', 'FLOOR_MOD',
  'RELU', 'RELU6', 'RELU_N1_TO_1', 'RELU_0_TO_1', 'LEAKY_RELU', 'PRELU', 'LOGISTIC', 'TANH', 'HARD_SWISH', 'ELU', 'GELU',
  'ABS', 'NEG', 'SQRT', 'RSQRT', 'SQUARE', 'EXP', 'LOG', 'SIN', 'COS', 'FLOOR', 'CEIL', 'ROUND', 'SIGN',
  'LESS', 'LESS_EQUAL', 'GREATER', 'GREATER_EQUAL', 'EQUAL', 'NOT_EQUAL', 'LOGICAL_AND', 'LOGICAL_OR', 'LOGICAL_NOT',
  'SELECT', 'SELECT_V2', 'ADD_N', 'CAST', 'L2_NORMALIZATION', 'LOCAL_RESPONSE_NORMALIZATION', 'RESIZE_BILINEAR',
  'RESIZE_NEAREST_NEIGHBOR', 'BROADCAST_TO',
]);
const TFLITE_RESHAPE = new Set(['RESHAPE', 'SQUEEZE', 'EXPAND_DIMS']);
const TFLITE_MOVE = new Set([
  'CONCATENATION', 'PAD', 'PADV2', 'MIRROR_PAD', 'TRANSPOSE', 'SLICE', 'STRIDED_SLICE', 'SPLIT', 'SPLIT_V', 'PACK',
  'UNPACK', 'GATHER', 'GATHER_ND', 'SPACE_TO_DEPTH', 'DEPTH_TO_SPACE', 'SPACE_TO_BATCH_ND', 'BATCH_TO_SPACE_ND',
  'TILE', 'REVERSE_V2', 'FILL', 'ZEROS_LIKE', 'ONES_LIKE', 'SHAPE', 'EMBEDDING_LOOKUP',
]);
const TFLITE_REDUCE = new Set(['MEAN', 'SUM', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_PROD', 'ARG_MAX', 'ARG_MIN']);

function tfliteRoles(op: Operator): Roles {
  switch (op.opType) {
    case 'CONV_2D':
    case 'CONV_3D':
      return { kind: 'conv', data: 0, weights: 1 };
    case 'TRANSPOSE_CONV':
      return { kind: 'conv', data: 2, weights: 1 };
    case 'DEPTHWISE_CONV_2D':
      return { kind: 'depthwise', data: 0, weights: 1 };
    case 'FULLY_CONNECTED':
    case 'BATCH_MATMUL':
      return { kind: 'fc', data: 0, weights: 1 };
    case 'AVERAGE_POOL_2D':
    case 'MAX_POOL_2D':
    case 'L2_POOL_2D':
      return { kind: 'pool', data: 0, weights: -1 };
    case 'SOFTMAX':
    case 'LOG_SOFTMAX':
      return { kind: 'softmax', data: 0, weights: -1 };
    case 'QUANTIZE':
    case 'DEQUANTIZE':
      return { kind: 'quantize', data: 0, weights: -1 };
    case 'SVDF':
      return { kind: 'svdf', data: 0, weights: 1 };
    case 'LSTM':
    case 'UNIDIRECTIONAL_SEQUENCE_LSTM':
    case 'BIDIRECTIONAL_SEQUENCE_LSTM':
    case 'UNIDIRECTIONAL_SEQUENCE_RNN':
    case 'BIDIRECTIONAL_SEQUENCE_RNN':
    case 'RNN':
      return { kind: 'lstm', data: 0, weights: op.opType.includes('RNN') ? 1 : 2 };
  }
  if (TFLITE_REDUCE.has(op.opType)) return { kind: 'pool', data: 0, weights: -1 };
  if (TFLITE_RESHAPE.has(op.opType)) return { kind: 'reshape', data: 0, weights: -1 };
  if (TFLITE_ELEMENTWISE.has(op.opType)) return { kind: 'elementwise', data: -1, weights: -1 };
  if (TFLITE_MOVE.has(op.opType)) return { kind: 'other', data: 0, weights: -1 };
  return { kind: 'unknown', data: -1, weights: -1 };
}

const ONNX_ELEMENTWISE = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Max', 'Min', 'Pow', 'Mod', 'Sum', 'Mean',
  'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Clip',
  'Softplus', 'Softsign', 'Mish', 'ThresholdedRelu', 'Abs', 'Neg', 'Sqrt', 'Reciprocal', 'Exp', 'Log', 'Sin', 'Cos',
  'Floor', 'Ceil', 'Round', 'Sign', 'Erf', 'Less', 'LessOrEqual', 'Greater', 'GreaterOrEqual', 'Equal', 'And', 'Or',
  'Not', 'Xor', 'Where', 'Cast', 'BatchNormalization', 'InstanceNormalization', 'LayerNormalization',
  'LpNormalization', 'LRN', 'Resize', 'Upsample', 'Expand',
  'com.microsoft.QLinearAdd', 'com.microsoft.QLinearMul', 'com.microsoft.QLinearSigmoid',
  'com.microsoft.QLinearLeakyRelu',
]);
const ONNX_RESHAPE = new Set(['Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Identity', 'Dropout']);
const ONNX_MOVE = new Set([
  'Concat', 'Pad', 'Transpose', 'Slice', 'Split', 'Gather', 'GatherElements', 'GatherND', 'Tile', 'SpaceToDepth',
  'DepthToSpace', 'Shape', 'Size', 'ConstantOfShape', 'Constant', 'Range', 'ReverseSequence',
]);
const ONNX_POOL = new Set([
  'AveragePool', 'MaxPool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool',
  'ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ArgMax', 'ArgMin',
  'com.microsoft.QLinearAveragePool', 'com.microsoft.QLinearGlobalAveragePool',
]);

function onnxRoles(op: Operator): Roles {
  switch (op.opType) {
    case 'Conv':
    case 'ConvInteger': {
      const group = numberOption(op, 'group', 1);
      return { kind: group > 1 ? 'depthwise' : 'conv', data: 0, weights: 1 };
    }
    case 'QLinearConv': {
      const group = numberOption(op, 'group', 1);
      return { kind: group > 1 ? 'depthwise' : 'conv', data: 0, weights: 3 };
    }
    case 'ConvTranspose':
      return { kind: 'conv', data: 0, weights: 1 };
    case 'Gemm':
    case 'MatMul':
    case 'MatMulInteger':
      return { kind: 'fc', data: 0, weights: 1 };
    case 'QLinearMatMul':
      return { kind: 'fc', data: 0, weights: 3 };
    case 'Softmax':
    case 'LogSoftmax':
      return { kind: 'softmax', data: 0, weights: -1 };
    case 'QuantizeLinear':
    case 'DequantizeLinear':
    case 'DynamicQuantizeLinear':
      return { kind: 'quantize', data: 0, weights: -1 };
    case 'LSTM':
    case 'GRU':
    case 'RNN':
      return { kind: 'lstm', data: 0, weights: 1 };
  }
  if (ONNX_POOL.has(op.opType)) return { kind: 'pool', data: 0, weights: -1 };
  if (ONNX_RESHAPE.has(op.opType)) return { kind: 'reshape', data: 0, weights: -1 };
  if (ONNX_ELEMENTWISE.has(op.opType)) return { kind: 'elementwise', data: -1, weights: -1 };
  if (ONNX_MOVE.has(op.opType)) return { kind: 'other', data: 0, weights: -1 };
  return { kind: 'unknown', data: -1, weights: -1 };
}

function numberOption(op: Operator, key: string, fallback: number): number {
  const v = op.options[key];
  return typeof v === 'number' ? v : fallback;
}

function numbersOption(op: Operator, key: string): number[] | undefined {
  const v = op.options[key];
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
}

function count(t: Tensor | undefined): number {
  return t ? elementCount(t.shape) : 0;
}

function lastDim(shape: readonly number[]): number {
  return shape.length > 0 ? shape[shape.length - 1] : 1;
}

function product(dims: readonly number[]): number {
  return dims.reduce((a, b) => a * Math.max(b, 0), 1);
}

function convMacs(cost: LayerCost, onnx: boolean, op: Operator, data: Tensor | undefined, w: Tensor | undefined, out: Tensor | undefined): void {
  if (!w || !out || w.shape.length < 3) return;
  const outElems = elementCount(out.shape);
  if (onnx) {
    // W [M, C/group, k...] for Conv; [C, M/group, k...] for ConvTranspose. Y [N, M, spatial...].
    const kernel = w.shape.slice(2);
    cost.kernel = kernel;
    if (op.opType === 'ConvTranspose') {
      const inElems = data ? elementCount(data.shape) : 0;
      cost.macs = inElems * product(kernel) * w.shape[1];
      cost.inChannels = w.shape[0];
      cost.outChannels = out.shape[1];
      return;
    }
    cost.macs = outElems * product(kernel) * w.shape[1];
    cost.inChannels = data && data.shape.length > 1 ? data.shape[1] : w.shape[1] * numberOption(op, 'group', 1);
    cost.outChannels = w.shape[0];
    if (cost.kind === 'depthwise') {
      const group = numberOption(op, 'group', 1);
      // A grouped conv with more than one input channel per group is costed as a conv.
      if (w.shape[1] !== 1 || (cost.inChannels > 0 && group !== cost.inChannels)) cost.kind = 'conv';
      else cost.depthMultiplier = cost.outChannels / Math.max(group, 1);
    }
    return;
  }
  // TFLite: CONV_2D filter [outC, kH, kW, inC/groups]; CONV_3D [kD, kH, kW, inC, outC];
  // DEPTHWISE_CONV_2D [1, kH, kW, outC]; TRANSPOSE_CONV [outC, kH, kW, inC]. Output NHWC.
  if (op.opType === 'DEPTHWISE_CONV_2D') {
    const kernel = w.shape.slice(1, 3);
    cost.kernel = kernel;
    cost.macs = outElems * product(kernel);
    cost.outChannels = lastDim(out.shape);
    cost.inChannels = data ? lastDim(data.shape) : cost.outChannels;
    cost.depthMultiplier = numberOption(op, 'depthMultiplier', 0) || cost.outChannels / Math.max(cost.inChannels, 1);
    return;
  }
  if (op.opType === 'CONV_3D') {
    const kernel = w.shape.slice(0, 3);
    cost.kernel = kernel;
    cost.macs = outElems * product(kernel) * w.shape[3];
    cost.inChannels = w.shape[3];
    cost.outChannels = w.shape[4];
    return;
  }
  const kernel = w.shape.slice(1, w.shape.length - 1);
  cost.kernel = kernel;
  if (op.opType === 'TRANSPOSE_CONV') {
    const inElems = data ? elementCount(data.shape) : 0;
    cost.macs = inElems * product(kernel) * w.shape[0];
    cost.inChannels = lastDim(w.shape);
    cost.outChannels = w.shape[0];
    return;
  }
  cost.macs = outElems * product(kernel) * lastDim(w.shape);
  cost.inChannels = data ? lastDim(data.shape) : lastDim(w.shape);
  cost.outChannels = w.shape[0];
}

function fcMacs(cost: LayerCost, onnx: boolean, op: Operator, data: Tensor | undefined, w: Tensor | undefined, out: Tensor | undefined): void {
  if (!out) return;
  const outElems = elementCount(out.shape);
  let inner = 0;
  if (!onnx && op.opType === 'FULLY_CONNECTED') {
    // weights [outUnits, inUnits]
    inner = w && w.shape.length >= 2 ? lastDim(w.shape) : 0;
    cost.outChannels = w?.shape[0];
  } else if (op.opType === 'Gemm') {
    // Y = A' B' with A [M, K] (or [K, M] when transA)
    const transA = numberOption(op, 'transA', 0) !== 0;
    if (data && data.shape.length === 2) inner = transA ? data.shape[0] : data.shape[1];
    cost.outChannels = lastDim(out.shape);
  } else if (op.opType === 'BATCH_MATMUL') {
    const adjX = op.options.adjX === true;
    if (data && data.shape.length >= 2) inner = adjX ? data.shape[data.shape.length - 2] : lastDim(data.shape);
    cost.outChannels = lastDim(out.shape);
  } else {
    // MatMul family: A [..., M, K]
    if (data && data.shape.length >= 1) inner = lastDim(data.shape);
    cost.outChannels = lastDim(out.shape);
  }
  cost.inChannels = inner;
  cost.macs = outElems * Math.max(inner, 0);
}

function poolMacs(cost: LayerCost, onnx: boolean, op: Operator, data: Tensor | undefined, out: Tensor | undefined): void {
  if (!out) return;
  const outElems = elementCount(out.shape);
  const inElems = data ? elementCount(data.shape) : 0;
  let kernel: number[] | undefined;
  if (onnx) {
    kernel = numbersOption(op, 'kernel_shape');
  } else if (op.opType.endsWith('_POOL_2D')) {
    const fw = numberOption(op, 'filterWidth', 0);
    const fh = numberOption(op, 'filterHeight', 0);
    if (fw > 0 && fh > 0) kernel = [fh, fw];
  }
  if (kernel) {
    cost.kernel = kernel;
    cost.macs = outElems * product(kernel);
  } else {
    // Global pools and reductions visit every input element once.
    cost.macs = inElems;
  }
}

function recurrentMacs(onnx: boolean, op: Operator, inputs: (Tensor | undefined)[], data: Tensor | undefined): number {
  if (!data) return 0;
  const inner = lastDim(data.shape);
  if (inner <= 0) return 0;
  const steps = elementCount(data.shape) / inner;
  if (onnx) {
    // X [T, B, I] (layout 0) or [B, T, I]; W [D, gates*H, I]; R [D, gates*H, H]; P [D, 3H] at 7.
    return steps * (count(inputs[1]) + count(inputs[2]) + count(inputs[7]));
  }
  if (op.opType === 'UNIDIRECTIONAL_SEQUENCE_LSTM' || op.opType === 'LSTM') {
    // 1-4 input weights, 5-8 recurrent weights, 9-11 peepholes, 16 projection.
    const weightInputs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 16];
    return steps * weightInputs.reduce((n, i) => n + count(inputs[i]), 0);
  }
  // Other recurrent ops: every constant matrix is applied once per step.
  return steps * inputs.reduce((n, t) => n + (t && isConstant(t) && t.shape.length >= 2 ? count(t) : 0), 0);
}

function computeType(kind: LayerKind, data: Tensor | undefined, weights: Tensor | undefined, out: Tensor | undefined): string {
  if (kind === 'quantize') {
    const from = data?.dtype ?? 'unknown';
    const to = out?.dtype ?? 'unknown';
    return from === to ? from : `${from}->${to}`;
  }
  const act = data?.dtype ?? out?.dtype ?? 'unknown';
  const w = weights?.dtype;
  if (!w || w === act || w === 'int32') return act;
  if (act === 'int16' && (w === 'int8' || w === 'int4')) return w === 'int4' ? 'int16x4' : 'int16x8';
  if (act === 'int8' && w === 'int4') return 'int8x4';
  // Hybrid (float activations, integer weights) and other mixes name both.
  return `${act}x${w}`;
}

function quantizationOf(onnx: boolean, op: Operator, inputs: (Tensor | undefined)[], data: Tensor | undefined, weights: Tensor | undefined): string {
  if (onnx && op.opType.startsWith('QLinear')) {
    // QLinearConv / QLinearMatMul carry scales as inputs: w_scale at 4.
    const wScale = inputs[4];
    const w = inputs[3];
    const channels = wScale ? elementCount(wScale.shape) : 1;
    const type = w?.dtype ?? data?.dtype ?? 'int8';
    return channels > 1 ? `per-channel ${type} (${channels} ch)` : `per-tensor ${type}`;
  }
  if (onnx && (op.opType === 'ConvInteger' || op.opType === 'MatMulInteger')) {
    const wZero = inputs[3];
    const channels = wZero ? elementCount(wZero.shape) : 1;
    const type = weights?.dtype ?? 'int8';
    return channels > 1 ? `per-channel ${type} (${channels} ch)` : `per-tensor ${type}`;
  }
  const q = weights?.quantization;
  if (weights && q && q.scale.length > 1) return `per-channel ${weights.dtype} (${q.scale.length} ch)`;
  if (weights && q && q.scale.length === 1) return `per-tensor ${weights.dtype}`;
  const tensor = data ?? weights;
  if (!tensor) return 'none';
  if (tensor.dtype.startsWith('float') || tensor.dtype === 'bfloat16') return weights && !weights.dtype.startsWith('float') ? `hybrid ${weights.dtype}` : 'float';
  if (tensor.quantization && tensor.quantization.scale.length > 0) {
    return tensor.quantization.scale.length > 1
      ? `per-channel ${tensor.dtype} (${tensor.quantization.scale.length} ch)`
      : `per-tensor ${tensor.dtype}`;
  }
  return dtypeBytes(tensor.dtype) > 0 ? tensor.dtype : 'none';
}
