// Whether output 0 is a vector of class scores, so that top-1 agreement means something: it comes
// from a softmax (through reshapes and (de)quantization only) and has at least two entries.
// Logits without a softmax cannot be told from a regression output, so they count as neither.

import { elementCount, type Graph, type Operator } from '../model/graph';

const SOFTMAX = new Set(['SOFTMAX', 'LOG_SOFTMAX', 'Softmax', 'LogSoftmax']);
const PASS_THROUGH = new Set(['QUANTIZE', 'DEQUANTIZE', 'RESHAPE', 'SQUEEZE', 'QuantizeLinear', 'DequantizeLinear', 'Reshape', 'Flatten', 'Squeeze', 'Identity']);

export function outputIsClassScores(graph: Graph): boolean {
  const sg = graph.subgraphs[0];
  const out = sg.outputs[0];
  if (out === undefined || elementCount(sg.tensors[out].shape) < 2) return false;
  const made = new Map<number, Operator>();
  for (const op of sg.operators) for (const o of op.outputs) made.set(o, op);
  let t = out;
  for (let guard = 0; guard < sg.operators.length; guard++) {
    const op = made.get(t);
    if (!op) return false;
    if (SOFTMAX.has(op.opType)) return true;
    if (!PASS_THROUGH.has(op.opType)) return false;
    t = op.inputs[0];
  }
  return false;
}
