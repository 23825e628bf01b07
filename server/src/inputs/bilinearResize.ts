// Bilinear resampling of interleaved float pixels with half-pixel centres (TensorFlow's
// half_pixel_centers, OpenCV's INTER_LINEAR): destination pixel x samples the source at
// (x + 0.5) * srcWidth / dstWidth - 0.5, clamped to the edge pixels.

export function resizeBilinear(src: Float32Array, srcWidth: number, srcHeight: number, channels: number, dstWidth: number, dstHeight: number): Float32Array {
  const out = new Float32Array(dstWidth * dstHeight * channels);
  const axis = (d: number, srcSize: number, dstSize: number) => {
    const s = Math.min(Math.max(((d + 0.5) * srcSize) / dstSize - 0.5, 0), srcSize - 1);
    const i0 = Math.floor(s);
    return { i0, i1: Math.min(i0 + 1, srcSize - 1), f: s - i0 };
  };
  for (let y = 0; y < dstHeight; y++) {
    const { i0: y0, i1: y1, f: fy } = axis(y, srcHeight, dstHeight);
    for (let x = 0; x < dstWidth; x++) {
      const { i0: x0, i1: x1, f: fx } = axis(x, srcWidth, dstWidth);
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => src[(yy * srcWidth + xx) * channels + c];
        const top = at(y0, x0) * (1 - fx) + at(y0, x1) * fx;
        const bottom = at(y1, x0) * (1 - fx) + at(y1, x1) * fx;
        out[(y * dstWidth + x) * channels + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return out;
}
