import assert from 'node:assert/strict';
import { argmax, compareOutputs, deviceValues } from '../../../../client/src/device/inference/comparison';

describe('device vs host comparison', () => {
  it('raw int8 bytes must be identical', () => {
    const d = deviceValues({ kind: 'json', fields: { xq: -125, yq: 12 } }, { kind: 'jsonFields', fields: ['yq'], as: 'raw' }, [], 1)!;
    assert.deepEqual(d, { values: [12], as: 'raw' });
    assert.deepEqual(compareOutputs(d, { raw: [12], scores: [0.058] }, 0.5, true), { agree: true, maxDiff: 0, mismatches: [], tolerance: 'exact' });
    // Off by one byte fails even with a generous tolerance.
    assert.deepEqual(compareOutputs({ values: [13], as: 'raw' }, { raw: [12], scores: [0.058] }, 5, true), { agree: false, maxDiff: 1, mismatches: [0], tolerance: 'exact' });
  });

  it('scores by label within the tolerance', () => {
    const d = deviceValues({ kind: 'scores', scores: [{ label: 'no', value: 0.05 }, { label: 'yes', value: 0.91 }] }, { kind: 'scores' }, ['silence', 'yes', 'no'], 3)!;
    assert.deepEqual(d.values.slice(1), [0.91, 0.05]);
    assert.ok(Number.isNaN(d.values[0]));
    const host = { raw: [-128, 104, -115], scores: [0, 0.90625, 0.05078125] };
    const ok = compareOutputs(d, host, 0.02, true);
    assert.equal(ok.agree, true);
    assert.ok(Math.abs(ok.maxDiff - 0.00375) < 1e-9);
    assert.equal(compareOutputs(d, host, 0.001, true).agree, false);
  });

  it('a class index against the host top class', () => {
    const d = deviceValues({ kind: 'class', label: 'yes' }, { kind: 'scores' }, ['no', 'yes'], 2)!;
    assert.deepEqual(d, { values: [1], as: 'class' });
    assert.equal(compareOutputs(d, { raw: [0, 0], scores: [0.2, 0.8] }, 0, true).agree, true);
    assert.equal(compareOutputs(d, { raw: [0, 0], scores: [0.8, 0.2] }, 0, true).agree, false);
  });

  it('lines that do not match the spec are no result', () => {
    assert.equal(deviceValues({ kind: 'json', fields: { model: 'x' } }, { kind: 'jsonFields', fields: ['yq'], as: 'raw' }, [], 1), undefined);
    assert.equal(deviceValues({ kind: 'scores', scores: [{ label: 'a', value: 1 }] }, { kind: 'jsonFields', fields: ['yq'], as: 'raw' }, [], 1), undefined);
    assert.equal(argmax([0.1, 0.7, 0.2]), 1);
  });
});
