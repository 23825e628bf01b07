// Finding, in a converted model, the tensor that holds an original tensor's values. The ONNX
// writer cleans names (convert/tfliteToOnnx/onnxGraphWriter.ts) and names each step of a converted
// op after the tensor it computes, with a suffix (convert/tfliteToOnnx/convert.ts): the op's
// result (`_pool`, `_gemm`...), its fused activation (`_relu`, `_clip`), a dequantized copy
// (`_float`), a layout copy (`_nchw`, `_nhwc`). The ONNX -> TFLite builder keeps names, but
// fuses a Relu or Clip into the op before it: the fused op's output keeps the op's name and holds
// the activation's values.

import type { Graph, Operator } from '../model/graph';

/** Activations the ONNX -> TFLite converter fuses into their producer. */
const FUSABLE = new Set(['Relu', 'Clip']);

/** Suffixes in order of preference: the exact name, then the step that holds the op's full result. */
const SUFFIXES = ['', '_relu', '_clip', '_pool', '_gemm', '_softmax', '_add', '_float', '_nchw', '_nhwc'];

export function cleanName(name: string): string {
  return name.replace(/[^A-Za-z0-9_./:-]/g, '_');
}

/** The original's fusable activation reading `name` as its producer's only consumer, if any. */
function soleActivation(original: Graph, name: string): Operator | undefined {
  const sg = original.subgraphs[0];
  const t = sg.tensors.find((x) => x.name === name);
  if (!t || sg.outputs.includes(t.index)) return undefined;
  const users = sg.operators.filter((op) => op.inputs.includes(t.index));
  return users.length === 1 && FUSABLE.has(users[0].opType) && users[0].inputs[0] === t.index ? users[0] : undefined;
}

/** A lookup from an original tensor name to the converted model's run-time tensor holding its values. */
export function convertedTensorFinder(original: Graph, candidate: Graph): (name: string) => number | undefined {
  const byName = new Map<string, number>();
  for (const t of candidate.subgraphs[0].tensors) {
    if (t.data && t.data.length > 0) continue;
    if (!byName.has(t.name)) byName.set(t.name, t.index);
    if (!byName.has(cleanName(t.name))) byName.set(cleanName(t.name), t.index);
  }
  const lookup = (name: string): number | undefined => {
    for (const base of [name, cleanName(name)]) {
      for (const suffix of SUFFIXES) {
        const found = byName.get(base + suffix);
        if (found !== undefined) return found;
      }
    }
    return undefined;
  };
  const sg = original.subgraphs[0];
  const fusedInto = new Map<string, string>();
  for (const t of sg.tensors) {
    const act = soleActivation(original, t.name);
    const out = act ? sg.tensors[act.outputs[0]]?.name : undefined;
    if (out !== undefined && lookup(out) === undefined && lookup(t.name) !== undefined) fusedInto.set(out, t.name);
  }
  const fusedAway = new Set(fusedInto.values());
  return (name) => {
    // The op's own output was not kept: its name holds the activation's values.
    if (fusedAway.has(name)) return undefined;
    const producer = fusedInto.get(name);
    return lookup(producer ?? name);
  };
}
