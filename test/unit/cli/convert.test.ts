// `tinyml convert`: the target format is the other one by default, or -o's extension; the
// converted model is written beside the input with its report; impossible targets exit 2.

import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { prepareEngine } from '../../../server/src/engine/engine';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { modelsDir } from '../../helpers/shared';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

describe('tinyml convert', function () {
  this.timeout(60_000);
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-convert-'));
  const model = join(dir, 'hello_world_int8.tflite');
  copyFileSync(join(modelsDir, 'tflm', 'hello_world_int8.tflite'), model);
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('converts TFLite to ONNX beside the input, and back with -o', () => {
    const there = run(['convert', model]);
    assert.equal(there.code, 0, there.err);
    const onnx = join(dir, 'hello_world_int8.onnx');
    assert.equal(readOnnx(new Uint8Array(readFileSync(onnx))).format, 'onnx');
    assert.ok(existsSync(`${onnx}.report.json`));
    assert.match(there.out, /convert hello_world_int8\.tflite \(tflite, .*\) -> hello_world_int8\.onnx \(onnx/);

    const back = join(dir, 'back.tflite');
    const r = run(['convert', onnx, '-o', back, '--json']);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(JSON.parse(r.out).action, { kind: 'convert', to: 'tflite' });
    // The round trip of an int8 model gives the same outputs (see test/unit/actions/convertAction.test.ts).
    const run1 = (path: string) => {
      const e = prepareEngine(readTflite(new Uint8Array(readFileSync(path))));
      e.invoke([Int8Array.of(37)]);
      return Array.from(e.outputs[0].data);
    };
    assert.deepEqual(run1(back), run1(model));
  });

  it('exits 2 for an output that names no model format, or the format the model has', () => {
    const txt = run(['convert', model, '-o', join(dir, 'model.txt')]);
    assert.equal(txt.code, 2);
    assert.match(txt.err, /must end in \.tflite or \.onnx/);
    const same = run(['convert', model, '-o', join(dir, 'again.tflite')]);
    assert.equal(same.code, 2);
    assert.match(same.err, /already TFLite/);
    assert.ok(!existsSync(join(dir, 'again.tflite')));
  });
});
