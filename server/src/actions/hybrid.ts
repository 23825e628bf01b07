// Hybrid ("dynamic range") models: float activations, int8 weights. Neither the engine nor ONNX
// runs a float op on int8 weights, so where one must run or be converted, its weights are
// dequantized exactly ((q - zero point) x scale, as the hybrid kernels do) and nothing else changes.

import type { Graph } from '../model/graph';
import { bytesOf, cloneGraph, dequantizeConstant } from '../quantize/prepare';

function isHybridWeight(graph: Graph, op: Graph['subgraphs'][0]['operators'][0], i: number): boolean {
  const sg = graph.subgraphs[0];
  const t = i >= 0 ? sg.tensors[i] : undefined;
  return (
    sg.tensors[op.inputs[0]]?.dtype === 'float32' &&
    t?.data !== undefined && t.data.length > 0 && t.quantization !== undefined && (t.dtype === 'int8' || t.dtype === 'uint8')
  );
}

/** Names of the int8 weights float ops read; empty for float and fully quantized models. */
export function hybridWeights(graph: Graph): string[] {
  const sg = graph.subgraphs[0];
  const names = new Set<string>();
  for (const op of sg.operators) for (const i of op.inputs) if (isHybridWeight(graph, op, i)) names.add(sg.tensors[i].name);
  return [...names];
}

/** The same graph with every hybrid weight dequantized to float32. */
export function dequantizeHybrid(graph: Graph): Graph {
  const out = cloneGraph(graph);
  const sg = out.subgraphs[0];
  for (const op of sg.operators) {
    for (const i of op.inputs) {
      if (!isHybridWeight(out, op, i)) continue;
      const t = sg.tensors[i];
      sg.tensors[i] = { ...t, dtype: 'float32', data: bytesOf(dequantizeConstant(t)), quantization: undefined };
    }
  }
  return out;
}
