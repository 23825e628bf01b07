// The UF2 file format (https://github.com/microsoft/uf2): 512-byte blocks, each carrying 256
// bytes of payload for one target address, with the family id flag so a bootloader rejects
// firmware for another chip. Also reads Intel HEX, so .hex files can be converted.

export const UF2_MAGIC_START0 = 0x0a324655; // "UF2\n"
export const UF2_MAGIC_START1 = 0x9e5d5157;
export const UF2_MAGIC_END = 0x0ab16f30;
export const UF2_FLAG_NOT_MAIN_FLASH = 0x00000001;
export const UF2_FLAG_FAMILY_ID_PRESENT = 0x00002000;
export const UF2_BLOCK_SIZE = 512;
export const UF2_PAYLOAD_SIZE = 256;

/** Family ids from uf2families.json for the chips in boards.json (and close relatives). */
export const UF2_FAMILIES: Record<string, number> = {
  RP2040: 0xe48bff56,
  RP2350_ARM_S: 0xe48bff59,
  RP2350_RISCV: 0xe48bff5a,
  RP2350_ARM_NS: 0xe48bff5b,
  NRF52840: 0xada52840,
  NRF52833: 0x621e937a,
  NRF52: 0x1b57745f,
  STM32L4: 0x00ff6919,
  STM32F7: 0x53b80f00,
  STM32H7: 0x6db66082,
  STM32F4: 0x57755a57,
  ESP32: 0x1c5f21b0,
  ESP32S2: 0xbfdd4eee,
  ESP32S3: 0xc47e5767,
  ESP32C3: 0xd42ba06c,
  SAMD21: 0x68ed2b88,
  SAMD51: 0x55114460,
};

/** Family id for an MCU name from boards.json, or undefined. */
export function familyForMcu(mcu: string): number | undefined {
  const m = mcu.toUpperCase();
  if (m.startsWith('RP2040')) return UF2_FAMILIES.RP2040;
  if (m.startsWith('RP2350')) return UF2_FAMILIES.RP2350_ARM_S;
  if (m.startsWith('NRF52840')) return UF2_FAMILIES.NRF52840;
  if (m.startsWith('NRF52833')) return UF2_FAMILIES.NRF52833;
  if (m.startsWith('STM32L4')) return UF2_FAMILIES.STM32L4;
  if (m.startsWith('STM32F7')) return UF2_FAMILIES.STM32F7;
  if (m.startsWith('STM32H7')) return UF2_FAMILIES.STM32H7;
  if (m.startsWith('ESP32-S3')) return UF2_FAMILIES.ESP32S3;
  if (m.startsWith('ESP32-C3')) return UF2_FAMILIES.ESP32C3;
  if (m.startsWith('ESP32-S2')) return UF2_FAMILIES.ESP32S2;
  return undefined;
}

/**
 * Where a raw .bin goes when nothing says otherwise: the XIP flash of the RP chips; the
 * application start after the Adafruit nRF52 bootloader's S140 v7 SoftDevice (0x27000, as
 * used by the Seeed XIAO nRF52840 and Adafruit Feather boards).
 */
export function defaultBaseForMcu(mcu: string): number | undefined {
  const m = mcu.toUpperCase();
  if (m.startsWith('RP2040') || m.startsWith('RP2350')) return 0x10000000;
  if (m.startsWith('NRF52840')) return 0x27000;
  return undefined;
}

export interface Segment {
  address: number;
  data: Uint8Array;
}

export interface Uf2Block {
  flags: number;
  targetAddr: number;
  payloadSize: number;
  blockNo: number;
  numBlocks: number;
  /** familyID when the flag is set, otherwise the file size (or 0). */
  familyOrSize: number;
  data: Uint8Array;
}

/**
 * Converts memory segments to UF2: one block per 256-byte-aligned page that holds data, in
 * address order. Bytes of a page that no segment covers are 0xff, the erased-flash value, so a
 * partly filled page leaves its neighbours' bytes unprogrammed (uf2conv.py pads with 0x00).
 */
export function toUf2(segments: readonly Segment[], familyId: number): Uint8Array {
  const pages = new Map<number, Uint8Array>();
  for (const seg of segments) {
    for (let i = 0; i < seg.data.length; i++) {
      const addr = seg.address + i;
      const page = addr - (addr % UF2_PAYLOAD_SIZE);
      let buf = pages.get(page);
      if (!buf) {
        buf = new Uint8Array(UF2_PAYLOAD_SIZE).fill(0xff);
        pages.set(page, buf);
      }
      buf[addr - page] = seg.data[i];
    }
  }
  const addrs = [...pages.keys()].sort((a, b) => a - b);
  const out = new Uint8Array(addrs.length * UF2_BLOCK_SIZE);
  const view = new DataView(out.buffer);
  addrs.forEach((addr, blockNo) => {
    const o = blockNo * UF2_BLOCK_SIZE;
    view.setUint32(o + 0, UF2_MAGIC_START0, true);
    view.setUint32(o + 4, UF2_MAGIC_START1, true);
    view.setUint32(o + 8, UF2_FLAG_FAMILY_ID_PRESENT, true);
    view.setUint32(o + 12, addr >>> 0, true);
    view.setUint32(o + 16, UF2_PAYLOAD_SIZE, true);
    view.setUint32(o + 20, blockNo, true);
    view.setUint32(o + 24, addrs.length, true);
    view.setUint32(o + 28, familyId >>> 0, true);
    out.set(pages.get(addr)!, o + 32);
    // Bytes 288..507 stay zero: the spec's padding.
    view.setUint32(o + 508, UF2_MAGIC_END, true);
  });
  return out;
}

/** Raw binary at `baseAddress`. */
export function binToUf2(bin: Uint8Array, baseAddress: number, familyId: number): Uint8Array {
  return toUf2([{ address: baseAddress, data: bin }], familyId);
}

export function parseUf2(bytes: Uint8Array): Uf2Block[] {
  if (bytes.length % UF2_BLOCK_SIZE !== 0) throw new Error(`UF2 size ${bytes.length} is not a multiple of 512`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const blocks: Uf2Block[] = [];
  for (let o = 0; o < bytes.length; o += UF2_BLOCK_SIZE) {
    if (view.getUint32(o, true) !== UF2_MAGIC_START0 || view.getUint32(o + 4, true) !== UF2_MAGIC_START1 || view.getUint32(o + 508, true) !== UF2_MAGIC_END) {
      throw new Error(`UF2 block at offset ${o} has bad magic numbers`);
    }
    const payloadSize = view.getUint32(o + 16, true);
    if (payloadSize > 476) throw new Error(`UF2 block at offset ${o} has payload size ${payloadSize}`);
    blocks.push({
      flags: view.getUint32(o + 8, true),
      targetAddr: view.getUint32(o + 12, true),
      payloadSize,
      blockNo: view.getUint32(o + 20, true),
      numBlocks: view.getUint32(o + 24, true),
      familyOrSize: view.getUint32(o + 28, true),
      data: bytes.slice(o + 32, o + 32 + payloadSize),
    });
  }
  return blocks;
}

/** Intel HEX (record types 00, 01, 02, 04; 03/05 start addresses are ignored) to segments. */
export function parseIntelHex(text: string): Segment[] {
  const bytesAt = new Map<number, number>();
  let upper = 0;
  let lineNo = 0;
  for (const raw of text.split(/\r?\n/)) {
    lineNo++;
    const line = raw.trim();
    if (line.length === 0) continue;
    if (!/^:(?:[0-9a-fA-F]{2})+$/.test(line)) throw new Error(`hex line ${lineNo}: not an Intel HEX record`);
    const rec = Buffer.from(line.slice(1), 'hex');
    const len = rec[0];
    if (rec.length !== len + 5) throw new Error(`hex line ${lineNo}: length ${len} does not match the record`);
    let sum = 0;
    for (const b of rec) sum = (sum + b) & 0xff;
    if (sum !== 0) throw new Error(`hex line ${lineNo}: bad checksum`);
    const offset = (rec[1] << 8) | rec[2];
    const type = rec[3];
    const data = rec.subarray(4, 4 + len);
    if (type === 0x00) data.forEach((b, i) => bytesAt.set(upper + offset + i, b));
    else if (type === 0x01) break;
    else if (type === 0x02) upper = ((data[0] << 8) | data[1]) * 16;
    else if (type === 0x04) upper = ((data[0] << 8) | data[1]) * 0x10000;
  }
  const addrs = [...bytesAt.keys()].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let start = 0;
  for (let i = 1; i <= addrs.length; i++) {
    if (i === addrs.length || addrs[i] !== addrs[i - 1] + 1) {
      const address = addrs[start];
      const data = new Uint8Array(i - start);
      for (let j = start; j < i; j++) data[j - start] = bytesAt.get(addrs[j])!;
      segments.push({ address, data });
      start = i;
    }
  }
  return segments;
}
