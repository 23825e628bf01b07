// Reads the model a request names: a .tflite/.onnx file (bytes from disk; LSP text sync never
// carries them) or a byte array in a C/C++ source (the editor's unsaved text first), and loads
// it. Failures name the file and array, for the budget view and the code generation commands.

import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractModelBytes, readCArray, type CArray } from '../model/cArray';
import { ModelError, type Graph } from '../model/graph';
import { loadModel, MAX_MODEL_FILE_BYTES } from '../model/load';

const SOURCE_EXTENSIONS = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ino)$/i;

export interface ModelTarget {
  uri: string;
  /** The array to read in a C/C++ source; the one holding a model when omitted. */
  arrayName?: string;
}

export interface ModelSource {
  ok: true;
  bytes: Uint8Array;
  graph: Graph;
  /** The file's base name. */
  fileName: string;
  /** The array read, for a model embedded in C/C++ source. */
  array?: CArray;
}

export interface ModelSourceFailure {
  ok: false;
  reason: 'unreadable' | 'corrupt' | 'no-model-array';
  message: string;
}

/** How a caller words a model the reader rejects; `where` names the file (and array). */
export type CorruptMessage = (where: string, readerMessage: string) => string;

/** `text` is the source's unsaved editor text, if open; it also lets a non-file uri be read. */
export async function readModelSource(
  target: ModelTarget,
  text: string | undefined,
  corruptMessage: CorruptMessage = (where, message) => `${where}: ${message}`,
): Promise<ModelSource | ModelSourceFailure> {
  let path: string;
  try {
    path = fileURLToPath(target.uri);
  } catch {
    if (text === undefined) return { ok: false, reason: 'unreadable', message: `Only files on disk can be read (${target.uri}).` };
    path = target.uri;
  }
  const fileName = basename(path);
  const where = target.arrayName === undefined ? fileName : `${fileName} (${target.arrayName})`;
  try {
    if (target.arrayName !== undefined || SOURCE_EXTENSIONS.test(fileName)) {
      const source = text ?? (await readFile(path, 'utf8'));
      const array = target.arrayName !== undefined ? readCArray(source, fileName).find((a) => a.name === target.arrayName) : extractModelBytes(source, fileName);
      if (!array) {
        const what = target.arrayName !== undefined ? `no byte array named '${target.arrayName}' with an initializer` : 'no byte array with an initializer';
        return { ok: false, reason: 'no-model-array', message: `${fileName}: ${what}.` };
      }
      // An embedded array is sniffed by its bytes, never by the source file's extension.
      return { ok: true, bytes: array.bytes, graph: loadModel(array.bytes), fileName, array };
    }
    const size = (await stat(path)).size;
    if (size > MAX_MODEL_FILE_BYTES) return { ok: false, reason: 'unreadable', message: `${fileName}: ${size} bytes is too large for a model file.` };
    const bytes = new Uint8Array(await readFile(path));
    return { ok: true, bytes, graph: loadModel(bytes, fileName), fileName };
  } catch (error) {
    if (error instanceof ModelError) return { ok: false, reason: 'corrupt', message: corruptMessage(where, error.message) };
    const code = (error as NodeJS.ErrnoException).code;
    if (code) return { ok: false, reason: 'unreadable', message: `${where}: cannot read (${code}).` };
    throw error;
  }
}
