import assert from 'node:assert/strict';
import { formatTick, niceNumber, niceTicks } from '../../../../webview/src/device/niceTicks';

describe('nice ticks', () => {
  it('picks 1, 2, 5 times a power of ten', () => {
    assert.equal(niceNumber(0.7, true), 0.5);
    assert.equal(niceNumber(1.6, true), 2);
    assert.equal(niceNumber(3.2, true), 5);
    assert.equal(niceNumber(8, true), 10);
    assert.equal(niceNumber(120, false), 200);
  });

  it('covers sin(x) from -1 to 1 in steps of 0.5', () => {
    assert.deepEqual(niceTicks(-0.98, 0.99, 5), { min: -1, max: 1, step: 0.5, values: [-1, -0.5, 0, 0.5, 1] });
  });

  it('covers 0.0628..6.22 (the sweep of x) in steps of 2', () => {
    const t = niceTicks(0.0628, 6.22, 5);
    assert.equal(t.step, 2);
    assert.deepEqual(t.values, [0, 2, 4, 6, 8]);
  });

  it('prints 0.1 steps without float noise and widens a flat range', () => {
    assert.deepEqual(niceTicks(0, 0.3, 5).values, [0, 0.1, 0.2, 0.3]);
    // Four ticks for 0..0.3: steps of 0.2 (range 0.5 / 3 = 0.167 -> 0.2).
    assert.deepEqual(niceTicks(0, 0.3, 4).values, [0, 0.2, 0.4]);
    // 5 +- 10%: 4.5..5.5 in steps of 0.5.
    assert.deepEqual(niceTicks(5, 5, 3), { min: 4.5, max: 5.5, step: 0.5, values: [4.5, 5, 5.5] });
    assert.deepEqual(niceTicks(0, 0, 3).values, [-1, 0, 1]);
    assert.equal(formatTick(0.5, 0.5), '0.5');
    assert.equal(formatTick(2000, 500), '2000');
    assert.equal(formatTick(1e7, 1e6), '1.0e+7');
  });
});
