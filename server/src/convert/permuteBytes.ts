// Transposing constant tensors between layouts (NHWC <-> NCHW, OHWI <-> OIHW, [K,N] <-> [N,K]):
// both converters move raw bytes, whatever the element type.

/** Permutes a row-major tensor's bytes: output axis d is input axis perm[d]. */
export function permuteBytes(data: Uint8Array, shape: readonly number[], perm: readonly number[], width: number): Uint8Array {
  const outShape = perm.map((p) => shape[p]);
  const inStrides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new Uint8Array(n * width);
  const index = new Array<number>(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    let at = 0;
    for (let d = 0; d < perm.length; d++) at += index[d] * inStrides[perm[d]];
    out.set(data.subarray(at * width, at * width + width), i * width);
    for (let d = outShape.length - 1; d >= 0; d--) {
      if (++index[d] < outShape[d]) break;
      index[d] = 0;
    }
  }
  return out;
}
