import assert from 'node:assert/strict';
import type { Graph, Operator, Subgraph, Tensor } from '../../../../server/src/model/graph';
import type { MemoryPlanner } from '../../../../server/src/analysis/arena/memoryPlanner';
import { planTflmArena } from '../../../../server/src/analysis/arena/tflmArena';

const q = (channels = 1) => ({ scale: new Array<number>(channels).fill(0.1), zeroPoint: new Array<number>(channels).fill(0), axis: 0 });

function tensor(index: number, shape: number[], extra: Partial<Tensor> = {}): Tensor {
  return { index, name: `t${index}`, shape, dtype: 'int8', isVariable: false, buffer: 0, ...extra };
}

function op(index: number, opType: string, inputs: number[], outputs: number[]): Operator {
  return { index, opType, known: true, builtinCode: -1, custom: false, version: 1, inputs, outputs, intermediates: [], options: {} };
}

function graphOf(sg: Subgraph): Graph {
  return { format: 'tflite', version: 3, description: '', subgraphs: [sg], metadata: [], fileBytes: 0 };
}

/** One int8 FULLY_CONNECTED [1,4] x [2,4] + bias -> [1,2], every tensor quantized per tensor. */
function tinyFc(): Graph {
  return graphOf({
    name: 'main',
    tensors: [
      tensor(0, [1, 4], { quantization: q() }),
      tensor(1, [2, 4], { quantization: q(), data: new Uint8Array(8) }),
      tensor(2, [2], { dtype: 'int32', quantization: q(), data: new Uint8Array(8) }),
      tensor(3, [1, 2], { quantization: q() }),
    ],
    operators: [op(0, 'FULLY_CONNECTED', [0, 1, 2], [3])],
    inputs: [0],
    outputs: [3],
  });
}

describe('planTflmArena', () => {
  it('replays AllocateTensors() for a one-op model (figures checked by hand)', () => {
    const r = planTflmArena(tinyFc());
    // Tail from the arena end: allocator 36, planner 44, MicroAllocator 36, builtin-data
    // allocator 8, SubgraphAllocations 8 (=132); 4 eval tensors 48; 1 node 32; FC params 5;
    // OpDataFullyConnected 48 aligned to 16 (+7); input/output: pointer array 4 aligned to 16
    // (+12 / +8), TfLiteTensor 32, TfLiteAffineQuantization 12, zero points 8 each.
    assert.equal(r.persistentBytes, 404);
    assert.deepEqual(r.persistentBreakdown, {
      evalTensors: 48,
      nodeAndRegistrations: 32,
      opData: 53,
      quantization: 40,
      tflite_tensors: 72,
      variable: 0,
      fixed: 132,
      padding: 27,
    });
    // Input and output are 16 bytes after rounding and meet at scope 1; equal sizes go in
    // reverse order, so the output is placed first.
    assert.equal(r.plannedBytes, 32);
    assert.equal(r.usedBytes, 436);
    assert.deepEqual(
      r.buffers.map((b) => [b.tensorIndex, b.bytes, b.requestedBytes, b.offset, b.firstUse, b.lastUse]),
      [
        [0, 16, 4, 16, 0, 1],
        [3, 16, 2, 0, 1, 1],
      ],
    );
    assert.equal(r.plannerBufferCount, 2);
    // The peak is Prepare: 144 bytes of scratch requests plus four temp tensors of
    // 32 + 12 + 8 bytes end at 352, which the tail (op data aligned down to 16) must clear:
    // alignDown(N - 36, 4) - 181 - 48 >= 352 first holds at N = 620.
    assert.equal(r.minArenaBytes, 620);
    assert.equal(r.minArenaBytesMultipleOf16, 624);
    assert.deepEqual(r.unmodeledOps, []);
  });

  it('doubles pointer-sized structs on a 64-bit build', () => {
    const r = planTflmArena(tinyFc(), { pointerBytes: 8 });
    assert.equal(r.plannedBytes, 32);
    assert.equal(r.persistentBreakdown.fixed, 248);
    assert.equal(r.persistentBreakdown.evalTensors, 96);
    assert.equal(r.persistentBreakdown.nodeAndRegistrations, 64);
  });

  it('allocates per-channel multiplier and shift arrays for CONV_2D by output channels', () => {
    const base = planTflmArena(tinyFc());
    const conv = (channels: number) =>
      planTflmArena(
        graphOf({
          name: 'main',
          tensors: [
            tensor(0, [1, 4, 4, 3], { quantization: q() }),
            tensor(1, [channels, 3, 3, 3], { quantization: q(channels), data: new Uint8Array(1) }),
            tensor(2, [channels], { dtype: 'int32', quantization: q(channels), data: new Uint8Array(1) }),
            tensor(3, [1, 2, 2, channels], { quantization: q() }),
          ],
          operators: [op(0, 'CONV_2D', [0, 1, 2], [3])],
          inputs: [0],
          outputs: [3],
        }),
      );
    // 8 and 24 channels: two arrays of 4 bytes per channel, 16-aligned each.
    assert.equal(conv(24).persistentBreakdown.opData - conv(8).persistentBreakdown.opData, 2 * 16 * 4);
    assert.ok(base.persistentBytes > 0);
  });

  it('puts variable tensors in the tail and plans SVDF scratch buffers', () => {
    const g = graphOf({
      name: 'main',
      tensors: [
        tensor(0, [1, 10], { quantization: q() }),
        tensor(1, [8, 10], { quantization: q(), data: new Uint8Array(1) }),
        tensor(2, [8, 4], { dtype: 'int16', quantization: q(), data: new Uint8Array(1) }),
        tensor(3, [8], { dtype: 'int32', quantization: q(), data: new Uint8Array(1) }),
        tensor(4, [1, 32], { dtype: 'int16', quantization: q(), isVariable: true }),
        tensor(5, [1, 8], { quantization: q() }),
      ],
      operators: [{ ...op(0, 'SVDF', [0, 1, 2, 3, 4], [5]), options: { rank: 1 } }],
      inputs: [0],
      outputs: [5],
    });
    const r = planTflmArena(g);
    assert.equal(r.persistentBreakdown.variable, 64);
    const scratch = r.buffers.filter((b) => b.tensorIndex === null);
    assert.deepEqual(
      scratch.map((b) => [b.opIndex, b.requestedBytes, b.firstUse, b.lastUse]),
      [
        [0, 32, 1, 1],
        [0, 32, 1, 1],
      ],
    );
  });

  it('lists ops it does not model and still gives a figure', () => {
    const g = tinyFc();
    g.subgraphs[0].operators.push(op(1, 'GELU', [3], [3]));
    const r = planTflmArena(g);
    assert.deepEqual(r.unmodeledOps, ['GELU']);
    assert.ok(r.persistentBytes > planTflmArena(tinyFc()).persistentBytes);
  });

  it('accepts another planner strategy', () => {
    class Linear implements MemoryPlanner {
      private sizes: number[] = [];
      addBuffer(size: number): void {
        this.sizes.push(size);
      }
      maximumMemorySize(): number {
        return this.sizes.reduce((a, b) => a + b, 0);
      }
      offsetOf(i: number): number {
        return this.sizes.slice(0, i).reduce((a, b) => a + b, 0);
      }
      bufferCount(): number {
        return this.sizes.length;
      }
    }
    const r = planTflmArena(tinyFc(), { planner: () => new Linear() });
    assert.equal(r.plannedBytes, 32);
    assert.deepEqual(
      r.buffers.map((b) => b.offset),
      [0, 16],
    );
  });
});
