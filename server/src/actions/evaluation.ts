// The inputs an action calibrates and validates on: the caller's (checked against the model's
// inputs), or generated ones when there are none. Generated inputs cover each input's plausible
// range (a quantized input's representable range, [-1, 1] for a float one) and prove nothing about
// accuracy on real data: the description says so.

import { elementCount, type Graph } from '../model/graph';
import { generateSamples } from '../quantize/generator';
import { ActionError } from './errors';

/** Inputs to calibrate and validate on, per sample one Float32Array per model input, in the source model's layout. */
export interface EvaluationSet {
  samples: Float32Array[][];
  /** Where the samples come from, for the report (e.g. "40 .npy files in calib/"). */
  description: string;
  /** True when the samples were generated rather than read from real data. */
  generated: boolean;
}

/** How many inputs are generated when the caller gives none (the quantizer's default). */
export const GENERATED_COUNT = 32;
/** Seeds apart, so that generated validation inputs are never the calibration inputs. */
export const CALIBRATION_SEED = 1;
export const VALIDATION_SEED = 2;

/** The float range an input takes: what its int8/int16/uint8 codes represent, or [-1, 1] for float. */
function inputRange(graph: Graph, k: number): [number, number] {
  const sg = graph.subgraphs[0];
  const t = sg.tensors[sg.inputs[k]];
  const q = t.quantization;
  const codes: Record<string, [number, number]> = { int8: [-128, 127], uint8: [0, 255], int16: [-32768, 32767] };
  const range = codes[t.dtype];
  if (!range || !q || !(q.scale[0] > 0)) return [-1, 1];
  const zero = q.zeroPoint[0] ?? 0;
  return [(range[0] - zero) * q.scale[0], (range[1] - zero) * q.scale[0]];
}

function rangeText([lo, hi]: [number, number]): string {
  const f = (x: number) => Number(x.toPrecision(4)).toString();
  return `[${f(lo)}, ${f(hi)}]`;
}

/** `count` uniform inputs over each input's range, reproducible from `seed`. */
export function generatedSet(graph: Graph, count: number, seed: number, purpose: string): EvaluationSet {
  const ranges = graph.subgraphs[0].inputs.map((_, k) => inputRange(graph, k));
  const where = [...new Set(ranges.map(rangeText))].join(', ');
  return {
    samples: generateSamples(graph, { count, seed, range: ranges }),
    description: `${count} generated uniform inputs in ${where} (${purpose}; no data was given): the figures show how the models differ on these, not accuracy on real data`,
    generated: true,
  };
}

/** Throws an ActionError naming the first sample that does not fit the model's inputs. */
export function checkSamples(graph: Graph, set: EvaluationSet): void {
  const sg = graph.subgraphs[0];
  if (set.samples.length === 0) throw new ActionError(`the evaluation set (${set.description}) has no samples`);
  set.samples.forEach((sample, s) => {
    if (sample.length !== sg.inputs.length) throw new ActionError(`evaluation sample ${s} has ${sample.length} inputs; the model has ${sg.inputs.length}`);
    sample.forEach((values, k) => {
      const t = sg.tensors[sg.inputs[k]];
      const n = elementCount(t.shape);
      if (values.length !== n) throw new ActionError(`evaluation sample ${s}, input ${k} (${t.name}) has ${values.length} values; the model takes [${t.shape.join(', ')}] = ${n}`);
    });
  });
}
