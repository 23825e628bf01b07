// `tinyml quantize`: files land beside the input, the input is never written, an existing output
// is only replaced with --force, --calib feeds calibration, and bad input exits 2 with the reason.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { quantizeModel } from '../../../server/src/quantize/quantize';
import { modelsDir } from '../../helpers/shared';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

const folders: string[] = [];

/** A fresh folder holding a copy of a shared model. */
function workspace(model: string): { dir: string; model: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-quantize-'));
  folders.push(dir);
  const path = join(dir, model.split('/').pop()!);
  copyFileSync(join(modelsDir, model), path);
  return { dir, model: path };
}

describe('tinyml quantize', function () {
  this.timeout(60_000);
  after(() => folders.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('writes <model>.int8.tflite and its report beside the input, and leaves the input as it was', () => {
    const w = workspace('tflm/hello_world_float.tflite');
    const before = readFileSync(w.model);
    const r = run(['quantize', w.model]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(readFileSync(w.model), before);
    const output = join(w.dir, 'hello_world_float.int8.tflite');
    const sg = readTflite(new Uint8Array(readFileSync(output))).subgraphs[0];
    assert.equal(sg.tensors[sg.inputs[0]].dtype, 'int8');
    const report = JSON.parse(readFileSync(`${output}.report.json`, 'utf8'));
    assert.equal(report.output.fileName, 'hello_world_float.int8.tflite');
    assert.equal(report.output.bytes, readFileSync(output).length);
    assert.match(r.out, /per-layer SNR/);
    assert.match(r.out, /<- worst/);
    assert.match(r.out, /budget on nucleo-l4r5zi/);
    assert.match(r.out, /warning: calibrated on 32 generated/);
  });

  it('calibrates on the --calib folder: the same model quantizeModel makes from those samples', () => {
    const w = workspace('tflm/hello_world_float.tflite');
    const values = Float32Array.from([0, 0.7, 1.9, 3.3, 5.1, 6.2]);
    const calib = join(w.dir, 'calib');
    mkdirSync(calib);
    writeFileSync(join(calib, 'x.bin'), new Uint8Array(values.buffer)); // six samples of the [1, 1] input
    const r = run(['quantize', w.model, '--calib', calib, '--json', '-o', join(w.dir, 'q.tflite')]);
    assert.equal(r.code, 0, r.err);
    const report = JSON.parse(r.out);
    assert.deepEqual(report, JSON.parse(readFileSync(join(w.dir, 'q.tflite.report.json'), 'utf8')));
    assert.equal(report.evaluation.inputs, 6);
    assert.equal(report.evaluation.generated, false);
    assert.equal(report.output.fileName, 'q.tflite');
    const expected = quantizeModel(readTflite(new Uint8Array(readFileSync(w.model))), { samples: Array.from(values, (v) => [Float32Array.of(v)]) }).bytes;
    assert.deepEqual(new Uint8Array(readFileSync(join(w.dir, 'q.tflite'))), expected);
  });

  it('replaces an existing output only with --force, and never writes over the input', () => {
    const w = workspace('tflm/hello_world_float.tflite');
    const input = readFileSync(w.model);
    const output = join(w.dir, 'hello_world_float.int8.tflite');
    writeFileSync(output, 'user data');
    const refused = run(['quantize', w.model]);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /hello_world_float\.int8\.tflite exists; pass --force to replace it/);
    assert.equal(readFileSync(output, 'utf8'), 'user data');
    assert.ok(!existsSync(`${output}.report.json`));

    for (const target of [w.model, join(w.dir, '.', 'hello_world_float.tflite')]) {
      const r = run(['quantize', w.model, '-o', target, '--force']);
      assert.equal(r.code, 2);
      assert.match(r.err, /is the input model/);
    }
    symlinkSync(w.model, join(w.dir, 'link.tflite'));
    assert.equal(run(['quantize', w.model, '-o', join(w.dir, 'link.tflite'), '--force']).code, 2);
    assert.deepEqual(readFileSync(w.model), input);

    assert.equal(run(['quantize', w.model, '--force']).code, 0);
    assert.notEqual(readFileSync(output, 'utf8'), 'user data');
    assert.deepEqual(readFileSync(w.model), input);
  });

  it('exits 2 with the reason for a corrupt model, a quantized model and conflicting options', () => {
    const w = workspace('mlperf-tiny/kws_ref_model.tflite');
    const corrupt = join(w.dir, 'corrupt.tflite');
    writeFileSync(corrupt, new Uint8Array([0x1c, 0, 0, 0, 0x54, 0x46, 0x4c, 0x33, 1, 2, 3]));
    const broken = run(['quantize', corrupt]);
    assert.equal(broken.code, 2);
    assert.match(broken.err, /^tinyml quantize: .*corrupt\.tflite: Model: root offset points to offset 28, past the end of the file \(11 bytes\)/);
    assert.ok(!existsSync(join(w.dir, 'corrupt.int8.tflite')));

    const quantized = run(['quantize', w.model]);
    assert.equal(quantized.code, 2);
    assert.match(quantized.err, /already quantized/);

    assert.match(run(['quantize', w.model, '--per-channel', '--per-tensor']).err, /--per-channel or --per-tensor, not both/);
    assert.match(run(['quantize', w.model, '--format', 'onnx', '-o', join(w.dir, 'x.tflite')]).err, /does not end in \.onnx/);
    assert.match(run(['quantize', w.model, '--method', 'kl']).err, /method must be one of/);
    assert.match(run(['quantize', w.model, '--calib', join(w.dir, 'missing')]).err, /--calib/);
  });
});
