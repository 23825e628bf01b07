// Static output shapes and types for the ONNX ops TinyML models use, for files that carry no
// value_info for their intermediate tensors (most exporters write none). Rules follow the ONNX
// operator specs; anything unsure yields -1 dims or an unknown rank rather than a guess.
import type { DType, OptionValue } from '../graph';
import { dtypeOf, tensorValues } from './tensorData';

/** What is known of one value: rank and dims (undefined = unknown rank), type, and for small
 * integer constants their contents, so Reshape/Slice/Pad see their shape arguments. */
export interface ValueFacts {
  shape: number[] | undefined;
  dtype: DType;
  value?: number[];
}

export interface NodeFacts {
  /** Op type without domain prefix. */
  opType: string;
  domain: string;
  /** Opset of the node's domain: the form of several ops (attr vs input) depends on it. */
  version: number;
  attrs: Record<string, OptionValue>;
  /** Facts per input; undefined for an absent optional input. */
  inputs: (ValueFacts | undefined)[];
  outputCount: number;
}

const UNKNOWN: ValueFacts = { shape: undefined, dtype: 'unknown' };

type Rule = (n: NodeFacts) => ValueFacts[];

// ---- attribute helpers -------------------------------------------------------------------

function int(n: NodeFacts, name: string, fallback: number): number {
  const v = n.attrs[name];
  return typeof v === 'number' ? v : fallback;
}

function ints(n: NodeFacts, name: string): number[] | undefined {
  const v = n.attrs[name];
  if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}

function str(n: NodeFacts, name: string, fallback: string): string {
  const v = n.attrs[name];
  return typeof v === 'string' ? v : fallback;
}

/** An argument that moved from an attribute to an input at `sinceVersion`. */
function attrOrInput(n: NodeFacts, attr: string, input: number, sinceVersion: number): number[] | undefined {
  return n.version >= sinceVersion ? n.inputs[input]?.value : ints(n, attr);
}

// ---- shape helpers -----------------------------------------------------------------------

const known = (d: number): boolean => d >= 0;

function prod(dims: number[]): number {
  let p = 1;
  for (const d of dims) {
    if (!known(d)) return -1;
    p *= d;
  }
  return p;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

function broadcast2(a: number[], b: number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const x = a[a.length - rank + i] ?? 1;
    const y = b[b.length - rank + i] ?? 1;
    if (x === 1) out[i] = y;
    else if (y === 1) out[i] = x;
    else if (x === y) out[i] = x;
    else if (!known(x) && y > 1) out[i] = y;
    else if (!known(y) && x > 1) out[i] = x;
    else out[i] = -1;
  }
  return out;
}

function broadcast(shapes: (number[] | undefined)[]): number[] | undefined {
  let out: number[] = [];
  for (const s of shapes) {
    if (s === undefined) return undefined;
    out = broadcast2(out, s);
  }
  return out;
}

function input(n: NodeFacts, i: number): ValueFacts {
  return n.inputs[i] ?? UNKNOWN;
}

function same(n: NodeFacts, dtype?: DType): ValueFacts[] {
  const x = input(n, 0);
  return [{ shape: x.shape, dtype: dtype ?? x.dtype }];
}

// ---- windows: Conv, ConvTranspose, pools --------------------------------------------------

interface Window {
  kernel: number[];
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: string;
}

function windowOf(n: NodeFacts, spatial: number, kernel: number[] | undefined): Window | undefined {
  const k = ints(n, 'kernel_shape') ?? kernel;
  if (k === undefined || k.length !== spatial) return undefined;
  return {
    kernel: k,
    strides: ints(n, 'strides') ?? new Array<number>(spatial).fill(1),
    dilations: ints(n, 'dilations') ?? new Array<number>(spatial).fill(1),
    pads: ints(n, 'pads') ?? new Array<number>(2 * spatial).fill(0),
    autoPad: str(n, 'auto_pad', 'NOTSET'),
  };
}

/** Output size of one spatial axis of a convolution or pool (ONNX Conv/MaxPool specs). */
function windowOut(inSize: number, w: Window, i: number, spatial: number, ceilMode: boolean): number {
  const k = (w.kernel[i] - 1) * (w.dilations[i] ?? 1) + 1;
  const s = w.strides[i] ?? 1;
  if (!known(inSize) || !known(k) || !(s > 0)) return -1;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') return Math.ceil(inSize / s);
  const head = w.autoPad === 'VALID' ? 0 : w.pads[i] ?? 0;
  const tail = w.autoPad === 'VALID' ? 0 : w.pads[i + spatial] ?? 0;
  const span = inSize + head + tail - k;
  if (span < 0) return -1;
  if (!ceilMode) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  // A last window that would start inside the tail padding is dropped (as onnxruntime and PyTorch do).
  if ((out - 1) * s >= inSize + head) out--;
  return out;
}

function convShape(n: NodeFacts, x: number[] | undefined, w: number[] | undefined): number[] | undefined {
  const rank = x?.length ?? w?.length;
  if (rank === undefined || rank < 3) return undefined;
  const spatial = rank - 2;
  const win = windowOf(n, spatial, w?.slice(2));
  const out = [x?.[0] ?? -1, w?.[0] ?? -1];
  for (let i = 0; i < spatial; i++) out.push(win && x ? windowOut(x[2 + i], win, i, spatial, false) : -1);
  return out;
}

function convTransposeShape(n: NodeFacts, x: number[] | undefined, w: number[] | undefined): number[] | undefined {
  const rank = x?.length ?? w?.length;
  if (rank === undefined || rank < 3) return undefined;
  const spatial = rank - 2;
  const group = int(n, 'group', 1);
  const out = [x?.[0] ?? -1, w && known(w[1]) ? w[1] * group : -1];
  const explicit = ints(n, 'output_shape');
  const win = windowOf(n, spatial, w?.slice(2));
  const outputPadding = ints(n, 'output_padding') ?? [];
  for (let i = 0; i < spatial; i++) {
    if (explicit) {
      out.push(explicit[explicit.length - spatial + i] ?? -1);
      continue;
    }
    const inSize = x?.[2 + i] ?? -1;
    if (!win || !known(inSize)) {
      out.push(-1);
      continue;
    }
    const s = win.strides[i] ?? 1;
    if (win.autoPad === 'SAME_UPPER' || win.autoPad === 'SAME_LOWER') {
      out.push(inSize * s);
      continue;
    }
    const k = (win.kernel[i] - 1) * (win.dilations[i] ?? 1) + 1;
    const pads = win.autoPad === 'VALID' ? 0 : (win.pads[i] ?? 0) + (win.pads[i + spatial] ?? 0);
    out.push(s * (inSize - 1) + (outputPadding[i] ?? 0) + k - pads);
  }
  return out;
}

function poolShape(n: NodeFacts): number[] | undefined {
  const x = input(n, 0).shape;
  if (x === undefined || x.length < 3) return undefined;
  const spatial = x.length - 2;
  const win = windowOf(n, spatial, undefined);
  const ceilMode = int(n, 'ceil_mode', 0) === 1;
  const out = [x[0], x[1]];
  for (let i = 0; i < spatial; i++) out.push(win ? windowOut(x[2 + i], win, i, spatial, ceilMode) : -1);
  return out;
}

function globalPool(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const shape = x.shape ? x.shape.map((d, i) => (i < 2 ? d : 1)) : undefined;
  return [{ shape, dtype: x.dtype }];
}

// ---- matrix products -----------------------------------------------------------------------

function matmulShape(a: number[] | undefined, b: number[] | undefined): number[] | undefined {
  if (a === undefined || b === undefined || a.length === 0 || b.length === 0) return undefined;
  const a2 = a.length === 1 ? [1, a[0]] : a;
  const b2 = b.length === 1 ? [b[0], 1] : b;
  const batch = broadcast2(a2.slice(0, -2), b2.slice(0, -2));
  const out = [...batch];
  if (a.length > 1) out.push(a2[a2.length - 2]);
  if (b.length > 1) out.push(b2[b2.length - 1]);
  return out;
}

function gemmShape(n: NodeFacts): number[] | undefined {
  const a = input(n, 0).shape;
  const b = input(n, 1).shape;
  const m = a && a.length === 2 ? a[int(n, 'transA', 0) ? 1 : 0] : -1;
  const cols = b && b.length === 2 ? b[int(n, 'transB', 0) ? 0 : 1] : -1;
  return [m, cols];
}

// ---- layout ops ----------------------------------------------------------------------------

function reshape(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const target = attrOrInput(n, 'shape', 1, 5);
  if (target === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const allowZero = int(n, 'allowzero', 0) === 1;
  const out = target.map((d, i) => (d === 0 && !allowZero ? x.shape?.[i] ?? -1 : d));
  const inferAt = out.indexOf(-1);
  if (inferAt >= 0 && target[inferAt] === -1) {
    const total = x.shape ? prod(x.shape) : -1;
    const rest = prod(out.filter((_, i) => i !== inferAt));
    out[inferAt] = total >= 0 && rest > 0 && total % rest === 0 ? total / rest : -1;
  }
  return [{ shape: out, dtype: x.dtype, value: x.value }];
}

function flatten(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: [-1, -1], dtype: x.dtype }];
  const axis = normAxis(int(n, 'axis', 1), x.shape.length);
  return [{ shape: [prod(x.shape.slice(0, axis)), prod(x.shape.slice(axis))], dtype: x.dtype, value: x.value }];
}

function squeeze(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const rank = x.shape.length;
  const axesGiven = n.version >= 13 ? n.inputs[1] !== undefined : ints(n, 'axes') !== undefined;
  const axes = attrOrInput(n, 'axes', 1, 13);
  if (axesGiven && axes === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const drop = new Set((axes ?? []).map((a) => normAxis(a, rank)));
  const shape = x.shape.filter((d, i) => (axes ? !drop.has(i) : d !== 1));
  if (!axes && x.shape.some((d) => !known(d))) return [{ shape: undefined, dtype: x.dtype }];
  return [{ shape, dtype: x.dtype, value: x.value }];
}

function unsqueeze(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const axes = attrOrInput(n, 'axes', 1, 13);
  if (x.shape === undefined || axes === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const rank = x.shape.length + axes.length;
  const insert = new Set(axes.map((a) => normAxis(a, rank)));
  const shape: number[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(insert.has(i) ? 1 : x.shape[j++] ?? -1);
  return [{ shape, dtype: x.dtype, value: x.value }];
}

function concat(n: NodeFacts): ValueFacts[] {
  const parts = n.inputs.filter((v): v is ValueFacts => v !== undefined);
  const dtype = parts[0]?.dtype ?? 'unknown';
  const first = parts.find((p) => p.shape !== undefined)?.shape;
  if (first === undefined) return [{ shape: undefined, dtype }];
  const axis = normAxis(int(n, 'axis', 0), first.length);
  const shape = [...first];
  let sum = 0;
  for (const p of parts) {
    const d = p.shape?.[axis] ?? -1;
    sum = sum < 0 || !known(d) ? -1 : sum + d;
  }
  shape[axis] = sum;
  const values = parts.map((p) => p.value);
  const value = first.length === 1 && values.every((v) => v !== undefined) ? values.flat() as number[] : undefined;
  return [{ shape, dtype, value }];
}

function transpose(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const shape = x.shape;
  const perm = ints(n, 'perm') ?? shape.map((_, i) => shape.length - 1 - i);
  return [{ shape: perm.map((p) => shape[p] ?? -1), dtype: x.dtype }];
}

function pad(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const pads = n.version >= 11 ? n.inputs[1]?.value : ints(n, 'pads') ?? ints(n, 'paddings');
  const rank = x.shape.length;
  if (pads === undefined) return [{ shape: x.shape.map(() => -1), dtype: x.dtype }];
  const axesInput = n.version >= 18 ? n.inputs[3] : undefined;
  const axes = axesInput ? axesInput.value?.map((a) => normAxis(a, rank)) : x.shape.map((_, i) => i);
  if (axes === undefined || pads.length !== 2 * axes.length) return [{ shape: x.shape.map(() => -1), dtype: x.dtype }];
  const shape = [...x.shape];
  axes.forEach((a, i) => {
    shape[a] = known(shape[a]) ? shape[a] + pads[i] + pads[i + axes.length] : -1;
  });
  return [{ shape, dtype: x.dtype }];
}

function reduce(n: NodeFacts, axesInputSince: number): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const rank = x.shape.length;
  const fromInput = n.version >= axesInputSince;
  if (fromInput && n.inputs[1] !== undefined && n.inputs[1].value === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const axes = fromInput ? n.inputs[1]?.value : ints(n, 'axes');
  const keep = int(n, 'keepdims', 1) === 1;
  if ((axes === undefined || axes.length === 0) && fromInput && int(n, 'noop_with_empty_axes', 0) === 1) return same(n);
  const reduced = new Set((axes && axes.length > 0 ? axes : x.shape.map((_, i) => i)).map((a) => normAxis(a, rank)));
  const shape: number[] = [];
  x.shape.forEach((d, i) => {
    if (!reduced.has(i)) shape.push(d);
    else if (keep) shape.push(1);
  });
  return [{ shape, dtype: x.dtype }];
}

function argReduce(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: 'int64' }];
  const axis = normAxis(int(n, 'axis', 0), x.shape.length);
  const keep = int(n, 'keepdims', 1) === 1;
  const shape = x.shape.flatMap((d, i) => (i !== axis ? [d] : keep ? [1] : []));
  return [{ shape, dtype: 'int64' }];
}

function sliceLength(dim: number, start: number, end: number, step: number): number {
  if (!known(dim) || step === 0) return -1;
  const s = start < 0 ? start + dim : start;
  const e = end < 0 ? end + dim : end;
  if (step > 0) {
    const cs = Math.min(Math.max(s, 0), dim);
    const ce = Math.min(Math.max(e, 0), dim);
    return Math.max(0, Math.ceil((ce - cs) / step));
  }
  const cs = Math.min(Math.max(s, -1), dim - 1);
  const ce = Math.min(Math.max(e, -1), dim - 1);
  return Math.max(0, Math.ceil((cs - ce) / -step));
}

function slice(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  const rank = x.shape.length;
  const byInput = n.version >= 10;
  const starts = byInput ? n.inputs[1]?.value : ints(n, 'starts');
  const ends = byInput ? n.inputs[2]?.value : ints(n, 'ends');
  const axesGiven = byInput ? n.inputs[3] : undefined;
  const axes = byInput ? (axesGiven ? axesGiven.value : undefined) : ints(n, 'axes');
  const steps = byInput && n.inputs[4] ? n.inputs[4].value : undefined;
  if (starts === undefined || ends === undefined || (axesGiven && axes === undefined) || (byInput && n.inputs[4] && !steps)) {
    return [{ shape: x.shape.map(() => -1), dtype: x.dtype }];
  }
  const shape = [...x.shape];
  const axisList = axes ?? starts.map((_, i) => i);
  axisList.forEach((a, i) => {
    const axis = normAxis(a, rank);
    if (axis >= 0 && axis < rank) shape[axis] = sliceLength(shape[axis], starts[i], ends[i], steps?.[i] ?? 1);
  });
  let value: number[] | undefined;
  if (x.value && rank === 1 && axisList.length === 1 && known(shape[0])) {
    const step = steps?.[0] ?? 1;
    const dim = x.value.length;
    let s = starts[0] < 0 ? starts[0] + dim : starts[0];
    s = step > 0 ? Math.min(Math.max(s, 0), dim) : Math.min(Math.max(s, -1), dim - 1);
    value = Array.from({ length: shape[0] }, (_, i) => x.value![s + i * step]);
  }
  return [{ shape, dtype: x.dtype, value }];
}

function split(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const count = n.outputCount;
  if (x.shape === undefined) return new Array(count).fill({ shape: undefined, dtype: x.dtype });
  const axis = normAxis(int(n, 'axis', 0), x.shape.length);
  const dim = x.shape[axis];
  let sizes = n.version >= 13 ? n.inputs[1]?.value : ints(n, 'split');
  if (sizes === undefined && !(n.version >= 13 && n.inputs[1])) {
    const chunk = known(dim) ? Math.ceil(dim / count) : -1;
    sizes = Array.from({ length: count }, (_, i) => (chunk < 0 ? -1 : Math.max(0, Math.min(chunk, dim - i * chunk))));
  }
  return Array.from({ length: count }, (_, i) => {
    const shape = [...x.shape!];
    shape[axis] = sizes?.[i] ?? -1;
    return { shape, dtype: x.dtype };
  });
}

function resize(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  // Upsample-9 and Resize-10 take (X, scales); Resize-11+ take (X, roi, scales, sizes).
  const legacy = n.opType === 'Upsample' || n.version < 11;
  const sizes = legacy ? undefined : n.inputs[3]?.value;
  const scales = legacy ? n.inputs[1]?.value ?? n.attrs.scales : n.inputs[2]?.value;
  const shapeIn = x.shape;
  if (sizes && sizes.length === shapeIn.length) return [{ shape: [...sizes], dtype: x.dtype }];
  if (Array.isArray(scales) && scales.length === shapeIn.length) {
    return [{ shape: shapeIn.map((d, i) => (known(d) ? Math.floor(d * (scales[i] as number)) : -1)), dtype: x.dtype }];
  }
  return [{ shape: shapeIn.map(() => -1), dtype: x.dtype }];
}

function gather(n: NodeFacts): ValueFacts[] {
  const data = input(n, 0);
  const idx = input(n, 1);
  if (data.shape === undefined || idx.shape === undefined) return [{ shape: undefined, dtype: data.dtype }];
  const axis = normAxis(int(n, 'axis', 0), data.shape.length);
  const shape = [...data.shape.slice(0, axis), ...idx.shape, ...data.shape.slice(axis + 1)];
  let value: number[] | undefined;
  if (data.value && idx.value && data.shape.length === 1) {
    const len = data.value.length;
    const picked = idx.value.map((i) => data.value![i < 0 ? i + len : i]);
    if (picked.every((v) => v !== undefined)) value = picked;
  }
  return [{ shape, dtype: data.dtype, value }];
}

function shapeOp(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: [-1], dtype: 'int64' }];
  const rank = x.shape.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + rank : v, 0), rank);
  const start = clamp(int(n, 'start', 0));
  const end = clamp(int(n, 'end', rank));
  const dims = x.shape.slice(start, Math.max(start, end));
  return [{ shape: [dims.length], dtype: 'int64', value: dims.every(known) ? dims : undefined }];
}

function constant(n: NodeFacts): ValueFacts[] {
  const t = n.attrs.value;
  if (t !== undefined && typeof t === 'object' && !Array.isArray(t) && !(t instanceof Uint8Array)) {
    const small = t.data !== undefined && t.data.length <= 8 * 64;
    return [{ shape: t.shape, dtype: t.dtype, value: small ? tensorValues(t.data!, t.dtype) : undefined }];
  }
  if (typeof n.attrs.value_float === 'number') return [{ shape: [], dtype: 'float32' }];
  if (typeof n.attrs.value_int === 'number') return [{ shape: [], dtype: 'int64', value: [n.attrs.value_int] }];
  const list = ints(n, 'value_ints');
  if (list) return [{ shape: [list.length], dtype: 'int64', value: list }];
  const floats = ints(n, 'value_floats');
  if (floats) return [{ shape: [floats.length], dtype: 'float32' }];
  return [UNKNOWN];
}

function expand(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const target = n.inputs[1]?.value;
  if (target === undefined || x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  return [{ shape: broadcast2(x.shape, target), dtype: x.dtype }];
}

function tile(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  const reps = n.inputs[1]?.value;
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }];
  if (reps === undefined || reps.length !== x.shape.length) return [{ shape: x.shape.map(() => -1), dtype: x.dtype }];
  return [{ shape: x.shape.map((d, i) => (known(d) ? d * reps[i] : -1)), dtype: x.dtype }];
}

function depthSpace(n: NodeFacts, toDepth: boolean): ValueFacts[] {
  const x = input(n, 0);
  const b = int(n, 'blocksize', 1);
  if (x.shape === undefined || x.shape.length !== 4) return [{ shape: undefined, dtype: x.dtype }];
  const [batch, c, h, w] = x.shape;
  const f = (d: number, op: (v: number) => number): number => (known(d) ? op(d) : -1);
  const shape = toDepth
    ? [batch, f(c, (v) => v * b * b), f(h, (v) => Math.floor(v / b)), f(w, (v) => Math.floor(v / b))]
    : [batch, f(c, (v) => Math.floor(v / (b * b))), f(h, (v) => v * b), f(w, (v) => v * b)];
  return [{ shape, dtype: x.dtype }];
}

function topK(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [{ shape: undefined, dtype: x.dtype }, { shape: undefined, dtype: 'int64' }];
  const k = n.version >= 10 ? n.inputs[1]?.value?.[0] ?? -1 : int(n, 'k', -1);
  const axis = normAxis(int(n, 'axis', -1), x.shape.length);
  const shape = x.shape.map((d, i) => (i === axis ? k : d));
  return [{ shape, dtype: x.dtype }, { shape, dtype: 'int64' }];
}

function layerNorm(n: NodeFacts): ValueFacts[] {
  const x = input(n, 0);
  if (x.shape === undefined) return [same(n)[0], UNKNOWN, UNKNOWN];
  const axis = normAxis(int(n, 'axis', -1), x.shape.length);
  const stats = x.shape.map((d, i) => (i < axis ? d : 1));
  return [same(n)[0], { shape: stats, dtype: 'float32' }, { shape: stats, dtype: 'float32' }];
}

/** Arithmetic on small integer constants, enough for exported shape computations (Shape -> Mul -> Reshape). */
function elementwise(n: NodeFacts, dtype?: DType): ValueFacts[] {
  const present = n.inputs.filter((v): v is ValueFacts => v !== undefined);
  const shape = broadcast(present.map((v) => v.shape));
  const out: ValueFacts = { shape, dtype: dtype ?? present[0]?.dtype ?? 'unknown' };
  const [a, b] = present;
  const fn = ({ Add: (x: number, y: number) => x + y, Sub: (x: number, y: number) => x - y, Mul: (x: number, y: number) => x * y,
    Div: (x: number, y: number) => Math.trunc(x / y) } as Record<string, (x: number, y: number) => number>)[n.opType];
  if (fn && a?.value && b?.value && present.length === 2 && /int/.test(out.dtype)) {
    const len = Math.max(a.value.length, b.value.length);
    if ((a.value.length === len || a.value.length === 1) && (b.value.length === len || b.value.length === 1)) {
      out.value = Array.from({ length: len }, (_, i) => fn(a.value![a.value!.length === 1 ? 0 : i], b.value![b.value!.length === 1 ? 0 : i]));
    }
  }
  return [out];
}

const UNARY = `Relu Clip Sigmoid Tanh LeakyRelu HardSwish HardSigmoid Elu Selu Celu Exp Log Abs Neg Sqrt Reciprocal
Floor Ceil Round Erf Softplus Softsign Sin Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh Sign Mish Gelu
ThresholdedRelu Shrink Softmax LogSoftmax Hardmax PRelu InstanceNormalization LRN LpNormalization
MeanVarianceNormalization CumSum Identity BatchNormalization GroupNormalization Trilu ReverseSequence
ScatterElements ScatterND Scatter QLinearSigmoid QLinearLeakyRelu QLinearSoftmax`;
const BINARY = 'Add Sub Mul Div Pow Max Min Sum Mean Mod BitShift BitwiseAnd BitwiseOr BitwiseXor';
const COMPARE = 'Equal Less Greater LessOrEqual GreaterOrEqual And Or Xor';

const RULES: Record<string, Rule> = {
  Conv: (n) => [{ shape: convShape(n, input(n, 0).shape, input(n, 1).shape), dtype: input(n, 0).dtype }],
  ConvInteger: (n) => [{ shape: convShape(n, input(n, 0).shape, input(n, 1).shape), dtype: 'int32' }],
  QLinearConv: (n) => [{ shape: convShape(n, input(n, 0).shape, input(n, 3).shape), dtype: n.inputs[7]?.dtype ?? input(n, 0).dtype }],
  ConvTranspose: (n) => [{ shape: convTransposeShape(n, input(n, 0).shape, input(n, 1).shape), dtype: input(n, 0).dtype }],
  MaxPool: (n) => {
    const shape = poolShape(n);
    return [{ shape, dtype: input(n, 0).dtype }, { shape, dtype: 'int64' }];
  },
  AveragePool: (n) => [{ shape: poolShape(n), dtype: input(n, 0).dtype }],
  LpPool: (n) => [{ shape: poolShape(n), dtype: input(n, 0).dtype }],
  GlobalAveragePool: globalPool,
  GlobalMaxPool: globalPool,
  GlobalLpPool: globalPool,
  QLinearGlobalAveragePool: globalPool,
  Gemm: (n) => [{ shape: gemmShape(n), dtype: input(n, 0).dtype }],
  MatMul: (n) => [{ shape: matmulShape(input(n, 0).shape, input(n, 1).shape), dtype: input(n, 0).dtype }],
  MatMulInteger: (n) => [{ shape: matmulShape(input(n, 0).shape, input(n, 1).shape), dtype: 'int32' }],
  QLinearMatMul: (n) => [{ shape: matmulShape(input(n, 0).shape, input(n, 3).shape), dtype: n.inputs[7]?.dtype ?? input(n, 0).dtype }],
  QLinearAdd: (n) => [{ shape: broadcast([input(n, 0).shape, input(n, 3).shape]), dtype: input(n, 0).dtype }],
  QLinearMul: (n) => [{ shape: broadcast([input(n, 0).shape, input(n, 3).shape]), dtype: input(n, 0).dtype }],
  Where: (n) => [{ shape: broadcast(n.inputs.map((v) => v?.shape)), dtype: input(n, 1).dtype }],
  Flatten: flatten,
  Reshape: reshape,
  Squeeze: squeeze,
  Unsqueeze: unsqueeze,
  Concat: concat,
  Transpose: transpose,
  Pad: pad,
  Slice: slice,
  Split: split,
  Resize: resize,
  Upsample: resize,
  Gather: gather,
  Shape: shapeOp,
  Size: () => [{ shape: [], dtype: 'int64' }],
  Constant: constant,
  ConstantOfShape: (n) => {
    const v = n.attrs.value;
    const dtype = v !== undefined && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array) ? v.dtype : 'float32';
    return [{ shape: n.inputs[0]?.value, dtype }];
  },
  Expand: expand,
  Tile: tile,
  DepthToSpace: (n) => depthSpace(n, false),
  SpaceToDepth: (n) => depthSpace(n, true),
  TopK: topK,
  ArgMax: argReduce,
  ArgMin: argReduce,
  ReduceSum: (n) => reduce(n, 13),
  LayerNormalization: layerNorm,
  Cast: (n) => [{ ...input(n, 0), dtype: dtypeOf(int(n, 'to', 0)) }],
  QuantizeLinear: (n) => {
    const explicit = int(n, 'output_dtype', 0);
    return same(n, explicit ? dtypeOf(explicit) : n.inputs[2]?.dtype ?? 'uint8');
  },
  DequantizeLinear: (n) => same(n, n.inputs[1]?.dtype ?? 'float32'),
  DynamicQuantizeLinear: (n) => [same(n, 'uint8')[0], { shape: [], dtype: 'float32' }, { shape: [], dtype: 'uint8' }],
  Dropout: (n) => [same(n)[0], same(n, 'bool')[0]],
  Identity: (n) => [{ ...input(n, 0) }],
  Not: (n) => same(n, 'bool'),
  IsNaN: (n) => same(n, 'bool'),
  IsInf: (n) => same(n, 'bool'),
};

for (const op of UNARY.split(/\s+/)) RULES[op] ??= (n) => same(n);
for (const op of BINARY.split(/\s+/)) RULES[op] = (n) => elementwise(n);
for (const op of COMPARE.split(/\s+/)) RULES[op] = (n) => elementwise(n, 'bool');
for (const op of 'ReduceMean ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceSumSquare'.split(' ')) {
  RULES[op] = (n) => reduce(n, 18);
}

/** Facts for each output of a node; unknown ops get unknown shapes, never an exception. */
export function inferNode(n: NodeFacts): ValueFacts[] {
  const domainKnown = n.domain === '' || n.domain === 'ai.onnx' || n.domain === 'com.microsoft';
  const rule = domainKnown ? RULES[n.opType] : undefined;
  let out: ValueFacts[] = [];
  if (rule) {
    try {
      out = rule(n);
    } catch {
      // Inference is advisory: a rule tripping over odd attributes must not reject the model.
      out = [];
    }
  }
  return Array.from({ length: n.outputCount }, (_, i) => sanitize(out[i] ?? UNKNOWN));
}

/** Non-integer or NaN dims from odd attributes become -1; a value that disagrees with the shape is dropped. */
function sanitize(f: ValueFacts): ValueFacts {
  const shape = f.shape?.map((d) => (Number.isInteger(d) && d >= 0 ? d : -1));
  const value = f.value && shape && shape.length <= 1 && f.value.length === (shape[0] ?? 1) && f.value.every(Number.isFinite) ? f.value : undefined;
  return value ? { shape, dtype: f.dtype, value } : { shape, dtype: f.dtype };
}
