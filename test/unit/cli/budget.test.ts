import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { modelPathForStem, modelsDir, oracleSummaryTable } from '../../helpers/shared';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

describe('tinyml budget', () => {
  for (const row of oracleSummaryTable()) {
    it(`--json arena figures of ${row.model} equal TFLM's (reference kernels, 32-bit)`, () => {
      const { code, out } = run(['budget', modelPathForStem(row.model), '--board', 'nucleo-h743zi2', '--json']);
      assert.equal(code, 0);
      const report = JSON.parse(out);
      assert.equal(report.totals.arenaPlannedBytes, row.plannedRef);
      assert.equal(report.totals.arenaPersistentBytes, row.persistentRef);
      assert.equal(report.totals.arenaUsedBytes, row.usedRef);
      assert.equal(report.totals.arenaBytes, row.minRef);
      assert.equal(report.board.id, 'nucleo-h743zi2');
      assert.ok(report.layers.length > 0);
      for (const key of ['index', 'op', 'inputShapes', 'outputShape', 'dtype', 'params', 'weightBytes', 'outputBytes', 'macs', 'latencyMs']) {
        assert.ok(key in report.layers[0], `layers[].${key}`);
      }
      for (const key of ['flashBytes', 'weightBytes', 'macs', 'latencyMs', 'latencyMsReference', 'energyUj']) {
        assert.equal(typeof report.totals[key], 'number', `totals.${key}`);
      }
      assert.equal(report.totals.flashBytes, readFileSync(modelPathForStem(row.model)).length);
    });
  }

  for (const row of oracleSummaryTable()) {
    it(`arenaBytesOptimized of ${row.model} on a Cortex-M4 board equals TFLM's CMSIS-NN minimum`, () => {
      // The oracle's CMSIS-NN build targets a Cortex-M4 with the DSP extension, as the emulated an386.
      const { out } = run(['budget', modelPathForStem(row.model), '--board', 'qemu-mps2-an386', '--json']);
      assert.equal(JSON.parse(out).totals.arenaBytesOptimized, row.minCmsis);
    });
  }

  it('prints a table with totals and a fits line', () => {
    const { code, out } = run(['budget', modelPathForStem('kws_ref_model'), '--board', 'nucleo-l4r5zi']);
    assert.equal(code, 0);
    assert.match(out, /DEPTHWISE_CONV_2D/);
    // 22772 / 1024 = 22.24 KiB
    assert.match(out, /arena\s+22\.2 KiB needed as kTensorArenaSize \(22772 bytes\)/);
    assert.match(out, /^fits: /m);
  });

  it('exits 1 and says so when the model does not fit the board', () => {
    // The 4 MB mobilenet is eight times the micro:bit v2's 512 KB of flash.
    const { code, out } = run(['budget', join(modelsDir, 'tflm', 'mobilenet_v2_quantized_1x3x224x224.tflite'), '--board', 'microbit-v2']);
    assert.equal(code, 1);
    assert.match(out, /DOES NOT FIT: .*flash/);
  });

  it('exits 2 with the file and the reason on a corrupt model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-cli-'));
    const bad = join(dir, 'bad.tflite');
    const bytes = readFileSync(modelPathForStem('hello_world_int8'));
    writeFileSync(bad, bytes.subarray(0, 100));
    const { code, err } = run(['budget', bad]);
    assert.equal(code, 2);
    assert.match(err, /bad\.tflite: /);
  });

  it('exits 2 on a missing file, an unknown board and an unknown option', () => {
    assert.match(run(['budget', '/nonexistent/model.tflite']).err, /cannot read \(ENOENT\)/);
    assert.equal(run(['budget', modelPathForStem('hello_world_int8'), '--board', 'no-such-board']).code, 2);
    assert.equal(run(['budget', modelPathForStem('hello_world_int8'), '--bogus']).code, 2);
    assert.equal(run(['frobnicate']).code, 2);
  });
});

describe('tinyml boards', () => {
  it('--json lists at least 15 boards with the stable fields', () => {
    const { code, out } = run(['boards', '--json']);
    assert.equal(code, 0);
    const boards = JSON.parse(out);
    assert.ok(boards.length >= 15);
    for (const b of boards) {
      assert.deepEqual(Object.keys(b).sort(), ['clockMhz', 'core', 'flashBytes', 'id', 'mcu', 'name', 'ramBytes']);
    }
  });
});
