// UF2 blocks checked field by field against the spec (github.com/microsoft/uf2 README):
// magic 0x0A324655 "UF2\n", 0x9E5D5157, flags with 0x2000 = familyID present, target address,
// payload size 256, block number, block count, family id, 476 data bytes, magic 0x0AB16F30.

import assert from 'node:assert/strict';
import { binToUf2, familyForMcu, parseIntelHex, parseUf2, toUf2, UF2_FAMILIES } from '../../../../client/src/device/flash/uf2Format';

const hex = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('hex');

describe('flash/uf2Format', () => {
  it('lays out a 300-byte RP2040 binary as two 512-byte blocks, byte for byte', () => {
    const bin = new Uint8Array(300).map((_, i) => i & 0xff);
    const uf2 = binToUf2(bin, 0x10000000, 0xe48bff56);
    assert.equal(uf2.length, 1024);
    // Block 0, little-endian words.
    assert.equal(hex(uf2, 0, 4), '5546320a'); // "UF2\n"
    assert.equal(Buffer.from(uf2.subarray(0, 4)).toString('latin1'), 'UF2\n');
    assert.equal(hex(uf2, 4, 8), '57515d9e');
    assert.equal(hex(uf2, 8, 12), '00200000'); // flags: familyID present
    assert.equal(hex(uf2, 12, 16), '00000010'); // 0x10000000
    assert.equal(hex(uf2, 16, 20), '00010000'); // 256
    assert.equal(hex(uf2, 20, 24), '00000000'); // block 0
    assert.equal(hex(uf2, 24, 28), '02000000'); // of 2
    assert.equal(hex(uf2, 28, 32), '56ff8be4'); // 0xe48bff56
    assert.equal(uf2[32], 0);
    assert.equal(uf2[32 + 255], 255);
    assert.ok(uf2.subarray(288, 508).every((b) => b === 0), 'padding after the payload is zero');
    assert.equal(hex(uf2, 508, 512), '306fb10a');
    // Block 1: the remaining 44 bytes at 0x10000100, the rest of the page erased (0xff).
    assert.equal(hex(uf2, 512 + 12, 512 + 16), '00010010');
    assert.equal(hex(uf2, 512 + 20, 512 + 28), '0100000002000000');
    assert.equal(uf2[512 + 32], 0); // byte 256 of the input is 0x00 (256 & 0xff)
    assert.equal(uf2[512 + 32 + 43], 43);
    assert.ok(uf2.subarray(512 + 32 + 44, 512 + 32 + 256).every((b) => b === 0xff));
    assert.equal(hex(uf2, 1020, 1024), '306fb10a');
  });

  it('round-trips through the parser with the family ids of the spec', () => {
    for (const [family, id] of [
      ['RP2040', 0xe48bff56],
      ['RP2350_ARM_S', 0xe48bff59],
      ['NRF52840', 0xada52840],
    ] as const) {
      assert.equal(UF2_FAMILIES[family], id);
      const blocks = parseUf2(binToUf2(new Uint8Array(600).fill(7), 0x27000, id));
      assert.deepEqual(blocks.map((b) => [b.blockNo, b.numBlocks, b.targetAddr, b.familyOrSize, b.flags, b.payloadSize]), [
        [0, 3, 0x27000, id, 0x2000, 256],
        [1, 3, 0x27100, id, 0x2000, 256],
        [2, 3, 0x27200, id, 0x2000, 256],
      ]);
    }
    assert.equal(familyForMcu('RP2040'), 0xe48bff56);
    assert.equal(familyForMcu('RP2350A'), 0xe48bff59);
    assert.equal(familyForMcu('nRF52840'), 0xada52840);
    assert.throws(() => parseUf2(new Uint8Array(512)), /magic/);
  });

  it('reads Intel HEX (extended linear address, checksums) into segments and converts them', () => {
    // Checksums by hand: 0x100 - (sum of the record's bytes & 0xff).
    //   :02 0000 04 1000 EA   upper address 0x1000 (02+00+00+04+10+00 = 0x16 -> 0xEA)
    //   :04 0000 00 01020304 F2   (0x0E -> 0xF2)
    //   :02 0100 00 AABB 98       (0x168 -> 0x68 -> 0x98)
    const text = ':020000041000EA\n:0400000001020304F2\r\n:02010000AABB98\n:00000001FF\n';
    const segs = parseIntelHex(text);
    assert.deepEqual(segs.map((s) => [s.address, [...s.data]]), [
      [0x10000000, [1, 2, 3, 4]],
      [0x10000100, [0xaa, 0xbb]],
    ]);
    const blocks = parseUf2(toUf2(segs, 0xe48bff56));
    assert.deepEqual(blocks.map((b) => [b.targetAddr, b.blockNo, b.numBlocks]), [
      [0x10000000, 0, 2],
      [0x10000100, 1, 2],
    ]);
    assert.deepEqual([...blocks[0].data.subarray(0, 5)], [1, 2, 3, 4, 0xff]);
    assert.throws(() => parseIntelHex(':0400000001020304F3'), /checksum/);
  });
});
