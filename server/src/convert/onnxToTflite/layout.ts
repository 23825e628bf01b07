// Where an ONNX value lives in the TFLite graph. ONNX convolutions and pools work on NCHW, TFLite's
// on NHWC, so a 4-D value may be held in two forms: 'plain' (the ONNX shape and element order) and
// 'nhwc' (the same [N, C, H, W] value stored as [N, H, W, C]). A third form, 'flat', is an NCHW
// value flattened to [N, C*H*W] but stored in NHWC order [N, H*W*C]: a FULLY_CONNECTED consuming it
// permutes its weight columns instead of the activations being transposed back, which is what the
// TFLite converter's output amounts to. Each form is made once, on first demand, by a TRANSPOSE
// (or a RESHAPE when only size-1 axes move).

import type { TfliteGraphBuilder } from './tfliteGraphBuilder';

export const TO_NHWC = [0, 2, 3, 1];
export const TO_NCHW = [0, 3, 1, 2];

export interface FlatForm {
  tensor: number;
  /** Stored column j holds ONNX column columns[j]. */
  columns: Int32Array;
  /** The 4-D value it was flattened from (for the plain form). */
  source: number;
}

interface Forms {
  plain?: number;
  nhwc?: number;
  flat?: FlatForm;
  /** The form the producing op wrote; the others were derived from it. */
  primary: 'plain' | 'nhwc' | 'flat';
}

/** Columns of [N, C, H, W] flattened in NHWC order: stored (h, w, c) -> ONNX c*H*W + h*W + w. */
export function nhwcFlattenColumns(c: number, h: number, w: number): Int32Array {
  const columns = new Int32Array(c * h * w);
  let j = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) for (let k = 0; k < c; k++) columns[j++] = k * h * w + y * w + x;
  return columns;
}

export class Layouts {
  private readonly forms = new Map<number, Forms>();
  /** TFLite tensor -> the first ONNX value held in it; a second one makes it shared. */
  private readonly owners = new Map<number, number>();
  private readonly shared = new Set<number>();

  constructor(
    private readonly builder: TfliteGraphBuilder,
    /** The ONNX shape and name of a value, by ONNX tensor index. */
    private readonly shapeOf: (value: number) => number[],
    private readonly nameOf: (value: number) => string,
  ) {}

  has(value: number): boolean {
    return this.forms.has(value);
  }

  set(value: number, form: 'plain' | 'nhwc', tensor: number): void {
    this.own(tensor, value);
    const f = this.forms.get(value);
    if (f) f[form] = tensor;
    else this.forms.set(value, { [form]: tensor, primary: form });
  }

  setFlat(value: number, flat: FlatForm): void {
    this.own(flat.tensor, value);
    this.forms.set(value, { flat, primary: 'flat' });
  }

  /** `to` is held exactly as `from` (Identity, Dropout, a Q/DQ pair, a fused activation). */
  alias(to: number, from: number): void {
    const f = this.get(from);
    this.shared.add(this.primaryTensor(from));
    this.forms.set(to, f);
  }

  /** Whether more than one ONNX value is held in `tensor` (so rewriting its producer is unsafe). */
  isShared(tensor: number): boolean {
    return this.shared.has(tensor);
  }

  private own(tensor: number, value: number): void {
    const owner = this.owners.get(tensor);
    if (owner === undefined) this.owners.set(tensor, value);
    else if (owner !== value) this.shared.add(tensor);
  }

  primary(value: number): 'plain' | 'nhwc' | 'flat' {
    return this.get(value).primary;
  }

  /** The tensor the producer wrote. */
  primaryTensor(value: number): number {
    const f = this.get(value);
    return f.primary === 'flat' ? (f.flat as FlatForm).tensor : (f[f.primary] as number);
  }

  flat(value: number): FlatForm | undefined {
    return this.get(value).flat;
  }

  /** Prefers NHWC: true when the value is 4-D and its producer wrote it NHWC. */
  isNhwc(value: number): boolean {
    return this.get(value).primary === 'nhwc';
  }

  plain(value: number): number {
    const f = this.get(value);
    if (f.plain !== undefined) return f.plain;
    const name = this.nameOf(value);
    if (f.nhwc !== undefined) {
      f.plain = this.builder.transpose(f.nhwc, TO_NCHW, `${name}_nchw`);
    } else {
      const flat = f.flat as FlatForm;
      f.plain = this.builder.reshape(this.plain(flat.source), this.shapeOf(value), `${name}_flat`);
    }
    return f.plain;
  }

  nhwc(value: number): number {
    const f = this.get(value);
    if (f.nhwc !== undefined) return f.nhwc;
    const shape = this.shapeOf(value);
    if (shape.length !== 4) throw new Error(`value ${this.nameOf(value)} of shape [${shape.join(', ')}] is not 4-D`);
    f.nhwc = this.builder.transpose(this.plain(value), TO_NHWC, `${this.nameOf(value)}_nhwc`);
    return f.nhwc;
  }

  private get(value: number): Forms {
    const f = this.forms.get(value);
    if (!f) throw new Error(`value ${this.nameOf(value)} is used before it is produced`);
    return f;
  }
}
