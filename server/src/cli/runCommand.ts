// `tinyml run <model> --input <file> [--input <file> ...] [--output <file> ...] [--json]`: one
// inference with the bundled TFLM-exact engine. Inputs are raw .bin bytes in the input's own
// type, or .npy arrays (float32 arrays are quantized for quantized inputs, integer arrays cast for
// float inputs). Outputs are written as raw bytes (or .npy) and reported dequantized.

import { prepareEngine, EngineError, type EngineTensor } from '../engine/engine';
import { tfliteRound } from '../engine/fixedPoint';
import { elementCount } from '../model/graph';
import { parseArgs, UsageError } from './args';
import { readModelFile } from './io';
import { type FileDType, type TensorFile, elementBytesOf, readTensorFile, writeTensorFile } from './tensorFiles';

const TOP_K = 5;

export function runCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, {
    repeatable: ['input', 'output'],
    flags: ['json'],
    aliases: { i: 'input', o: 'output' },
  });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const inputPaths = args.values.get('input') ?? [];
  const outputPaths = args.values.get('output') ?? [];

  const graph = readModelFile(args.positional[0]);
  let engine;
  try {
    engine = prepareEngine(graph);
  } catch (error) {
    if (error instanceof EngineError) throw new UsageError(`${args.positional[0]}: ${error.message}`);
    throw error;
  }
  if (inputPaths.length !== engine.inputs.length) {
    throw new UsageError(
      `the model has ${engine.inputs.length} input(s) (${engine.inputs.map(describe).join('; ')}); ${inputPaths.length} --input given`,
    );
  }
  if (outputPaths.length > engine.outputs.length) {
    throw new UsageError(`the model has ${engine.outputs.length} output(s); ${outputPaths.length} --output given`);
  }
  const inputs = inputPaths.map((path, i) => toInputBytes(readTensorFile(path), engine.inputs[i], `input ${i} (${path})`));
  const start = performance.now();
  engine.invoke(inputs);
  const ms = performance.now() - start;

  outputPaths.forEach((path, i) => {
    const o = engine.outputs[i];
    writeTensorFile(path, fileDType(o.dtype), o.shape, o.bytes);
  });
  const outputs = engine.outputs.map(outputJson);
  if (args.flags.has('json')) {
    out(JSON.stringify({ outputs }, null, 2));
  } else {
    out(runText(args.positional[0], engine.outputs, outputs, ms));
  }
  return 0;
}

function describe(t: EngineTensor): string {
  const q = t.scales.length > 0 ? ` scale ${t.scale} zero point ${t.zeroPoint}` : '';
  return `${t.name}: ${t.dtype}[${t.shape.join(', ')}]${q}`;
}

function fileDType(dtype: string): FileDType | undefined {
  return dtype === 'float32' || dtype === 'int8' || dtype === 'uint8' || dtype === 'int16' || dtype === 'int32' ? dtype : undefined;
}

function isQuantized(t: EngineTensor): boolean {
  return t.scales.length > 0 && t.scale > 0 && t.dtype !== 'float32';
}

/** The typed values of a tensor file's bytes. */
function valuesOf(dtype: FileDType, bytes: Uint8Array): Float32Array | Int8Array | Uint8Array | Int16Array | Int32Array {
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  switch (dtype) {
    case 'float32':
      return new Float32Array(buffer);
    case 'int8':
      return new Int8Array(buffer);
    case 'uint8':
      return new Uint8Array(buffer);
    case 'int16':
      return new Int16Array(buffer);
    default:
      return new Int32Array(buffer);
  }
}

/** Turns a tensor file into the exact bytes of one model input, or says why it cannot. */
export function toInputBytes(file: TensorFile, input: EngineTensor, what: string): Uint8Array {
  const count = elementCount(input.shape);
  const needBytes = input.bytes.length;
  const inputType = fileDType(input.dtype);
  const expect = `${count} elements of ${input.dtype} (${needBytes} bytes, shape [${input.shape.join(', ')}])`;
  if (file.kind === 'bin' || !file.dtype) {
    if (file.bytes.length !== needBytes) throw new UsageError(`${what}: expected ${expect}, got ${file.bytes.length} bytes`);
    return file.bytes;
  }
  const got = file.bytes.length / elementBytesOf(file.dtype);
  const gotText = `${got} elements of ${file.dtype} (shape [${(file.shape ?? []).join(', ')}])`;
  if (got !== count) throw new UsageError(`${what}: expected ${expect}, got ${gotText}`);
  if (file.dtype === inputType) return file.bytes;
  const values = valuesOf(file.dtype, file.bytes);
  if (file.dtype === 'float32' && inputType && inputType !== 'float32' && isQuantized(input)) {
    // TFLite's AffineQuantize: round(x / scale) half away from zero (float32 division), + zero
    // point, clamped to the input type.
    const range = inputType === 'int8' ? [-128, 127] : inputType === 'uint8' ? [0, 255] : inputType === 'int16' ? [-32768, 32767] : [-(2 ** 31), 2 ** 31 - 1];
    const scale = Math.fround(input.scale);
    const result = valuesOf(inputType, new Uint8Array(needBytes));
    for (let i = 0; i < count; i++) {
      const v = tfliteRound(Math.fround(values[i] / scale)) + input.zeroPoint;
      result[i] = v < range[0] ? range[0] : v > range[1] ? range[1] : v;
    }
    return new Uint8Array(result.buffer);
  }
  if (file.dtype !== 'float32' && inputType === 'float32') {
    // An integer array for a float input: its values are taken as numbers (a plain cast).
    return new Uint8Array(Float32Array.from(values).buffer);
  }
  throw new UsageError(
    `${what}: expected ${expect}, got ${gotText}: give ${input.dtype} values` +
      (isQuantized(input) ? ' or float32 values to quantize' : ''),
  );
}

export interface OutputJson {
  name: string;
  shape: number[];
  dtype: string;
  scale: number;
  zeroPoint: number;
  values: number[];
}

function outputJson(o: EngineTensor): OutputJson {
  const quantized = isQuantized(o);
  const values = Array.from(o.data as ArrayLike<number>, (q) => (quantized ? (q - o.zeroPoint) * o.scale : q));
  return { name: o.name, shape: [...o.shape], dtype: o.dtype, scale: o.scale, zeroPoint: o.zeroPoint, values };
}

function runText(path: string, tensors: readonly EngineTensor[], outputs: OutputJson[], ms: number): string {
  const lines = [`${path}: 1 inference in ${ms.toFixed(2)} ms`];
  outputs.forEach((o, i) => {
    const raw = tensors[i].data as ArrayLike<number>;
    const q = isQuantized(tensors[i]) ? ` scale ${o.scale} zero point ${o.zeroPoint}` : '';
    lines.push('', `output ${i} ${o.name}: ${o.dtype}[${o.shape.join(', ')}]${q}`);
    const nonUnit = o.shape.filter((d) => d !== 1);
    if (nonUnit.length === 1 && o.values.length >= 2) {
      const order = o.values.map((_, k) => k).sort((a, b) => o.values[b] - o.values[a] || a - b);
      lines.push(`  top ${Math.min(TOP_K, order.length)}:`);
      for (const k of order.slice(0, TOP_K)) {
        lines.push(`    [${k}] ${formatValue(o.values[k])}${q ? ` (raw ${raw[k]})` : ''}`);
      }
    } else {
      const shown = o.values.slice(0, 8).map(formatValue).join(', ');
      let min = Infinity;
      let max = -Infinity;
      let sum = 0;
      for (const v of o.values) {
        min = Math.min(min, v);
        max = Math.max(max, v);
        sum += v;
      }
      lines.push(`  values: [${shown}${o.values.length > 8 ? ', ...' : ''}]`);
      if (o.values.length > 0) lines.push(`  min ${formatValue(min)}, max ${formatValue(max)}, mean ${formatValue(sum / o.values.length)}`);
    }
  });
  return lines.join('\n');
}

function formatValue(v: number): string {
  return Number.isInteger(v) ? String(v) : v.toPrecision(6);
}
