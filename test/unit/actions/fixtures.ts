// Shared inputs of the model action tests: the real models under ../shared, one board, and small
// deterministic evaluation sets, so every test runs in seconds.

import { findBoard } from '../../../server/src/analysis/boards';
import type { Board } from '../../../server/src/analysis/boards';
import type { EvaluationSet } from '../../../server/src/actions';
import { loadModel } from '../../../server/src/model/load';
import { generateSamples } from '../../../server/src/quantize/generator';
import { sharedModel } from '../../helpers/shared';

export const BOARD: Board = findBoard('nucleo-l4r5zi')!;

export interface ModelFile {
  fileName: string;
  bytes: Uint8Array;
}

export function shared(relativePath: string): ModelFile {
  return { fileName: relativePath.split('/').pop()!, bytes: sharedModel(relativePath) };
}

/** MLPerf Tiny's KWS DS-CNN, float activations with int8 conv weights (a hybrid model). */
export const kwsFloat = () => shared('mlperf-tiny/kws_ref_model_float32.tflite');
/** The same network fully int8 (MLPerf Tiny's reference). */
export const kwsInt8 = () => shared('mlperf-tiny/kws_ref_model.tflite');
export const helloFloat = () => shared('tflm/hello_world_float.tflite');

/**
 * `count` Gaussian inputs in the MFCC-like range mlperfTiny.test.ts uses for KWS ([-60, 40]), the
 * KWS front end not being reproduced here.
 */
export function kwsInputs(count: number, seed: number): EvaluationSet {
  const graph = loadModel(kwsFloat().bytes);
  return { samples: generateSamples(graph, { distribution: 'gaussian', range: [-60, 40], count, seed }), description: `${count} Gaussian MFCC-range test inputs`, generated: false };
}

/** Largest absolute difference between two arrays of the same length. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

/** Every number in a JSON-like value, with its path; for checking that a report holds no Infinity or NaN. */
export function nonJsonValues(value: unknown, path = '$'): string[] {
  if (value === undefined) return [path];
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonJsonValues(v, `${path}[${i}]`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => nonJsonValues(v, `${path}.${k}`));
  return [];
}
