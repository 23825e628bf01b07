import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { OnnxBuilder, attr, type DTypeName } from '../../helpers/onnxBuilder';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// Cross-checks of TFLite kernels against onnxruntime-node on the same computation written as a
// one-node ONNX model. Data movement (Transpose, Pad, Concat, Slice) must match bit for bit on
// int8 and float32; IEEE single-precision arithmetic (Sub, Mul, Relu, Clip, LeakyRelu) too.
// Transcendentals (Sigmoid, Tanh, HardSwish) and ReduceMean get a stated tolerance: onnxruntime
// uses its own vectorised approximations and summation order, TFLM newlib's expf/tanhf.

async function ortRun(model: Uint8Array, feeds: Record<string, { type: 'float32' | 'int8'; data: Float32Array | Int8Array; dims: number[] }>): Promise<number[]> {
  const session = await ort.InferenceSession.create(model, { graphOptimizationLevel: 'disabled', intraOpNumThreads: 1 });
  try {
    const inputs: Record<string, ort.Tensor> = {};
    for (const [name, f] of Object.entries(feeds)) inputs[name] = new ort.Tensor(f.type, f.data, f.dims);
    const result = await session.run(inputs);
    return Array.from(result[session.outputNames[0]].data as ArrayLike<number>);
  } finally {
    await session.release();
  }
}

function lcgFloats(n: number, seed: number, scale = 4): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = ((s >>> 8) / 2 ** 24 - 0.5) * 2 * scale;
  }
  return out;
}

function lcgInt8(n: number, seed: number): Int8Array {
  const f = lcgFloats(n, seed, 128);
  return Int8Array.from(f, (v) => Math.max(-128, Math.min(127, Math.round(v))));
}

const f32 = (shape: number[]): TensorSpec => ({ shape, dtype: 'float32' });
const i8 = (shape: number[]): TensorSpec => ({ shape, dtype: 'int8', scale: 1, zeroPoint: 0 });
const i32c = (shape: number[], values: number[]): TensorSpec => ({ shape, dtype: 'int32', data: new Int32Array(values) });

function unaryOnnx(op: string, dtype: DTypeName, shape: number[], attrs: Record<string, number | number[]> = {}, opset = 14): Uint8Array {
  return new OnnxBuilder(opset).input('x', dtype, shape).node(op, ['x'], ['y'], attrs).output('y', dtype).build();
}

describe('cross-check with onnxruntime-node', () => {
  it('TRANSPOSE = Transpose on int8 and float32 (exact)', async () => {
    const shape = [2, 3, 4, 5];
    const perm = [0, 2, 3, 1];
    const outShape = perm.map((p) => shape[p]);
    for (const dtype of ['int8', 'float32'] as const) {
      const x = dtype === 'int8' ? lcgInt8(120, 1) : lcgFloats(120, 1);
      const ours = run(graphOf([dtype === 'int8' ? i8(shape) : f32(shape), i32c([4], perm), dtype === 'int8' ? i8(outShape) : f32(outShape)], [{ opType: 'TRANSPOSE', inputs: [0, 1], outputs: [2] }], [0], [2]), [x])[0];
      const theirs = await ortRun(unaryOnnx('Transpose', dtype, shape, { perm }), { x: { type: dtype, data: x, dims: shape } });
      assert.deepEqual(ours, theirs);
    }
  });

  it('PAD = Pad(constant) on int8 with a zero point (exact)', async () => {
    const shape = [1, 3, 4, 2];
    const pads = [[0, 0], [1, 2], [0, 1], [0, 0]];
    const outShape = shape.map((d, i) => d + pads[i][0] + pads[i][1]);
    const x = lcgInt8(24, 2);
    const zp = -7;
    const ours = run(
      graphOf([{ ...i8(shape), zeroPoint: zp }, i32c([4, 2], pads.flat()), { ...i8(outShape), zeroPoint: zp }], [{ opType: 'PAD', inputs: [0, 1], outputs: [2] }], [0], [2]),
      [x],
    )[0];
    const model = new OnnxBuilder(13)
      .input('x', 'int8', shape)
      .initializer('pads', 'int64', [8], [...pads.map((p) => p[0]), ...pads.map((p) => p[1])])
      .initializer('value', 'int8', [], [zp])
      .node('Pad', ['x', 'pads', 'value'], ['y'], { mode: 'constant' })
      .output('y', 'int8')
      .build();
    assert.deepEqual(ours, await ortRun(model, { x: { type: 'int8', data: x, dims: shape } }));
  });

  it('CONCATENATION = Concat and STRIDED_SLICE = Slice on float32 (exact)', async () => {
    const a = lcgFloats(12, 3);
    const b = lcgFloats(8, 4);
    const ours = run(
      graphOf([f32([3, 4]), f32([2, 4]), f32([5, 4])], [{ opType: 'CONCATENATION', inputs: [0, 1], outputs: [2], options: { axis: 0 } }], [0, 1], [2]),
      [a, b],
    )[0];
    const concat = new OnnxBuilder(13).input('a', 'float32', [3, 4]).input('b', 'float32', [2, 4]).node('Concat', ['a', 'b'], ['y'], { axis: 0 }).output('y').build();
    assert.deepEqual(ours, await ortRun(concat, { a: { type: 'float32', data: a, dims: [3, 4] }, b: { type: 'float32', data: b, dims: [2, 4] } }));

    const x = lcgFloats(30, 5);
    // rows 4, 2 (negative stride from the end), columns 1, 3, 5.
    const sliced = run(
      graphOf(
        [f32([5, 6]), i32c([2], [-1, 1]), i32c([2], [0, 6]), i32c([2], [-2, 2]), f32([2, 3])],
        [{ opType: 'STRIDED_SLICE', inputs: [0, 1, 2, 3], outputs: [4] }],
        [0],
        [4],
      ),
      [x],
    )[0];
    const slice = new OnnxBuilder(13)
      .input('x', 'float32', [5, 6])
      .initializer('starts', 'int64', [2], [-1, 1])
      .initializer('ends', 'int64', [2], [0, 6])
      .initializer('axes', 'int64', [2], [0, 1])
      .initializer('steps', 'int64', [2], [-2, 2])
      .node('Slice', ['x', 'starts', 'ends', 'axes', 'steps'], ['y'])
      .output('y')
      .build();
    assert.deepEqual(sliced, await ortRun(slice, { x: { type: 'float32', data: x, dims: [5, 6] } }));
  });

  it('float SUB / MUL with broadcasting, RELU, RELU6 (= Clip 0..6), LEAKY_RELU (exact)', async () => {
    const a = lcgFloats(24, 6, 8);
    const b = lcgFloats(4, 7, 8);
    for (const [ours, onnx] of [['SUB', 'Sub'], ['MUL', 'Mul']] as const) {
      const got = run(graphOf([f32([2, 3, 4]), f32([4]), f32([2, 3, 4])], [{ opType: ours, inputs: [0, 1], outputs: [2] }], [0, 1], [2]), [a, b])[0];
      const model = new OnnxBuilder(14).input('a', 'float32', [2, 3, 4]).input('b', 'float32', [4]).node(onnx, ['a', 'b'], ['y']).output('y').build();
      assert.deepEqual(got, await ortRun(model, { a: { type: 'float32', data: a, dims: [2, 3, 4] }, b: { type: 'float32', data: b, dims: [4] } }), ours);
    }
    const unary = (op: string, options: Record<string, number> = {}) => run(graphOf([f32([24]), f32([24])], [{ opType: op, inputs: [0], outputs: [1], options }], [0], [1]), [a])[0];
    const feeds = { x: { type: 'float32' as const, data: a, dims: [24] } };
    assert.deepEqual(unary('RELU'), await ortRun(unaryOnnx('Relu', 'float32', [24]), feeds));
    const clip = new OnnxBuilder(13)
      .input('x', 'float32', [24])
      .initializer('lo', 'float32', [], [0])
      .initializer('hi', 'float32', [], [6])
      .node('Clip', ['x', 'lo', 'hi'], ['y'])
      .output('y')
      .build();
    assert.deepEqual(unary('RELU6'), await ortRun(clip, feeds));
    const leaky = new OnnxBuilder(13).input('x', 'float32', [24]).node('LeakyRelu', ['x'], ['y'], { alpha: attr.float(0.1) }).output('y').build();
    assert.deepEqual(unary('LEAKY_RELU', { alpha: 0.1 }), await ortRun(leaky, feeds));
  });

  it('float LOGISTIC / TANH / HARD_SWISH / MEAN within a few ulp of Sigmoid / Tanh / HardSwish / ReduceMean', async () => {
    const x = lcgFloats(64, 8, 10);
    const feeds = { x: { type: 'float32' as const, data: x, dims: [64] } };
    for (const [ours, onnx, tol] of [
      // Tolerances: onnxruntime's MLAS sigmoid/tanh are rational approximations good to a few
      // ulp; ours use correctly rounded Math.exp/Math.tanh (newlib's expf/tanhf are within 1 ulp).
      ['LOGISTIC', 'Sigmoid', 1e-6],
      ['TANH', 'Tanh', 1e-6],
      ['HARD_SWISH', 'HardSwish', 1e-6],
    ] as const) {
      const got = run(graphOf([f32([64]), f32([64])], [{ opType: ours, inputs: [0], outputs: [1] }], [0], [1]), [x])[0];
      const want = await ortRun(unaryOnnx(onnx, 'float32', [64]), feeds);
      got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= tol * Math.max(1, Math.abs(want[i])), `${ours}(${x[i]}): ${v} vs ${want[i]}`));
    }
    const m = lcgFloats(2 * 5 * 5 * 3, 9);
    const got = run(graphOf([f32([2, 5, 5, 3]), i32c([2], [1, 2]), f32([2, 1, 1, 3])], [{ opType: 'MEAN', inputs: [0, 1], outputs: [2], options: { keepDims: true } }], [0], [2]), [m])[0];
    const mean = new OnnxBuilder(13).input('x', 'float32', [2, 5, 5, 3]).node('ReduceMean', ['x'], ['y'], { axes: [1, 2], keepdims: 1 }).output('y').build();
    const want = await ortRun(mean, { x: { type: 'float32', data: m, dims: [2, 5, 5, 3] } });
    // Tolerance 1e-6: 25-term sums in a different order (onnxruntime's is blocked).
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]) <= 1e-6, `${v} vs ${want[i]}`));
  });
});
