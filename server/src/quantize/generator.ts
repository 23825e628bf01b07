// Synthetic calibration inputs for when the user has no data: uniform or Gaussian values in a range
// the caller believes plausible for the model's inputs. Seeded, so that a quantization is
// reproducible. Whatever comes out of it is unproven: the quantizer says so in its warnings.

import type { Graph } from '../model/graph';
import { elementCount } from '../model/graph';

export interface GeneratorSpec {
  distribution?: 'uniform' | 'gaussian';
  /** Number of samples (default 32). */
  count?: number;
  seed?: number;
  /** Input value range, per input or one for all (default [-1, 1]); Gaussian: mean +- 3 sigma. */
  range?: [number, number] | [number, number][];
}

/** mulberry32: a small seeded generator with a full 2^32 period, enough for test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function generateSamples(graph: Graph, spec: GeneratorSpec = {}): Float32Array[][] {
  const sg = graph.subgraphs[0];
  const random = seededRandom(spec.seed ?? 1);
  const count = spec.count ?? 32;
  const ranges = sg.inputs.map((_, k): [number, number] => {
    const r = spec.range;
    if (!r) return [-1, 1];
    return Array.isArray(r[0]) ? (r as [number, number][])[k] ?? [-1, 1] : (r as [number, number]);
  });
  const gaussian = (): number => {
    // Box-Muller, clipped to +-3 sigma so that the range holds.
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(-3, Math.min(3, z)) / 3;
  };
  const samples: Float32Array[][] = [];
  for (let s = 0; s < count; s++) {
    samples.push(
      sg.inputs.map((index, k) => {
        const [lo, hi] = ranges[k];
        const values = new Float32Array(elementCount(sg.tensors[index].shape));
        for (let i = 0; i < values.length; i++) {
          const unit = spec.distribution === 'gaussian' ? (gaussian() + 1) / 2 : random();
          values[i] = lo + unit * (hi - lo);
        }
        return values;
      }),
    );
  }
  return samples;
}
