// Where a TFLite tensor lives in the ONNX graph. TFLite activations are NHWC, ONNX Conv and pools
// want NCHW: a 4-D tensor gets an NCHW value when a conv or pool consumes or produces it, and its
// NHWC ("plain") value when a layout-blind op (RESHAPE, FULLY_CONNECTED, SOFTMAX, graph outputs)
// does. Each form is made once, by a Reshape when only size-1 axes move (the bytes are already in
// order) and by a Transpose otherwise.

import type { Tensor } from '../../model/graph';
import type { OnnxGraphWriter } from './onnxGraphWriter';

const TO_NCHW = [0, 3, 1, 2];
const TO_NHWC = [0, 2, 3, 1];

interface Forms {
  plain?: string;
  nchw?: string;
}

/** Whether moving the channel axis of an [N, H, W, C] shape keeps the element order. */
function channelMoveIsReshape(nhwc: readonly number[]): boolean {
  const [, h, w, c] = nhwc;
  return c === 1 || h * w === 1;
}

export function nchwShape(nhwc: readonly number[]): number[] {
  return [nhwc[0], nhwc[3], nhwc[1], nhwc[2]];
}

export class Layouts {
  private readonly forms = new Map<number, Forms>();

  constructor(private readonly writer: OnnxGraphWriter) {}

  set(t: Tensor, form: 'plain' | 'nchw', name: string): void {
    const f = this.forms.get(t.index) ?? {};
    f[form] = name;
    this.forms.set(t.index, f);
  }

  has(t: Tensor): boolean {
    return this.forms.has(t.index);
  }

  isNchw(t: Tensor): boolean {
    const f = this.forms.get(t.index);
    return f?.nchw !== undefined && f.plain === undefined;
  }

  /** The tensor in TFLite's own layout. */
  plain(t: Tensor): string {
    const f = this.forms.get(t.index);
    if (!f) throw new Error(`tensor ${t.index} (${t.name}) is used before it is produced`);
    if (f.plain) return f.plain;
    const from = f.nchw as string;
    f.plain = channelMoveIsReshape(t.shape)
      ? this.writer.node('Reshape', [from, this.writer.int64s(`${t.name}_nhwc_shape`, t.shape)], `${t.name}_nhwc`)[0]
      : this.writer.node('Transpose', [from], `${t.name}_nhwc`, { perm: TO_NHWC })[0];
    return f.plain;
  }

  /** A 4-D NHWC tensor as NCHW. */
  nchw(t: Tensor): string {
    const f = this.forms.get(t.index);
    if (!f) throw new Error(`tensor ${t.index} (${t.name}) is used before it is produced`);
    if (f.nchw) return f.nchw;
    if (t.shape.length !== 4) throw new Error(`tensor ${t.name} of shape [${t.shape.join(', ')}] is not 4-D`);
    const from = f.plain as string;
    f.nchw = channelMoveIsReshape(t.shape)
      ? this.writer.node('Reshape', [from, this.writer.int64s(`${t.name}_nchw_shape`, nchwShape(t.shape))], `${t.name}_nchw`)[0]
      : this.writer.node('Transpose', [from], `${t.name}_nchw`, { perm: TO_NCHW })[0];
    return f.nchw;
  }
}
