// Windows BMP reader for calibration images: uncompressed 1/4/8-bit palettized, 16, 24 and 32-bit,
// bottom-up and top-down, with BI_BITFIELDS masks for 16 and 32-bit. RLE and embedded JPEG/PNG
// are refused with a clear error. Output is always RGB; alpha is dropped (models take none).

import { DecodedImage, MAX_IMAGE_PIXELS } from './decodedImage';
import { InputFileError } from './inputFileError';

const BI_RGB = 0;
const BI_BITFIELDS = 3;
const BI_ALPHABITFIELDS = 6;
const COMPRESSION_NAMES: Record<number, string> = { 1: 'RLE8', 2: 'RLE4', 4: 'JPEG', 5: 'PNG' };

interface Header {
  width: number;
  height: number;
  topDown: boolean;
  bits: number;
  compression: number;
  dataOffset: number;
  paletteAt: number;
  paletteEntryBytes: number;
  paletteSize: number;
  masks: [number, number, number];
}

function readHeader(bytes: Uint8Array, view: DataView): Header {
  if (bytes.length < 26 || bytes[0] !== 0x42 || bytes[1] !== 0x4d) throw new InputFileError('not a BMP file (no "BM" signature)');
  const dataOffset = view.getUint32(10, true);
  const dibSize = view.getUint32(14, true);
  if (dibSize === 12) {
    // BITMAPCOREHEADER (OS/2 1.x): 16-bit sizes, 3-byte palette entries, always bottom-up.
    const bits = view.getUint16(24, true);
    return { width: view.getUint16(18, true), height: view.getUint16(20, true), topDown: false, bits, compression: BI_RGB, dataOffset, paletteAt: 26, paletteEntryBytes: 3, paletteSize: 0, masks: [0, 0, 0] };
  }
  if (dibSize < 40) throw new InputFileError(`BMP: unknown header size ${dibSize}`);
  if (bytes.length < 14 + 40) throw new InputFileError('BMP: truncated header');
  const rawHeight = view.getInt32(22, true);
  const compression = view.getUint32(30, true);
  const bitfields = compression === BI_BITFIELDS || compression === BI_ALPHABITFIELDS;
  // A 40-byte header is followed by the masks when they are used; later headers hold them inside.
  const maskBytes = dibSize === 40 && bitfields ? (compression === BI_ALPHABITFIELDS ? 16 : 12) : 0;
  let masks: [number, number, number] = [0, 0, 0];
  if (bitfields) {
    if (bytes.length < 66) throw new InputFileError('BMP: truncated colour masks');
    masks = [view.getUint32(54, true), view.getUint32(58, true), view.getUint32(62, true)];
  }
  return {
    width: view.getInt32(18, true),
    height: Math.abs(rawHeight),
    topDown: rawHeight < 0,
    bits: view.getUint16(28, true),
    compression,
    dataOffset,
    paletteAt: 14 + dibSize + maskBytes,
    paletteEntryBytes: 4,
    paletteSize: view.getUint32(46, true),
    masks,
  };
}

/** Shift and width of a contiguous colour mask, to scale its field to 0..255. */
function maskField(mask: number): { shift: number; max: number } {
  if (mask === 0) return { shift: 0, max: 0 };
  let shift = 0;
  while (((mask >>> shift) & 1) === 0) shift++;
  return { shift, max: mask >>> shift };
}

export function decodeBmp(bytes: Uint8Array): DecodedImage {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const h = readHeader(bytes, view);
  const { width, height, bits } = h;
  if (COMPRESSION_NAMES[h.compression]) throw new InputFileError(`BMP: ${COMPRESSION_NAMES[h.compression]}-compressed bitmaps are not supported (save uncompressed)`);
  if (h.compression !== BI_RGB && h.compression !== BI_BITFIELDS && h.compression !== BI_ALPHABITFIELDS) {
    throw new InputFileError(`BMP: unknown compression ${h.compression}`);
  }
  if (![1, 4, 8, 16, 24, 32].includes(bits)) throw new InputFileError(`BMP: ${bits} bits per pixel is not supported`);
  if (h.compression !== BI_RGB && bits !== 16 && bits !== 32) throw new InputFileError(`BMP: colour masks with ${bits} bits per pixel`);
  if (width <= 0 || height === 0) throw new InputFileError(`BMP: bad size ${width}x${height}`);
  if (width * height > MAX_IMAGE_PIXELS) throw new InputFileError(`BMP: ${width}x${height} is too large`);

  const stride = Math.floor((width * bits + 31) / 32) * 4;
  const needed = h.dataOffset + stride * (height - 1) + Math.ceil((width * bits) / 8);
  if (needed > bytes.length) throw new InputFileError(`BMP: truncated: the pixel data needs ${needed} bytes, the file has ${bytes.length}`);

  let palette: Uint8Array | undefined;
  if (bits <= 8) {
    // No declared count means a full palette, unless the pixel data starts before its end.
    const room = Math.floor((h.dataOffset - h.paletteAt) / h.paletteEntryBytes);
    const entries = Math.min(h.paletteSize || Math.min(room, 1 << bits), 1 << bits);
    if (entries <= 0) throw new InputFileError('BMP: palettized bitmap without a colour palette');
    const end = h.paletteAt + entries * h.paletteEntryBytes;
    if (end > bytes.length || end > h.dataOffset) throw new InputFileError('BMP: truncated colour palette');
    palette = new Uint8Array(entries * 3);
    for (let i = 0; i < entries; i++) {
      const p = h.paletteAt + i * h.paletteEntryBytes; // stored B, G, R
      palette.set([bytes[p + 2], bytes[p + 1], bytes[p]], i * 3);
    }
  }
  const defaultMasks: [number, number, number] = bits === 16 ? [0x7c00, 0x03e0, 0x001f] : [0xff0000, 0xff00, 0xff];
  const fields = (h.compression === BI_RGB ? defaultMasks : h.masks).map(maskField);

  const out = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const row = h.dataOffset + (h.topDown ? y : height - 1 - y) * stride;
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      if (palette) {
        const perByte = 8 / bits;
        const byte = bytes[row + Math.floor(x / perByte)];
        const index = (byte >> (8 - bits * ((x % perByte) + 1))) & ((1 << bits) - 1);
        if (index * 3 >= palette.length) throw new InputFileError(`BMP: pixel (${x}, ${y}) uses colour ${index} of a ${palette.length / 3}-colour palette`);
        out.set(palette.subarray(index * 3, index * 3 + 3), o);
      } else if (bits === 24) {
        const p = row + x * 3;
        out[o] = bytes[p + 2];
        out[o + 1] = bytes[p + 1];
        out[o + 2] = bytes[p];
      } else {
        const value = bits === 16 ? view.getUint16(row + x * 2, true) : view.getUint32(row + x * 4, true);
        for (let c = 0; c < 3; c++) {
          const { shift, max } = fields[c];
          out[o + c] = max === 0 ? 0 : Math.round((((value >>> shift) & max) * 255) / max);
        }
      }
    }
  }
  return { width, height, channels: 3, maxValue: 255, data: out };
}
