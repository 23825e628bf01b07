// Decoded images as model input: gray or RGB as the input's channels ask (BT.601 luma, gray
// replicated, alpha dropped), resized bilinearly to the input's size, 0..full scale mapped
// linearly to the caller's range, laid out as 'nhwc' or 'nchw'.

import { resizeBilinear } from './bilinearResize';
import { DecodedImage } from './decodedImage';
import { FileSamples } from './fileSamples';
import { imageGeometry } from './imageGeometry';
import { InputFileError } from './inputFileError';
import { describeInput, isQuantized, ModelInputSpec } from './inputSpec';

/** ITU-R BT.601 luma weights for R, G, B. */
const LUMA = [0.299, 0.587, 0.114];

/** The image's pixels in [0, 1] with `channels` interleaved channels, at its own size. */
function toChannels(image: DecodedImage, channels: 1 | 3): Float32Array {
  const { data, maxValue } = image;
  const colour = image.channels >= 3;
  const pixels = image.width * image.height;
  const out = new Float32Array(pixels * channels);
  for (let p = 0; p < pixels; p++) {
    const i = p * image.channels;
    if (channels === 1) {
      out[p] = (colour ? LUMA[0] * data[i] + LUMA[1] * data[i + 1] + LUMA[2] * data[i + 2] : data[i]) / maxValue;
    } else {
      for (let c = 0; c < 3; c++) out[p * 3 + c] = data[colour ? i + c : i] / maxValue;
    }
  }
  return out;
}

const INTEGER_RANGES: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767] };

/**
 * A quantized input reveals the value range it was trained for: images mapped into a small part of
 * it (e.g. [0, 1] for a [0, 255] input), or past it, would calibrate and evaluate on the wrong scale.
 */
function rangeMismatch(spec: ModelInputSpec, [lo, hi]: readonly [number, number]): string | undefined {
  const codes = INTEGER_RANGES[spec.dtype];
  if (!codes || !isQuantized(spec)) return undefined;
  const scale = spec.scale!;
  const zeroPoint = spec.zeroPoint ?? 0;
  const [min, max] = codes.map((q) => (q - zeroPoint) * scale);
  const outside = Math.min(lo, hi) < min - scale || Math.max(lo, hi) > max + scale;
  const tiny = Math.abs(hi - lo) < (max - min) / 16;
  if (!outside && !tiny) return undefined;
  const fmt = (v: number) => String(Number(v.toPrecision(4)));
  return `images are mapped to [${fmt(lo)}, ${fmt(hi)}], but ${describeInput(spec)} is quantized for [${fmt(min)}, ${fmt(max)}]: give the image range the model was trained with`;
}

export function imageSamples(image: DecodedImage, spec: ModelInputSpec, range: readonly [number, number]): FileSamples {
  const geometry = imageGeometry(spec);
  if (!geometry) {
    throw new InputFileError(`an image cannot feed ${describeInput(spec)}: image inputs are [1,H,W,C] ('nhwc') or [1,C,H,W] ('nchw') with C = 1 or 3`);
  }
  const { width, height, channels } = geometry;
  let pixels = toChannels(image, channels);
  let resized: string | undefined;
  if (image.width !== width || image.height !== height) {
    pixels = resizeBilinear(pixels, image.width, image.height, channels, width, height);
    resized = `${image.width}x${image.height} -> ${width}x${height}`;
  }
  const [lo, hi] = range;
  const values = new Float32Array(pixels.length);
  const planar = spec.layout === 'nchw';
  const plane = width * height;
  for (let p = 0; p < plane; p++) {
    for (let c = 0; c < channels; c++) values[planar ? c * plane + p : p * channels + c] = lo + pixels[p * channels + c] * (hi - lo);
  }
  const warnings = resized ? [`images resized with bilinear interpolation to ${width}x${height} for ${describeInput(spec)}`] : [];
  const mismatch = rangeMismatch(spec, range);
  if (mismatch) warnings.push(mismatch);
  return { values: [values], warnings, resized };
}
