// `tinyml prune`: structured pruning of the int8 KWS model writes a smaller model beside it with
// the report; missing or impossible options exit 2 with the reason.

import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { prepareEngine } from '../../../server/src/engine/engine';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { modelsDir } from '../../helpers/shared';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

describe('tinyml prune', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-prune-'));
  const model = join(dir, 'kws_ref_model.tflite');
  copyFileSync(join(modelsDir, 'mlperf-tiny', 'kws_ref_model.tflite'), model);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('--structured writes <model>.pruned50-channels.tflite: fewer MACs, runs, and the report says what changed', () => {
    const input = readFileSync(model);
    const r = run(['prune', model, '--sparsity', '0.5', '--structured', '--board', 'arduino-nano-33-ble-sense']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readFileSync(model), input);
    const output = join(dir, 'kws_ref_model.pruned50-channels.tflite');
    const engine = prepareEngine(readTflite(new Uint8Array(readFileSync(output))));
    engine.invoke();
    const report = JSON.parse(readFileSync(`${output}.report.json`, 'utf8'));
    assert.equal(report.board, 'arduino-nano-33-ble-sense');
    assert.ok(report.budget.after.macs < report.budget.before.macs);
    assert.equal(report.prune.kind, 'channels');
    assert.match(r.out, /pruning: channels removed/);
    assert.match(r.out, /not compared: op 2 \(CONV_2D\)/);
  });

  it('magnitude with --json: the report parses and records the sparsity', () => {
    const r = run(['prune', model, '--sparsity', '0.3', '--scope', 'global', '--json']);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.deepEqual(report.action, { kind: 'prune', sparsity: 0.3, structured: false, scope: 'global', includeFirstAndLast: false });
    // Global: 30% of all the pruned layers' weights together, to the nearest whole weight.
    assert.ok(Math.abs(report.prune.achievedSparsity - 0.3) < 1e-4, String(report.prune.achievedSparsity));
    assert.equal(report.output.fileName, 'kws_ref_model.pruned30.tflite');
  });

  it('exits 2 without --sparsity, with a sparsity out of range, and for another output format', () => {
    assert.match(run(['prune', model]).err, /--sparsity is required/);
    assert.match(run(['prune', model, '--sparsity', 'half']).err, /--sparsity must be a number/);
    assert.match(run(['prune', model, '--sparsity', '1.5']).err, /sparsity must be above 0 and below 1/);
    const other = run(['prune', model, '--sparsity', '0.5', '-o', join(dir, 'x.onnx')]);
    assert.equal(other.code, 2);
    assert.match(other.err, /pruning keeps the model's format/);
  });
});
