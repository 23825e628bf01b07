// Channel spaces: which tensors share channels (union-find through pass-through ops and ADD),
// the flatten multiplicity a fully connected layer reads, and the spaces that must stay whole.

import assert from 'node:assert/strict';
import { analyzeChannelSpaces } from '../../../server/src/prune/channelSpaces';
import { sliceAxes } from '../../../server/src/prune/graphEdit';
import { CONV, DEPTHWISE, GraphBuilder } from './graphBuilder';

describe('prune/channelSpaces', () => {
  it('joins tensors through ADD, pooling and a flatten, whose last dimension holds 4 positions x 3 channels', () => {
    const b = new GraphBuilder();
    const x = b.activation('x', [1, 4, 4, 2], 0.1);
    const f = b.int8('A/filter', [3, 1, 1, 2], [1, 1, 1, 1, 1, 1], [0.1]);
    const a = b.activation('a', [1, 4, 4, 3], 0.1);
    b.op('CONV_2D', [x, f, -1], [a], CONV);
    const g = b.int8('B/filter', [3, 1, 1, 2], [1, 1, 1, 1, 1, 1], [0.1]);
    const bt = b.activation('b', [1, 4, 4, 3], 0.1);
    b.op('CONV_2D', [x, g, -1], [bt], CONV);
    const sum = b.activation('sum', [1, 4, 4, 3], 0.1);
    b.op('ADD', [a, bt], [sum], { fusedActivation: 'NONE' });
    const pooled = b.activation('pooled', [1, 2, 2, 3], 0.1);
    b.op('MAX_POOL_2D', [sum], [pooled], { padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 2, filterHeight: 2, fusedActivation: 'NONE' });
    const flat = b.activation('flat', [1, 12], 0.1);
    b.op('RESHAPE', [pooled, b.int32('shape', [1, 12])], [flat]);
    const w = b.int8('fc', [2, 12], new Array<number>(24).fill(1), [0.1]);
    const y = b.activation('y', [1, 2], 0.1);
    b.op('FULLY_CONNECTED', [flat, w, -1], [y], {});
    const analysis = analyzeChannelSpaces(b.build([x], [y]).subgraphs[0]);
    const space = analysis.spaces[analysis.spaceOf.get(a)!];
    assert.deepEqual(space.tensors, [a, bt, sum, pooled, flat]);
    assert.deepEqual(space.definers, [0, 1]);
    assert.equal(space.channels, 3);
    assert.deepEqual(space.blocked, []);
    // [1,2,2,3] -> [1,12]: 4 positions of 3 channels.
    assert.equal(analysis.multiplicity.get(flat), 4);
    assert.deepEqual(space.uses.map((u) => u.kind).sort(), ['conv-out', 'conv-out', 'fc-in', 'reshape']);
    assert.ok(analysis.spaces[analysis.spaceOf.get(x)!].blocked.includes('model input'));
  });

  it('blocks a depthwise with multiplier 2, a reduction over channels and a reshape that splits channels', () => {
    const b = new GraphBuilder();
    const x = b.activation('x', [1, 2, 2, 1], 0.1);
    const f = b.int8('conv', [4, 1, 1, 1], [1, 2, 3, 4], [0.1]);
    const t = b.activation('t', [1, 2, 2, 4], 0.1);
    b.op('CONV_2D', [x, f, -1], [t], CONV);
    const dwf = b.int8('dw', [1, 1, 1, 8], [1, 1, 1, 1, 1, 1, 1, 1], [0.1], 3);
    const d = b.activation('d', [1, 2, 2, 8], 0.1);
    b.op('DEPTHWISE_CONV_2D', [t, dwf, -1], [d], { ...DEPTHWISE, depthMultiplier: 2 });
    const f2 = b.int8('conv2', [4, 1, 1, 8], new Array<number>(32).fill(1), [0.1]);
    const u = b.activation('u', [1, 2, 2, 4], 0.1);
    b.op('CONV_2D', [d, f2, -1], [u], CONV);
    const m = b.activation('m', [1, 2, 2, 1], 0.1);
    b.op('MEAN', [u, b.int32('axis', [3])], [m], { keepDims: true });
    const f3 = b.int8('conv3', [4, 1, 1, 1], [1, 2, 3, 4], [0.1]);
    const v = b.activation('v', [1, 2, 2, 4], 0.1);
    b.op('CONV_2D', [m, f3, -1], [v], CONV);
    const r = b.activation('r', [1, 8, 2], 0.1);
    b.op('RESHAPE', [v, b.int32('shape', [1, 8, 2])], [r]);
    const analysis = analyzeChannelSpaces(b.build([x], [r]).subgraphs[0]);
    const reasons = (i: number) => analysis.spaces[analysis.spaceOf.get(i)!].blocked.join(' | ');
    assert.match(reasons(t), /DEPTHWISE_CONV_2D \(op 1\), with a depth multiplier other than 1/);
    assert.match(reasons(u), /MEAN \(op 3\), which reduces over the channel dimension/);
    assert.match(reasons(v), /RESHAPE \(op 5\), which splits the channel dimension/);
  });

  it('sliceAxes keeps the listed indices per axis, in order', () => {
    // [2,3] int8 [[1,2,3],[4,5,6]]: rows [1], columns [2, 0] -> [[6, 4]].
    const out = sliceAxes(new Uint8Array([1, 2, 3, 4, 5, 6]), [2, 3], 1, new Map([[0, [1]], [1, [2, 0]]]));
    assert.deepEqual(Array.from(out.data), [6, 4]);
    assert.deepEqual(out.shape, [1, 2]);
  });
});
