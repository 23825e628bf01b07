// End to end on an emulated Cortex-M4 (QEMU mps2-an386): build examples/qemu-m4 with make, run it,
// read its UART through serialport, and check every int8 output it computes against the bundled
// engine (tolerance 0) and, for the oracle's inputs, against TFLM's own bytes.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { qemuPtyPolled } from '../../../client/src/device/flash/qemuPty';
import { prepareEngine } from '../../../server/src/engine/engine';
import { INT32_MAX, INT32_MIN, quantizeMultiplier, tfliteRound } from '../../../server/src/engine/fixedPoint';
import { readTflite } from '../../../server/src/model/tflite/reader';
import {
  openSerialLines,
  QEMU_FIRMWARE_TOOLS,
  type QemuBoard,
  requireTools,
  runMake,
  type SerialLines,
  startQemuPaused,
} from '../../helpers/qemuBoard';
import { oracleJson, repoRoot } from '../../helpers/shared';

const exampleDir = join(repoRoot, 'examples', 'qemu-m4');
const modelBytes = new Uint8Array(readFileSync(join(exampleDir, 'model', 'hello_world_int8.tflite')));
const PERIODS = 3;
const LINE_TIMEOUT_MS = 5_000;
const COLLECT_TIMEOUT_MS = 30_000;

interface Step {
  step: number;
  x: number;
  xq: number;
  yq: number;
  y: number;
  /** The Arduino Serial Plotter line printed just before this result line. */
  plot: string;
}

interface Run {
  banner: { model: string; sha256: string; layers: number; steps_per_period: number };
  layers: { layer: number; multiplier: number; shift: number; act_min: number; act_max: number }[];
  steps: Step[];
  table: Map<number, number>;
  firstLineMs: number;
  totalMs: number;
}

/**
 * Boot lines, then the sweep with one table request ('t') in the middle, up to PERIODS periods.
 * The CPU starts once QEMU's pty poll has seen the port open (`openedAt`): before that QEMU drops
 * what the pty cannot take if this reader falls behind.
 */
async function collect(board: QemuBoard, uart: SerialLines, openedAt: number): Promise<Run> {
  await qemuPtyPolled(openedAt);
  const started = Date.now();
  board.cont();
  const banner = JSON.parse(await uart.next(LINE_TIMEOUT_MS)) as Run['banner'];
  const firstLineMs = Date.now() - started;
  const layers: Run['layers'] = [];
  for (let i = 0; i < banner.layers; i++) layers.push(JSON.parse(await uart.next(LINE_TIMEOUT_MS)));

  const steps: Step[] = [];
  const table = new Map<number, number>();
  let tableState: 'unasked' | 'asked' | 'open' | 'done' = 'unasked';
  let previous = '';
  while (steps.length < PERIODS * banner.steps_per_period || tableState !== 'done') {
    if (Date.now() - started > COLLECT_TIMEOUT_MS) {
      throw new Error(`after ${COLLECT_TIMEOUT_MS} ms: ${steps.length} steps, table ${tableState}`);
    }
    const line = await uart.next(LINE_TIMEOUT_MS);
    if (line.startsWith('{')) {
      const o = JSON.parse(line) as Record<string, unknown>;
      if ('fault' in o || 'error' in o) throw new Error(`firmware: ${line}`);
      if (o.table === 'begin') tableState = 'open';
      else if (o.table === 'end') tableState = 'done';
      else if (tableState === 'open') table.set(o.xq as number, o.yq as number);
      else steps.push({ ...(o as unknown as Step), plot: previous });
    }
    previous = line;
    // QEMU passes host input to the guest once its pty poll has seen the port open (waited for
    // above), so the table follows within a few steps.
    if (tableState === 'unasked' && steps.length === banner.steps_per_period / 2) {
      await uart.write('t');
      tableState = 'asked';
    }
  }
  return { banner, layers, steps, table, firstLineMs, totalMs: Date.now() - started };
}

describe('QEMU mps2-an386: examples/qemu-m4 firmware against the engine and TFLM', function () {
  this.timeout(120_000);
  let board: QemuBoard | undefined;
  let uart: SerialLines | undefined;
  let run: Run;
  const engine = prepareEngine(readTflite(modelBytes));
  const hostOutput = (xq: number): number => {
    engine.invoke([Int8Array.of(xq)]);
    return (engine.outputs[0].data as Int8Array)[0];
  };

  before(async function () {
    requireTools(this, QEMU_FIRMWARE_TOOLS);
    const buildMs = runMake(exampleDir);
    const startMs = Date.now();
    board = await startQemuPaused(join(exampleDir, 'build', 'firmware.elf'), 'mps2-an386');
    uart = await openSerialLines(board.ptyPath);
    const readyMs = Date.now() - startMs;
    run = await collect(board, uart, performance.now());
    console.log(
      `      make ${buildMs} ms, QEMU + pty ready ${readyMs} ms, first line ${run.firstLineMs} ms, ` +
        `${run.steps.length} steps + ${run.table.size} table rows in ${run.totalMs} ms`,
    );
  });

  after(async () => {
    await uart?.close();
    board?.stop();
  });

  it('runs the committed model: name and sha256', () => {
    assert.equal(run.banner.model, 'hello_world_int8');
    assert.equal(run.banner.sha256, '505ee4fae7fa46ab67bea4c08b4969eb3eb8b9114c50595ec4a29d9a27993202');
    assert.equal(run.banner.layers, 3);
  });

  it('prepares each layer as TFLM does: multiplier, shift and activation bounds', () => {
    const sg = readTflite(modelBytes).subgraphs[0];
    const expected = sg.operators.map((op, layer) => {
      const [input, filter] = [sg.tensors[op.inputs[0]], sg.tensors[op.inputs[1]]];
      const output = sg.tensors[op.outputs[0]];
      const scale = (t: typeof input) => t.quantization!.scale[0];
      const zeroPoint = output.quantization!.zeroPoint[0];
      const q = quantizeMultiplier(Math.fround(scale(input) * scale(filter)) / scale(output));
      const relu = op.options.fusedActivation === 'RELU';
      const actMin = relu ? Math.max(-128, zeroPoint + tfliteRound(Math.fround(0 / scale(output)))) : -128;
      return { layer, multiplier: q.multiplier, shift: q.shift, act_min: actMin, act_max: 127 };
    });
    assert.deepEqual(run.layers, expected);
    for (const l of run.layers) assert.ok(l.multiplier >= 2 ** 30 && l.multiplier <= INT32_MAX && l.multiplier > INT32_MIN);
  });

  it(`sweeps ${PERIODS} whole periods in order, no line lost`, () => {
    const n = run.banner.steps_per_period;
    assert.ok(n >= 100, `at least 100 steps per period, got ${n}`);
    run.steps.forEach((s, i) => assert.equal(s.step, i % n, `result line ${i}`));
  });

  it("quantizes x as TFLM's QUANTIZE does (float32 round(x / scale) + zero point)", () => {
    const input = engine.inputs[0];
    // The firmware's float32 arithmetic, step for step: TWO_PI_F / N, then step * that.
    const stepSize = Math.fround(Math.fround(6.28318530718) / run.banner.steps_per_period);
    for (const s of run.steps) {
      const x = Math.fround(s.step * stepSize);
      const q = Math.min(127, Math.max(-128, tfliteRound(Math.fround(x / input.scale)) + input.zeroPoint));
      assert.equal(s.xq, q, `step ${s.step}`);
      // Printed with %.4f: within half a unit of the last printed digit.
      assert.ok(Math.abs(s.x - x) <= 0.5e-4 + 1e-9, `step ${s.step}: printed x ${s.x}, computed ${x}`);
    }
    // x = 0 is the lowest input byte; the last step, 2*pi*(n-1)/n, is 126 (127 is in the table).
    const xqs = run.steps.map((s) => s.xq);
    assert.equal(Math.min(...xqs), -128);
    assert.ok(Math.max(...xqs) >= 125, `the sweep ends at ${Math.max(...xqs)}`);
  });

  it('every sweep output byte equals the engine on the same input byte (tolerance 0)', () => {
    assert.ok(run.steps.length >= 100);
    for (const s of run.steps) assert.equal(s.yq, hostOutput(s.xq), `step ${s.step}, xq ${s.xq}`);
  });

  it('prints y = dequantized yq, and a plotter line (x, sin, y) that agrees with the result line', () => {
    const output = engine.outputs[0];
    for (const s of run.steps) {
      // TFLM's DEQUANTIZE: static_cast<float>(double(scale) * (q - zero_point)).
      const y = Math.fround(output.scale * (s.yq - output.zeroPoint));
      // Printed with %.4f: within half a unit of the last printed digit.
      assert.ok(Math.abs(s.y - y) <= 0.5e-4 + 1e-9, `step ${s.step}: printed y ${s.y}, dequantized ${y}`);
      const m = /^x:(-?\d+\.\d{4}),sin:(-?\d+\.\d{4}),y:(-?\d+\.\d{4})$/.exec(s.plot);
      assert.ok(m, `step ${s.step}: plotter line ${JSON.stringify(s.plot)}`);
      assert.equal(Number(m[1]), s.x);
      assert.equal(Number(m[3]), s.y);
      // sinf is within a few float32 ulps; the printing rounds to 1e-4.
      assert.ok(Math.abs(Number(m[2]) - Math.sin(s.x)) <= 1e-4, `step ${s.step}: sin ${m[2]}`);
    }
  });

  it('the on-demand table covers all 256 int8 inputs and equals the engine on each', () => {
    assert.equal(run.table.size, 256);
    for (let xq = -128; xq <= 127; xq++) assert.equal(run.table.get(xq), hostOutput(xq), `xq ${xq}`);
  });

  it("TFLM's output bytes for the oracle's inputs (hello_world_int8.json) are the firmware's", () => {
    const oracle = oracleJson('tflm', 'hello_world_int8') as { cases: { name: string; input_b64: string; output_b64: string }[] };
    assert.ok(oracle.cases.length >= 3);
    for (const c of oracle.cases) {
      const xq = new Int8Array(Buffer.from(c.input_b64, 'base64'))[0];
      const yq = new Int8Array(Buffer.from(c.output_b64, 'base64'))[0];
      assert.equal(run.table.get(xq), yq, `${c.name}: input ${xq}`);
      for (const s of run.steps.filter((st) => st.xq === xq)) assert.equal(s.yq, yq, `${c.name}: sweep step ${s.step}`);
    }
  });
});
