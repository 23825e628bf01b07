// One input file's bytes to samples for one model input, chosen by the file's extension.

import { binSamples } from './binInput';
import { decodeBmp } from './bmp';
import { FileSamples } from './fileSamples';
import { imageSamples } from './imageInput';
import { ModelInputSpec } from './inputSpec';
import { npySamples } from './npyInput';
import { decodePng } from './png';
import { wavSamples } from './wavInput';

export const INPUT_EXTENSIONS = ['.npy', '.bin', '.wav', '.bmp', '.png'] as const;

export function isInputExtension(ext: string): boolean {
  return (INPUT_EXTENSIONS as readonly string[]).includes(ext);
}

/** `ext` is one of INPUT_EXTENSIONS (lower case); `what` names the file in .npy errors. */
export function samplesFromFile(ext: string, bytes: Uint8Array, spec: ModelInputSpec, imageRange: readonly [number, number], what: string): FileSamples {
  switch (ext) {
    case '.npy':
      return npySamples(bytes, spec, what);
    case '.bin':
      return binSamples(bytes, spec);
    case '.wav':
      return wavSamples(bytes, spec);
    case '.bmp':
      return imageSamples(decodeBmp(bytes), spec, imageRange);
    case '.png':
      return imageSamples(decodePng(bytes), spec, imageRange);
    default:
      throw new Error(`no reader for ${ext} files`);
  }
}
