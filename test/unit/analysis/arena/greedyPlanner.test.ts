import assert from 'node:assert/strict';
import { GreedyMemoryPlanner } from '../../../../server/src/analysis/arena/greedyPlanner';

function offsets(p: GreedyMemoryPlanner): number[] {
  return Array.from({ length: p.bufferCount() }, (_, i) => p.offsetOf(i));
}

describe('GreedyMemoryPlanner', () => {
  it('is empty with no buffers', () => {
    assert.equal(new GreedyMemoryPlanner().maximumMemorySize(), 0);
  });

  it('places the worked example of the MemoryPlanner doc comment', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(32, 0, 1);
    p.addBuffer(16, 1, 2);
    p.addBuffer(48, 2, 3);
    // 48 first at 0; 32 does not meet it in time, so also 0; 16 meets both and goes past 48.
    assert.deepEqual(offsets(p), [0, 48, 0]);
    assert.equal(p.maximumMemorySize(), 64);
  });

  it('breaks size ties in reverse insertion order, as TFLM fills its sort array from the tail', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(16, 0, 1);
    p.addBuffer(16, 0, 1);
    assert.deepEqual(offsets(p), [16, 0]);
    assert.equal(p.maximumMemorySize(), 32);
  });

  it('fits a buffer into a gap between buffers alive at the same time', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(64, 0, 4); // #0 at 0
    p.addBuffer(32, 0, 1); // #1 at 64 (meets #0)
    p.addBuffer(48, 3, 4); // #2: meets #0 only -> 64 (the gap after #0 is free at 3..4)
    p.addBuffer(16, 1, 3); // #3: meets #0, #1 (64..96) and #2 (64..112) -> 112
    assert.deepEqual(offsets(p), [0, 64, 64, 112]);
    assert.equal(p.maximumMemorySize(), 128);
  });

  it('takes the first gap large enough, before the next active buffer', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(96, 0, 0); // #0 at 0
    p.addBuffer(80, 1, 2); // #1 at 0 (no overlap with #0)
    p.addBuffer(32, 0, 2); // #2: meets #0 (0..96) and #1 (0..80) -> 96
    p.addBuffer(16, 2, 2); // #3: meets #1 (0..80) and #2 (96..128): gap 80..96 fits 16
    assert.deepEqual(offsets(p), [0, 0, 96, 80]);
    assert.equal(p.maximumMemorySize(), 128);
  });

  it('keeps offline offsets and plans online buffers around them', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(32, 0, 2, 64); // pinned at 64
    p.addBuffer(48, 0, 1); // gap 0..64 before the pinned buffer fits 48
    p.addBuffer(16, 2, 3); // meets only the pinned one: 0
    assert.deepEqual(offsets(p), [64, 0, 0]);
    assert.equal(p.maximumMemorySize(), 96);
  });

  it('recomputes after more buffers are added', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(16, 0, 0);
    assert.equal(p.maximumMemorySize(), 16);
    p.addBuffer(32, 0, 0);
    assert.deepEqual(offsets(p), [32, 0]);
    assert.equal(p.maximumMemorySize(), 48);
  });

  it('rejects an index out of range', () => {
    const p = new GreedyMemoryPlanner();
    p.addBuffer(16, 0, 0);
    assert.throws(() => p.offsetOf(1), RangeError);
  });
});
