// The engine's WebAssembly SIMD inner loops (#4 item 5): a hand-assembled module (no toolchain,
// no binary blob) with the int8 dot products of CONV_2D, FULLY_CONNECTED and DEPTHWISE_CONV_2D.
// Integer sums wrap at 32 bits in WebAssembly exactly as TFLM's int32 accumulators do, so these
// loops give the reference's accumulators bit for bit; rounding stays in TypeScript. Where
// WebAssembly SIMD is missing (or tests turn it off) the kernels keep their TypeScript loops.

/**
 * gemm(x, w, acc, pBlocks, kPairs, nBlocks): for 4 pixels x 8 output channels at a time,
 * acc = sum over k of x[pixel][k] * w[channel][k], all in int16 lanes paired for i32x4.dot_i16x8_s.
 *   x   [pBlock][kPair][pixel 0..3] i32: two int16 (k even low, k odd high), input offset applied
 *   w   [nBlock][kPair][half 0..1][channel 0..3][k even, k odd] int16
 *   acc [pBlock][nBlock][pixel 0..3][channel 0..7] int32
 *
 * dw(x, w, acc, count, pixelStride, fRows, fCols, rowStride, tapStride, cBlocks, wRowStride,
 * offset): depthwise sums with channels in lanes, 8 per block, for `count` output pixels whose
 * windows start `pixelStride` bytes apart in the int8 input x, over fRows x fCols taps (rowStride
 * and tapStride bytes apart); x + offset is taken in int16. w [tap][channel] int16 with
 * cBlocks * 8 channels per tap, wRowStride bytes per filter row; acc [pixel][channel] int32.
 *
 * requant(acc, s4, s1, s8, count, outC, out, table, outputOffset, min, max): TFLM's per-channel
 * output stage for `count` pixels x outC channels, the accumulator of pixel i, channel c at byte
 * acc + (i >> 2) * s4 + (i & 3) * s1 + (c >> 3) * s8 + (c & 7) * 4: plus bias, the double-rounding
 * MultiplyByQuantizedMultiplier in int64 (as common.cc computes it), plus the output offset,
 * clamped, stored as int8 at out (pixel-major). table [channel] {bias, multiplier, leftShift,
 * rightShift} int32.
 */
export interface SimdKernels {
  memory: WasmMemory;
  gemm(x: number, w: number, acc: number, pBlocks: number, kPairs: number, nBlocks: number): void;
  dw(
    x: number, w: number, acc: number, count: number, pixelStride: number, fRows: number, fCols: number,
    rowStride: number, tapStride: number, cBlocks: number, wRowStride: number, offset: number,
  ): void;
  requant(
    acc: number, s4: number, s1: number, s8: number, count: number, outC: number, out: number, table: number,
    outputOffset: number, min: number, max: number,
  ): void;
}

// The pure core's lib (ES2022, no DOM, no Node) has no WebAssembly types: the few used, declared
// here for this module only (the global object is the runtime's).
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmModule {
  readonly kind?: 'module';
}
declare const WebAssembly: {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { readonly exports: object };
};

// Opcodes (WebAssembly core 2.0 and the fixed-width SIMD proposal).
const I32 = 0x7f;
const I64 = 0x7e;
const V128 = 0x7b;
const BLOCK = 0x02;
const LOOP = 0x03;
const END = 0x0b;
const BR = 0x0c;
const BR_IF = 0x0d;
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;
const LOCAL_TEE = 0x22;
const I32_CONST = 0x41;
const I32_EQZ = 0x45;
const SELECT = 0x1b;
const I32_LOAD = 0x28;
const I32_STORE8 = 0x3a;
const I64_CONST = 0x42;
const I32_LT_S = 0x48;
const I32_GT_S = 0x4a;
const I32_GE_U = 0x4f;
const I64_GE_S = 0x59;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const I32_MUL = 0x6c;
const I32_AND = 0x71;
const I32_SHL = 0x74;
const I32_SHR_S = 0x75;
const I64_ADD = 0x7c;
const I64_MUL = 0x7e;
const I64_AND = 0x83;
const I64_SHR_S = 0x87;
const I32_WRAP_I64 = 0xa7;
const I64_EXTEND_I32_S = 0xac;
const EMPTY = 0x40;
const SIMD = 0xfd;
const V128_LOAD = 0x00;
const I16X8_LOAD8X8_S = 0x01;
const I16X8_SPLAT = 0x10;
const I16X8_ADD = 142;
const V128_LOAD32_SPLAT = 0x09;
const V128_STORE = 0x0b;
const V128_CONST = 0x0c;
const I32X4_EXTMUL_LOW_I16X8_S = 188;
const I32X4_EXTMUL_HIGH_I16X8_S = 189;
const I32X4_ADD = 174;
const I32X4_DOT_I16X8_S = 186;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const simd = (op: number): number[] => [SIMD, ...uleb(op)];
const get = (l: number): number[] => [LOCAL_GET, ...uleb(l)];
const set = (l: number): number[] => [LOCAL_SET, ...uleb(l)];
const i32c = (v: number): number[] => [I32_CONST, ...sleb(v)];
/** i64.const for values within int32 (sleb of the same number). */
const i64c = (v: number): number[] => [I64_CONST, ...sleb(v)];
/** memarg: alignment exponent, then the constant offset. */
const mem = (align: number, offset: number): number[] => [...uleb(align), ...uleb(offset)];
const zeroV128 = (): number[] => [...simd(V128_CONST), ...new Array<number>(16).fill(0)];
const addTo = (local: number, delta: number): number[] => [...get(local), ...i32c(delta), I32_ADD, ...set(local)];
/** `while (counter-- !== 0) { body }` as block/loop with the exit test first. */
const countDown = (counter: number, body: number[]): number[] => [
  BLOCK, EMPTY, LOOP, EMPTY,
  ...get(counter), I32_EQZ, BR_IF, 1,
  ...get(counter), ...i32c(1), I32_SUB, ...set(counter),
  ...body,
  BR, 0, END, END,
];

/** `for (idx = 0; idx < limit; idx++) { body }`. */
const countUp = (idx: number, limit: number, body: number[]): number[] => [
  ...i32c(0), ...set(idx),
  BLOCK, EMPTY, LOOP, EMPTY,
  ...get(idx), ...get(limit), I32_GE_U, BR_IF, 1,
  ...body,
  ...addTo(idx, 1),
  BR, 0, END, END,
];

function gemmBody(): number[] {
  // params 0 x, 1 w, 2 acc, 3 pBlocks, 4 kPairs, 5 nBlocks; i32 locals 6 pb, 7 nb, 8 j, 9 q,
  // 10 wp; v128 locals 11..18 accumulators (pixel i, half h at 11 + 2i + h), 19 w0, 20 w1, 21 s.
  const [x, w, acc, pBlocks, kPairs, nBlocks, pb, nb, j, q, wp] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const a = (i: number, h: number) => 11 + 2 * i + h;
  const [w0, w1, s] = [19, 20, 21];
  const kStep: number[] = [
    ...get(wp), ...simd(V128_LOAD), ...mem(4, 0), ...set(w0),
    ...get(wp), ...simd(V128_LOAD), ...mem(4, 16), ...set(w1),
  ];
  for (let i = 0; i < 4; i++) {
    kStep.push(...get(q), ...simd(V128_LOAD32_SPLAT), ...mem(2, 4 * i), ...set(s));
    for (let h = 0; h < 2; h++) {
      kStep.push(...get(a(i, h)), ...get(s), ...get(h === 0 ? w0 : w1), ...simd(I32X4_DOT_I16X8_S), ...simd(I32X4_ADD), ...set(a(i, h)));
    }
  }
  kStep.push(...addTo(q, 16), ...addTo(wp, 32));
  const nStep: number[] = [];
  for (let i = 0; i < 4; i++) for (let h = 0; h < 2; h++) nStep.push(...zeroV128(), ...set(a(i, h)));
  nStep.push(...get(x), ...set(q), ...get(kPairs), ...set(j), ...countDown(j, kStep));
  for (let i = 0; i < 4; i++) {
    for (let h = 0; h < 2; h++) nStep.push(...get(acc), ...get(a(i, h)), ...simd(V128_STORE), ...mem(4, 32 * i + 16 * h));
  }
  nStep.push(...addTo(acc, 128));
  const pStep: number[] = [
    ...get(w), ...set(wp), ...get(nBlocks), ...set(nb), ...countDown(nb, nStep),
    // x += kPairs * 16: the next block of four pixels.
    ...get(x), ...get(kPairs), ...i32c(16), I32_MUL, I32_ADD, ...set(x),
  ];
  const code = [...get(pBlocks), ...set(pb), ...countDown(pb, pStep), END];
  return [...uleb(2), ...uleb(5), I32, ...uleb(11), V128, ...code];
}

function dwBody(): number[] {
  // params 0 x, 1 w, 2 acc, 3 count, 4 pixelStride, 5 fRows, 6 fCols, 7 rowStride, 8 tapStride,
  // 9 cBlocks, 10 wRowStride, 11 offset; i32 locals 12 cb, 13 fy, 14 fx, 15 xcb, 16 wcb, 17 xr,
  // 18 wr, 19 xt, 20 wt, 21 wTap; v128 locals 22 lo, 23 hi, 24 off, 25 xv, 26 wv.
  const [x, w, acc, count, pixelStride, fRows, fCols, rowStride, tapStride, cBlocks, wRowStride, offset] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const [cb, fy, fx, xcb, wcb, xr, wr, xt, wt, wTap] = [12, 13, 14, 15, 16, 17, 18, 19, 20, 21];
  const [lo, hi, off, xv, wv] = [22, 23, 24, 25, 26];
  const advance = (local: number, by: number): number[] => [...get(local), ...get(by), I32_ADD, ...set(local)];
  const fxStep: number[] = [
    ...get(xt), ...simd(I16X8_LOAD8X8_S), ...mem(3, 0), ...get(off), ...simd(I16X8_ADD), ...set(xv),
    ...get(wt), ...simd(V128_LOAD), ...mem(4, 0), ...set(wv),
    ...get(lo), ...get(xv), ...get(wv), ...simd(I32X4_EXTMUL_LOW_I16X8_S), ...simd(I32X4_ADD), ...set(lo),
    ...get(hi), ...get(xv), ...get(wv), ...simd(I32X4_EXTMUL_HIGH_I16X8_S), ...simd(I32X4_ADD), ...set(hi),
    ...advance(xt, tapStride), ...advance(wt, wTap),
  ];
  const fyStep: number[] = [
    ...get(xr), ...set(xt), ...get(wr), ...set(wt), ...get(fCols), ...set(fx), ...countDown(fx, fxStep),
    ...advance(xr, rowStride), ...advance(wr, wRowStride),
  ];
  const cStep: number[] = [
    ...zeroV128(), ...set(lo), ...zeroV128(), ...set(hi),
    ...get(xcb), ...set(xr), ...get(wcb), ...set(wr), ...get(fRows), ...set(fy), ...countDown(fy, fyStep),
    ...get(acc), ...get(lo), ...simd(V128_STORE), ...mem(4, 0),
    ...get(acc), ...get(hi), ...simd(V128_STORE), ...mem(4, 16),
    ...addTo(acc, 32), ...addTo(xcb, 8), ...addTo(wcb, 16),
  ];
  const pStep: number[] = [
    ...get(x), ...set(xcb), ...get(w), ...set(wcb), ...get(cBlocks), ...set(cb), ...countDown(cb, cStep),
    ...advance(x, pixelStride),
  ];
  const code = [
    ...get(offset), ...simd(I16X8_SPLAT), ...set(off),
    ...get(cBlocks), ...i32c(16), I32_MUL, ...set(wTap),
    ...countDown(count, pStep), END,
  ];
  return [...uleb(2), ...uleb(10), I32, ...uleb(5), V128, ...code];
}

function requantBody(): number[] {
  // params 0 acc, 1 s4, 2 s1, 3 s8, 4 count, 5 outC, 6 out, 7 table, 8 outputOffset, 9 min,
  // 10 max; i32 locals 11 i, 12 c, 13 row, 14 a, 15 q, 16 r, 17 mask, 18 v, 19 tp; i64 local 20 t.
  const [acc, s4, s1, s8, count, outC, out, table, outputOffset, min, max] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const [i, c, row, a, q, r, maskL, v, tp, t] = [11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const load = (offset: number): number[] => [I32_LOAD, ...mem(2, offset)];
  const channel: number[] = [
    // a = (acc + bias) << leftShift, wrapping as int32 (C++ int32 arithmetic, JS `| 0` and `<<`).
    ...get(row), ...get(c), ...i32c(3), I32_SHR_S, ...get(s8), I32_MUL, I32_ADD,
    ...get(c), ...i32c(7), I32_AND, ...i32c(2), I32_SHL, I32_ADD, ...load(0),
    ...get(tp), ...load(0), I32_ADD, ...get(tp), ...load(8), I32_SHL, ...set(a),
    // SaturatingRoundingDoublingHighMul: (a * m + nudge) / 2^31 truncated toward zero, in int64
    // (the multiplier is never INT32_MIN, so nothing saturates).
    ...get(a), I64_EXTEND_I32_S, ...get(tp), ...load(4), I64_EXTEND_I32_S, I64_MUL, ...[LOCAL_TEE, ...uleb(t)],
    ...i64c(0x40000000), ...i64c(1 - 0x40000000), ...get(t), ...i64c(0), I64_GE_S, SELECT, I64_ADD, ...[LOCAL_TEE, ...uleb(t)],
    ...get(t), ...i64c(63), I64_SHR_S, ...i64c(0x7fffffff), I64_AND, I64_ADD, ...i64c(31), I64_SHR_S, I32_WRAP_I64, ...set(q),
    // RoundingDivideByPOT(q, r): ties away from zero.
    ...get(tp), ...load(12), ...set(r),
    ...i32c(1), ...get(r), I32_SHL, ...i32c(1), I32_SUB, ...set(maskL),
    ...get(q), ...get(r), I32_SHR_S,
    ...get(q), ...get(maskL), I32_AND, ...get(maskL), ...i32c(1), I32_SHR_S, ...get(q), ...i32c(0), I32_LT_S, I32_ADD, I32_GT_S,
    I32_ADD, ...get(outputOffset), I32_ADD, ...set(v),
    ...get(min), ...get(v), ...get(v), ...get(min), I32_LT_S, SELECT, ...set(v),
    ...get(max), ...get(v), ...get(v), ...get(max), I32_GT_S, SELECT, ...set(v),
    ...get(out), ...get(v), I32_STORE8, ...mem(0, 0),
    ...addTo(out, 1), ...addTo(tp, 16),
  ];
  const pixel: number[] = [
    ...get(acc), ...get(i), ...i32c(2), I32_SHR_S, ...get(s4), I32_MUL, I32_ADD,
    ...get(i), ...i32c(3), I32_AND, ...get(s1), I32_MUL, I32_ADD, ...set(row),
    ...get(table), ...set(tp),
    ...countUp(c, outC, channel),
  ];
  const code = [...countUp(i, count, pixel), END];
  return [...uleb(2), ...uleb(9), I32, ...uleb(1), I64, ...code];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...Array.from(s, (ch) => ch.charCodeAt(0))];
}

function moduleBytes(): Uint8Array {
  const funcType = (params: number) => [0x60, ...uleb(params), ...new Array<number>(params).fill(I32), ...uleb(0)];
  const bodies = [gemmBody(), dwBody(), requantBody()];
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [...uleb(3), ...funcType(6), ...funcType(12), ...funcType(11)]),
    ...section(3, [...uleb(3), 0, 1, 2]),
    ...section(5, [...uleb(1), 0x00, ...uleb(1)]),
    ...section(7, [...uleb(4), ...name('gemm'), 0x00, 0, ...name('dw'), 0x00, 1, ...name('requant'), 0x00, 2, ...name('memory'), 0x02, 0]),
    ...section(10, [...uleb(bodies.length), ...bodies.flatMap((b) => [...uleb(b.length), ...b])]),
  ]);
}

let compiled: WasmModule | null | undefined;
let enabled = true;

/** Turns the WebAssembly loops off (or back on) for kernels prepared afterwards; for tests. */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

/**
 * A fresh instance (its own memory, grown to `bytes`) for one prepared op, or undefined when
 * WebAssembly SIMD is unavailable or turned off. The module is compiled once per process.
 */
export function instantiateSimdKernels(bytes: number): SimdKernels | undefined {
  if (!enabled) return undefined;
  if (compiled === undefined) {
    compiled = null;
    try {
      const wasm = typeof WebAssembly === 'object' ? moduleBytes() : undefined;
      if (wasm && WebAssembly.validate(wasm)) compiled = new WebAssembly.Module(wasm);
    } catch {
      compiled = null;
    }
  }
  if (compiled === null) return undefined;
  const instance = new WebAssembly.Instance(compiled, {});
  const exports = instance.exports as unknown as SimdKernels;
  const pages = Math.ceil(bytes / 65536);
  const have = exports.memory.buffer.byteLength / 65536;
  if (pages > have) exports.memory.grow(pages - have);
  return exports;
}

/** Rounds up to a multiple of 16 (v128 alignment for the regions of an instance's memory). */
export function align16(n: number): number {
  return (n + 15) & ~15;
}
