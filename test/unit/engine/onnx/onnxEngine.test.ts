// The ONNX engine against onnxruntime-node, op by op, in the same run: float ops within 1e-5
// relative, integer ops (QuantizeLinear, QLinearConv, QLinearMatMul, ConvInteger,
// MatMulInteger, QDQ graphs) byte for byte.

import assert from 'node:assert/strict';
import { OnnxBuilder, attr } from '../../../helpers/onnxBuilder';
import type { TensorData } from '../../../../server/src/engine/kernels/kernel';
import { EngineError, prepareOnnxEngine } from '../../../../server/src/engine/onnx/onnxEngine';
import { readOnnx } from '../../../../server/src/model/onnx/reader';
import { floats, ints, maxRelativeError, runEngine, runOrt } from './ortPeer';

/** Float agreement: summation order and MLAS's exp/tanh approximations differ from ours by ~1e-7. */
const FLOAT_TOLERANCE = 1e-5;

async function expectFloat(model: Uint8Array, inputs: TensorData[]): Promise<void> {
  const expected = await runOrt(model, inputs);
  const actual = runEngine(model, inputs);
  assert.equal(actual.length, expected.length);
  actual.forEach((a, i) => {
    assert.equal(a.length, expected[i].length, `output ${i} length`);
    const err = maxRelativeError(a, expected[i]);
    assert.ok(err <= FLOAT_TOLERANCE, `output ${i}: relative error ${err}`);
  });
}

async function expectExact(model: Uint8Array, inputs: TensorData[]): Promise<void> {
  const expected = await runOrt(model, inputs);
  const actual = runEngine(model, inputs);
  actual.forEach((a, i) => {
    assert.equal(a.constructor, expected[i].constructor, `output ${i} type`);
    assert.deepEqual(Array.from(a), Array.from(expected[i]), `output ${i}`);
  });
}

const x4 = (c = 3, h = 7, w = 6) => new OnnxBuilder(13).input('x', 'float32', [1, c, h, w]);

describe('ONNX engine: float ops match onnxruntime', () => {
  const input = floats(3 * 7 * 6, 1);

  it('Conv with pads, strides and bias', () =>
    expectFloat(x4().initializer('w', 'float32', [4, 3, 3, 3], [...floats(108, 2)]).initializer('b', 'float32', [4], [0.1, -0.2, 0.3, 0.4])
      .node('Conv', ['x', 'w', 'b'], ['y'], { pads: [1, 0, 1, 2], strides: [2, 1] }).output('y').build(), [input]));

  it('Conv with dilations and auto_pad SAME_UPPER / SAME_LOWER / VALID', async () => {
    for (const autoPad of ['SAME_UPPER', 'SAME_LOWER', 'VALID']) {
      await expectFloat(x4().initializer('w', 'float32', [2, 3, 2, 3], [...floats(36, 3)])
        .node('Conv', ['x', 'w'], ['y'], { auto_pad: autoPad, strides: [2, 2], ...(autoPad === 'VALID' ? { dilations: [2, 1] } : {}) }).output('y').build(), [input]);
    }
  });

  it('grouped and depthwise Conv', async () => {
    await expectFloat(x4(4).initializer('w', 'float32', [6, 2, 3, 3], [...floats(108, 4)]).node('Conv', ['x', 'w'], ['y'], { group: 2, pads: [1, 1, 1, 1] }).output('y').build(), [floats(4 * 42, 5)]);
    await expectFloat(x4(3).initializer('w', 'float32', [6, 1, 3, 3], [...floats(54, 6)]).node('Conv', ['x', 'w'], ['y'], { group: 3, pads: [1, 1, 1, 1] }).output('y').build(), [input]);
  });

  it('1-D Conv', () =>
    expectFloat(new OnnxBuilder(13).input('x', 'float32', [1, 2, 9]).initializer('w', 'float32', [3, 2, 3], [...floats(18, 7)])
      .node('Conv', ['x', 'w'], ['y'], { pads: [1, 1] }).output('y').build(), [floats(18, 8)]));

  it('Gemm with transB, alpha, beta and a broadcast C; MatMul with batch broadcasting', async () => {
    await expectFloat(new OnnxBuilder(13).input('a', 'float32', [2, 5]).initializer('b', 'float32', [3, 5], [...floats(15, 9)]).initializer('c', 'float32', [3], [1, 2, 3])
      .node('Gemm', ['a', 'b', 'c'], ['y'], { transB: 1, alpha: 0.5, beta: attr.float(2) }).output('y').build(), [floats(10, 10)]);
    await expectFloat(new OnnxBuilder(13).input('a', 'float32', [2, 1, 3, 4]).initializer('b', 'float32', [3, 4, 2], [...floats(24, 11)])
      .node('MatMul', ['a', 'b'], ['y']).output('y').build(), [floats(24, 12)]);
    await expectFloat(new OnnxBuilder(13).input('a', 'float32', [4]).initializer('b', 'float32', [2, 4, 3], [...floats(24, 13)])
      .node('MatMul', ['a', 'b'], ['y']).output('y').build(), [floats(4, 14)]);
  });

  it('activations: Relu, Clip, Sigmoid, Tanh, LeakyRelu, HardSwish', async () => {
    // HardSwish arrived in opset 14.
    const b = new OnnxBuilder(14).input('x', 'float32', [1, 3, 7, 6]).initializer('lo', 'float32', [], [-0.5]).initializer('hi', 'float32', [], [0.75]);
    b.node('Relu', ['x'], ['r']).node('Clip', ['x', 'lo', 'hi'], ['c']).node('Sigmoid', ['x'], ['s']).node('Tanh', ['x'], ['t'])
      .node('LeakyRelu', ['x'], ['l'], { alpha: 0.2 }).node('HardSwish', ['x'], ['h'], {}).node('Clip', ['x', '', 'hi'], ['c2']);
    for (const o of ['r', 'c', 's', 't', 'l', 'h', 'c2']) b.output(o);
    await expectFloat(b.build(), [floats(126, 15, -6, 6)]);
  });

  it('BatchNormalization, MaxPool, AveragePool (count_include_pad, ceil_mode), GlobalAveragePool', async () => {
    const b = x4().initializer('s', 'float32', [3], [1, 2, 0.5]).initializer('bi', 'float32', [3], [0, 0.1, -0.1])
      .initializer('m', 'float32', [3], [0.2, -0.3, 0]).initializer('v', 'float32', [3], [1, 0.5, 2])
      .node('BatchNormalization', ['x', 's', 'bi', 'm', 'v'], ['bn'], { epsilon: 1e-3 })
      .node('MaxPool', ['bn'], ['mp'], { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 1] })
      .node('MaxPool', ['bn'], ['mpc'], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })
      .node('AveragePool', ['bn'], ['ap'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], count_include_pad: 1 })
      .node('AveragePool', ['bn'], ['ap0'], { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] })
      .node('AveragePool', ['bn'], ['apc'], { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 })
      .node('GlobalAveragePool', ['bn'], ['gap']);
    for (const o of ['bn', 'mp', 'mpc', 'ap', 'ap0', 'apc', 'gap']) b.output(o);
    await expectFloat(b.build(), [input]);
  });

  it('Softmax (opset 13 and the flattening opset 11 form), ReduceMean', async () => {
    await expectFloat(x4().node('Softmax', ['x'], ['y'], { axis: 1 }).node('ReduceMean', ['x'], ['r'], { axes: [2, 3], keepdims: 0 })
      .node('ReduceMean', ['x'], ['r2'], { axes: [-1] }).output('y').output('r').output('r2').build(), [input]);
    await expectFloat(new OnnxBuilder(11).input('x', 'float32', [2, 3, 4]).node('Softmax', ['x'], ['y'], { axis: 1 }).output('y').build(), [floats(24, 16)]);
  });

  it('Add, Sub, Mul, Div with broadcasting', async () => {
    const b = x4().initializer('c', 'float32', [3, 1, 1], [1, -2, 0.5]).initializer('r', 'float32', [6], [...floats(6, 17, 0.5, 2)])
      .node('Add', ['x', 'c'], ['a']).node('Sub', ['c', 'x'], ['s']).node('Mul', ['x', 'r'], ['m']).node('Div', ['x', 'r'], ['d']).node('Add', ['x', 'x'], ['aa']);
    for (const o of ['a', 's', 'm', 'd', 'aa']) b.output(o);
    await expectFloat(b.build(), [input]);
  });

  it('Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Concat, Pad, Identity, Dropout', async () => {
    const b = x4().initializer('shape', 'int64', [3], [0, -1, 6]).initializer('ax', 'int64', [1], [0]).initializer('ax2', 'int64', [2], [0, 4])
      .initializer('pads', 'int64', [8], [0, 0, 1, 2, 0, 1, 0, 1]).initializer('pv', 'float32', [], [0.5])
      .node('Reshape', ['x', 'shape'], ['rs']).node('Flatten', ['x'], ['fl'], { axis: 2 }).node('Squeeze', ['x', 'ax'], ['sq'])
      .node('Unsqueeze', ['sq', 'ax2'], ['us']).node('Transpose', ['x'], ['tr'], { perm: [0, 2, 3, 1] }).node('Concat', ['x', 'x'], ['cc'], { axis: 1 })
      .node('Pad', ['x', 'pads', 'pv'], ['pc']).node('Pad', ['x', 'pads'], ['pr'], { mode: 'reflect' }).node('Pad', ['x', 'pads'], ['pe'], { mode: 'edge' })
      .node('Identity', ['x'], ['id']).node('Dropout', ['x'], ['dr']);
    for (const o of ['rs', 'fl', 'sq', 'us', 'tr', 'cc', 'pc', 'pr', 'pe', 'id', 'dr']) b.output(o);
    await expectFloat(b.build(), [input]);
  });
});


describe('ONNX engine: quantized ops match onnxruntime exactly', () => {
  it('QuantizeLinear (int8, default uint8, per axis, ties to even) and DequantizeLinear (per tensor, per axis, int32)', async () => {
    const b = x4(2, 3, 4).initializer('s', 'float32', [], [0.05]).initializer('z', 'int8', [], [-3])
      .initializer('sc', 'float32', [2], [0.02, 0.1]).initializer('zc', 'int8', [2], [5, -7]).initializer('su', 'float32', [], [0.5])
      .node('QuantizeLinear', ['x', 's', 'z'], ['q']).node('QuantizeLinear', ['x', 'su'], ['qu'])
      .node('QuantizeLinear', ['x', 'sc', 'zc'], ['qc'], { axis: 1 }).node('DequantizeLinear', ['q', 's', 'z'], ['dq'])
      .node('DequantizeLinear', ['qc', 'sc', 'zc'], ['dqc'], { axis: 1 });
    b.output('q', 'int8').output('qu', 'uint8').output('qc', 'int8').output('dq').output('dqc');
    const x = floats(24, 20, -4, 4);
    x.set([0.25, 0.75, -0.25, -0.75, 1.25, 2.5, 1.5], 0); // exact halves at scale 0.5
    await expectExact(b.build(), [x]);
  });

  it('QLinearConv int8 with per-channel weights, bias and padding; depthwise; uint8', async () => {
    const cases: { c: number; m: number; group: number; x: 'int8' | 'uint8' }[] = [
      { c: 3, m: 4, group: 1, x: 'int8' },
      { c: 4, m: 8, group: 4, x: 'int8' },
      { c: 3, m: 2, group: 1, x: 'uint8' },
    ];
    for (const { c, m, group, x } of cases) {
      const kIn = c / group;
      const xZero = x === 'int8' ? -5 : 128;
      const model = new OnnxBuilder(13).input('x', x, [1, c, 6, 5])
        .initializer('xs', 'float32', [], [0.0173]).initializer('xz', x, [], [xZero])
        .initializer('w', 'int8', [m, kIn, 3, 3], ints(m * kIn * 9, 21, -127, 127))
        .initializer('ws', 'float32', [m], Array.from({ length: m }, (_, i) => 0.003 + 0.0011 * i)).initializer('wz', 'int8', [m], new Array(m).fill(0))
        .initializer('ys', 'float32', [], [0.0391]).initializer('yz', x, [], [x === 'int8' ? 3 : 120])
        .initializer('b', 'int32', [m], ints(m, 22, -3000, 3000))
        .node('QLinearConv', ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz', 'b'], ['y'], { group, pads: [1, 1, 1, 1], strides: [1, 2] })
        .output('y', x).build();
      const input = x === 'int8' ? Int8Array.from(ints(c * 30, 23, -128, 127)) : Uint8Array.from(ints(c * 30, 23, 0, 255));
      await expectExact(model, [input]);
    }
  });

  it('QLinearMatMul int8, per tensor and per column', async () => {
    for (const perColumn of [false, true]) {
      const n = 5;
      const model = new OnnxBuilder(13).input('a', 'int8', [3, 7])
        .initializer('as', 'float32', [], [0.021]).initializer('az', 'int8', [], [-2])
        .initializer('b', 'int8', [7, n], ints(7 * n, 24, -127, 127))
        .initializer('bs', 'float32', perColumn ? [n] : [], perColumn ? [0.01, 0.02, 0.013, 0.007, 0.03] : [0.011])
        .initializer('bz', 'int8', perColumn ? [n] : [], perColumn ? new Array(n).fill(0) : [0])
        .initializer('ys', 'float32', [], [0.05]).initializer('yz', 'int8', [], [4])
        .node('QLinearMatMul', ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], ['y']).output('y', 'int8').build();
      await expectExact(model, [Int8Array.from(ints(21, 25, -128, 127))]);
    }
  });

  it('ConvInteger and MatMulInteger (uint8, with zero points)', async () => {
    await expectExact(new OnnxBuilder(13).input('x', 'uint8', [1, 2, 5, 5]).initializer('w', 'uint8', [3, 2, 2, 2], ints(24, 26, 0, 255))
      .initializer('xz', 'uint8', [], [100]).initializer('wz', 'uint8', [], [127])
      .node('ConvInteger', ['x', 'w', 'xz', 'wz'], ['y'], { pads: [1, 1, 0, 0] }).output('y', 'int32').build(), [Uint8Array.from(ints(50, 27, 0, 255))]);
    await expectExact(new OnnxBuilder(13).input('a', 'uint8', [2, 4]).initializer('b', 'int8', [4, 3], ints(12, 28, -128, 127))
      .initializer('az', 'uint8', [], [130]).initializer('bz', 'int8', [], [3])
      .node('MatMulInteger', ['a', 'b', 'az', 'bz'], ['y']).output('y', 'int32').build(), [Uint8Array.from(ints(8, 29, 0, 255))]);
  });

  it('a QDQ convolution runs as written: dequantize, float Conv and Relu, quantize', async () => {
    const model = new OnnxBuilder(13).input('x', 'int8', [1, 2, 5, 5])
      .initializer('xs', 'float32', [], [0.02]).initializer('xz', 'int8', [], [-1])
      .initializer('w', 'int8', [3, 2, 3, 3], ints(54, 30, -127, 127)).initializer('ws', 'float32', [3], [0.004, 0.002, 0.006]).initializer('wz', 'int8', [3], [0, 0, 0])
      .initializer('b', 'int32', [3], [100, -200, 50]).initializer('bs', 'float32', [3], [0.02 * 0.004, 0.02 * 0.002, 0.02 * 0.006]).initializer('bz', 'int32', [3], [0, 0, 0])
      .initializer('ys', 'float32', [], [0.03]).initializer('yz', 'int8', [], [-128])
      .node('DequantizeLinear', ['x', 'xs', 'xz'], ['xf']).node('DequantizeLinear', ['w', 'ws', 'wz'], ['wf'], { axis: 0 })
      .node('DequantizeLinear', ['b', 'bs', 'bz'], ['bf'], { axis: 0 })
      .node('Conv', ['xf', 'wf', 'bf'], ['yf'], { pads: [1, 1, 1, 1] }).node('Relu', ['yf'], ['rf'])
      .node('QuantizeLinear', ['rf', 'ys', 'yz'], ['y']).output('y', 'int8').build();
    await expectExact(model, [Int8Array.from(ints(50, 31, -128, 127))]);
  });
});

describe('ONNX engine: preparation', () => {
  it('names an unsupported op before allocating', () => {
    const model = new OnnxBuilder(13).input('x', 'float32', [2]).node('Erf', ['x'], ['y']).output('y').build();
    assert.throws(() => prepareOnnxEngine(readOnnx(model)), (e: unknown) => e instanceof EngineError && /Erf is not supported/.test(e.message) && e.opIndex === 0);
  });

  it('lays every run-time tensor in one arena and invokes without reallocating', () => {
    const model = x4().node('Relu', ['x'], ['r']).node('Sigmoid', ['r'], ['s']).output('s').build();
    const engine = prepareOnnxEngine(readOnnx(model));
    assert.equal(engine.inputs[0].data.buffer, engine.arena);
    assert.equal(engine.outputs[0].data.buffer, engine.arena);
    const before = engine.outputs[0].data;
    engine.inputs[0].data.fill(0);
    engine.invoke();
    assert.equal(engine.outputs[0].data, before);
    assert.ok(Array.from(engine.outputs[0].data).every((v) => v === 0.5));
  });
});
