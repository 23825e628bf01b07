import assert from 'node:assert/strict';
import { PlotterParser } from '../../../../client/src/device/parsers/plotterLine';
import type { MonitorLine } from '../../../../webview/src/device/messages';
import { PlotData } from '../../../../webview/src/device/plotData';
import { plotLines } from '../../../../webview/src/device/plotLines';

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 600);

describe('plot lines', () => {
  it('plots whole lines only: a line cut off by a disconnect is not a sample', () => {
    const plot = new PlotData(100);
    const lines: MonitorLine[] = [
      { time: T0, text: 'x:3.5814,sin:-0.4258,y:-0.4394', kind: 'line' },
      // The firmware printed x:3.6442,sin:-0.4818,y:-0.4860; the port closed after "x:3.6".
      { time: T0 + 1, text: 'x:3.6', kind: 'partial' },
      { time: T0 + 2, text: 'x:1', kind: 'sent' },
      { time: T0 + 3, text: 'disconnected: x:2', kind: 'event' },
      { time: T0 + 4, text: '00000000  78 3a 31 0a', kind: 'hex' },
      { time: T0 + 5, text: 'x:0.0000,sin:0.0000,y:0.0580', kind: 'line' },
    ];
    assert.equal(plotLines(plot, new PlotterParser(), lines), 2);
    assert.deepEqual([...plot.series.keys()], ['x', 'sin', 'y']);
    assert.deepEqual(plot.series.get('x')!.buffer.toArray(), [
      [0, 3.5814],
      [1, 0],
    ]);
    assert.equal(plot.timeOf(1), T0 + 5);
  });

  it('skips text lines and counts none when nothing holds numbers', () => {
    const plot = new PlotData(100);
    assert.equal(plotLines(plot, new PlotterParser(), [{ time: T0, text: 'booting', kind: 'line' }]), 0);
    assert.equal(plot.latest, -1);
  });
});
