// Pixels as the image decoders hand them over, before any mapping to a model input.

export interface DecodedImage {
  width: number;
  height: number;
  /** Interleaved samples per pixel: 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA. */
  channels: 1 | 2 | 3 | 4;
  /** Full-scale sample value: 255, or 65535 for 16-bit PNG. */
  maxValue: number;
  /** width * height * channels samples, row 0 at the top. */
  data: Uint8Array | Uint16Array;
}

/** Decoders refuse images beyond this many pixels before allocating: a corrupt header must not exhaust memory. */
export const MAX_IMAGE_PIXELS = 1 << 26;
