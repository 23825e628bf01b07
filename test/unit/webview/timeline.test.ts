import assert from 'node:assert/strict';
import { byteTicks, layoutTimeline, liveBytesPerStep, niceTicks, stepLabel } from '../../../webview/src/budget/timeline';

const box = { width: 400, height: 150, margin: { left: 0, right: 0, top: 0, bottom: 0 } };

describe('arena timeline geometry', () => {
  // A ping-pong plan: A and C share offset 0, B sits on top of them while both neighbours live.
  const buffers = [
    { label: 'A', offset: 0, bytes: 100, firstUse: 0, lastUse: 1 },
    { label: 'B', offset: 100, bytes: 50, firstUse: 1, lastUse: 2 },
    { label: 'C', offset: 0, bytes: 100, firstUse: 2, lastUse: 3 },
  ];

  it('x spans firstUse..lastUse inclusive, y grows upwards from offset 0', () => {
    const layout = layoutTimeline(buffers, 4, box);
    assert.equal(layout.steps, 4);
    assert.equal(layout.columnWidth, 100);
    assert.equal(layout.bytesPerPixel, 1); // 150 px for the 150-byte high-water mark
    assert.deepEqual(layout.rects, [
      { buffer: 0, x: 0, y: 50, width: 200, height: 100 },
      { buffer: 1, x: 100, y: 0, width: 200, height: 50 },
      { buffer: 2, x: 200, y: 50, width: 200, height: 100 },
    ]);
  });

  it('marks the high-water buffer and the first step with the most live bytes', () => {
    const { peak } = layoutTimeline(buffers, 4, box);
    assert.deepEqual(peak, { highWaterBytes: 150, y: 0, buffer: 1, liveBytes: 150, step: 1, x: 100, width: 100 });
    assert.deepEqual(liveBytesPerStep(buffers, 4), [100, 150, 150, 100]);
  });

  it('respects the margins and extends the steps to the last use', () => {
    const layout = layoutTimeline(buffers, 1, { width: 260, height: 190, margin: { left: 40, right: 20, top: 10, bottom: 30 } });
    assert.equal(layout.steps, 4);
    assert.deepEqual(layout.plot, { left: 40, top: 10, width: 200, height: 150 });
    assert.deepEqual(layout.rects[1], { buffer: 1, x: 90, y: 10, width: 100, height: 50 });
  });

  it('has no peak without buffers', () => {
    const layout = layoutTimeline([], 13, box);
    assert.equal(layout.peak, undefined);
    assert.equal(layout.steps, 13);
  });

  it('labels steps as TFLM scopes: 0 is the input, s is op s-1', () => {
    assert.equal(stepLabel(0), 'input');
    assert.equal(stepLabel(1), 'op 0');
    assert.equal(stepLabel(13), 'op 12');
  });

  it('ticks are round numbers', () => {
    assert.deepEqual(niceTicks(16000), [0, 5000, 10000, 15000]);
    assert.deepEqual(niceTicks(150), [0, 50, 100, 150]);
    assert.deepEqual(niceTicks(0), [0]);
  });

  it('byte ticks are round in KiB or MiB, the units the labels print', () => {
    assert.deepEqual(byteTicks(16000), [0, 5120, 10240, 15360]); // 0, 5, 10, 15 KiB
    assert.deepEqual(byteTicks(1000), [0, 500, 1000]); // step: the first of 100, 200, 500 at least 1000 / 4
    assert.deepEqual(byteTicks(3 * 1024 * 1024), [0, 1048576, 2097152, 3145728]);
  });
});
