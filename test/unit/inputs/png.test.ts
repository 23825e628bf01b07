import assert from 'node:assert/strict';
import { decodePng } from '../../../server/src/inputs/png';
import { InputFileError } from '../../../server/src/inputs/inputFileError';
import { encodePng, PngSpec } from './pngEncoder';
import { colourTestImage, rgbAt } from './sharedImages';

interface Case {
  name: string;
  colorType: PngSpec['colorType'];
  depth: PngSpec['depth'];
  /** Stored samples of one pixel from its RGB. */
  stored: (rgb: number[]) => number[];
  /** What the decoder must return for that pixel. */
  decoded: (rgb: number[]) => number[];
  palette?: number[][];
}

const palette = (n: number) => Array.from({ length: n }, (_, i) => [i, 255 - i, i >> 1]);
const lowGray = (d: number): Case => ({
  name: `gray ${d}-bit (scaled to 0..255)`,
  colorType: 0,
  depth: d as PngSpec['depth'],
  stored: ([r]) => [r >> (8 - d)],
  decoded: ([r]) => [((r >> (8 - d)) * 255) / ((1 << d) - 1)],
});
const lowPalette = (d: number): Case => ({
  name: `palette ${d}-bit`,
  colorType: 3,
  depth: d as PngSpec['depth'],
  palette: palette(1 << d),
  stored: ([r]) => [r >> (8 - d)],
  decoded: ([r]) => palette(1 << d)[r >> (8 - d)],
});

const CASES: Case[] = [
  { name: 'gray 8-bit', colorType: 0, depth: 8, stored: ([r]) => [r], decoded: ([r]) => [r] },
  { name: 'gray 16-bit', colorType: 0, depth: 16, stored: ([r, g]) => [(r << 8) | g], decoded: ([r, g]) => [(r << 8) | g] },
  lowGray(1),
  lowGray(2),
  lowGray(4),
  { name: 'RGB 8-bit', colorType: 2, depth: 8, stored: (p) => p, decoded: (p) => p },
  {
    name: 'RGB 16-bit',
    colorType: 2,
    depth: 16,
    stored: ([r, g, b]) => [(r << 8) | g, (g << 8) | b, (b << 8) | r],
    decoded: ([r, g, b]) => [(r << 8) | g, (g << 8) | b, (b << 8) | r],
  },
  { name: 'palette 8-bit', colorType: 3, depth: 8, palette: palette(256), stored: ([r]) => [r], decoded: ([r]) => palette(256)[r] },
  lowPalette(1),
  lowPalette(2),
  lowPalette(4),
  { name: 'gray + alpha 8-bit', colorType: 4, depth: 8, stored: ([r, g]) => [r, g], decoded: ([r, g]) => [r, g] },
  { name: 'gray + alpha 16-bit', colorType: 4, depth: 16, stored: ([r, , b]) => [(r << 8) | b, 65535 - b], decoded: ([r, , b]) => [(r << 8) | b, 65535 - b] },
  { name: 'RGBA 8-bit', colorType: 6, depth: 8, stored: ([r, g, b]) => [r, g, b, (r + g) & 255], decoded: ([r, g, b]) => [r, g, b, (r + g) & 255] },
  {
    name: 'RGBA 16-bit',
    colorType: 6,
    depth: 16,
    stored: ([r, g, b]) => [r * 257, (g << 8) | r, b * 3, 65535 - r],
    decoded: ([r, g, b]) => [r * 257, (g << 8) | r, b * 3, 65535 - r],
  },
];

describe('decodePng', () => {
  const source = colourTestImage();
  // Non-interlaced: the whole 96x96 image. Interlaced: an odd 37x29 crop, so that some Adam7
  // passes are narrow and rows end inside a byte.
  const layouts = [
    { interlace: false, width: 96, height: 96, x0: 0, y0: 0 },
    { interlace: true, width: 37, height: 29, x0: 20, y0: 30 },
  ];
  for (const c of CASES) {
    for (const l of layouts) {
      it(`${c.name}${l.interlace ? ', Adam7 interlaced' : ''}: every filter type, the source pixels back`, () => {
        const stored: number[] = [];
        const expected: number[] = [];
        for (let y = 0; y < l.height; y++) {
          for (let x = 0; x < l.width; x++) {
            const rgb = rgbAt(source, x + l.x0, y + l.y0);
            stored.push(...c.stored(rgb));
            expected.push(...c.decoded(rgb));
          }
        }
        const bytes = encodePng({ width: l.width, height: l.height, colorType: c.colorType, depth: c.depth, samples: stored, palette: c.palette, interlace: l.interlace, idatChunks: 3 });
        const image = decodePng(bytes);
        assert.equal(image.width, l.width);
        assert.equal(image.height, l.height);
        assert.equal(image.channels, expected.length / (l.width * l.height));
        assert.equal(image.maxValue, c.depth === 16 ? 65535 : 255);
        assert.deepEqual(Array.from(image.data), expected);
      });
    }
  }

  describe('refuses bad files with a specific reason', () => {
    const gray = () => encodePng({ width: 96, height: 96, colorType: 0, depth: 8, samples: Array.from({ length: 96 * 96 }, (_, i) => rgbAt(source, i % 96, Math.floor(i / 96))[0]) });
    const fails = (bytes: Uint8Array, message: RegExp) => assert.throws(() => decodePng(bytes), (e: Error) => e instanceof InputFileError && message.test(e.message));
    const idatAt = (bytes: Uint8Array) => Buffer.from(bytes).indexOf('IDAT');

    it('a bad signature', () => {
      const bytes = gray();
      bytes[1] = 0x51; // 'Q' for 'P'
      fails(bytes, /not a PNG file \(bad signature\)/);
    });
    it('a corrupted byte (CRC check)', () => {
      const bytes = gray();
      bytes[idatAt(bytes) + 20] ^= 0x01;
      fails(bytes, /CRC mismatch in the IDAT chunk \(stored 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}\)/);
    });
    it('a file cut inside the image data', () => {
      const bytes = gray();
      fails(bytes.subarray(0, idatAt(bytes) + 100), /truncated in the IDAT chunk/);
    });
    it('a file cut before IEND', () => fails(gray().subarray(0, -12), /truncated \(the file ends before the IEND chunk\)/));
    it('an unknown row filter', () => {
      fails(encodePng({ width: 4, height: 2, colorType: 0, depth: 8, samples: [1, 2, 3, 4, 5, 6, 7, 8], filterOf: (n) => (n === 1 ? 7 : 0) }), /unknown filter type 7 on row 1/);
    });
    it('a bit depth the colour type does not allow', () => {
      fails(encodePng({ width: 2, height: 1, colorType: 2, depth: 4, samples: [1, 2, 3, 4, 5, 6] }), /bit depth 4 is not allowed for colour type 2/);
    });
  });
});
