import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { decodeBmp } from '../../../server/src/inputs/bmp';
import { InputFileError } from '../../../server/src/inputs/inputFileError';
import { encodeBmp } from './bmpEncoder';
import { colourTestImage, rgbAt, sharedBmpBytes } from './sharedImages';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('decodeBmp', () => {
  // Reference: the files read with python3's struct module (8-bit palettized, BITMAPV5HEADER,
  // bottom-up, gray palette), each pixel's palette RGB written top row first; its sha256 and
  // a few pixels (x, y) -> gray value.
  const references = {
    'person_96x96.bmp': {
      sha256: '639af530cc870634cf4ffcee8b9acd5acb8b6c2bf684996be4b5e4198d2a13ad',
      pixels: [[0, 0, 33], [95, 0, 111], [0, 95, 45], [95, 95, 12], [48, 48, 186], [10, 70, 13], [47, 31, 119]],
    },
    'no_person_96x96.bmp': {
      sha256: '788648e4dbdf69fc862d9efc4c406dfbf9aecb225c75f162f13df53d03489fc6',
      pixels: [[0, 0, 249], [95, 0, 250], [0, 95, 67], [95, 95, 140], [48, 48, 112], [10, 70, 67], [47, 31, 192]],
    },
  } as const;
  for (const [name, ref] of Object.entries(references)) {
    it(`decodes the shared ${name} to the pixels an independent reading gives`, () => {
      const image = decodeBmp(sharedBmpBytes(name as keyof typeof references));
      assert.equal(image.width, 96);
      assert.equal(image.height, 96);
      assert.equal(image.channels, 3);
      assert.equal(image.maxValue, 255);
      assert.equal(sha256(image.data as Uint8Array), ref.sha256);
      for (const [x, y, v] of ref.pixels) assert.deepEqual(rgbAt({ width: 96, height: 96, data: image.data as Uint8Array }, x, y), [v, v, v]);
    });
  }

  describe('re-encoded variants decode to the pixels they were written from', () => {
    const src = colourTestImage();
    // An odd crop exercises row padding and sub-byte packing ends.
    const w = 37;
    const h = 29;
    const at = (x: number, y: number) => rgbAt(src, x + 20, y + 30);
    const expectImage = (bytes: Uint8Array, expected: (x: number, y: number) => number[]) => {
      const image = decodeBmp(bytes);
      assert.equal(image.width, w);
      assert.equal(image.height, h);
      for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) assert.deepEqual(rgbAt({ width: w, height: h, data: image.data as Uint8Array }, x, y), expected(x, y), `pixel (${x}, ${y})`);
    };

    for (const topDown of [false, true]) {
      it(`24-bit, ${topDown ? 'top-down' : 'bottom-up'}`, () => expectImage(encodeBmp({ width: w, height: h, bits: 24, topDown, pixel: at }), at));
    }
    it('32-bit BI_RGB (the fourth byte ignored)', () => {
      const packed = (x: number, y: number) => {
        const [r, g, b] = at(x, y);
        return ((0x7f << 24) | (r << 16) | (g << 8) | b) >>> 0;
      };
      expectImage(encodeBmp({ width: w, height: h, bits: 32, pixel: packed }), at);
    });
    it('32-bit BI_BITFIELDS in R, G, B, A byte order (V4 header)', () => {
      const packed = (x: number, y: number) => {
        const [r, g, b] = at(x, y);
        return ((0xff << 24) | (b << 16) | (g << 8) | r) >>> 0;
      };
      expectImage(encodeBmp({ width: w, height: h, bits: 32, header: 'v4', masks: [0xff, 0xff00, 0xff0000], pixel: packed }), at);
    });
    it('16-bit BI_BITFIELDS 5-6-5, fields scaled to 0..255', () => {
      const packed = (x: number, y: number) => {
        const [r, g, b] = at(x, y);
        return ((r >> 3) << 11) | ((g >> 2) << 5) | (b >> 3);
      };
      const scaled = (x: number, y: number) => {
        const [r, g, b] = at(x, y);
        return [Math.round(((r >> 3) * 255) / 31), Math.round(((g >> 2) * 255) / 63), Math.round(((b >> 3) * 255) / 31)];
      };
      expectImage(encodeBmp({ width: w, height: h, bits: 16, masks: [0xf800, 0x07e0, 0x001f], pixel: packed }), scaled);
    });

    const palette256 = Array.from({ length: 256 }, (_, i) => [i, 255 - i, i >> 1]);
    const viaPalette = (palette: number[][], index: (x: number, y: number) => number) => (x: number, y: number) => palette[index(x, y)];
    it('8-bit palettized', () => {
      const index = (x: number, y: number) => at(x, y)[0];
      expectImage(encodeBmp({ width: w, height: h, bits: 8, palette: palette256, pixel: index }), viaPalette(palette256, index));
    });
    it('8-bit palettized with the 12-byte OS/2 header', () => {
      const index = (x: number, y: number) => at(x, y)[1];
      expectImage(encodeBmp({ width: w, height: h, bits: 8, header: 'core', palette: palette256, pixel: index }), viaPalette(palette256, index));
    });
    it('4-bit palettized, top-down', () => {
      const palette = palette256.filter((_, i) => i % 16 === 0);
      const index = (x: number, y: number) => at(x, y)[0] >> 4;
      expectImage(encodeBmp({ width: w, height: h, bits: 4, topDown: true, palette, pixel: index }), viaPalette(palette, index));
    });
    it('1-bit palettized', () => {
      const palette = [
        [10, 20, 30],
        [200, 210, 220],
      ];
      const index = (x: number, y: number) => (at(x, y)[0] >= 128 ? 1 : 0);
      expectImage(encodeBmp({ width: w, height: h, bits: 1, palette, pixel: index }), viaPalette(palette, index));
    });
  });

  describe('refuses bad files with a specific reason', () => {
    const fails = (bytes: Uint8Array, message: RegExp) => assert.throws(() => decodeBmp(bytes), (e: Error) => e instanceof InputFileError && message.test(e.message));
    const valid = () => encodeBmp({ width: 5, height: 3, bits: 24, pixel: () => [1, 2, 3] });

    it('no BM signature', () => fails(new TextEncoder().encode('PK\x03\x04 not a bitmap at all....'), /not a BMP file \(no "BM" signature\)/));
    it('truncated pixel data', () => fails(valid().subarray(0, 54 + 16 * 2 + 5), /truncated: the pixel data needs 101 bytes, the file has 91/));
    it('RLE compression', () => {
      const bytes = valid();
      bytes[30] = 1; // BI_RLE8
      fails(bytes, /RLE8-compressed bitmaps are not supported/);
    });
    it('a palette index beyond the palette', () => {
      const bytes = encodeBmp({ width: 4, height: 1, bits: 8, palette: [[0, 0, 0], [9, 9, 9]], pixel: (x) => x });
      fails(bytes, /pixel \(2, 0\) uses colour 2 of a 2-colour palette/);
    });
  });
});
