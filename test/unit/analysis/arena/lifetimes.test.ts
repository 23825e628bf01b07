import assert from 'node:assert/strict';
import type { Graph, Operator, Subgraph, Tensor } from '../../../../server/src/model/graph';
import { buildAllocationInfo, evalTensorBytes } from '../../../../server/src/analysis/arena/lifetimes';

function tensor(index: number, shape: number[], extra: Partial<Tensor> = {}): Tensor {
  return { index, name: `t${index}`, shape, dtype: 'int8', isVariable: false, buffer: 0, ...extra };
}

function op(index: number, opType: string, inputs: number[], outputs: number[], options: Operator['options'] = {}): Operator {
  return { index, opType, known: true, builtinCode: -1, custom: false, version: 1, inputs, outputs, intermediates: [], options };
}

function graphOf(...subgraphs: Subgraph[]): Graph {
  return { format: 'tflite', version: 3, description: '', subgraphs, metadata: [], fileBytes: 0 };
}

const lifetimesOf = (g: Graph, scratch = [] as { bytes: number; subgraphIndex: number; opIndex: number }[], offline?: number[]) =>
  buildAllocationInfo(g, scratch, offline).map((a) => [a.tensorIndex, a.needsAllocating, a.firstCreated, a.lastUsed]);

describe('TFLM allocation lifetimes', () => {
  const constant = new Uint8Array(8);
  const chain: Subgraph = {
    name: 'main',
    tensors: [
      tensor(0, [1, 8]),
      tensor(1, [8, 8], { data: constant }),
      tensor(2, [1, 8]),
      tensor(3, [1, 8]),
      tensor(4, [1, 8], { isVariable: true }),
    ],
    operators: [op(0, 'FULLY_CONNECTED', [0, 1, -1], [2]), op(1, 'ADD', [2, 4], [3])],
    inputs: [0],
    outputs: [3],
  };

  it('opens a scope per operator; inputs start at 0 and outputs last to the end', () => {
    assert.deepEqual(lifetimesOf(graphOf(chain)), [
      [0, true, 0, 1],
      [1, false, -1, 1], // constant: not planned
      [2, true, 1, 2],
      [3, true, 2, 2],
      [4, false, -1, 2], // variable: lives in the tail
    ]);
  });

  it("gives a scratch buffer its node's scope", () => {
    const info = lifetimesOf(graphOf(chain), [{ bytes: 40, subgraphIndex: 0, opIndex: 1 }]);
    assert.deepEqual(info[5], [null, true, 2, 2]);
  });

  it('plans an offline-placed variable tensor instead of putting it in the tail', () => {
    const info = buildAllocationInfo(graphOf(chain), [], [-1, -1, -1, -1, 128]);
    assert.equal(info[4].needsAllocating, true);
    assert.equal(info[4].offlineOffset, 128);
  });

  it('enters a new scope for each subgraph an IF invokes', () => {
    const branch = (name: string): Subgraph => ({
      name,
      tensors: [tensor(0, [4]), tensor(1, [4])],
      operators: [op(0, 'ADD', [0, 0], [1])],
      inputs: [0],
      outputs: [1],
    });
    const main: Subgraph = {
      name: 'main',
      tensors: [tensor(0, [1], { dtype: 'bool' }), tensor(1, [4]), tensor(2, [4])],
      operators: [op(0, 'IF', [0, 1], [2], { thenSubgraphIndex: 1, elseSubgraphIndex: 2 })],
      inputs: [0, 1],
      outputs: [2],
    };
    const info = buildAllocationInfo(graphOf(main, branch('then'), branch('else')), [], undefined);
    const span = (s: number, t: number) => {
      const a = info.find((x) => x.subgraphIndex === s && x.tensorIndex === t);
      return [a?.firstCreated, a?.lastUsed];
    };
    // IF at scope 1; then-branch entered at 2 (its op at 3); else-branch at 4 (op at 5).
    assert.deepEqual(span(0, 0), [0, 5]);
    assert.deepEqual(span(0, 2), [1, 5]);
    assert.deepEqual(span(1, 0), [2, 3]);
    assert.deepEqual(span(1, 1), [3, 3]);
    assert.deepEqual(span(2, 0), [4, 5]);
    assert.deepEqual(span(2, 1), [5, 5]);
  });

  it('sizes tensors as TFLM does: int4 one byte per value, scalars one element', () => {
    assert.equal(evalTensorBytes({ shape: [3, 5], dtype: 'int4' }), 15);
    assert.equal(evalTensorBytes({ shape: [], dtype: 'float32' }), 4);
    assert.equal(evalTensorBytes({ shape: [2, 3], dtype: 'int16' }), 12);
  });
});
