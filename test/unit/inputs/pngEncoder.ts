// A small PNG writer for tests, from the specification: samples packed per bit depth, Adam7 passes,
// each row filtered with a chosen filter type, zlib from node:zlib, CRC from zlib.crc32 — so the
// decoder is checked against code it shares nothing with.

import { crc32, deflateSync } from 'node:zlib';

export interface PngSpec {
  width: number;
  height: number;
  colorType: 0 | 2 | 3 | 4 | 6;
  depth: 1 | 2 | 4 | 8 | 16;
  /** Stored samples, row 0 at the top, interleaved (one palette index per pixel for type 3). */
  samples: ArrayLike<number>;
  /** RGB entries for colour type 3. */
  palette?: readonly (readonly number[])[];
  interlace?: boolean;
  /** Filter type of the n-th row written; default: n % 5, so every filter occurs. */
  filterOf?: (n: number) => number;
  /** Split the zlib stream over this many IDAT chunks. */
  idatChunks?: number;
}

const SAMPLES_PER_PIXEL = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as const;
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  const typeAndData = new Uint8Array(4 + data.length);
  typeAndData.set([...type].map((c) => c.charCodeAt(0)));
  typeAndData.set(data, 4);
  out.set(typeAndData, 4);
  v.setUint32(8 + data.length, crc32(typeAndData));
  return out;
}

function packRow(samples: number[], depth: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((samples.length * depth) / 8));
  samples.forEach((s, i) => {
    if (depth === 16) out.set([s >> 8, s & 0xff], 2 * i);
    else if (depth === 8) out[i] = s;
    else out[Math.floor((i * depth) / 8)] |= s << (8 - depth - ((i * depth) % 8));
  });
  return out;
}

function predictor(type: number, a: number, b: number, c: number): number {
  if (type === 1) return a;
  if (type === 2) return b;
  if (type === 3) return Math.floor((a + b) / 2);
  if (type === 4) {
    const p = a + b - c;
    const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
    return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
  }
  return 0;
}

export function encodePng(spec: PngSpec): Uint8Array {
  const spp = SAMPLES_PER_PIXEL[spec.colorType];
  const bpp = Math.max(1, (spp * spec.depth) / 8);
  const filterOf = spec.filterOf ?? ((n: number) => n % 5);
  const passes = spec.interlace ? ADAM7 : [[0, 0, 1, 1]];
  const rows: number[] = [];
  let n = 0;
  for (const [x0, y0, dx, dy] of passes) {
    let prev: Uint8Array | undefined;
    for (let y = y0; y < spec.height; y += dy) {
      const samples: number[] = [];
      for (let x = x0; x < spec.width; x += dx) for (let s = 0; s < spp; s++) samples.push(spec.samples[(y * spec.width + x) * spp + s]);
      if (samples.length === 0) break;
      const raw = packRow(samples, spec.depth);
      const up = prev ?? new Uint8Array(raw.length);
      const type = filterOf(n++);
      rows.push(type);
      raw.forEach((byte, i) => rows.push((byte - predictor(type, i >= bpp ? raw[i - bpp] : 0, up[i], i >= bpp ? up[i - bpp] : 0)) & 0xff));
      prev = raw;
    }
  }
  const compressed = deflateSync(Uint8Array.from(rows));
  const header = new Uint8Array(13);
  const hv = new DataView(header.buffer);
  hv.setUint32(0, spec.width);
  hv.setUint32(4, spec.height);
  header.set([spec.depth, spec.colorType, 0, 0, spec.interlace ? 1 : 0], 8);
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header)];
  if (spec.palette) parts.push(chunk('PLTE', Uint8Array.from(spec.palette.flat())));
  parts.push(chunk('tEXt', new TextEncoder().encode('Comment\0test image')));
  const pieces = spec.idatChunks ?? 1;
  const size = Math.ceil(compressed.length / pieces);
  for (let i = 0; i < pieces; i++) parts.push(chunk('IDAT', compressed.subarray(i * size, (i + 1) * size)));
  parts.push(chunk('IEND', new Uint8Array(0)));
  const out = new Uint8Array(parts.reduce((m, p) => m + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
