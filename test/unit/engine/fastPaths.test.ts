import assert from 'node:assert/strict';
import {
  INT32_MAX,
  INT32_MIN,
  multiplyByQuantizedMultiplier,
  multiplyByQuantizedMultiplierFast,
  multiplyByQuantizedMultiplierSmallerThanOneExp,
  quantizeMultiplier,
  quantizeMultiplierSmallerThanOneExp,
  tfliteRound,
} from '../../../server/src/engine/fixedPoint';
import { prepareEngine } from '../../../server/src/engine/engine';
import { setSimdKernelsEnabled } from '../../../server/src/engine/kernels/fast/wasmSimd';
import type { Graph } from '../../../server/src/model/graph';
import { type TensorSpec, graphOf, run } from './graphBuilder';

// The fast int8 paths (#4 item 5) against straightforward references kept here: the requantization
// reformulations on edge values and millions of random accumulators, then random CONV_2D,
// DEPTHWISE_CONV_2D, FULLY_CONNECTED and ADD ops (borders, strides, dilation, per-channel shifts of
// both signs, zero points at the int8 extremes) byte for byte, with WebAssembly SIMD on and off.

/** Deterministic generator (Numerical Recipes LCG): failures replay. */
function rng(seed: number) {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
  return {
    int: (lo: number, hi: number): number => lo + Math.floor((next() / 2 ** 32) * (hi - lo + 1)),
    int32: (): number => next() | 0,
    pick: <T>(xs: readonly T[]): T => xs[Math.floor((next() / 2 ** 32) * xs.length)],
    int8s: (n: number): Int8Array => Int8Array.from({ length: n }, () => (next() >>> 24) - 128),
  };
}

describe('fast paths: requantization', () => {
  const multipliers = [0, 1, 1 << 30, (1 << 30) + 1, 1518500250, INT32_MAX - 1, INT32_MAX];
  const accumulators = [0, 1, -1, 2, -2, 0x3fffff, -0x3fffff, 0x400000, -0x400000, 0x400001, -0x400001, 1 << 30, -(1 << 30), INT32_MAX, INT32_MIN, INT32_MIN + 1];
  const shifts = [-31, -30, -20, -12, -8, -1, 0, 1, 2, 8, 10, 20, 30, 31];

  it('multiplyByQuantizedMultiplierFast equals the reference on edge values', () => {
    for (const m of multipliers) {
      for (const x of accumulators) {
        for (const s of shifts) {
          assert.equal(multiplyByQuantizedMultiplierFast(x, m, s), multiplyByQuantizedMultiplier(x, m, s), `x ${x} m ${m} shift ${s}`);
        }
      }
    }
  });

  it('multiplyByQuantizedMultiplierFast equals the reference on 2M random accumulators', () => {
    const r = rng(0x5eed);
    for (let i = 0; i < 2_000_000; i++) {
      // Half the accumulators small (the exact double path), half anywhere in int32.
      const x = i % 2 === 0 ? r.int(-(1 << 23), 1 << 23) : r.int32();
      const m = r.int(1 << 30, INT32_MAX);
      const s = r.int(-31, 12);
      const expected = multiplyByQuantizedMultiplier(x, m, s);
      const got = multiplyByQuantizedMultiplierFast(x, m, s);
      if (got !== expected) assert.fail(`x ${x} m ${m} shift ${s}: ${got} !== ${expected}`);
    }
  });
});

// --- Straightforward references (TFLM's reference loops, bounds checked per tap) -------------

interface Window {
  inH: number;
  inW: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padding: 'SAME' | 'VALID';
}

function outSizeAndPad(inSize: number, f: number, stride: number, dil: number, padding: string): { out: number; pad: number } {
  const eff = (f - 1) * dil + 1;
  const out = padding === 'SAME' ? Math.ceil(inSize / stride) : Math.floor((inSize - eff + stride) / stride);
  return { out, pad: Math.floor(Math.max(0, (out - 1) * stride + eff - inSize) / 2) };
}

function activationRange(act: string, scale: number, zeroPoint: number): { min: number; max: number } {
  const q = (f: number) => zeroPoint + tfliteRound(Math.fround(f / scale));
  if (act === 'RELU') return { min: Math.max(-128, q(0)), max: 127 };
  if (act === 'RELU6') return { min: Math.max(-128, q(0)), max: Math.min(127, q(6)) };
  return { min: -128, max: 127 };
}

function outputStage(acc: number, bias: number, m: number, s: number, zp: number, range: { min: number; max: number }): number {
  const v = multiplyByQuantizedMultiplier((acc + bias) | 0, m, s) + zp;
  return Math.min(range.max, Math.max(range.min, v));
}

interface QuantCase {
  inScale: number;
  inZp: number;
  outScale: number;
  outZp: number;
  filterScales: number[];
  act: string;
}

/** Scales whose multipliers span right shifts to 12 and left shifts to 3; zero points include the extremes. */
function quantCase(r: ReturnType<typeof rng>, channels: number): QuantCase {
  const zp = () => r.pick([-128, 127, 0, r.int(-128, 127)]);
  return {
    inScale: Math.fround(2 ** r.int(-8, -2) * (1 + r.int(0, 99) / 100)),
    inZp: zp(),
    outScale: Math.fround(2 ** r.int(-6, 0) * (1 + r.int(0, 99) / 100)),
    outZp: zp(),
    filterScales: Array.from({ length: channels }, () => Math.fround(2 ** r.int(-10, 3) * (1 + r.int(0, 99) / 100))),
    act: r.pick(['NONE', 'RELU', 'RELU6']),
  };
}

function channelMultipliers(q: QuantCase): { m: number[]; s: number[] } {
  const m: number[] = [];
  const s: number[] = [];
  for (const fs of q.filterScales) {
    const qm = quantizeMultiplier((q.inScale * fs) / q.outScale);
    m.push(qm.multiplier);
    s.push(qm.shift);
  }
  return { m, s };
}

function refConv(x: Int8Array, w: Int8Array, b: Int32Array, inC: number, outC: number, win: Window, q: QuantCase, depthMultiplier = 0): number[] {
  const rows = outSizeAndPad(win.inH, win.fH, win.strideH, win.dilH, win.padding);
  const cols = outSizeAndPad(win.inW, win.fW, win.strideW, win.dilW, win.padding);
  const { m, s } = channelMultipliers(q);
  const range = activationRange(q.act, q.outScale, q.outZp);
  const out: number[] = [];
  for (let oy = 0; oy < rows.out; oy++) {
    for (let ox = 0; ox < cols.out; ox++) {
      for (let oc = 0; oc < outC; oc++) {
        let acc = 0;
        for (let fy = 0; fy < win.fH; fy++) {
          for (let fx = 0; fx < win.fW; fx++) {
            const iy = oy * win.strideH - rows.pad + fy * win.dilH;
            const ix = ox * win.strideW - cols.pad + fx * win.dilW;
            if (iy < 0 || iy >= win.inH || ix < 0 || ix >= win.inW) continue;
            if (depthMultiplier > 0) {
              const ic = Math.floor(oc / depthMultiplier);
              acc += w[(fy * win.fW + fx) * outC + oc] * (x[(iy * win.inW + ix) * inC + ic] - q.inZp);
            } else {
              for (let ic = 0; ic < inC; ic++) {
                acc += w[((oc * win.fH + fy) * win.fW + fx) * inC + ic] * (x[(iy * win.inW + ix) * inC + ic] - q.inZp);
              }
            }
          }
        }
        const c = q.filterScales.length > 1 ? oc : 0;
        out.push(outputStage(acc | 0, b[oc], m[c], s[c], q.outZp, range));
      }
    }
  }
  return out;
}

function randomWindow(r: ReturnType<typeof rng>): Window {
  const fH = r.int(1, 4);
  const fW = r.int(1, 4);
  const dilH = r.pick([1, 1, 2]);
  const dilW = r.pick([1, 1, 2, 3]);
  const padding = r.pick(['SAME', 'VALID'] as const);
  const minH = padding === 'VALID' ? (fH - 1) * dilH + 1 : 1;
  const minW = padding === 'VALID' ? (fW - 1) * dilW + 1 : 1;
  return { inH: r.int(minH, minH + 9), inW: r.int(minW, minW + 9), fH, fW, strideH: r.int(1, 3), strideW: r.int(1, 3), dilH, dilW, padding };
}

const i8 = (shape: number[], scale: number | number[], zeroPoint: number, data?: Int8Array): TensorSpec => ({
  shape,
  dtype: 'int8',
  scale,
  zeroPoint,
  ...(data ? { data } : {}),
});

/**
 * One engine, invoked on each input in turn: scratch memory that a previous invoke left behind
 * must not leak into the next one.
 */
function runEach(g: Graph, inputs: Int8Array[]): number[][] {
  const engine = prepareEngine(g);
  return inputs.map((x) => {
    engine.invoke([x]);
    return Array.from(engine.outputs[0].data);
  });
}

/** Runs `check` with the WebAssembly SIMD loops and again with the TypeScript loops. */
function bothPaths(check: () => void): void {
  check();
  setSimdKernelsEnabled(false);
  try {
    check();
  } finally {
    setSimdKernelsEnabled(true);
  }
}

describe('fast paths: random ops against reference loops, byte for byte', function () {
  this.timeout(120_000);

  it('CONV_2D: borders, strides, dilation, per-channel shifts, extreme zero points', () => {
    bothPaths(() => {
      const r = rng(0xc0417);
      for (let k = 0; k < 120; k++) {
        const win = randomWindow(r);
        // Deep windows (up to 4x4x64) split the pixels over several tiles of the matrix product.
        const inC = r.pick([1, 2, 3, 8, r.int(1, 20), r.int(32, 64)]);
        const outC = r.pick([1, 4, 8, 9, 16, r.int(1, 24)]);
        const q = quantCase(r, r.pick([1, outC]));
        const w = r.int8s(outC * win.fH * win.fW * inC);
        const b = Int32Array.from({ length: outC }, () => r.int(-5000, 5000));
        const rows = outSizeAndPad(win.inH, win.fH, win.strideH, win.dilH, win.padding);
        const cols = outSizeAndPad(win.inW, win.fW, win.strideW, win.dilW, win.padding);
        const g = graphOf(
          [
            i8([1, win.inH, win.inW, inC], q.inScale, q.inZp),
            { ...i8([outC, win.fH, win.fW, inC], q.filterScales, 0, w), axis: 0 },
            { shape: [outC], dtype: 'int32', data: b },
            i8([1, rows.out, cols.out, outC], q.outScale, q.outZp),
          ],
          [{
            opType: 'CONV_2D',
            inputs: [0, 1, 2],
            outputs: [3],
            options: { padding: win.padding, strideH: win.strideH, strideW: win.strideW, dilationH: win.dilH, dilationW: win.dilW, fusedActivation: q.act },
          }],
          [0],
          [3],
        );
        const xs = [new Int8Array(win.inH * win.inW * inC).fill(q.inZp === -128 ? 127 : -128), r.int8s(win.inH * win.inW * inC), r.int8s(win.inH * win.inW * inC)];
        runEach(g, xs).forEach((got, t) => {
          assert.deepEqual(got, refConv(xs[t], w, b, inC, outC, win, q), `case ${k} input ${t}: ${JSON.stringify({ win, inC, outC })}`);
        });
      }
    });
  });

  it('CONV_2D: windows of 3x3x64 over 12x12 pixels span several tiles; border columns start clean on every invoke', () => {
    bothPaths(() => {
      const r = rng(0x7113);
      const win: Window = { inH: 12, inW: 12, fH: 3, fW: 3, strideH: 1, strideW: 1, dilH: 1, dilW: 1, padding: 'SAME' };
      const [inC, outC] = [64, 12];
      const q = quantCase(r, outC);
      const w = r.int8s(outC * 9 * inC);
      const b = Int32Array.from({ length: outC }, () => r.int(-5000, 5000));
      const g = graphOf(
        [
          i8([1, 12, 12, inC], q.inScale, q.inZp),
          { ...i8([outC, 3, 3, inC], q.filterScales, 0, w), axis: 0 },
          { shape: [outC], dtype: 'int32', data: b },
          i8([1, 12, 12, outC], q.outScale, q.outZp),
        ],
        [{ opType: 'CONV_2D', inputs: [0, 1, 2], outputs: [3], options: { padding: 'SAME', strideH: 1, strideW: 1, fusedActivation: q.act } }],
        [0],
        [3],
      );
      const xs = [r.int8s(144 * inC), r.int8s(144 * inC), r.int8s(144 * inC)];
      runEach(g, [xs[0], xs[1], xs[2], xs[0]]).forEach((got, t) => {
        assert.deepEqual(got, refConv(xs[t % 3], w, b, inC, outC, win, q), `invoke ${t}`);
      });
    });
  });

  it('DEPTHWISE_CONV_2D: multipliers 1 and more, borders, strides, dilation', () => {
    bothPaths(() => {
      const r = rng(0xd3e7);
      for (let k = 0; k < 120; k++) {
        const win = randomWindow(r);
        const inC = r.pick([1, 3, 8, 16, r.int(1, 40)]);
        const mult = r.pick([1, 1, 2, 8]);
        const outC = inC * mult;
        const q = quantCase(r, r.pick([1, outC]));
        const w = r.int8s(win.fH * win.fW * outC);
        const b = Int32Array.from({ length: outC }, () => r.int(-5000, 5000));
        const rows = outSizeAndPad(win.inH, win.fH, win.strideH, win.dilH, win.padding);
        const cols = outSizeAndPad(win.inW, win.fW, win.strideW, win.dilW, win.padding);
        const g = graphOf(
          [
            i8([1, win.inH, win.inW, inC], q.inScale, q.inZp),
            { ...i8([1, win.fH, win.fW, outC], q.filterScales, 0, w), axis: 3 },
            { shape: [outC], dtype: 'int32', data: b },
            i8([1, rows.out, cols.out, outC], q.outScale, q.outZp),
          ],
          [{
            opType: 'DEPTHWISE_CONV_2D',
            inputs: [0, 1, 2],
            outputs: [3],
            options: {
              padding: win.padding, strideH: win.strideH, strideW: win.strideW, dilationH: win.dilH, dilationW: win.dilW,
              depthMultiplier: mult, fusedActivation: q.act,
            },
          }],
          [0],
          [3],
        );
        const xs = [r.int8s(win.inH * win.inW * inC), r.int8s(win.inH * win.inW * inC)];
        runEach(g, xs).forEach((got, t) => {
          assert.deepEqual(got, refConv(xs[t], w, b, inC, outC, win, q, mult), `case ${k} input ${t}: ${JSON.stringify({ win, inC, mult })}`);
        });
      }
    });
  });

  it('FULLY_CONNECTED: batches, per-tensor (filter zero point) and per-channel', () => {
    bothPaths(() => {
      const r = rng(0xfc);
      for (let k = 0; k < 80; k++) {
        const batches = r.int(1, 6);
        const depth = r.int(1, 70);
        const units = r.int(1, 40);
        const perChannel = r.int(0, 1) === 1;
        const q = quantCase(r, perChannel ? units : 1);
        const filterZp = perChannel ? 0 : r.pick([0, -128, 127, r.int(-128, 127)]);
        const w = r.int8s(units * depth);
        const b = Int32Array.from({ length: units }, () => r.int(-5000, 5000));
        const g = graphOf(
          [
            i8([batches, depth], q.inScale, q.inZp),
            i8([units, depth], perChannel ? q.filterScales : q.filterScales[0], filterZp, w),
            { shape: [units], dtype: 'int32', data: b },
            i8([batches, units], q.outScale, q.outZp),
          ],
          [{ opType: 'FULLY_CONNECTED', inputs: [0, 1, 2], outputs: [3], options: { fusedActivation: q.act } }],
          [0],
          [3],
        );
        const range = activationRange(q.act, q.outScale, q.outZp);
        const x = r.int8s(batches * depth);
        const expected: number[] = [];
        for (let n = 0; n < batches; n++) {
          for (let u = 0; u < units; u++) {
            // Per-tensor: the input x filter scale product is taken in float32 first.
            const qm = perChannel
              ? quantizeMultiplier((q.inScale * q.filterScales[u]) / q.outScale)
              : quantizeMultiplier(Math.fround(q.inScale * q.filterScales[0]) / q.outScale);
            let acc = 0;
            for (let d = 0; d < depth; d++) acc += (w[u * depth + d] - filterZp) * (x[n * depth + d] - q.inZp);
            expected.push(outputStage(acc | 0, b[u], qm.multiplier, qm.shift, q.outZp, range));
          }
        }
        assert.deepEqual(run(g, [x])[0], expected, `case ${k}`);
      }
    });
  });

  it('ADD: the tabulated int8 path, with and without broadcasting', () => {
    const r = rng(0xadd);
    for (let k = 0; k < 40; k++) {
      const shape = [1, r.int(1, 5), r.int(1, 5), r.int(1, 9)];
      const bShape = r.int(0, 2) === 0 ? [1, 1, 1, shape[3]] : shape;
      const [s1, s2, so] = [0, 0, 0].map(() => Math.fround(2 ** r.int(-8, 0) * (1 + r.int(0, 99) / 100)));
      const [z1, z2, zo] = [0, 0, 0].map(() => r.pick([-128, 127, r.int(-128, 127)]));
      const act = r.pick(['NONE', 'RELU', 'RELU6']);
      const g = graphOf(
        [i8(shape, s1, z1), i8(bShape, s2, z2), i8(shape, so, zo)],
        [{ opType: 'ADD', inputs: [0, 1], outputs: [2], options: { fusedActivation: act } }],
        [0, 1],
        [2],
      );
      const n = shape.reduce((p, d) => p * d, 1);
      const a = r.int8s(n);
      const b = r.int8s(bShape.reduce((p, d) => p * d, 1));
      const twiceMax = 2 * Math.max(s1, s2);
      const q1 = quantizeMultiplierSmallerThanOneExp(s1 / twiceMax);
      const q2 = quantizeMultiplierSmallerThanOneExp(s2 / twiceMax);
      const qo = quantizeMultiplierSmallerThanOneExp(twiceMax / ((1 << 20) * so));
      const range = activationRange(act, so, zo);
      const expected = Array.from({ length: n }, (_, i) => {
        const bi = bShape === shape ? i : i % shape[3];
        const v1 = multiplyByQuantizedMultiplierSmallerThanOneExp((a[i] - z1) << 20, q1.multiplier, q1.shift);
        const v2 = multiplyByQuantizedMultiplierSmallerThanOneExp((b[bi] - z2) << 20, q2.multiplier, q2.shift);
        const v = multiplyByQuantizedMultiplierSmallerThanOneExp((v1 + v2) | 0, qo.multiplier, qo.shift) + zo;
        return Math.min(range.max, Math.max(range.min, v));
      });
      assert.deepEqual(run(g, [a, b])[0], expected, `case ${k}`);
    }
  });
});
