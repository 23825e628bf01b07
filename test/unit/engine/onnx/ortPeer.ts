// onnxruntime-node as the reference the ONNX engine and the converter are checked against, run in
// the same process: one thread, and graph optimizations off by default so that QDQ graphs run as
// written (with them on, onnxruntime fuses DQ -> op -> Q into integer kernels).

import * as ort from 'onnxruntime-node';
import type { TensorData } from '../../../../server/src/engine/kernels/kernel';
import { readOnnx } from '../../../../server/src/model/onnx/reader';
import { prepareOnnxEngine } from '../../../../server/src/engine/onnx/onnxEngine';

type OrtType = 'float32' | 'int8' | 'uint8' | 'int32';

export type Optimization = 'disabled' | 'all';

function ortTypeOf(data: TensorData): OrtType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int32Array) return 'int32';
  return 'uint8';
}

/** Runs `model` in onnxruntime-node with `inputs` (in graph-input order); returns outputs in graph-output order. */
export async function runOrt(model: Uint8Array, inputs: TensorData[], optimization: Optimization = 'disabled'): Promise<TensorData[]> {
  const session = await ort.InferenceSession.create(model, {
    graphOptimizationLevel: optimization,
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
  });
  try {
    const graph = readOnnx(model).subgraphs[0];
    const feeds: Record<string, ort.Tensor> = {};
    session.inputNames.forEach((name, i) => {
      const t = graph.tensors.find((x) => x.name === name);
      if (!t) throw new Error(`no graph input ${name}`);
      feeds[name] = new ort.Tensor(ortTypeOf(inputs[i]), inputs[i], t.shape);
    });
    const result = await session.run(feeds);
    return session.outputNames.map((name) => result[name].data as TensorData);
  } finally {
    await session.release();
  }
}

/** Runs `model` in the ONNX engine; returns copies of the outputs. */
export function runEngine(model: Uint8Array, inputs: TensorData[]): TensorData[] {
  const engine = prepareOnnxEngine(readOnnx(model));
  engine.invoke(inputs);
  return engine.outputs.map((o) => o.data.slice());
}

/** Largest |a - b| relative to max(|a|, |b|, 1): below 1e-5 means float agreement. */
export function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < a.length; i++) {
    const scale = Math.max(Math.abs(a[i]), Math.abs(b[i]), 1);
    const e = Math.abs(a[i] - b[i]) / scale;
    if (!(e <= worst)) worst = e;
  }
  return worst;
}

/** Deterministic pseudo-random values in [lo, hi) (a 32-bit LCG, as the TFLM oracle's inputs). */
export function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function floats(n: number, seed: number, lo = -2, hi = 2): Float32Array {
  const r = lcg(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

export function ints(n: number, seed: number, lo: number, hi: number): number[] {
  const r = lcg(seed);
  return Array.from({ length: n }, () => lo + Math.floor((hi - lo + 1) * r()));
}
