// The CLI's edge to the file system: read a model's bytes and turn failures into usage errors
// that name the file, so the pure core never sees a path.

import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { loadModel, MAX_MODEL_FILE_BYTES } from '../model/load';
import { ModelError, type Graph } from '../model/graph';
import { UsageError } from './args';


export function readModelFile(path: string): Graph {
  return readModelBytes(path).graph;
}

/** Reads and parses a model file, keeping its bytes for commands that write them back out. */
export function readModelBytes(path: string): { bytes: Uint8Array; graph: Graph } {
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new UsageError(`${path}: not a file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  if (size > MAX_MODEL_FILE_BYTES) throw new UsageError(`${path}: ${size} bytes is too large for a model file`);
  const bytes = new Uint8Array(readFileSync(path));
  try {
    return { bytes, graph: loadModel(bytes, basename(path)) };
  } catch (error) {
    if (error instanceof ModelError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
}
