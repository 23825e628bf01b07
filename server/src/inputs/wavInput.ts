// .wav clips as model input: channel 0 as raw samples in [-1, 1), cut into consecutive windows of
// the input's size when the clip is longer, zero-padded when it is shorter.

import { FileSamples } from './fileSamples';
import { describeInput, inputElementCount, isQuantized, ModelInputSpec } from './inputSpec';
import { decodeWav } from './wav';

/** Full scale of an integer input that takes PCM directly (no quantization parameters). */
const PCM_FULL_SCALE: Record<string, { scale: number; offset: number }> = {
  int8: { scale: 128, offset: 0 },
  uint8: { scale: 128, offset: 128 },
  int16: { scale: 32768, offset: 0 },
  int32: { scale: 2147483648, offset: 0 },
};

export function wavSamples(bytes: Uint8Array, spec: ModelInputSpec): FileSamples {
  const wav = decodeWav(bytes);
  const warnings: string[] = [];
  let clip = wav.samples;
  const pcm = PCM_FULL_SCALE[spec.dtype];
  if (pcm && !isQuantized(spec)) {
    // An integer input without scale takes integer PCM (TFLM's audio front ends take int16).
    clip = clip.map((v) => Math.max(-pcm.scale, Math.min(pcm.scale - 1, Math.round(v * pcm.scale))) + pcm.offset);
    warnings.push(`${describeInput(spec)} has no quantization parameters: audio is fed as ${spec.dtype} PCM values`);
  }
  const size = inputElementCount(spec);
  const values: Float32Array[] = [];
  if (clip.length >= size) {
    for (let at = 0; at + size <= clip.length; at += size) values.push(clip.slice(at, at + size));
    if (clip.length > size) {
      warnings.push(
        `audio is fed as raw samples, in consecutive windows of ${size} (a clip's tail shorter than a window is dropped): ` +
          'models with a feature front end (MFCC, spectrogram) need their features as .npy',
      );
    }
  } else {
    const padded = new Float32Array(size);
    padded.set(clip);
    values.push(padded);
    warnings.push(`clips shorter than ${describeInput(spec)} (${size} samples) are zero-padded at the end`);
  }
  return { values, warnings, sampleRate: wav.sampleRate };
}
