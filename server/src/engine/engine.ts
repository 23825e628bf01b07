// The bundled inference engine: prepare a graph once (validate every op, precompute fixed-point
// parameters, lay every non-constant tensor into ONE ArrayBuffer at the offsets of TFLM's memory
// plan), then invoke it many times without allocating. Because tensors share bytes exactly as the
// plan says, a plan that let two live tensors overlap would show up here as wrong outputs.

import type { TflmArenaBuffer } from '../analysis/arena/tflmArena';
import { planTflmArena } from '../analysis/arena/tflmArena';
import type { DType, Graph, Tensor } from '../model/graph';
import { EngineError } from './engineError';
import type { EngineTensor, Eval, KernelContext, TensorData } from './kernels/kernel';
import { kernelFor, supportedOps } from './kernels/registry';
import { prepareOnnxEngine } from './onnx/onnxEngine';

export { EngineError } from './engineError';
export type { EngineTensor, TensorData } from './kernels/kernel';

export interface EngineOptions {
  /** Subgraph to run (0 by default). */
  subgraph?: number;
  /**
   * Buffer placements to use instead of `planTflmArena(graph).buffers` (tensor index -> offset in
   * the chosen subgraph). For checking a planner: a wrong plan gives wrong outputs.
   */
  arenaPlan?: readonly TflmArenaBuffer[];
}

export interface Engine {
  readonly inputs: readonly EngineTensor[];
  readonly outputs: readonly EngineTensor[];
  /** The one buffer every non-constant tensor lives in. */
  readonly arena: ArrayBuffer;
  /** Bytes of the arena the memory plan covers (the planned head, as TFLM reports it). */
  readonly plannedBytes: number;
  /** The engine's view of any tensor of the subgraph (constants view the model bytes). */
  tensor(index: number): EngineTensor;
  /**
   * Copies `inputs[i]` (same byte length as input i) into the arena, then runs every op in order.
   * Pass nothing when the input views were filled in place.
   */
  invoke(inputs?: readonly ArrayBufferView[]): void;
  /**
   * Resets the variable tensors (LSTM/SVDF state) as TFLM's ResetVariableTensors does: int8 to
   * its zero point, everything else to 0. Prepare already did it once; state otherwise carries
   * over from one invoke to the next, as on the device. Optional for engines without state.
   */
  reset?(): void;
}

const ALIGNMENT = 16;

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

function elementBytes(dtype: DType): number {
  switch (dtype) {
    case 'int16':
    case 'uint16':
    case 'float16':
    case 'bfloat16':
      return 2;
    case 'int32':
    case 'uint32':
    case 'float32':
      return 4;
    case 'int64':
    case 'uint64':
    case 'float64':
    case 'complex64':
      return 8;
    case 'complex128':
      return 16;
    default:
      return 1;
  }
}

function tensorByteLength(t: Tensor): number {
  let n = 1;
  for (const d of t.shape) n *= d;
  return t.dtype === 'int4' ? Math.ceil(n / 2) : n * elementBytes(t.dtype);
}

/** A view typed by dtype; byteOffset must be aligned to the element size. */
function typedView(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, byteLength: number): TensorData {
  switch (dtype) {
    case 'int8':
      return new Int8Array(buffer, byteOffset, byteLength);
    case 'int16':
      return new Int16Array(buffer, byteOffset, byteLength / 2);
    case 'int32':
      return new Int32Array(buffer, byteOffset, byteLength / 4);
    case 'float32':
      return new Float32Array(buffer, byteOffset, byteLength / 4);
    default:
      return new Uint8Array(buffer, byteOffset, byteLength);
  }
}

function isByteArray(v: ArrayBufferView): boolean {
  return v instanceof Int8Array || v instanceof Uint8Array || v instanceof Uint8ClampedArray;
}

export function prepareEngine(graph: Graph, options: EngineOptions = {}): Engine {
  // ONNX graphs run on their own kernels (onnxruntime's semantics), behind the same interface.
  if (graph.format === 'onnx') return prepareOnnxEngine(graph);
  const s = options.subgraph ?? 0;
  const sg = graph.subgraphs[s];
  if (!sg) throw new EngineError(`subgraph ${s} does not exist (the model has ${graph.subgraphs.length})`);

  // Every op must have a kernel before anything is allocated.
  for (const op of sg.operators) {
    if (op.custom || !kernelFor(op.opType)) {
      throw new EngineError(
        `${op.custom ? 'custom op' : 'op type'} ${op.opType} is not supported by the engine ` +
          `(supported: ${supportedOps().join(', ')})`,
        op,
      );
    }
  }

  // The TFLM memory plan: tensor index -> offset in the arena head.
  const plan = options.arenaPlan ?? planTflmArena(graph).buffers;
  const offsets = new Map<number, number>();
  let plannedBytes = 0;
  for (const b of plan) {
    // The head is shared by every subgraph's buffers and scratch buffers: size it for all.
    plannedBytes = Math.max(plannedBytes, b.offset + b.bytes);
    if (b.subgraphIndex === s && b.tensorIndex !== null) offsets.set(b.tensorIndex, b.offset);
  }
  // Non-constant tensors the plan does not place (variable tensors live in TFLM's tail) go after it.
  let tail = alignUp(plannedBytes, ALIGNMENT);
  const extra = new Map<number, number>();
  for (const t of sg.tensors) {
    if (t.data && t.data.length > 0) continue;
    if (!offsets.has(t.index)) {
      extra.set(t.index, tail);
      tail = alignUp(tail + tensorByteLength(t), ALIGNMENT);
    }
  }
  const arena = new ArrayBuffer(tail);

  const views = new Map<number, EngineTensor>();
  const viewOf = (index: number): EngineTensor => {
    const cached = views.get(index);
    if (cached) return cached;
    const t = sg.tensors[index];
    if (!t) throw new EngineError(`tensor ${index} does not exist in subgraph ${s}`);
    const q = t.quantization;
    const scales = q?.scale ?? [];
    const zeroPoints = q?.zeroPoint ?? [];
    let bytes: Uint8Array;
    const constant = t.data !== undefined && t.data.length > 0;
    if (constant && t.data) {
      const size = elementBytes(t.dtype);
      // TFLite aligns buffers, but nothing guarantees it: copy rather than misread.
      bytes = t.data.byteOffset % size === 0 ? t.data : t.data.slice();
    } else {
      if (t.shape.some((d) => d < 0)) {
        throw new EngineError(`tensor ${index} (${t.name}) has a dynamic shape [${t.shape.join(', ')}]`);
      }
      const offset = offsets.get(index) ?? extra.get(index) ?? 0;
      bytes = new Uint8Array(arena, offset, tensorByteLength(t));
    }
    const view: EngineTensor = {
      index,
      name: t.name,
      shape: t.shape,
      dtype: t.dtype,
      scale: scales[0] ?? 0,
      zeroPoint: zeroPoints[0] ?? 0,
      scales,
      zeroPoints,
      data: typedView(t.dtype, bytes.buffer, bytes.byteOffset, bytes.byteLength),
      bytes,
      constant,
    };
    views.set(index, view);
    return view;
  };

  const evals: Eval[] = sg.operators.map((op) => {
    const fail = (message: string): never => {
      throw new EngineError(message, op);
    };
    const ctx: KernelContext = {
      op,
      optionalInput: (k) => {
        const i = k < op.inputs.length ? op.inputs[k] : -1;
        return i < 0 ? undefined : viewOf(i);
      },
      input: (k) => {
        const i = k < op.inputs.length ? op.inputs[k] : -1;
        return i < 0 ? fail(`input ${k} is missing`) : viewOf(i);
      },
      output: (k) => {
        const i = k < op.outputs.length ? op.outputs[k] : -1;
        return i < 0 ? fail(`output ${k} is missing`) : viewOf(i);
      },
      inputCount: () => op.inputs.length,
      fail,
    };
    const kernel = kernelFor(op.opType);
    if (!kernel) return fail('no kernel');
    try {
      return kernel.prepare(ctx);
    } catch (e) {
      if (e instanceof EngineError) throw e;
      throw new EngineError(e instanceof Error ? e.message : String(e), op);
    }
  });

  const inputs = sg.inputs.map(viewOf);
  const outputs = sg.outputs.map(viewOf);
  const evalCount = evals.length;
  const variables = sg.tensors.filter((t) => t.isVariable && !(t.data && t.data.length > 0)).map((t) => viewOf(t.index));
  const reset = (): void => {
    for (const v of variables) {
      // micro_interpreter_graph.cc ResetTensorData: memset to the int8 zero point, else 0.
      v.bytes.fill(v.dtype === 'int8' ? v.zeroPoint & 0xff : 0);
    }
  };
  reset();

  return {
    inputs,
    outputs,
    arena,
    plannedBytes,
    tensor: viewOf,
    reset,
    invoke(given?: readonly ArrayBufferView[]): void {
      if (given) {
        if (given.length > inputs.length) {
          throw new EngineError(`${given.length} inputs given, the model has ${inputs.length}`);
        }
        for (let i = 0; i < given.length; i++) {
          const src = given[i];
          const dst = inputs[i];
          if (src.byteLength !== dst.bytes.byteLength) {
            throw new EngineError(
              `input ${i} (${dst.name}) needs ${dst.bytes.byteLength} bytes, got ${src.byteLength}`,
            );
          }
          if (src.constructor === dst.data.constructor || (isByteArray(src) && isByteArray(dst.data))) {
            // Same element type, or int8/uint8 (whose conversion keeps the bit pattern).
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
