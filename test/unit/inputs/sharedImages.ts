// The shared 96x96 person / no-person BMPs as RGB, and a colour image built from them so that
// the three channels differ (both shared images are gray).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeBmp } from '../../../server/src/inputs/bmp';
import { sharedDir } from '../../helpers/shared';

export function sharedBmpBytes(name: 'person_96x96.bmp' | 'no_person_96x96.bmp'): Uint8Array {
  return new Uint8Array(readFileSync(join(sharedDir, 'data', name)));
}

export interface Rgb {
  width: number;
  height: number;
  /** Interleaved RGB, row 0 at the top. */
  data: Uint8Array;
}

/** R from the person image, G from the no-person image, B a diagonal ramp; 96x96. */
export function colourTestImage(): Rgb {
  const person = decodeBmp(sharedBmpBytes('person_96x96.bmp')).data;
  const other = decodeBmp(sharedBmpBytes('no_person_96x96.bmp')).data;
  const data = new Uint8Array(96 * 96 * 3);
  for (let p = 0; p < 96 * 96; p++) {
    data[p * 3] = person[p * 3];
    data[p * 3 + 1] = other[p * 3];
    data[p * 3 + 2] = ((p % 96) * 7 + Math.floor(p / 96) * 3) & 255;
  }
  return { width: 96, height: 96, data };
}

/** The pixel at (x, y) of an RGB image. */
export function rgbAt(image: Rgb, x: number, y: number): number[] {
  const o = (y * image.width + x) * 3;
  return [image.data[o], image.data[o + 1], image.data[o + 2]];
}
