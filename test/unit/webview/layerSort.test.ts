import assert from 'node:assert/strict';
import { DEFAULT_SORT, nextRow, nextSort, shares, sortLayers } from '../../../webview/src/budget/layerSort';

const layer = (index: number, macs: number, outputBytes = 0, weightBytes = 0, latencyMs = 0) => ({ index, macs, outputBytes, weightBytes, latencyMs });

describe('layer table sorting', () => {
  const layers = [layer(0, 320, 8000, 2880, 14.6), layer(1, 72, 8000, 832, 7.26), layer(2, 512, 8000, 4352, 14.6), layer(3, 0, 64, 8, 0.003), layer(4, 512, 12, 816, 0.033)];

  it('first click on a cost column sorts largest first, ties in execution order', () => {
    const sort = nextSort(DEFAULT_SORT, 'macs');
    assert.deepEqual(sort, { key: 'macs', direction: 'descending' });
    assert.deepEqual(sortLayers(layers, sort).map((l) => l.index), [2, 4, 0, 1, 3]);
  });

  it('a second click on the same column reverses it; the index column starts ascending', () => {
    const asc = nextSort({ key: 'macs', direction: 'descending' }, 'macs');
    assert.deepEqual(asc, { key: 'macs', direction: 'ascending' });
    // Ties still in execution order: 2 before 4 at 512 MACs.
    assert.deepEqual(sortLayers(layers, asc).map((l) => l.index), [3, 1, 0, 2, 4]);
    assert.deepEqual(nextSort(asc, 'index'), { key: 'index', direction: 'ascending' });
  });

  it('sorts by RAM (output bytes), flash (weight bytes) and latency', () => {
    assert.deepEqual(sortLayers(layers, { key: 'outputBytes', direction: 'descending' }).map((l) => l.index), [0, 1, 2, 3, 4]);
    assert.deepEqual(sortLayers(layers, { key: 'weightBytes', direction: 'descending' }).map((l) => l.index), [2, 0, 1, 4, 3]);
    assert.deepEqual(sortLayers(layers, { key: 'latencyMs', direction: 'descending' }).map((l) => l.index), [0, 2, 1, 4, 3]);
  });

  it('does not modify its input', () => {
    sortLayers(layers, { key: 'macs', direction: 'descending' });
    assert.deepEqual(layers.map((l) => l.index), [0, 1, 2, 3, 4]);
  });

  it('shares are of the column total; bars are relative to the largest', () => {
    assert.deepEqual(shares([1, 3, 0, 4]), [
      { share: 0.125, bar: 0.25 },
      { share: 0.375, bar: 0.75 },
      { share: 0, bar: 0 },
      { share: 0.5, bar: 1 },
    ]);
    assert.deepEqual(shares([0, 0]), [
      { share: 0, bar: 0 },
      { share: 0, bar: 0 },
    ]);
  });

  it('arrow keys move between rows and stop at the ends', () => {
    assert.equal(nextRow(0, 'ArrowDown', 13), 1);
    assert.equal(nextRow(12, 'ArrowDown', 13), 12);
    assert.equal(nextRow(0, 'ArrowUp', 13), 0);
    assert.equal(nextRow(5, 'Home', 13), 0);
    assert.equal(nextRow(5, 'End', 13), 12);
    assert.equal(nextRow(5, 'PageDown', 13), 12);
    assert.equal(nextRow(11, 'PageUp', 13), 1);
    assert.equal(nextRow(3, 'Enter', 13), undefined);
    assert.equal(nextRow(0, 'ArrowDown', 0), undefined);
  });
});
