// Received lines into plot samples. Only whole lines are samples: a 'partial' line was cut off
// when the port closed (`x:3.6` of `x:3.6128`), so its numbers are not what the device printed;
// sent lines, session events and hex rows are not device values either.

import type { PlotterParser } from '../../../client/src/device/parsers/plotterLine';
import type { MonitorLine } from './messages';
import type { PlotData } from './plotData';

/** Adds a sample to `plot` for each whole line that holds numbers; returns how many. */
export function plotLines(plot: PlotData, parser: PlotterParser, lines: readonly MonitorLine[]): number {
  let added = 0;
  for (const l of lines) {
    if (l.kind !== 'line') continue;
    const sample = parser.parse(l.text);
    if (!sample) continue;
    plot.add(l.time, sample.names, sample.values);
    added++;
  }
  return added;
}
