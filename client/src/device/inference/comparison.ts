// Device vs host: the firmware's own result for a frame (a JSON field such as the example's `yq`,
// or `result: yes=0.91 no=0.05`) against the host engine's output for the same input. Raw integer
// outputs must be identical (TFLM is bit-exact, so must the device be); dequantized values and
// scores are within a tolerance the user sets. Pure.

import { numericField, type DeviceResult } from '../parsers/resultLine';

export type DeviceCompare =
  | { kind: 'none' }
  /** JSON fields holding output 0's elements in order (one field may hold an array); `raw`: integers in the output's type. */
  | { kind: 'jsonFields'; fields: string[]; as: 'raw' | 'dequantized' }
  /** `result: label=score ...` matched to the labels; or `result: <class>`. */
  | { kind: 'scores' };

export interface CompareSpec {
  device: DeviceCompare;
  /** Largest |device - host| still agreeing, for dequantized values and scores (raw bytes are exact). */
  tolerance: number;
}

/** The device's values for output 0, aligned to its elements (NaN where the device said nothing). */
export interface DeviceValues {
  values: number[];
  as: 'raw' | 'dequantized' | 'class';
}

/** What `result` says about output 0 under `spec`, or undefined when the line is not such a result. */
export function deviceValues(result: DeviceResult, spec: DeviceCompare, labels: readonly string[], outputCount: number): DeviceValues | undefined {
  if (spec.kind === 'jsonFields' && result.kind === 'json') {
    const values: number[] = [];
    for (const f of spec.fields) {
      const v = numericField(result.fields, f);
      if (!v) return undefined;
      values.push(...v);
    }
    return { values, as: spec.as };
  }
  if (spec.kind === 'scores' && result.kind === 'scores') {
    const values = new Array<number>(outputCount).fill(NaN);
    let matched = 0;
    result.scores.forEach((s, i) => {
      const byLabel = labels.indexOf(s.label);
      // Without labels, scores are taken in output order.
      const at = byLabel >= 0 ? byLabel : labels.length === 0 ? i : -1;
      if (at >= 0 && at < outputCount) {
        values[at] = s.value;
        matched++;
      }
    });
    return matched > 0 ? { values, as: 'dequantized' } : undefined;
  }
  if (spec.kind === 'scores' && result.kind === 'class') {
    const index = result.index ?? (result.label !== undefined ? labels.indexOf(result.label) : -1);
    if (index < 0) return undefined;
    return { values: [index], as: 'class' };
  }
  return undefined;
}

export interface HostOutput {
  /** Output 0's elements in its type. */
  raw: number[];
  /** Dequantized (the values themselves for float outputs). */
  scores: number[];
}

export interface Verdict {
  agree: boolean;
  /** Largest difference over the compared elements (0 when exact). */
  maxDiff: number;
  /** Indices that disagree. */
  mismatches: number[];
  /** 'exact' for raw integers and classes; otherwise the tolerance used. */
  tolerance: number | 'exact';
}

export function compareOutputs(device: DeviceValues, host: HostOutput, tolerance: number, rawIsInteger: boolean): Verdict {
  if (device.as === 'class') {
    const top = argmax(host.scores);
    const agree = device.values[0] === top;
    return { agree, maxDiff: agree ? 0 : 1, mismatches: agree ? [] : [device.values[0]], tolerance: 'exact' };
  }
  const exact = device.as === 'raw' && rawIsInteger;
  const hostValues = device.as === 'raw' ? host.raw : host.scores;
  const mismatches: number[] = [];
  let maxDiff = 0;
  const n = Math.max(device.values.length, hostValues.length);
  for (let i = 0; i < n; i++) {
    const d = device.values[i];
    if (d === undefined || Number.isNaN(d)) {
      // A device value that was not printed is not compared; an extra one is a disagreement.
      if (d === undefined && i < device.values.length) mismatches.push(i);
      continue;
    }
    const h = hostValues[i];
    if (h === undefined) {
      mismatches.push(i);
      continue;
    }
    const diff = Math.abs(d - h);
    maxDiff = Math.max(maxDiff, diff);
    if (exact ? diff !== 0 : !(diff <= tolerance)) mismatches.push(i);
  }
  return { agree: mismatches.length === 0, maxDiff, mismatches, tolerance: exact ? 'exact' : tolerance };
}

export function argmax(values: readonly number[]): number {
  let best = -1;
  let bestValue = -Infinity;
  values.forEach((v, i) => {
    if (v > bestValue) {
      best = i;
      bestValue = v;
    }
  });
  return best;
}
