// A small BMP writer for tests, from the format's description: file header, one of three DIB
// headers, optional colour masks and palette, rows padded to 4 bytes.

export interface BmpSpec {
  width: number;
  height: number;
  bits: 1 | 4 | 8 | 16 | 24 | 32;
  /** 'core' is the 12-byte OS/2 header (3-byte palette entries), 'info' 40 bytes, 'v4' 108 bytes. */
  header?: 'core' | 'info' | 'v4';
  topDown?: boolean;
  /** RGB entries for 1/4/8 bits. */
  palette?: readonly (readonly number[])[];
  /** BI_BITFIELDS red, green, blue masks for 16/32 bits. */
  masks?: readonly [number, number, number];
  /** Row 0 at the top: a palette index or packed 16/32-bit value, or [r, g, b] for 24 bits. */
  pixel: (x: number, y: number) => number | readonly number[];
}

export function encodeBmp(spec: BmpSpec): Uint8Array {
  const kind = spec.header ?? 'info';
  const dibSize = kind === 'core' ? 12 : kind === 'info' ? 40 : 108;
  const masksAfterHeader = kind === 'info' && spec.masks ? 12 : 0;
  const entryBytes = kind === 'core' ? 3 : 4;
  const paletteBytes = (spec.palette?.length ?? 0) * entryBytes;
  const dataOffset = 14 + dibSize + masksAfterHeader + paletteBytes;
  const stride = Math.ceil((spec.width * spec.bits) / 32) * 4;
  const out = new Uint8Array(dataOffset + stride * spec.height);
  const v = new DataView(out.buffer);
  out.set([0x42, 0x4d]);
  v.setUint32(2, out.length, true);
  v.setUint32(10, dataOffset, true);
  v.setUint32(14, dibSize, true);
  if (kind === 'core') {
    v.setUint16(18, spec.width, true);
    v.setUint16(20, spec.height, true);
    v.setUint16(22, 1, true);
    v.setUint16(24, spec.bits, true);
  } else {
    v.setInt32(18, spec.width, true);
    v.setInt32(22, spec.topDown ? -spec.height : spec.height, true);
    v.setUint16(26, 1, true);
    v.setUint16(28, spec.bits, true);
    v.setUint32(30, spec.masks ? 3 : 0, true);
    v.setUint32(34, stride * spec.height, true);
    v.setUint32(46, spec.palette?.length ?? 0, true);
    if (spec.masks) spec.masks.forEach((m, i) => v.setUint32(54 + 4 * i, m, true));
  }
  spec.palette?.forEach(([r, g, b], i) => out.set([b, g, r], 14 + dibSize + masksAfterHeader + i * entryBytes));
  for (let y = 0; y < spec.height; y++) {
    const row = dataOffset + (spec.topDown ? y : spec.height - 1 - y) * stride;
    for (let x = 0; x < spec.width; x++) {
      const p = spec.pixel(x, y);
      if (spec.bits === 24) {
        const [r, g, b] = p as number[];
        out.set([b, g, r], row + 3 * x);
      } else if (spec.bits === 32) v.setUint32(row + 4 * x, p as number, true);
      else if (spec.bits === 16) v.setUint16(row + 2 * x, p as number, true);
      else {
        const perByte = 8 / spec.bits;
        out[row + Math.floor(x / perByte)] |= (p as number) << (8 - spec.bits * ((x % perByte) + 1));
      }
    }
  }
  return out;
}
