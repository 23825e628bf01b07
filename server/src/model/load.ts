// The one entry point from bytes to graph: sniffs the format (TFLite flatbuffer, C/C++ source
// holding a model array, ONNX protobuf) and hands the bytes to that format's reader.
import { extractModelBytes } from './cArray';
import { Graph, ModelError } from './graph';
import { readOnnx } from './onnx/reader';
import { looksLikeOnnx } from './onnx/wireCheck';
import { readTflite } from './tflite/reader';

export type SourceFormat = 'tflite' | 'onnx' | 'c-array' | 'unknown';

/**
 * Files beyond this size are not TinyML models: the edges that read files (CLI, language server)
 * refuse them before reading, so a stray huge file never exhausts memory.
 */
export const MAX_MODEL_FILE_BYTES = 512 * 1024 * 1024;

const C_EXTENSIONS = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ino)$/i;

function hasTfl3(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[4] === 0x54 && bytes[5] === 0x46 && bytes[6] === 0x4c && bytes[7] === 0x33;
}

/** Text in the sense of source code: tabs, line breaks and printable ASCII (UTF-8 allowed for comments). */
function isText(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b < 0x20 && b !== 9 && b !== 10 && b !== 12 && b !== 13) return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/** Decodes source bytes char by char; non-ASCII bytes only occur in comments and strings we skip. */
function decodeText(bytes: Uint8Array): string {
  let text = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    text += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return text;
}

/** An initializer list opening with a number: `= { 0x1c,` / `= {\n  28,` (comments allowed before it). */
const ARRAY_INITIALIZER = /=\s*\{\s*(?:(?:\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)\s*)*[-+]?(?:0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*[,}]/;

function looksLikeCArray(bytes: Uint8Array, fileName: string | undefined): boolean {
  if (fileName && C_EXTENSIONS.test(fileName)) return true;
  return isText(bytes) && ARRAY_INITIALIZER.test(decodeText(bytes));
}

export function modelFormatOf(bytes: Uint8Array, fileName?: string): SourceFormat {
  if (hasTfl3(bytes)) return 'tflite';
  if (looksLikeCArray(bytes, fileName)) return 'c-array';
  // Exporters write ir_version (field 1, varint: tag 0x08) first; anything else must parse cleanly.
  if (bytes[0] === 0x08 || looksLikeOnnx(bytes)) return 'onnx';
  return 'unknown';
}

function describe(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `${bytes.length} bytes starting ${head}`;
}

export function loadModel(bytes: Uint8Array, fileName?: string): Graph {
  return load(bytes, fileName, true);
}

function load(bytes: Uint8Array, fileName: string | undefined, allowCArray: boolean): Graph {
  const format = modelFormatOf(bytes, fileName);
  switch (format) {
    case 'tflite':
      return readTflite(bytes);
    case 'onnx':
      return readOnnx(bytes);
    case 'c-array': {
      if (!allowCArray) break;
      const array = extractModelBytes(decodeText(bytes), fileName);
      if (!array) throw new ModelError(`${fileName ?? 'source'}: no byte array with an initializer found`);
      // The embedded bytes are a model file in their own right; a C array inside one is not.
      const inner = modelFormatOf(array.bytes);
      if (inner === 'tflite' || inner === 'onnx') return load(array.bytes, undefined, false);
      throw new ModelError(
        `${fileName ?? 'source'}:${array.line}: array '${array.name}' holds neither a .tflite flatbuffer nor an ONNX protobuf: ${describe(array.bytes)}`,
      );
    }
    default:
      break;
  }
  throw new ModelError(`not a .tflite flatbuffer, an ONNX protobuf or a C array: ${describe(bytes)}`);
}
