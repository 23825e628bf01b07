// PNG reader for calibration images: every colour type and bit depth the specification allows,
// all five row filters, Adam7 interlacing, CRC checked on every chunk. Ancillary chunks (gamma,
// transparency, text) are ignored: models take the stored sample values.

import { inflateSync } from 'node:zlib';
import { crc32 } from './crc32';
import { DecodedImage, MAX_IMAGE_PIXELS } from './decodedImage';
import { InputFileError } from './inputFileError';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bit depths the specification allows per colour type. */
const DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const SAMPLES_PER_PIXEL: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
/** Adam7 passes: first column, first row, column step, row step. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
];
const KNOWN_CRITICAL = new Set(['IHDR', 'PLTE', 'IDAT', 'IEND']);

interface Header {
  width: number;
  height: number;
  depth: number;
  colorType: number;
  interlaced: boolean;
}

interface Chunks {
  header: Header;
  palette?: Uint8Array;
  idat: Uint8Array[];
}

function readChunks(bytes: Uint8Array): Chunks {
  if (bytes.length < 8 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new InputFileError('not a PNG file (bad signature)');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let header: Header | undefined;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  for (let at = 8; ; ) {
    if (at + 8 > bytes.length) throw new InputFileError('PNG: truncated (the file ends before the IEND chunk)');
    const length = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    const end = at + 12 + length;
    if (end > bytes.length) throw new InputFileError(`PNG: truncated in the ${type} chunk (${length} data bytes declared, ${Math.max(0, bytes.length - at - 12)} present)`);
    const stored = view.getUint32(end - 4);
    const computed = crc32(bytes.subarray(at + 4, end - 4));
    if (stored !== computed) {
      throw new InputFileError(`PNG: CRC mismatch in the ${type} chunk (stored 0x${stored.toString(16).padStart(8, '0')}, computed 0x${computed.toString(16).padStart(8, '0')}): the file is corrupt`);
    }
    const data = bytes.subarray(at + 8, end - 4);
    if (!header && type !== 'IHDR') throw new InputFileError(`PNG: the first chunk is ${type}, not IHDR`);
    if (type === 'IHDR') header = readHeader(data);
    else if (type === 'PLTE') {
      if (data.length % 3 !== 0 || data.length === 0) throw new InputFileError(`PNG: PLTE of ${data.length} bytes is not a list of RGB entries`);
      palette = data;
    }
    else if (type === 'IDAT') idat.push(data);
    else if (type === 'IEND') break;
    else if ((bytes[at + 4] & 0x20) === 0 && !KNOWN_CRITICAL.has(type)) throw new InputFileError(`PNG: unknown critical chunk ${type}`);
    at = end;
  }
  return { header: header!, palette, idat };
}

function readHeader(data: Uint8Array): Header {
  if (data.length !== 13) throw new InputFileError(`PNG: IHDR of ${data.length} bytes (13 expected)`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const header = { width: view.getUint32(0), height: view.getUint32(4), depth: data[8], colorType: data[9], interlaced: data[12] === 1 };
  if (!DEPTHS[header.colorType]) throw new InputFileError(`PNG: unknown colour type ${header.colorType}`);
  if (!DEPTHS[header.colorType].includes(header.depth)) throw new InputFileError(`PNG: bit depth ${header.depth} is not allowed for colour type ${header.colorType}`);
  if (data[10] !== 0 || data[11] !== 0 || data[12] > 1) throw new InputFileError('PNG: unknown compression, filter or interlace method');
  if (header.width === 0 || header.height === 0) throw new InputFileError(`PNG: bad size ${header.width}x${header.height}`);
  if (header.width * header.height > MAX_IMAGE_PIXELS) throw new InputFileError(`PNG: ${header.width}x${header.height} is too large`);
  return header;
}

interface Pass {
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  width: number;
  height: number;
}

function passesOf(h: Header): Pass[] {
  if (!h.interlaced) return [{ x0: 0, y0: 0, dx: 1, dy: 1, width: h.width, height: h.height }];
  return ADAM7.map(([x0, y0, dx, dy]) => ({ x0, y0, dx, dy, width: Math.ceil((h.width - x0) / dx), height: Math.ceil((h.height - y0) / dy) })).filter(
    (p) => p.width > 0 && p.height > 0,
  );
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Reverses the row filter in place; `prev` is the previous unfiltered row (zeros for the first). */
function unfilter(type: number, row: Uint8Array, prev: Uint8Array, bpp: number, rowIndex: number): void {
  for (let i = 0; i < row.length; i++) {
    const a = i >= bpp ? row[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    switch (type) {
      case 0:
        return;
      case 1:
        row[i] = row[i] + a;
        break;
      case 2:
        row[i] = row[i] + b;
        break;
      case 3:
        row[i] = row[i] + ((a + b) >> 1);
        break;
      case 4:
        row[i] = row[i] + paeth(a, b, c);
        break;
      default:
        throw new InputFileError(`PNG: unknown filter type ${type} on row ${rowIndex}`);
    }
  }
}

export function decodePng(bytes: Uint8Array): DecodedImage {
  const { header: h, palette, idat } = readChunks(bytes);
  if (h.colorType === 3 && !palette) throw new InputFileError('PNG: palette image without a PLTE chunk');
  if (idat.length === 0) throw new InputFileError('PNG: no IDAT chunk');

  const spp = SAMPLES_PER_PIXEL[h.colorType];
  const bitsPerPixel = spp * h.depth;
  const bpp = Math.max(1, bitsPerPixel >> 3);
  const passes = passesOf(h);
  const expected = passes.reduce((n, p) => n + p.height * (1 + Math.ceil((p.width * bitsPerPixel) / 8)), 0);
  let raw: Uint8Array;
  try {
    raw = inflateSync(concat(idat), { maxOutputLength: expected + 4096 });
  } catch (error) {
    throw new InputFileError(`PNG: corrupt image data (${(error as Error).message})`);
  }
  if (raw.length < expected) throw new InputFileError(`PNG: image data holds ${raw.length} bytes, ${h.width}x${h.height} needs ${expected}`);

  const channels = (h.colorType === 3 ? 3 : spp) as DecodedImage['channels'];
  const data = h.depth === 16 ? new Uint16Array(h.width * h.height * channels) : new Uint8Array(h.width * h.height * channels);
  const paletteEntries = palette ? palette.length / 3 : 0;
  // Gray below 8 bits is scaled to 0..255 as the specification's sample scaling says.
  const lowDepthScale = h.colorType === 0 && h.depth < 8 ? 255 / ((1 << h.depth) - 1) : 1;
  let at = 0;
  for (const pass of passes) {
    const rowBytes = Math.ceil((pass.width * bitsPerPixel) / 8);
    let prev = new Uint8Array(rowBytes);
    for (let py = 0; py < pass.height; py++) {
      const row = raw.slice(at + 1, at + 1 + rowBytes);
      unfilter(raw[at], row, prev, bpp, py);
      at += 1 + rowBytes;
      prev = row;
      const y = pass.y0 + py * pass.dy;
      for (let px = 0; px < pass.width; px++) {
        const o = (y * h.width + pass.x0 + px * pass.dx) * channels;
        if (h.colorType === 3) {
          const index = sampleAt(row, px, h.depth);
          if (index >= paletteEntries) throw new InputFileError(`PNG: pixel uses colour ${index} of a ${paletteEntries}-colour palette`);
          data.set(palette!.subarray(index * 3, index * 3 + 3), o);
        } else {
          for (let s = 0; s < spp; s++) data[o + s] = sampleAt(row, px * spp + s, h.depth) * lowDepthScale;
        }
      }
    }
  }
  return { width: h.width, height: h.height, channels, maxValue: h.depth === 16 ? 65535 : 255, data };
}

/** The n-th sample of an unfiltered row: big-endian for 16 bits, most significant bits first below 8. */
function sampleAt(row: Uint8Array, n: number, depth: number): number {
  if (depth === 8) return row[n];
  if (depth === 16) return (row[2 * n] << 8) | row[2 * n + 1];
  const perByte = 8 / depth;
  const shift = 8 - depth * ((n % perByte) + 1);
  return (row[Math.floor(n / perByte)] >> shift) & ((1 << depth) - 1);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
