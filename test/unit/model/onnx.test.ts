// The ONNX reader: graph structure, initializer bytes, attributes, ordering, quantization, errors
// on hostile input (with a fuzz run), and shape inference checked against onnxruntime: each shape
// case builds a small model whose outputs carry no shape, runs it in onnxruntime-node and expects
// the reader's inferred output shapes and types to equal the runtime's.
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Graph, ModelError, Tensor } from '../../../server/src/model/graph';
import { encodeModelProto } from '../../../server/src/model/onnx/onnxProto';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { DTypeName, OnnxBuilder, attr, rawBytes } from '../../helpers/onnxBuilder';

interface Case {
  name: string;
  opset?: number;
  inputs: [string, DTypeName, number[]][];
  outputs: (string | [string, DTypeName])[];
  build: (b: OnnxBuilder) => void;
  extraOpsets?: Record<string, number>;
}

const f = (n: number, fill = 0.5): number[] => new Array<number>(n).fill(fill);
const count = (dims: number[]): number => dims.reduce((a, b) => a * b, 1);

function feed(dtype: DTypeName, dims: number[]): ort.Tensor {
  const n = count(dims);
  const values = Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 5);
  switch (dtype) {
    case 'float32': return new ort.Tensor('float32', Float32Array.from(values, (v) => v / 4), dims);
    case 'int8': return new ort.Tensor('int8', Int8Array.from(values), dims);
    case 'uint8': return new ort.Tensor('uint8', Uint8Array.from(values, (v) => v + 128), dims);
    case 'int32': return new ort.Tensor('int32', Int32Array.from(values), dims);
    case 'int64': return new ort.Tensor('int64', BigInt64Array.from(values, (v) => BigInt(v)), dims);
    case 'bool': return new ort.Tensor('bool', Uint8Array.from(values, (v) => (v > 0 ? 1 : 0)), dims);
    default: throw new Error(`no feed for ${dtype}`);
  }
}

const CASES: Case[] = [
  {
    name: 'Conv with pads and strides',
    inputs: [['x', 'float32', [1, 3, 9, 9]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [4, 3, 3, 3], f(108)).initializer('bias', 'float32', [4], f(4))
      .node('Conv', ['x', 'w', 'bias'], ['y'], { pads: [1, 0, 2, 1], strides: [2, 3] }),
  },
  {
    name: 'Conv SAME_UPPER, stride 2, odd size',
    inputs: [['x', 'float32', [1, 2, 7, 10]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [3, 2, 3, 3], f(54)).node('Conv', ['x', 'w'], ['y'], { auto_pad: 'SAME_UPPER', strides: [2, 2] }),
  },
  {
    name: 'Conv SAME_LOWER with kernel_shape',
    inputs: [['x', 'float32', [1, 2, 5, 6]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [3, 2, 2, 2], f(24))
      .node('Conv', ['x', 'w'], ['y'], { auto_pad: 'SAME_LOWER', kernel_shape: [2, 2], strides: [3, 2] }),
  },
  {
    name: 'Conv VALID with dilations',
    inputs: [['x', 'float32', [1, 1, 11, 12]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [2, 1, 3, 3], f(18)).node('Conv', ['x', 'w'], ['y'], { auto_pad: 'VALID', dilations: [2, 3] }),
  },
  {
    name: 'depthwise Conv (group)',
    inputs: [['x', 'float32', [1, 4, 6, 6]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [8, 1, 3, 3], f(72)).node('Conv', ['x', 'w'], ['y'], { group: 4, pads: [1, 1, 1, 1] }),
  },
  {
    name: 'Conv 1-D',
    inputs: [['x', 'float32', [2, 3, 20]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [5, 3, 4], f(60)).node('Conv', ['x', 'w'], ['y'], { strides: [3] }),
  },
  {
    name: 'ConvTranspose with stride, pads and output_padding',
    inputs: [['x', 'float32', [1, 2, 5, 4]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [2, 3, 3, 3], f(54))
      .node('ConvTranspose', ['x', 'w'], ['y'], { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 0] }),
  },
  {
    name: 'ConvTranspose with group',
    inputs: [['x', 'float32', [1, 4, 3, 3]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [4, 2, 2, 2], f(32)).node('ConvTranspose', ['x', 'w'], ['y'], { group: 2 }),
  },
  {
    name: 'Gemm transB with bias',
    inputs: [['x', 'float32', [3, 5]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [7, 5], f(35)).initializer('c', 'float32', [7], f(7))
      .node('Gemm', ['x', 'w', 'c'], ['y'], { transB: 1 }),
  },
  {
    name: 'Gemm transA',
    inputs: [['x', 'float32', [5, 3]]],
    outputs: ['y'],
    build: (b) => b.initializer('w', 'float32', [5, 2], f(10)).node('Gemm', ['x', 'w'], ['y'], { transA: 1, alpha: 0.5 }),
  },
  {
    name: 'MatMul batched with broadcasting',
    inputs: [['a', 'float32', [2, 1, 3, 4]], ['b', 'float32', [5, 4, 6]]],
    outputs: ['y'],
    build: (b) => b.node('MatMul', ['a', 'b'], ['y']),
  },
  {
    name: 'MatMul 1-D by 2-D and 3-D by 1-D',
    inputs: [['a', 'float32', [4]], ['b', 'float32', [4, 6]], ['c', 'float32', [2, 3, 4]]],
    outputs: ['y', 'z'],
    build: (b) => b.node('MatMul', ['a', 'b'], ['y']).node('MatMul', ['c', 'a'], ['z']),
  },
  {
    name: 'unary activations',
    opset: 14,
    inputs: [['x', 'float32', [2, 3, 4]]],
    outputs: ['r', 's', 't', 'l', 'h', 'c', 'm', 'e'],
    build: (b) => b.initializer('lo', 'float32', [], [0]).initializer('hi', 'float32', [], [6])
      .node('Relu', ['x'], ['r']).node('Sigmoid', ['x'], ['s']).node('Tanh', ['x'], ['t'])
      .node('LeakyRelu', ['x'], ['l'], { alpha: 0.1 }).node('HardSwish', ['x'], ['h'])
      .node('Clip', ['x', 'lo', 'hi'], ['c']).node('Softmax', ['x'], ['m'], { axis: -1 }).node('Exp', ['x'], ['e']),
  },
  {
    name: 'Clip with an absent min (empty input name)',
    inputs: [['x', 'float32', [3, 2]]],
    outputs: ['y'],
    build: (b) => b.initializer('hi', 'float32', [], [1]).node('Clip', ['x', '', 'hi'], ['y']),
  },
  {
    name: 'binary ops broadcast',
    inputs: [['a', 'float32', [1, 3, 1, 5]], ['b', 'float32', [4, 1]], ['s', 'float32', []]],
    outputs: ['add', 'sub', 'mul', 'div'],
    build: (b) => b.node('Add', ['a', 'b'], ['add']).node('Sub', ['b', 'a'], ['sub']).node('Mul', ['a', 's'], ['mul']).node('Div', ['s', 'b'], ['div']),
  },
  {
    name: 'BatchNormalization',
    inputs: [['x', 'float32', [2, 3, 4, 5]]],
    outputs: ['y'],
    build: (b) => b.initializer('sc', 'float32', [3], f(3)).initializer('bi', 'float32', [3], f(3))
      .initializer('mean', 'float32', [3], f(3)).initializer('var', 'float32', [3], f(3, 1))
      .node('BatchNormalization', ['x', 'sc', 'bi', 'mean', 'var'], ['y']),
  },
  {
    name: 'MaxPool ceil_mode with pads',
    inputs: [['x', 'float32', [1, 2, 10, 9]]],
    outputs: ['y'],
    build: (b) => b.node('MaxPool', ['x'], ['y'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
  },
  {
    name: 'MaxPool ceil_mode drops a window starting in the padding',
    inputs: [['x', 'float32', [1, 1, 6, 6]]],
    outputs: ['y'],
    build: (b) => b.node('MaxPool', ['x'], ['y'], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1], ceil_mode: 1 }),
  },
  {
    name: 'MaxPool with indices, SAME_UPPER',
    inputs: [['x', 'float32', [1, 2, 7, 7]]],
    outputs: [['y', 'float32'], ['idx', 'int64']],
    build: (b) => b.node('MaxPool', ['x'], ['y', 'idx'], { kernel_shape: [3, 3], strides: [2, 2], auto_pad: 'SAME_UPPER' }),
  },
  {
    name: 'AveragePool floor mode, VALID',
    inputs: [['x', 'float32', [1, 3, 11, 8]]],
    outputs: ['y', 'z'],
    build: (b) => b.node('AveragePool', ['x'], ['y'], { kernel_shape: [3, 2], strides: [3, 2] })
      .node('AveragePool', ['x'], ['z'], { kernel_shape: [2, 2], auto_pad: 'VALID' }),
  },
  {
    name: 'GlobalAveragePool and GlobalMaxPool',
    inputs: [['x', 'float32', [2, 5, 7, 3]]],
    outputs: ['a', 'm'],
    build: (b) => b.node('GlobalAveragePool', ['x'], ['a']).node('GlobalMaxPool', ['x'], ['m']),
  },
  {
    name: 'Flatten with axis 0, 2 and -1',
    inputs: [['x', 'float32', [2, 3, 4, 5]]],
    outputs: ['a', 'b', 'c', 'd'],
    build: (b) => b.node('Flatten', ['x'], ['a'], { axis: 0 }).node('Flatten', ['x'], ['b'], { axis: 2 })
      .node('Flatten', ['x'], ['c'], { axis: -1 }).node('Flatten', ['x'], ['d']),
  },
  {
    name: 'Reshape with 0 and -1',
    inputs: [['x', 'float32', [2, 3, 4, 5]]],
    outputs: ['y'],
    build: (b) => b.initializer('shape', 'int64', [3], [0, -1, 5]).node('Reshape', ['x', 'shape'], ['y']),
  },
  {
    name: 'Reshape with typed int64_data shape',
    inputs: [['x', 'float32', [6, 4]]],
    outputs: ['y'],
    build: (b) => b.initializer('shape', 'int64', [2], [-1, 12], 'typed').node('Reshape', ['x', 'shape'], ['y']),
  },
  {
    name: 'Squeeze/Unsqueeze with axes input (opset 13)',
    inputs: [['x', 'float32', [1, 3, 1, 5]]],
    outputs: ['s', 'u', 'all'],
    build: (b) => b.initializer('ax', 'int64', [1], [2]).initializer('uax', 'int64', [2], [0, -1])
      .node('Squeeze', ['x', 'ax'], ['s']).node('Unsqueeze', ['x', 'uax'], ['u']).node('Squeeze', ['x'], ['all']),
  },
  {
    name: 'Squeeze/Unsqueeze with axes attribute (opset 11)',
    opset: 11,
    inputs: [['x', 'float32', [1, 3, 1, 5]]],
    outputs: ['s', 'u'],
    build: (b) => b.node('Squeeze', ['x'], ['s'], { axes: [0, -2] }).node('Unsqueeze', ['x'], ['u'], { axes: [1, 5] }),
  },
  {
    name: 'Concat on a negative axis',
    inputs: [['a', 'float32', [2, 3, 4]], ['b', 'float32', [2, 5, 4]]],
    outputs: ['y'],
    build: (b) => b.node('Concat', ['a', 'b', 'a'], ['y'], { axis: -2 }),
  },
  {
    name: 'Transpose with and without perm',
    inputs: [['x', 'float32', [2, 3, 4, 5]]],
    outputs: ['p', 'r'],
    build: (b) => b.node('Transpose', ['x'], ['p'], { perm: [0, 2, 3, 1] }).node('Transpose', ['x'], ['r']),
  },
  {
    name: 'Pad with pads input (opset 13)',
    inputs: [['x', 'float32', [1, 2, 3, 4]]],
    outputs: ['y'],
    build: (b) => b.initializer('pads', 'int64', [8], [0, 0, 1, 2, 0, 1, 3, 0]).node('Pad', ['x', 'pads'], ['y']),
  },
  {
    name: 'Pad with pads attribute (opset 10)',
    opset: 10,
    inputs: [['x', 'float32', [1, 2, 3, 4]]],
    outputs: ['y'],
    build: (b) => b.node('Pad', ['x'], ['y'], { pads: [0, 1, 1, 0, 0, 0, 2, 2] }),
  },
  {
    name: 'Pad with axes input (opset 18)',
    opset: 18,
    inputs: [['x', 'float32', [1, 2, 3, 4]]],
    outputs: ['y'],
    build: (b) => b.initializer('pads', 'int64', [4], [1, 0, 2, 3]).initializer('cv', 'float32', [], [0]).initializer('axes', 'int64', [2], [-1, 1])
      .node('Pad', ['x', 'pads', 'cv', 'axes'], ['y']),
  },
  {
    name: 'QuantizeLinear / DequantizeLinear (QDQ)',
    inputs: [['x', 'float32', [1, 4, 3]]],
    outputs: [['q', 'int8'], ['d', 'float32'], ['u', 'uint8']],
    build: (b) => b.initializer('s', 'float32', [], [0.05]).initializer('zp', 'int8', [], [3])
      .node('QuantizeLinear', ['x', 's', 'zp'], ['q']).node('DequantizeLinear', ['q', 's', 'zp'], ['d'])
      .node('QuantizeLinear', ['x', 's'], ['u']),
  },
  {
    name: 'QLinearConv',
    inputs: [['x', 'uint8', [1, 2, 6, 6]]],
    outputs: [['y', 'uint8']],
    build: (b) => b.initializer('xs', 'float32', [], [0.1]).initializer('xz', 'uint8', [], [128])
      .initializer('w', 'uint8', [3, 2, 3, 3], f(54, 130)).initializer('ws', 'float32', [], [0.02]).initializer('wz', 'uint8', [], [128])
      .initializer('ys', 'float32', [], [0.2]).initializer('yz', 'uint8', [], [100])
      .node('QLinearConv', ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], ['y'], { pads: [1, 1, 1, 1], strides: [2, 2] }),
  },
  {
    name: 'QLinearMatMul',
    inputs: [['a', 'uint8', [2, 3, 4]]],
    outputs: [['y', 'uint8']],
    build: (b) => b.initializer('as', 'float32', [], [0.1]).initializer('az', 'uint8', [], [128])
      .initializer('b', 'uint8', [4, 5], f(20, 120)).initializer('bs', 'float32', [], [0.02]).initializer('bz', 'uint8', [], [128])
      .initializer('ys', 'float32', [], [0.2]).initializer('yz', 'uint8', [], [100])
      .node('QLinearMatMul', ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], ['y']),
  },
  {
    name: 'ConvInteger and MatMulInteger',
    inputs: [['x', 'uint8', [1, 2, 5, 5]], ['m', 'uint8', [3, 4]]],
    outputs: [['c', 'int32'], ['mm', 'int32']],
    build: (b) => b.initializer('w', 'uint8', [2, 2, 2, 2], f(16, 3)).initializer('k', 'uint8', [4, 2], f(8, 2))
      .node('ConvInteger', ['x', 'w'], ['c'], { strides: [2, 2] }).node('MatMulInteger', ['m', 'k'], ['mm']),
  },
  {
    name: 'Identity and Dropout with mask',
    inputs: [['x', 'float32', [3, 4]]],
    outputs: [['i', 'float32'], ['d', 'float32'], ['mask', 'bool']],
    build: (b) => b.node('Identity', ['x'], ['i']).node('Dropout', ['x'], ['d', 'mask']),
  },
  {
    name: 'ReduceMean with axes attribute, keepdims 0 and 1 (opset 13)',
    inputs: [['x', 'float32', [2, 3, 4, 5]]],
    outputs: ['k', 'n', 'all'],
    build: (b) => b.node('ReduceMean', ['x'], ['k'], { axes: [2, 3] }).node('ReduceMean', ['x'], ['n'], { axes: [-1, 1], keepdims: 0 })
      .node('ReduceMean', ['x'], ['all'], { keepdims: 0 }),
  },
  {
    name: 'ReduceMean with axes input (opset 18) and ReduceSum (opset 13 input)',
    opset: 18,
    inputs: [['x', 'float32', [2, 3, 4]]],
    outputs: ['m', 's'],
    build: (b) => b.initializer('axes', 'int64', [1], [1]).node('ReduceMean', ['x', 'axes'], ['m'], { keepdims: 0 })
      .node('ReduceSum', ['x', 'axes'], ['s']),
  },
  {
    name: 'Slice with constant starts/ends/axes/steps',
    inputs: [['x', 'float32', [5, 10, 8]]],
    outputs: ['a', 'b'],
    build: (b) => b.initializer('st', 'int64', [3], [1, -3, 9]).initializer('en', 'int64', [3], [100, 1, -20])
      .initializer('ax', 'int64', [3], [0, 2, 1]).initializer('sp', 'int64', [3], [2, -1, -3])
      .initializer('st2', 'int64', [1], [2]).initializer('en2', 'int64', [1], [9223372036854775807])
      .node('Slice', ['x', 'st', 'en', 'ax', 'sp'], ['a']).node('Slice', ['x', 'st2', 'en2'], ['b']),
  },
  {
    name: 'Slice with attributes (opset 9)',
    opset: 9,
    inputs: [['x', 'float32', [5, 10]]],
    outputs: ['y'],
    build: (b) => b.node('Slice', ['x'], ['y'], { starts: [1, 2], ends: [-1, 1000], axes: [0, 1] }),
  },
  {
    name: 'Shape -> Gather -> Unsqueeze -> Concat -> Reshape (exported flatten)',
    inputs: [['x', 'float32', [3, 4, 5]]],
    outputs: ['y', ['shp', 'int64']],
    build: (b) => b.initializer('zero', 'int64', [], [0]).initializer('ax0', 'int64', [1], [0]).initializer('minus1', 'int64', [1], [-1])
      .node('Shape', ['x'], ['shp']).node('Gather', ['shp', 'zero'], ['n'], { axis: 0 }).node('Unsqueeze', ['n', 'ax0'], ['n1'])
      .node('Concat', ['n1', 'minus1'], ['target'], { axis: 0 }).node('Reshape', ['x', 'target'], ['y']),
  },
  {
    name: 'Constant node feeding Reshape',
    inputs: [['x', 'float32', [2, 6]]],
    outputs: ['y'],
    build: (b) => b.node('Constant', [], ['c'], { value: attr.tensor('int64', [3], [3, 2, 2]) }).node('Reshape', ['x', 'c'], ['y']),
  },
  {
    name: 'Split (equal and explicit), Cast, ArgMax',
    inputs: [['x', 'float32', [4, 6]]],
    outputs: ['s1', 's2', 's3', ['c', 'int32'], ['am', 'int64']],
    build: (b) => b.initializer('sizes', 'int64', [2], [2, 4])
      .node('Split', ['x'], ['s1', 's2'], { axis: 0 }).node('Split', ['x', 'sizes'], ['s3', 's4'], { axis: 1 })
      .node('Cast', ['x'], ['c'], { to: 6 }).node('ArgMax', ['x'], ['am'], { axis: 1, keepdims: 0 }),
  },
  {
    name: 'Resize with scales, Expand, Tile, DepthToSpace, SpaceToDepth',
    inputs: [['x', 'float32', [1, 4, 3, 5]]],
    outputs: ['r', 'e', 't', 'd', 's'],
    build: (b) => b.initializer('roi', 'float32', [0], []).initializer('scales', 'float32', [4], [1, 1, 2, 1.5])
      .initializer('eshape', 'int64', [5], [2, 1, 1, 1, 1]).initializer('reps', 'int64', [4], [1, 2, 1, 3])
      .node('Resize', ['x', 'roi', 'scales'], ['r']).node('Expand', ['x', 'eshape'], ['e']).node('Tile', ['x', 'reps'], ['t'])
      .node('DepthToSpace', ['x'], ['d'], { blocksize: 2 }).node('SpaceToDepth', ['t'], ['s'], { blocksize: 1 }),
  },
  {
    name: 'Resize with sizes',
    opset: 13,
    inputs: [['x', 'float32', [1, 2, 3, 5]]],
    outputs: ['r'],
    build: (b) => b.initializer('sizes', 'int64', [4], [1, 2, 7, 4]).node('Resize', ['x', '', '', 'sizes'], ['r']),
  },
  {
    name: 'comparisons, Where and LayerNormalization',
    opset: 17,
    inputs: [['a', 'float32', [2, 3]], ['b', 'float32', [3]]],
    outputs: [['lt', 'bool'], 'w', 'ln'],
    build: (b) => b.initializer('g', 'float32', [3], f(3, 1)).node('Less', ['a', 'b'], ['lt']).node('Where', ['lt', 'a', 'b'], ['w'])
      .node('LayerNormalization', ['a', 'g'], ['ln']),
  },
];

async function runOrt(bytes: Uint8Array, c: Case): Promise<Record<string, ort.Tensor>> {
  const session = await ort.InferenceSession.create(bytes);
  const feeds: Record<string, ort.Tensor> = {};
  for (const [name, dtype, dims] of c.inputs) feeds[name] = feed(dtype, dims);
  return session.run(feeds);
}

describe('ONNX shape inference matches onnxruntime', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const b = new OnnxBuilder(c.opset ?? 13, { extraOpsets: c.extraOpsets });
      for (const [name, dtype, dims] of c.inputs) b.input(name, dtype, dims);
      c.build(b);
      const outputs = c.outputs.map((o) => (typeof o === 'string' ? ([o, 'float32'] as [string, DTypeName]) : o));
      for (const [name, dtype] of outputs) b.output(name, dtype);
      const bytes = b.build();
      const results = await runOrt(bytes, c);
      const graph = readOnnx(bytes);
      const tensors = graph.subgraphs[0].tensors;
      for (const [name, dtype] of outputs) {
        const t = tensors.find((x) => x.name === name);
        assert.ok(t, `no tensor ${name}`);
        assert.deepEqual(t.shape, [...results[name].dims], `shape of ${name}`);
        assert.equal(t.dtype, dtype, `dtype of ${name}`);
        assert.equal(results[name].type, dtype === 'bool' ? 'bool' : dtype, `onnxruntime's type of ${name}`);
      }
    });
  }
});

function tensorNamed(graph: Graph, name: string): Tensor {
  const t = graph.subgraphs[0].tensors.find((x) => x.name === name);
  assert.ok(t, `no tensor named ${name}`);
  return t;
}

function expectModelError(bytes: Uint8Array, pattern: RegExp): void {
  assert.throws(() => readOnnx(bytes), (e: unknown) => {
    assert.ok(e instanceof ModelError, `expected a ModelError, got ${String(e)}`);
    assert.match(e.message, pattern);
    return true;
  });
}

/** A small conv net with every initializer storage kind, a custom-domain op and attributes of each kind. */
function sampleModel(): Uint8Array {
  return new OnnxBuilder(13, { irVersion: 7, producer: 'pytorch', graphName: 'main', extraOpsets: { 'com.microsoft': 1 } })
    .input('x', 'float32', ['batch', 1, 8, 8])
    .input('w', 'float32', [2, 1, 3, 3]) // IR < 4 style: an initializer also listed as an input
    .initializer('w', 'float32', [2, 1, 3, 3], Array.from({ length: 18 }, (_, i) => i / 10))
    .initializer('b', 'float32', [2], [0.5, -0.25], 'typed')
    .initializer('shape', 'int64', [2], [1, -1], 'typed')
    .initializer('i8', 'int8', [3], [-1, 2, -128], 'typed')
    .initializer('d', 'float64', [2], [1.5, -2], 'typed')
    .node('Conv', ['x', 'w', 'b'], ['c'], { pads: [1, 1, 1, 1], kernel_shape: [3, 3], auto_pad: 'NOTSET' }, { name: 'conv1' })
    .node('LeakyRelu', ['c'], ['r'], { alpha: attr.float(0.1) })
    .node('FusedThing', ['r'], ['u'], { modes: ['a', 'b'], scales: attr.floats([0.5, 2]), t: attr.tensor('int32', [2], [7, 8]) }, { domain: 'com.example' })
    .node('Reshape', ['u', 'shape'], ['y'])
    .valueInfo('u', 'float32', [null, 2, 8, 8])
    .output('y', 'float32', ['batch', 128])
    .build();
}

describe('readOnnx: structure', () => {
  const bytes = sampleModel();
  const graph = readOnnx(bytes);
  const sub = graph.subgraphs[0];

  it('reads the model header, opsets and the one subgraph', () => {
    assert.equal(graph.format, 'onnx');
    assert.equal(graph.version, 7);
    assert.equal(graph.producer, 'pytorch');
    assert.deepEqual(graph.opsets, { 'ai.onnx': 13, 'com.microsoft': 1 });
    assert.equal(graph.subgraphs.length, 1);
    assert.equal(sub.name, 'main');
    assert.equal(graph.fileBytes, bytes.length);
  });

  it('gives every value name one tensor and excludes initializers from the inputs', () => {
    const names = sub.tensors.map((t) => t.name);
    assert.equal(new Set(names).size, names.length);
    for (const n of ['x', 'w', 'b', 'shape', 'i8', 'd', 'c', 'r', 'u', 'y']) assert.ok(names.includes(n), n);
    assert.deepEqual(sub.inputs.map((i) => sub.tensors[i].name), ['x']);
    assert.deepEqual(sub.outputs.map((i) => sub.tensors[i].name), ['y']);
    sub.tensors.forEach((t, i) => assert.equal(t.index, i));
  });

  it('resolves a symbolic batch dim of an input to 1 and keeps it in the signature', () => {
    const x = tensorNamed(graph, 'x');
    assert.deepEqual(x.shape, [1, 1, 8, 8]);
    assert.deepEqual(x.shapeSignature, [-1, 1, 8, 8]);
  });

  it('keeps raw_data as a view into the model bytes', () => {
    const w = tensorNamed(graph, 'w');
    assert.ok(w.data);
    assert.equal(w.data.buffer, bytes.buffer);
    assert.deepEqual(w.data, rawBytes('float32', Array.from({ length: 18 }, (_, i) => i / 10)));
    assert.equal(w.buffer, -1);
    assert.equal(w.isVariable, false);
  });

  it('converts typed fields to little-endian bytes', () => {
    assert.deepEqual(tensorNamed(graph, 'b').data, rawBytes('float32', [0.5, -0.25]));
    assert.deepEqual(tensorNamed(graph, 'shape').data, rawBytes('int64', [1, -1]));
    assert.deepEqual(tensorNamed(graph, 'i8').data, rawBytes('int8', [-1, 2, -128]));
    assert.deepEqual(tensorNamed(graph, 'd').data, rawBytes('float64', [1.5, -2]));
    assert.equal(tensorNamed(graph, 'i8').dtype, 'int8');
    assert.equal(tensorNamed(graph, 'd').dtype, 'float64');
  });

  it('maps nodes to operators with attributes, names, domains and versions', () => {
    const [conv, relu, custom, reshape] = sub.operators;
    assert.equal(conv.opType, 'Conv');
    assert.equal(conv.name, 'conv1');
    assert.equal(conv.known, true);
    assert.equal(conv.version, 13);
    assert.equal(conv.builtinCode, -1);
    assert.deepEqual(conv.options, { pads: [1, 1, 1, 1], kernel_shape: [3, 3], auto_pad: 'NOTSET' });
    assert.ok(Math.abs((relu.options.alpha as number) - 0.1) < 1e-6);
    assert.equal(custom.opType, 'com.example.FusedThing');
    assert.equal(custom.known, false);
    assert.deepEqual(custom.options.modes, ['a', 'b']);
    assert.deepEqual(custom.options.scales, [0.5, 2]);
    const t = custom.options.t as Tensor;
    assert.deepEqual([t.shape, t.dtype, t.data], [[2], 'int32', rawBytes('int32', [7, 8])]);
    assert.equal(reshape.opType, 'Reshape');
    assert.deepEqual(conv.inputs.map((i) => sub.tensors[i].name), ['x', 'w', 'b']);
  });

  it('infers shapes through known ops, takes value_info for unknown ones', () => {
    assert.deepEqual(tensorNamed(graph, 'c').shape, [1, 2, 8, 8]);
    assert.deepEqual(tensorNamed(graph, 'u').shape, [-1, 2, 8, 8]); // value_info: the batch stays unknown
    assert.deepEqual(tensorNamed(graph, 'y').shape, [1, 128]); // output declares [batch, 128]; Reshape gives 1
  });

  it('marks absent optional inputs with -1', () => {
    const g = readOnnx(new OnnxBuilder(13).input('x', 'float32', [2]).initializer('hi', 'float32', [], [1])
      .node('Clip', ['x', '', 'hi'], ['y']).output('y').build());
    const sub2 = g.subgraphs[0];
    assert.equal(sub2.operators[0].inputs[1], -1);
    assert.equal(sub2.tensors[sub2.operators[0].inputs[2]].name, 'hi');
  });

  it('keeps an unknown op with unknown output shapes', () => {
    const g = readOnnx(new OnnxBuilder(13).input('x', 'float32', [2, 3]).node('Mystery', ['x'], ['y'], {}, { domain: 'org.x' }).output('y').build());
    const op = g.subgraphs[0].operators[0];
    assert.equal(op.known, false);
    assert.equal(op.version, 1);
    assert.deepEqual(tensorNamed(g, 'y').shape, [-1]);
  });

  it('attaches QDQ scale and zero point to quantized tensors', () => {
    const g = readOnnx(new OnnxBuilder(13).input('x', 'float32', [1, 4])
      .initializer('s', 'float32', [], [0.5]).initializer('zp', 'int8', [], [-3])
      .initializer('wq', 'int8', [3, 4], new Array(12).fill(1)).initializer('ws', 'float32', [3], [0.1, 0.2, 0.3]).initializer('wz', 'int8', [3], [0, 0, 0])
      .node('QuantizeLinear', ['x', 's', 'zp'], ['xq']).node('DequantizeLinear', ['xq', 's', 'zp'], ['xd'])
      .node('DequantizeLinear', ['wq', 'ws', 'wz'], ['wd'], { axis: 0 })
      .node('Gemm', ['xd', 'wd'], ['y'], { transB: 1 }).output('y').build());
    assert.deepEqual(tensorNamed(g, 'xq').quantization, { scale: [0.5], zeroPoint: [-3], axis: 0 });
    const wq = tensorNamed(g, 'wq').quantization;
    assert.ok(wq);
    assert.deepEqual(wq.zeroPoint, [0, 0, 0]);
    assert.equal(wq.axis, 0);
    assert.ok(wq.scale.every((v, i) => Math.abs(v - [0.1, 0.2, 0.3][i]) < 1e-7));
    assert.deepEqual(tensorNamed(g, 'y').shape, [1, 3]);
  });
});

describe('readOnnx: node order', () => {
  it('sorts nodes that are out of topological order, stably', () => {
    const g = readOnnx(new OnnxBuilder(13).input('x', 'float32', [2])
      .node('Relu', ['b'], ['c'], {}, { name: 'third' })
      .node('Relu', ['x'], ['a'], {}, { name: 'first' })
      .node('Neg', ['x'], ['n'], {}, { name: 'second' })
      .node('Add', ['a', 'n'], ['b'], {}, { name: 'fourth' })
      .output('c').build());
    assert.deepEqual(g.subgraphs[0].operators.map((o) => o.name), ['first', 'second', 'fourth', 'third']);
    assert.deepEqual(tensorNamed(g, 'c').shape, [2]);
  });

  it('keeps file order when it is already topological', () => {
    const g = readOnnx(new OnnxBuilder(13).input('x', 'float32', [2]).node('Neg', ['x'], ['b'], {}, { name: 'n1' })
      .node('Relu', ['x'], ['a'], {}, { name: 'n2' }).node('Add', ['a', 'b'], ['y'], {}, { name: 'n3' }).output('y').build());
    assert.deepEqual(g.subgraphs[0].operators.map((o) => o.name), ['n1', 'n2', 'n3']);
  });

  it('rejects a cycle', () => {
    expectModelError(new OnnxBuilder(13).input('x', 'float32', [2]).node('Add', ['x', 'b'], ['a'], {}, { name: 'p' })
      .node('Relu', ['a'], ['b'], {}, { name: 'q' }).output('b').build(), /cycle through node '(p|q)'/);
  });

  it('rejects an input no one produces, naming node and value', () => {
    expectModelError(new OnnxBuilder(13).input('x', 'float32', [2]).node('Add', ['x', 'ghost'], ['y'], {}, { name: 'conv1' }).output('y').build(),
      /node 'conv1' input 'ghost' is produced by no node, initializer or graph input/);
  });

  it('rejects a value produced twice and an output produced by no one', () => {
    expectModelError(new OnnxBuilder(13).input('x', 'float32', [2]).node('Relu', ['x'], ['y']).node('Neg', ['x'], ['y']).output('y').build(),
      /'y' is produced by both/);
    expectModelError(new OnnxBuilder(13).input('x', 'float32', [2]).node('Relu', ['x'], ['y']).output('z').build(),
      /graph output 'z' is produced by no node/);
  });
});

describe('readOnnx: malformed input', () => {
  const good = sampleModel();

  it('rejects empty and random bytes', () => {
    expectModelError(new Uint8Array(0), /no graph/);
    expectModelError(Uint8Array.from([0xff, 0xff, 0xff]), /not a valid ModelProto/);
    expectModelError(new TextEncoder().encode('hello, world'), /not a valid ModelProto/);
  });

  it('reports a truncated file with its byte offset', () => {
    for (const cut of [1, 5, good.length >> 1, good.length - 1]) {
      expectModelError(good.subarray(0, cut), /^ONNX: not a valid ModelProto: .* \(at byte offset \d+\)$/);
    }
    // A cut at a field boundary is a well-formed but incomplete model.
    expectModelError(good.subarray(0, 2), /the model has no graph/);
  });

  it('rejects a length prefix larger than the file', () => {
    // field 7 (graph), wire type 2, length 2^31 - 1, then almost nothing.
    expectModelError(Uint8Array.from([0x08, 0x07, 0x3a, 0xff, 0xff, 0xff, 0xff, 0x07, 0x00]), /claims 2147483647 bytes but only 1 remain.*offset 3/);
  });

  it('rejects a nested length that overruns its parent message', () => {
    // graph (8 bytes) holding a node whose claimed length (20) runs past the graph's end.
    const bytes = Uint8Array.from([0x3a, 0x08, 0x0a, 0x14, 0x22, 0x03, 0x52, 0x65, 0x6c, 0x75, 0x10, 0x01, 0x10, 0x01, 0x10, 0x01, 0x10, 0x01, 0x10, 0x01, 0x10, 0x01]);
    expectModelError(bytes, /Graph\.1 claims 20 bytes/);
  });

  it('rejects a wrong wire type for a message field and deep nesting', () => {
    expectModelError(Uint8Array.from([0x38, 0x01]), /field 7 of Model must be a message/);
    // Graph -> Node -> Attribute -> Graph -> ... nested 100 deep.
    const field = (tag: number, body: Uint8Array): Uint8Array => {
      const len: number[] = [];
      for (let v = body.length; ; v >>>= 7) {
        if (v < 0x80) {
          len.push(v);
          break;
        }
        len.push((v & 0x7f) | 0x80);
      }
      return Uint8Array.from([tag, ...len, ...body]);
    };
    let graph: Uint8Array = new Uint8Array(0);
    for (let k = 0; k < 100; k++) graph = field(0x0a, field(0x2a, field(0x32, graph))); // Graph.node > Node.attribute > Attribute.g
    expectModelError(field(0x3a, graph), /nested deeper than 64/);
  });

  it('rejects raw_data of the wrong size and negative dims', () => {
    const model = (dims: number[], raw: number) => encodeModelProto({
      irVersion: 8, opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'g', initializer: [{ name: 'w', dataType: 1, dims, rawData: new Uint8Array(raw) }], output: [{ name: 'w' }] },
    });
    expectModelError(model([2, 3], 20), /initializer 'w' has 20 bytes of raw_data, but shape \[2, 3\] of float32 needs 24/);
    expectModelError(model([-2], 8), /invalid dimension -2/);
    assert.deepEqual(readOnnx(model([2, 3], 24)).subgraphs[0].tensors[0].shape, [2, 3]);
  });

  it('fuzz: 2000 mutations and truncations yield a Graph or a ModelError, each quickly', function () {
    this.timeout(60000);
    let seed = 0x2545f491;
    const random = (): number => {
      // xorshift32: deterministic, so a failing case can be replayed from its index.
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x100000000;
    };
    let graphs = 0;
    for (let k = 0; k < 2000; k++) {
      const bytes = Uint8Array.from(good);
      const kind = k % 4;
      let input: Uint8Array = bytes;
      if (kind === 0) {
        input = bytes.subarray(0, Math.floor(random() * bytes.length));
      } else if (kind === 1) {
        for (let m = 1 + Math.floor(random() * 4); m > 0; m--) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      } else if (kind === 2) {
        // Large varint-ish bytes where lengths live.
        const at = Math.floor(random() * bytes.length);
        bytes.fill(0xff, at, Math.min(bytes.length, at + 1 + Math.floor(random() * 5)));
      } else {
        const at = Math.floor(random() * bytes.length);
        const insert = Array.from({ length: 1 + Math.floor(random() * 8) }, () => Math.floor(random() * 256));
        input = Uint8Array.from([...bytes.subarray(0, at), ...insert, ...bytes.subarray(at)]);
      }
      const started = performance.now();
      try {
        const g = readOnnx(input);
        assert.equal(g.format, 'onnx');
        graphs++;
      } catch (e) {
        if (!(e instanceof ModelError)) assert.fail(`case ${k}: ${String(e)}`);
        assert.doesNotMatch(e.message, /internal reader error/, `case ${k}`);
      }
      assert.ok(performance.now() - started < 250, `case ${k} took too long`);
    }
    assert.ok(graphs > 0, 'some mutations should still read');
  });
});
