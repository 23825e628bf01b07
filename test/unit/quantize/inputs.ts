// Calibration and evaluation inputs for the MLPerf Tiny models, from the shared data where it fits:
// the two 96x96 person / no-person BMPs, augmented (random crop, flip, brightness, contrast) into
// as many distinct images as asked, for VWW (96x96x3 in [0, 1]) and the CIFAR-10 ResNet (32x32x3
// in [0, 255]). Different seeds give disjoint augmentations, so calibration and evaluation sets
// never share an input. KWS and AD get generated inputs (see mlperfTiny.test.ts for why).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../../server/src/quantize/generator';
import { sharedDir } from '../../helpers/shared';

export interface Image {
  width: number;
  height: number;
  /** Luminance in [0, 1], row 0 at the top. */
  pixels: Float32Array;
}

/** An 8-bit palettized or 24-bit uncompressed BMP as luminance. */
export function readBmp(path: string): Image {
  const b = readFileSync(path);
  if (b.toString('latin1', 0, 2) !== 'BM') throw new Error(`${path}: not a BMP`);
  const dataOffset = b.readUInt32LE(10);
  const headerSize = b.readUInt32LE(14);
  const width = b.readInt32LE(18);
  const rawHeight = b.readInt32LE(22);
  const bits = b.readUInt16LE(28);
  const height = Math.abs(rawHeight);
  const rowBytes = Math.ceil((width * bits) / 32) * 4;
  const palette = 14 + headerSize;
  const pixels = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    const row = dataOffset + (rawHeight > 0 ? height - 1 - y : y) * rowBytes;
    for (let x = 0; x < width; x++) {
      let r: number, g: number, bl: number;
      if (bits === 8) {
        const p = palette + 4 * b[row + x];
        [bl, g, r] = [b[p], b[p + 1], b[p + 2]];
      } else if (bits === 24) {
        const p = row + 3 * x;
        [bl, g, r] = [b[p], b[p + 1], b[p + 2]];
      } else {
        throw new Error(`${path}: ${bits}-bit BMPs are not supported`);
      }
      pixels[y * width + x] = (0.299 * r + 0.587 * g + 0.114 * bl) / 255;
    }
  }
  return { width, height, pixels };
}

export function personImages(): Image[] {
  return ['person_96x96.bmp', 'no_person_96x96.bmp'].map((f) => readBmp(join(sharedDir, 'data', f)));
}

/**
 * `count` augmented views of the images as size x size x 3 (grey in every channel) scaled to
 * [0, maxValue]: a random square crop of 60-100 % of the side, bilinear resize, a coin-flip mirror,
 * contrast x0.7-1.3 and brightness +-0.15.
 */
export function augmentedImages(images: readonly Image[], count: number, seed: number, size: number, maxValue: number): Float32Array[][] {
  const random = seededRandom(seed);
  const out: Float32Array[][] = [];
  for (let n = 0; n < count; n++) {
    const img = images[n % images.length];
    const crop = Math.round(img.width * (0.6 + 0.4 * random()));
    const x0 = random() * (img.width - crop);
    const y0 = random() * (img.height - crop);
    const flip = random() < 0.5;
    const contrast = 0.7 + 0.6 * random();
    const brightness = (random() - 0.5) * 0.3;
    const values = new Float32Array(size * size * 3);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const sx = x0 + ((flip ? size - 1 - x : x) + 0.5) * (crop / size) - 0.5;
        const sy = y0 + (y + 0.5) * (crop / size) - 0.5;
        let v = bilinear(img, sx, sy);
        v = Math.min(1, Math.max(0, (v - 0.5) * contrast + 0.5 + brightness));
        const o = (y * size + x) * 3;
        values[o] = values[o + 1] = values[o + 2] = v * maxValue;
      }
    }
    out.push([values]);
  }
  return out;
}

function bilinear(img: Image, x: number, y: number): number {
  const cx = Math.min(Math.max(x, 0), img.width - 1);
  const cy = Math.min(Math.max(y, 0), img.height - 1);
  const x0 = Math.floor(cx);
  const y0 = Math.floor(cy);
  const x1 = Math.min(x0 + 1, img.width - 1);
  const y1 = Math.min(y0 + 1, img.height - 1);
  const fx = cx - x0;
  const fy = cy - y0;
  const p = img.pixels;
  const w = img.width;
  const top = p[y0 * w + x0] * (1 - fx) + p[y0 * w + x1] * fx;
  const bottom = p[y1 * w + x0] * (1 - fx) + p[y1 * w + x1] * fx;
  return top * (1 - fy) + bottom * fy;
}
