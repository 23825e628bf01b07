// Which model inputs take images: [1,H,W,C] / [H,W,C] in 'nhwc' or [1,C,H,W] / [C,H,W] in
// 'nchw', with C = 1 (gray) or 3 (RGB).

import type { ModelInputSpec } from './inputSpec';

export interface ImageGeometry {
  height: number;
  width: number;
  channels: 1 | 3;
}

export function imageGeometry(spec: ModelInputSpec): ImageGeometry | undefined {
  const shape = spec.shape;
  if (shape.length === 4 && shape[0] !== 1) return undefined;
  if (shape.length !== 4 && shape.length !== 3) return undefined;
  const dims = shape.slice(shape.length - 3);
  const [height, width, channels] = spec.layout === 'nhwc' ? dims : [dims[1], dims[2], dims[0]];
  if ((channels !== 1 && channels !== 3) || height < 1 || width < 1) return undefined;
  return { height, width, channels };
}
