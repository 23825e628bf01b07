// Lining up NHWC and NCHW tensors: the transposition by hand, and the shapes that cannot be told apart.

import assert from 'node:assert/strict';
import type { EngineTensor } from '../../../server/src/engine/engine';
import { layoutAlignment, transpose } from '../../../server/src/actions/layout';
import type { Graph } from '../../../server/src/model/graph';

function tensor(index: number, shape: number[]): EngineTensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return { index, name: `t${index}`, shape, dtype: 'float32', scale: 0, zeroPoint: 0, scales: [], zeroPoints: [], data: new Float32Array(n), bytes: new Uint8Array(4 * n), constant: false };
}

function emptyGraph(format: 'tflite' | 'onnx'): Graph {
  return { format, version: 3, description: '', subgraphs: [{ name: 'main', tensors: [], operators: [], inputs: [], outputs: [] }], metadata: [], fileBytes: 0 };
}

describe('model actions: layout', () => {
  it('transposes NCHW [1, 2, 2, 3] to NHWC element by element', () => {
    // x[c][h][w] = 100c + 10h + w
    const nchw = Float32Array.from({ length: 12 }, (_, i) => 100 * Math.floor(i / 6) + 10 * Math.floor((i % 6) / 3) + (i % 3));
    const shape = [1, 2, 2, 3];
    assert.deepEqual(Array.from(transpose(nchw, shape, [0, 2, 3, 1])), [0, 100, 1, 101, 2, 102, 10, 110, 11, 111, 12, 112]);
    assert.deepEqual(Array.from(transpose(transpose(nchw, shape, [0, 2, 3, 1]), [1, 2, 3, 2], [0, 3, 1, 2])), Array.from(nchw));
  });

  it('lines up by shape, and refuses a square shape no op explains', () => {
    const align = layoutAlignment(emptyGraph('tflite'), emptyGraph('onnx'));
    assert.ok('rearrange' in align(tensor(0, [1, 5, 5, 8]), tensor(0, [1, 8, 5, 5])));
    assert.deepEqual(align(tensor(0, [1, 5, 5, 1]), tensor(0, [1, 5, 5, 1])), {}); // one channel: the same order either way
    assert.match((align(tensor(0, [1, 4, 4, 4]), tensor(0, [1, 4, 4, 4])) as { notComparable: string }).notComparable, /reads the same as NHWC and NCHW/);
    assert.match((align(tensor(0, [1, 4, 4, 8]), tensor(0, [1, 4, 4, 4])) as { notComparable: string }).notComparable, /became/);
  });
});
