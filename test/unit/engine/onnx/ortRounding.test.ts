// onnxruntime's rounding, replicated: half to even, float products and quotients, clamping.

import assert from 'node:assert/strict';
import { ortOutputScale, ortQuantize, ortRequantize, roundHalfEven } from '../../../../server/src/engine/onnx/ortRounding';

describe('ortRounding', () => {
  it('rounds halves to even, both signs', () => {
    assert.deepEqual([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999, -2.5001].map(roundHalfEven), [0, 2, 2, 0, -2, -2, 2, -3]);
  });

  it('derives the output scale in float: (x_scale * w_scale) / y_scale, each step rounded', () => {
    const s = ortOutputScale(0.1, 0.2, 0.3);
    assert.equal(s, Math.fround(Math.fround(Math.fround(0.1) * Math.fround(0.2)) / Math.fround(0.3)));
    assert.notEqual(s, (0.1 * 0.2) / 0.3);
  });

  it('requantizes float(acc) * scale with clamping to the type range after the zero point', () => {
    assert.equal(ortRequantize(5, 0.5, 0, -128, 127), 2); // 2.5 -> 2
    assert.equal(ortRequantize(7, 0.5, 0, -128, 127), 4); // 3.5 -> 4
    assert.equal(ortRequantize(1000, 1, 10, -128, 127), 127);
    assert.equal(ortRequantize(-1000, 1, 10, -128, 127), -128);
    // float(acc) loses bits above 2^24: 16777217 becomes 16777216.
    assert.equal(ortRequantize(16777217, 1, 0, -(2 ** 31), 2 ** 31 - 1), 16777216);
  });

  it('quantizes x / scale half to even and saturates', () => {
    assert.equal(ortQuantize(0.25, 0.5, 0, -128, 127), 0);
    assert.equal(ortQuantize(0.75, 0.5, 0, -128, 127), 2);
    assert.equal(ortQuantize(-0.75, 0.5, 3, -128, 127), 1);
    assert.equal(ortQuantize(1e9, 0.5, 0, 0, 255), 255);
  });
});
