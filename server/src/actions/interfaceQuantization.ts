// An int8 model converted to ONNX keeps its int8 inputs and outputs, but the ONNX file records an
// input's scale and zero point only on the DequantizeLinear that reads it, and the converter may
// put a Reshape in between (NHWC -> NCHW): the reader then sees a bare int8 input. To feed such a
// model real values, the parameters are taken from the TFLite model it was converted from, whose
// interface it keeps (convert/tfliteToOnnx/convert.ts).

import type { Graph } from '../model/graph';

export function withInterfaceQuantization(converted: Graph, from: Graph): Graph {
  const a = from.subgraphs[0];
  const sg = converted.subgraphs[0];
  const tensors = [...sg.tensors];
  let changed = false;
  const copy = (ours: number[], theirs: number[]) =>
    ours.forEach((i, k) => {
      const t = tensors[i];
      const q = a.tensors[theirs[k]]?.quantization;
      if (t && !t.quantization && q && t.dtype === a.tensors[theirs[k]].dtype) {
        tensors[i] = { ...t, quantization: q };
        changed = true;
      }
    });
  copy(sg.inputs, a.inputs);
  copy(sg.outputs, a.outputs);
  return changed ? { ...converted, subgraphs: [{ ...sg, tensors }, ...converted.subgraphs.slice(1)] } : converted;
}
