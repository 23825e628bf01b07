// The ONNX engine (#4): runs an ONNX graph IR in the pure core with the same `Engine` interface as
// the TFLite engine. Prepare once: every node's kernel validates its attributes, computes its
// output shapes and precomputes strides, windows and requantization scales; then every run-time
// tensor gets a typed view into ONE ArrayBuffer. Invoke only runs the prepared closures.
// Float ops follow onnxruntime's semantics; QDQ graphs run as written (dequantize, float op,
// quantize); QLinear and Integer ops reproduce onnxruntime's float requantization (ortRounding.ts).
// With graph optimizations on, onnxruntime fuses DQ -> Conv/Gemm -> Q into QLinearConv, whose
// integer accumulator times (x_scale * w_scale / y_scale) can round a near-tie differently from the
// float Conv and QuantizeLinear run here: at most 1 LSB. Measured on the converted ../shared int8
// models (test/unit/convert): no element differed, optimizations on or off.

import type { DType, Graph, Tensor } from '../../model/graph';
import { EngineError } from '../engineError';
import type { Engine } from '../engine';
import type { EngineTensor, Eval, TensorData } from '../kernels/kernel';
import type { OnnxContext } from './context';
import { onnxKernelFor, supportedOnnxOps } from './registry';

export { EngineError } from '../engineError';

const ALIGNMENT = 16;

function elementBytes(dtype: DType): number {
  switch (dtype) {
    case 'int16':
    case 'uint16':
    case 'float16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    case 'int64':
    case 'uint64':
    case 'float64':
      return 8;
    default:
      return 1;
  }
}

function typedView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData {
  switch (dtype) {
    case 'int8':
      return new Int8Array(buffer, byteOffset, length);
    case 'int16':
      return new Int16Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    default:
      return new Uint8Array(buffer, byteOffset, length * elementBytes(dtype));
  }
}

/** Constant values as numbers, whatever their type (int64 shapes included). */
function constantValues(t: Tensor, data: Uint8Array): number[] {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const width = elementBytes(t.dtype);
  const n = Math.floor(data.byteLength / width);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const o = i * width;
    switch (t.dtype) {
      case 'float32': out[i] = view.getFloat32(o, true); break;
      case 'float64': out[i] = view.getFloat64(o, true); break;
      case 'int8': out[i] = view.getInt8(o); break;
      case 'int16': out[i] = view.getInt16(o, true); break;
      case 'uint16': out[i] = view.getUint16(o, true); break;
      case 'int32': out[i] = view.getInt32(o, true); break;
      case 'uint32': out[i] = view.getUint32(o, true); break;
      case 'int64': out[i] = Number(view.getBigInt64(o, true)); break;
      case 'uint64': out[i] = Number(view.getBigUint64(o, true)); break;
      default: out[i] = view.getUint8(o);
    }
  }
  return out;
}

function isByteArray(v: ArrayBufferView): boolean {
  return v instanceof Int8Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray;
}

export function prepareOnnxEngine(graph: Graph): Engine {
  const sg = graph.subgraphs[0];
  if (!sg) throw new EngineError('the graph has no subgraph');
  if (graph.format !== 'onnx') throw new EngineError(`prepareOnnxEngine runs ONNX graphs, not ${graph.format}`);

  for (const op of sg.operators) {
    if (!onnxKernelFor(op.opType)) {
      throw new EngineError(`op type ${op.opType} is not supported by the ONNX engine (supported: ${supportedOnnxOps().join(', ')})`, op);
    }
  }

  const views = new Map<number, EngineTensor>();
  // Run-time tensors in declaration order; their views are bound once the arena size is known.
  const planned: EngineTensor[] = [];

  const quantOf = (t: Tensor): { scales: number[]; zeroPoints: number[] } => ({
    scales: t.quantization?.scale ?? [],
    zeroPoints: t.quantization?.zeroPoint ?? [],
  });

  const makeView = (t: Tensor, shape: readonly number[], dtype: DType, data: TensorData, bytes: Uint8Array, constant: boolean): EngineTensor => {
    const { scales, zeroPoints } = quantOf(t);
    return { index: t.index, name: t.name, shape, dtype, scale: scales[0] ?? 0, zeroPoint: zeroPoints[0] ?? 0, scales, zeroPoints, data, bytes, constant };
  };

  const placeholder = new Uint8Array(0);
  const declare = (t: Tensor, shape: readonly number[], dtype: DType): EngineTensor => {
    if (shape.some((d) => !(d >= 0) || !Number.isInteger(d))) throw new EngineError(`tensor ${t.name} has a dynamic or invalid shape [${shape.join(', ')}]`);
    if (dtype === 'int64' || dtype === 'uint64' || dtype === 'float64' || dtype === 'float16' || dtype === 'string') {
      throw new EngineError(`tensor ${t.name}: run-time tensors of type ${dtype} are not supported`);
    }
    const view = makeView(t, [...shape], dtype, placeholder, placeholder, false);
    planned.push(view);
    views.set(t.index, view);
    return view;
  };

  const viewOf = (index: number): EngineTensor => {
    const cached = views.get(index);
    if (cached) return cached;
    const t = sg.tensors[index];
    if (!t) throw new EngineError(`tensor ${index} does not exist`);
    if (t.data) {
      // Copy constants once into aligned typed storage: model bytes carry no alignment promise.
      const bytes = t.data.slice();
      const width = elementBytes(t.dtype);
      const view = makeView(t, t.shape, t.dtype, typedView(t.dtype, bytes.buffer, 0, bytes.byteLength / width), bytes, true);
      views.set(index, view);
      return view;
    }
    throw new EngineError(`tensor ${index} (${t.name}) is read before any node produces it`);
  };

  for (const index of sg.inputs) {
    const t = sg.tensors[index];
    if (!t.data) declare(t, t.shape, t.dtype);
  }

  const evals: Eval[] = sg.operators.map((op) => {
    const fail = (message: string): never => {
      throw new EngineError(message, op);
    };
    const inputAt = (k: number): EngineTensor | undefined => {
      const i = k < op.inputs.length ? op.inputs[k] : -1;
      return i < 0 ? undefined : viewOf(i);
    };
    const constantAt = (k: number): number[] | undefined => {
      const i = k < op.inputs.length ? op.inputs[k] : -1;
      if (i < 0) return undefined;
      const t = sg.tensors[i];
      if (!t.data) return fail(`input ${k} (${t.name}) must be a constant`);
      return constantValues(t, t.data);
    };
    const ctx: OnnxContext = {
      op,
      opset: op.version,
      inputCount: op.inputs.length,
      input: (k) => inputAt(k) ?? fail(`input ${k} is missing`),
      optionalInput: inputAt,
      constant: (k) => constantAt(k) ?? fail(`input ${k} is missing`),
      optionalConstant: constantAt,
      output: (k, shape, dtype) => {
        const i = k < op.outputs.length ? op.outputs[k] : -1;
        if (i < 0) return fail(`output ${k} is missing`);
        const t = sg.tensors[i];
        if (views.has(i)) return fail(`output ${t.name} is produced twice`);
        const declared = t.shape;
        if (declared.length === shape.length && declared.some((d, j) => d >= 0 && d !== shape[j])) {
          fail(`output ${t.name} computes to shape [${shape.join(', ')}] but the model declares [${declared.join(', ')}]`);
        }
        return declare(t, shape, dtype);
      },
      hasOutput: (k) => k < op.outputs.length && op.outputs[k] >= 0,
      int: (name, fallback) => {
        const v = op.options[name];
        return typeof v === 'number' ? v : fallback;
      },
      ints: (name) => {
        const v = op.options[name];
        return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
      },
      float: (name, fallback) => {
        const v = op.options[name];
        return typeof v === 'number' ? v : fallback;
      },
      string: (name, fallback) => {
        const v = op.options[name];
        return typeof v === 'string' ? v : fallback;
      },
      fail,
    };
    const kernel = onnxKernelFor(op.opType);
    if (!kernel) return fail('no kernel');
    try {
      return kernel(ctx);
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError(e instanceof Error ? e.message : String(e), op);
    }
  });

  // One buffer; each run-time tensor at its own aligned offset (no reuse yet: ONNX models here are
  // small, and a plan shared with the TFLite engine is future work, #4).
  let size = 0;
  const offsets = planned.map((v) => {
    const at = size;
    size = Math.ceil((at + sizeOfShape(v.shape) * elementBytes(v.dtype)) / ALIGNMENT) * ALIGNMENT;
    return at;
  });
  const arena = new ArrayBuffer(Math.max(size, ALIGNMENT));
  planned.forEach((v, i) => {
    const n = sizeOfShape(v.shape);
    v.bytes = new Uint8Array(arena, offsets[i], n * elementBytes(v.dtype));
    v.data = typedView(v.dtype, arena, offsets[i], n);
  });

  const inputs = sg.inputs.map(viewOf);
  const outputs = sg.outputs.map(viewOf);
  const evalCount = evals.length;
  return {
    inputs,
    outputs,
    arena,
    plannedBytes: size,
    tensor: viewOf,
    invoke(given?: readonly ArrayBufferView[]): void {
      if (given) {
        if (given.length > inputs.length) throw new EngineError(`${given.length} inputs given, the model has ${inputs.length}`);
        for (let i = 0; i < given.length; i++) {
          const src = given[i];
          const dst = inputs[i];
          if (src.byteLength !== dst.bytes.byteLength) {
            throw new EngineError(`input ${i} (${dst.name}) needs ${dst.bytes.byteLength} bytes, got ${src.byteLength}`);
          }
          if (src.constructor === dst.data.constructor || (isByteArray(src) && isByteArray(dst.data))) {
            dst.data.set(src as unknown as ArrayLike<number>);
          } else {
            dst.bytes.set(new Uint8Array(src.buffer, src.byteOffset, src.byteLength));
          }
        }
      }
      for (let k = 0; k < evalCount; k++) evals[k]();
    },
  };
}

function sizeOfShape(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
