// Writing a magnitude-pruned ONNX model: pruning changes weight values, never shapes, so the
// pruned weights are written over the original's raw initializer bytes in a copy of the file.
// Everything else in the file (names, attributes, metadata, opsets) stays exactly as it was.

import type { Graph } from '../model/graph';
import { ActionError } from './errors';

export function patchOnnxInitializers(fileBytes: Uint8Array, original: Graph, pruned: Graph): Uint8Array {
  const out = fileBytes.slice();
  const before = original.subgraphs[0].tensors;
  for (const t of pruned.subgraphs[0].tensors) {
    const o = before[t.index];
    if (!t.data || !o?.data || t.data === o.data) continue;
    const at = o.data.byteOffset - fileBytes.byteOffset;
    // Initializers in typed fields (float_data) were unpacked into fresh arrays: no bytes to write over.
    if (o.data.buffer !== fileBytes.buffer || at < 0 || at + o.data.length > fileBytes.length || t.data.length !== o.data.length) {
      throw new ActionError(`initializer '${o.name}' is not stored as raw bytes in the ONNX file, so it cannot be rewritten in place; convert the model to TFLite first`);
    }
    out.set(t.data, at);
  }
  return out;
}
