// Reads the bytes of a model chosen for live inference: a model file, or one named model array in
// C/C++ source (the array the firmware runs, read as the language server reads it).

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { readCArray } from '../../../../server/src/model/cArray';
import type { ModelSource } from './modelCandidates';

export interface LoadedSource {
  bytes: Uint8Array;
  /** Shown in the panel: the file name, or `array (file.cc)`. */
  name: string;
  /** The file on disk (labels are looked for beside it). */
  path: string;
}

/** Throws with a message for the panel when the file cannot be read or holds no such array. */
export function readModelSource(source: ModelSource): LoadedSource {
  const path = source.kind === 'file' ? source.path : source.file;
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (err) {
    throw new Error(`Cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (source.kind === 'file') return { bytes, name: basename(path), path };
  const array = readCArray(Buffer.from(bytes).toString('latin1'), basename(path)).find((a) => a.name === source.arrayName);
  if (!array) throw new Error(`${basename(path)} has no byte array '${source.arrayName}' with an initializer.`);
  return { bytes: array.bytes, name: `${source.arrayName} (${basename(path)})`, path };
}
