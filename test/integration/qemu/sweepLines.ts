// What examples/qemu-m4 prints, line for line: the banner, one line per layer, then per step a
// plotter line and a result line, the step counting 0..steps_per_period-1 around. Checking every
// line against it catches a byte lost anywhere on the way from the UART to the monitor.

import assert from 'node:assert/strict';

const PLOT = /^x:(\d+\.\d{4}),sin:-?\d+\.\d{4},y:-?\d+\.\d{4}$/;
const RESULT = /^\{"step":(\d+),"x":(\d+\.\d{4}),"xq":-?\d+,"yq":-?\d+,"y":-?\d+\.\d{4}\}$/;

/** Asserts `lines` (whole lines, from the first one the firmware printed) are the sweep; returns its step count. */
export function assertWholeSweep(lines: readonly string[]): number {
  const banner = JSON.parse(lines[0]) as { model: string; layers: number; steps_per_period: number };
  assert.equal(banner.model, 'hello_world_int8', `first line: ${lines[0]}`);
  for (let i = 1; i <= banner.layers; i++) assert.match(lines[i], /^\{"layer":\d+,"multiplier":\d+,/);
  const sweep = lines.slice(1 + banner.layers);
  let steps = 0;
  for (let i = 0; i + 1 < sweep.length; i += 2, steps++) {
    const at = 1 + banner.layers + i;
    const plot = PLOT.exec(sweep[i]);
    const result = RESULT.exec(sweep[i + 1]);
    assert.ok(plot && result, `lines ${at}, ${at + 1} are not a plot line and a result line: ${JSON.stringify(sweep.slice(i, i + 2))}`);
    assert.equal(Number(result[1]), steps % banner.steps_per_period, `line ${at + 1}: step`);
    assert.equal(plot[1], result[2], `line ${at}: the plot line's x is the result's`);
  }
  return steps;
}
