// int8 CONV_2D and FULLY_CONNECTED as a matrix product on WebAssembly SIMD (#4 item 5), byte for
// byte TFLM's reference ConvPerChannel / FullyConnected: prepare packs the filter (offset applied,
// int16, 8 channels per block) into the op's own WebAssembly memory; eval copies a tile of input
// windows there (input offset applied, padded taps 0 = the taps the reference skips), lets the
// module sum, add the bias and requantize per channel, and copies the tile's int8 bytes out.

import type { Eval } from '../kernel';
import { requantTableBytes, writeRequantTable } from './requantize';
import { align16, instantiateSimdKernels } from './wasmSimd';

/** A convolution's geometry as conv2d.ts prepares it; FULLY_CONNECTED is the 1x1 case. */
export interface GemmGeometry {
  batches: number;
  inH: number;
  inW: number;
  inC: number;
  outH: number;
  outW: number;
  outC: number;
  fH: number;
  fW: number;
  strideH: number;
  strideW: number;
  dilH: number;
  dilW: number;
  padH: number;
  padW: number;
  rows: { start: Int32Array; end: Int32Array };
  cols: { start: Int32Array; end: Int32Array };
}

export interface Int8GemmParams {
  x: Int8Array;
  /** OHWI filter (rows of fH * fW * inC). */
  w: Int8Array;
  bias: Int32Array | undefined;
  y: Int8Array;
  inputOffset: number;
  /** Added to every weight (FULLY_CONNECTED per-tensor: -filter zero point; 0 otherwise). */
  filterOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  min: number;
  max: number;
}

/** Bytes of input windows per tile: small enough to stay in the first cache levels. */
const TILE_BYTES = 48 * 1024;

/** The Eval, or undefined when WebAssembly SIMD is unavailable (the caller keeps its own loops). */
export function prepareInt8Gemm(g: GemmGeometry, p: Int8GemmParams): Eval | undefined {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, rows, cols } = g;
  const K = fH * fW * inC;
  const kPairs = (K + 1) >> 1;
  const nBlocks = (outC + 7) >> 3;
  const pixels = batches * outH * outW;
  const pixelsUp = (pixels + 3) & ~3;
  let tile = Math.max(4, Math.floor(TILE_BYTES / (kPairs * 4)) & ~3);
  if (tile > pixelsUp) tile = pixelsUp;
  const wBytes = nBlocks * kPairs * 32;
  const xOff = align16(wBytes);
  const accOff = align16(xOff + tile * kPairs * 4);
  const tableOff = align16(accOff + tile * nBlocks * 32);
  const outOff = align16(tableOff + requantTableBytes(outC));
  const simd = instantiateSimdKernels(outOff + tile * outC);
  if (!simd) return undefined;

  const heap = simd.memory.buffer;
  const w16 = new Int16Array(heap, 0, wBytes >> 1);
  const { w, filterOffset } = p;
  for (let n = 0; n < nBlocks * 8; n++) {
    for (let k = 0; k < kPairs * 2; k++) {
      const j = k >> 1;
      const slot = (((n >> 3) * kPairs + j) * 2 + ((n >> 2) & 1)) * 8 + (n & 3) * 2 + (k & 1);
      w16[slot] = n < outC && k < K ? w[n * K + k] + filterOffset : 0;
    }
  }
  const x16 = new Int16Array(heap, xOff, tile * kPairs * 2);
  const x32 = new Int32Array(heap, xOff, tile * kPairs);
  if (!writeRequantTable(new Int32Array(heap, tableOff, outC * 4), p.bias, p.multipliers, p.shifts)) return undefined;
  // Each tile's bytes go out before the next tile reads its input, as the reference interleaves
  // reads and writes: a memory plan that overlapped live tensors would still show.
  const tileOut: Int8Array[] = [];
  for (let start = 0; start < pixels; start += tile) tileOut.push(new Int8Array(heap, outOff, Math.min(tile, pixels - start) * outC));
  const { x, y, inputOffset, outputOffset, min, max } = p;

  // Per output pixel: where its window starts in the input, and whether every tap is inside.
  const origin = new Int32Array(pixels);
  const pixelRow = new Int32Array(pixels);
  const pixelCol = new Int32Array(pixels);
  const full = new Uint8Array(pixels);
  for (let n = 0, q = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      for (let ox = 0; ox < outW; ox++, q++) {
        origin[q] = ((n * inH + oy * strideH - padH) * inW + ox * strideW - padW) * inC;
        pixelRow[q] = oy;
        pixelCol[q] = ox;
        full[q] = rows.start[oy] === 0 && rows.end[oy] === fH && cols.start[ox] === 0 && cols.end[ox] === fW ? 1 : 0;
      }
    }
  }
  // A window row of fW taps is one contiguous input run without width dilation.
  const runTaps = dilW === 1 ? fW : 1;
  const runLength = runTaps * inC;
  const rowStride = dilH * inW * inC;
  const tapStride = dilW * inC;

  /** Input elements [src, src + length) to window positions [k, k + length) of column base16. */
  const copyRun = (src: number, base16: number, k: number, length: number): void => {
    if (((k | length) & 1) === 0) {
      let d = (base16 >> 1) + (k >> 1) * 4;
      for (let i = 0; i < length; i += 2, d += 4) {
        x32[d] = ((x[src + i] + inputOffset) & 0xffff) | ((x[src + i + 1] + inputOffset) << 16);
      }
      return;
    }
    for (let i = 0; i < length; i++, k++) x16[base16 + ((k >> 1) << 3) + (k & 1)] = x[src + i] + inputOffset;
  };

  return () => {
    for (let start = 0; start < pixels; start += tile) {
      const count = pixels - start < tile ? pixels - start : tile;
      for (let t = 0; t < count; t++) {
        const q = start + t;
        const base16 = ((t >> 2) * kPairs * 4 + (t & 3)) * 2;
        const o = origin[q];
        if (full[q] === 1) {
          for (let fy = 0, k = 0; fy < fH; fy++) {
            const rowSrc = o + fy * rowStride;
            for (let fx = 0; fx < fW; fx += runTaps, k += runLength) copyRun(rowSrc + fx * tapStride, base16, k, runLength);
          }
          continue;
        }
        for (let j = 0, d = base16 >> 1; j < kPairs; j++, d += 4) x32[d] = 0;
        const oy = pixelRow[q];
        const ox = pixelCol[q];
        const fx0 = cols.start[ox];
        const fx1 = cols.end[ox];
        for (let fy = rows.start[oy]; fy < rows.end[oy]; fy++) {
          const rowSrc = o + fy * rowStride;
          for (let fx = fx0; fx < fx1; fx++) copyRun(rowSrc + fx * tapStride, base16, (fy * fW + fx) * inC, inC);
        }
      }
      simd.gemm(xOff, 0, accOff, (count + 3) >> 2, kPairs, nBlocks);
      simd.requant(accOff, nBlocks * 128, 32, 128, count, outC, outOff, tableOff, outputOffset, min, max);
      y.set(tileOut[start / tile], start * outC);
    }
  };
}
