import assert from 'node:assert/strict';
import { csvField, PlotData, plotCsv } from '../../../../webview/src/device/plotData';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 600);

describe('plot data and CSV export', () => {
  it('numbers samples, keeps series apart and hides the names asked', () => {
    const d = new PlotData(100, ['step']);
    d.add(T0, ['x', 'sin', 'y'], [0.0628, 0.0628, 0.058]);
    d.add(T0, ['step', 'x', 'y'], [1, 0.0628, 0.058]);
    assert.equal(d.latest, 1);
    assert.deepEqual([...d.series.keys()], ['x', 'sin', 'y', 'step']);
    assert.deepEqual(d.visibleSeries().map((s) => s.name), ['x', 'sin', 'y']);
    assert.deepEqual(d.yExtent(0, 1), [0.058, 0.0628]);
    d.setVisible('step', true);
    assert.deepEqual(d.yExtent(0, 1), [0.058, 1]);
    assert.deepEqual(d.hiddenNames(), []);
  });

  it('exports every buffered sample: one row per sample, blanks where a series has none', () => {
    const d = new PlotData(2);
    d.add(T0, ['a', 'b'], [1, 2]);
    d.add(T0 + 1, ['a'], [3]);
    d.add(T0 + 2, ['b', 'c,d'], [4, 5]);
    // Capacity 2 per series: a holds samples 0 and 1, b 0 and 2, c 2.
    d.add(T0 + 3, ['a'], [6]);
    assert.equal(
      d.toCsv(),
      'sample,time,a,b,"c,d"\n' + `0,2025-01-02T03:04:05.600Z,,2,\n` + `1,2025-01-02T03:04:05.601Z,3,,\n` + `2,2025-01-02T03:04:05.602Z,,4,5\n` + `3,2025-01-02T03:04:05.603Z,6,,\n`,
    );
  });

  it('quotes fields as RFC 4180 wants', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a"b'), '"a""b"');
    assert.equal(plotCsv([{ name: 'v', points: [[0, 1.5]] }], () => undefined), 'sample,time,v\n0,,1.5\n');
  });
});
