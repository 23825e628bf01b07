import assert from 'node:assert/strict';
import { RingBuffer } from '../../../../webview/src/device/ringBuffer';

describe('plotter ring buffer', () => {
  it('keeps the newest samples, oldest first', () => {
    const b = new RingBuffer(3);
    for (let i = 1; i <= 5; i++) b.push(i, i * 10);
    assert.equal(b.length, 3);
    assert.deepEqual(b.toArray(), [[3, 30], [4, 40], [5, 50]]);
    assert.equal(b.x(0), 3);
    assert.equal(b.y(2), 50);
  });

  it('finds the first sample at or after x, and the y extent in a range ignoring NaN', () => {
    const b = new RingBuffer(4);
    [[1, 5], [2, NaN], [3, -2], [4, 9], [5, 1]].forEach(([x, y]) => b.push(x, y));
    // Holds x 2..5.
    assert.equal(b.lowerBound(0), 0);
    assert.equal(b.lowerBound(3), 1);
    assert.equal(b.lowerBound(3.5), 2);
    assert.equal(b.lowerBound(9), 4);
    assert.deepEqual(b.extent(2, 4), [-2, 9]);
    assert.deepEqual(b.extent(5, 5), [1, 1]);
    assert.equal(b.extent(2, 2), undefined);
    b.clear();
    assert.equal(b.length, 0);
  });
});
