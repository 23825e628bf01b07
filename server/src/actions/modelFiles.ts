// Bytes in and out of an action: the source model (a .tflite, an .onnx, or a C array holding
// one), and the output read back from the bytes that will be written, so that every figure in the
// report is for the file as it lands on disk.

import { extractModelBytes } from '../model/cArray';
import { type Graph, ModelError } from '../model/graph';
import { loadModel, modelFormatOf } from '../model/load';
import { writeTflite } from '../model/tflite/writer';
import { ActionError } from './errors';
import type { ModelFileFormat } from './options';

export interface ActionSource {
  bytes: Uint8Array;
  /** The file's name (or path): its extension tells C sources apart, and it names the model in messages. */
  fileName: string;
}

export interface LoadedModel {
  graph: Graph;
  /** The model's own bytes (for a C array, the array's contents). */
  bytes: Uint8Array;
  format: ModelFileFormat;
  fromCArray: boolean;
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return text;
}

export function loadSource(source: ActionSource): LoadedModel {
  try {
    let bytes = source.bytes;
    const fromCArray = modelFormatOf(bytes, source.fileName) === 'c-array';
    if (fromCArray) {
      const array = extractModelBytes(latin1(bytes), source.fileName);
      if (!array) throw new ModelError('no byte array with an initializer found');
      bytes = array.bytes;
    }
    const graph = loadModel(bytes);
    return { graph, bytes, format: graph.format, fromCArray };
  } catch (e) {
    if (e instanceof ModelError) throw new ActionError(`${source.fileName}: ${e.message}`);
    throw e;
  }
}

/** The graph the written bytes hold. */
export function readBack(bytes: Uint8Array): Graph {
  return loadModel(bytes);
}

/** Serializes a TFLite graph; what the writer cannot represent is the input's problem. */
export function tfliteBytes(graph: Graph): Uint8Array {
  try {
    return writeTflite(graph);
  } catch (e) {
    if (e instanceof ModelError) throw new ActionError(`the result cannot be written as TFLite: ${e.message}`);
    throw e;
  }
}

/** Whether any run-time tensor is integer-quantized: the model already runs int8 (or int16). */
export function quantizedActivation(graph: Graph): string | undefined {
  for (const t of graph.subgraphs[0].tensors) {
    if (t.data && t.data.length > 0) continue;
    if (t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int16') return `${t.name} is ${t.dtype}`;
  }
  return undefined;
}
