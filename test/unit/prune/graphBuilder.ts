// Tiny TFLite-flavoured graph IRs for the pruning tests, built directly (no flatbuffer): int8
// activations with per-tensor quantization, int8 filters with per-channel scales, int32 biases
// whose scale is input scale x filter scale, as the TFLite converter lays them out.

import type { Graph, Operator, OptionValue, Quantization, Tensor } from '../../../server/src/model/graph';
import { builtinCodeOf } from '../../../server/src/model/tflite/writer';

export const CONV = { padding: 'SAME', strideW: 1, strideH: 1, dilationW: 1, dilationH: 1, fusedActivation: 'NONE' };
export const DEPTHWISE = { ...CONV, depthMultiplier: 1 };

export function int8Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int8Array.from(values).buffer);
}

export function int32Bytes(values: readonly number[]): Uint8Array {
  return new Uint8Array(Int32Array.from(values).buffer);
}

export function int8Values(t: Tensor): number[] {
  const d = t.data ?? new Uint8Array(0);
  return Array.from(new Int8Array(d.buffer, d.byteOffset, d.byteLength));
}

export function int32Values(t: Tensor): number[] {
  const d = (t.data ?? new Uint8Array(0)).slice();
  return Array.from(new Int32Array(d.buffer, 0, d.byteLength / 4));
}

export function float32Values(t: Tensor): number[] {
  const d = (t.data ?? new Uint8Array(0)).slice();
  return Array.from(new Float32Array(d.buffer, 0, d.byteLength / 4));
}

export class GraphBuilder {
  readonly tensors: Tensor[] = [];
  readonly operators: Operator[] = [];

  private add(t: Omit<Tensor, 'index' | 'isVariable' | 'buffer'>): number {
    const index = this.tensors.length;
    this.tensors.push({ ...t, index, isVariable: false, buffer: t.data ? index + 1 : 0 });
    return index;
  }

  /** An int8 activation with one scale. */
  activation(name: string, shape: number[], scale: number, zeroPoint = 0): number {
    return this.add({ name, shape, dtype: 'int8', quantization: { scale: [scale], zeroPoint: [zeroPoint], axis: 0 } });
  }

  floatActivation(name: string, shape: number[]): number {
    return this.add({ name, shape, dtype: 'float32' });
  }

  /** Int8 weights, per channel along `axis` when `scales` has more than one entry. */
  int8(name: string, shape: number[], values: number[], scales: number[], axis = 0, zeroPoints?: number[]): number {
    const quantization: Quantization = { scale: scales, zeroPoint: zeroPoints ?? scales.map(() => 0), axis };
    return this.add({ name, shape, dtype: 'int8', quantization, data: int8Bytes(values) });
  }

  /** An int32 bias quantized at input scale x filter scale per channel. */
  bias(name: string, values: number[], inputScale: number, filterScales: number[]): number {
    const scale = filterScales.map((s) => inputScale * s);
    return this.add({ name, shape: [values.length], dtype: 'int32', quantization: { scale, zeroPoint: scale.map(() => 0), axis: 0 }, data: int32Bytes(values) });
  }

  int32(name: string, values: number[]): number {
    return this.add({ name, shape: [values.length], dtype: 'int32', data: int32Bytes(values) });
  }

  float32(name: string, shape: number[], values: number[]): number {
    return this.add({ name, shape, dtype: 'float32', data: new Uint8Array(Float32Array.from(values).buffer) });
  }

  op(opType: string, inputs: number[], outputs: number[], options: Record<string, OptionValue> = {}): void {
    this.operators.push({
      index: this.operators.length,
      opType,
      known: true,
      builtinCode: builtinCodeOf(opType) ?? -1,
      custom: false,
      version: 1,
      inputs,
      outputs,
      intermediates: [],
      options,
    });
  }

  build(inputs: number[], outputs: number[]): Graph {
    return {
      format: 'tflite',
      version: 3,
      description: 'prune test',
      subgraphs: [{ name: 'main', tensors: this.tensors, operators: this.operators, inputs, outputs }],
      metadata: [],
      fileBytes: 0,
    };
  }
}

/** A deterministic int8 input (LCG), the same for both models under comparison. */
export function int8Input(length: number, seed: number): Int8Array {
  const out = new Int8Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s >>> 24) - 128;
  }
  return out;
}
