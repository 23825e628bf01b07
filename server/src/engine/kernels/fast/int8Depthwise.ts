// int8 DEPTHWISE_CONV_2D on WebAssembly SIMD (#4 item 5), byte for byte TFLM's reference
// DepthwiseConvPerChannel: channels are the lanes (8 per block). For each output row, eval copies
// the input rows it covers into the op's WebAssembly memory (each input channel repeated
// `depthMultiplier` times when that is not 1), sums the row in a few calls (border pixels one by
// one over only the taps inside the input, as the reference skips the others, the interior in
// one run), requantizes it there and copies its int8 bytes out.

import type { Eval } from '../kernel';
import type { GemmGeometry } from './int8Gemm';
import { requantTableBytes, writeRequantTable } from './requantize';
import { align16, instantiateSimdKernels } from './wasmSimd';

export interface Int8DepthwiseParams {
  x: Int8Array;
  /** 1HWC filter. */
  w: Int8Array;
  bias: Int32Array | undefined;
  y: Int8Array;
  depthMultiplier: number;
  inputOffset: number;
  outputOffset: number;
  multipliers: Int32Array;
  shifts: Int32Array;
  min: number;
  max: number;
}

/** The Eval, or undefined when WebAssembly SIMD is unavailable (the caller keeps its own loops). */
export function prepareInt8Depthwise(g: GemmGeometry, p: Int8DepthwiseParams): Eval | undefined {
  const { batches, inH, inW, inC, outH, outW, outC, fH, fW, strideH, strideW, dilH, dilW, padH, padW, rows, cols } = g;
  const m = p.depthMultiplier;
  const cBlocks = (outC + 7) >> 3;
  const cPad = cBlocks * 8;
  // Bytes per input pixel in the module's copy: the tensor's own with multiplier 1 (the last
  // block's extra lanes read the next pixel and are never stored), else one per output channel.
  const cs = m === 1 ? inC : outC;
  const wBytes = fH * fW * cPad * 2;
  const xOff = align16(wBytes);
  const xBytes = batches * inH * inW * cs;
  const accOff = align16(xOff + xBytes + 16);
  const tableOff = align16(accOff + outW * cPad * 4);
  const outOff = align16(tableOff + requantTableBytes(outC));
  const simd = instantiateSimdKernels(outOff + outW * outC);
  if (!simd) return undefined;

  const heap = simd.memory.buffer;
  const w16 = new Int16Array(heap, 0, wBytes >> 1);
  for (let t = 0; t < fH * fW; t++) for (let c = 0; c < outC; c++) w16[t * cPad + c] = p.w[t * outC + c];
  const xm = new Int8Array(heap, xOff, xBytes);
  if (!writeRequantTable(new Int32Array(heap, tableOff, outC * 4), p.bias, p.multipliers, p.shifts)) return undefined;
  const outRow = new Int8Array(heap, outOff, outW * outC);
  const { x, y, inputOffset, outputOffset, min, max } = p;
  // Each output row re-reads the input rows its windows cover, from the arena, just before it
  // is computed, and goes out right after: reads and writes interleave as in the reference, so a
  // memory plan that overlapped live tensors would still show. (Views made here: eval allocates
  // nothing.)
  const firstRow = new Int32Array(outH);
  const lastRow = new Int32Array(outH);
  const inRows: Int8Array[] = [];
  const rowBytes = inW * inC;
  for (let n = 0; n < batches; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * strideH - padH + dilH * rows.start[oy];
      const y1 = rows.end[oy] > rows.start[oy] ? oy * strideH - padH + dilH * (rows.end[oy] - 1) + 1 : y0;
      firstRow[oy] = y0;
      lastRow[oy] = y1;
      inRows.push(x.subarray((n * inH + y0) * rowBytes, (n * inH + y1) * rowBytes));
    }
  }

  // The interior columns [colA, colB) see every filter column; the rest are borders.
  let colA = 0;
  while (colA < outW && !(cols.start[colA] === 0 && cols.end[colA] === fW)) colA++;
  let colB = colA;
  while (colB < outW && cols.start[colB] === 0 && cols.end[colB] === fW) colB++;
  const rowStride = dilH * inW * cs;
  const tapStride = dilW * cs;
  const wRowStride = fW * cPad * 2;

  /** Sums output pixels [ox0, ox1) of one row (their windows share the row's filter rows). */
  const sumRun = (n: number, oy: number, ox0: number, ox1: number, fx0: number, fx1: number): void => {
    const fy0 = rows.start[oy];
    const xStart = ((n * inH + oy * strideH - padH + dilH * fy0) * inW + ox0 * strideW - padW + dilW * fx0) * cs;
    simd.dw(
      xOff + xStart, (fy0 * fW + fx0) * cPad * 2, accOff + ox0 * cPad * 4, ox1 - ox0, strideW * cs,
      rows.end[oy] - fy0, fx1 - fx0, rowStride, tapStride, cBlocks, wRowStride, inputOffset,
    );
  };

  return () => {
    let out = 0;
    for (let n = 0, r = 0; n < batches; n++) {
      for (let oy = 0; oy < outH; oy++, r++) {
        if (m === 1) {
          xm.set(inRows[r], (n * inH + firstRow[oy]) * rowBytes);
        } else {
          const q1 = (n * inH + lastRow[oy]) * inW;
          for (let q = (n * inH + firstRow[oy]) * inW, d = q * cs; q < q1; q++) {
            for (let ic = 0, s = q * inC; ic < inC; ic++, s++) {
              const v = x[s];
              for (let k = 0; k < m; k++) xm[d++] = v;
            }
          }
        }
        for (let ox = 0; ox < colA; ox++) sumRun(n, oy, ox, ox + 1, cols.start[ox], cols.end[ox]);
        if (colB > colA) sumRun(n, oy, colA, colB, 0, fW);
        for (let ox = colB; ox < outW; ox++) sumRun(n, oy, ox, ox + 1, cols.start[ox], cols.end[ox]);
        simd.requant(accOff, 4 * cPad * 4, cPad * 4, 32, outW, outC, outOff, tableOff, outputOffset, min, max);
        y.set(outRow, out);
        out += outW * outC;
      }
    }
  };
}
