import assert from 'node:assert/strict';
import { basename } from 'node:path';
import { loadCalibrationFolder } from '../../../server/src/inputs/calibrationFolder';
import { npyBytes, range, rawBytes } from './npyBytes';
import { encodePng } from './pngEncoder';
import { sharedModelInputs } from './sharedModelInputs';
import { removeTempFolders, tempFolder } from './tempFolder';

describe('loadCalibrationFolder, a model with two inputs', () => {
  afterEach(removeTempFolders);

  it('takes one subfolder per sample, its files matched to the inputs in sorted-name order', () => {
    // simple_add_model: two int8 [1,128,128,1] inputs with their own scales and zero points.
    const inputs = sharedModelInputs('tflm/simple_add_model.tflite');
    assert.equal(inputs.length, 2);
    const [first, second] = inputs;
    const n = 128 * 128;
    const png = encodePng({ width: 128, height: 128, colorType: 0, depth: 8, samples: range(n, (i) => i % 256) });
    const dir = tempFolder({
      'loose.npy': npyBytes('float32', [1, 128, 128, 1], range(n)),
      's1/a.npy': npyBytes('float32', [1, 128, 128, 1], range(n, () => 0.5)),
      's1/b.npy': npyBytes('int8', [1, 128, 128, 1], range(n, () => 10)),
      's2/x.png': png,
      's2/y.bin': rawBytes('int8', range(2 * n, () => 0)),
      's3/only.npy': npyBytes('float32', [1, 128, 128, 1], range(n)),
      // Zero codes in both files: the two zero points tell which input each file went to.
      's4/a.bin': rawBytes('int8', range(2 * n, () => 0)),
      's4/b.bin': rawBytes('int8', range(2 * n, () => 0)),
      's5/a.npy': npyBytes('float32', [1, 128, 128, 1], range(n, () => 1)),
      's5/b_readme.txt': 'about this sample',
      's5/c.png': png,
      's6/a.npy': npyBytes('float32', [1, 128, 128, 1], range(n)),
      's6/b.png': png.subarray(0, 200),
    });
    const set = loadCalibrationFolder(dir, inputs);

    assert.equal(set.samples.length, 4);
    assert.ok(set.samples.every((s) => s.length === 2 && s[0].length === n && s[1].length === n));
    assert.deepEqual(set.files, ['s1/a.npy', 's1/b.npy', 's4/a.bin', 's4/b.bin', 's5/a.npy', 's5/c.png']);
    const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-6, `${a} != ${b}`);
    close(set.samples[0][0][0], 0.5);
    close(set.samples[0][1][0], (10 - second.zeroPoint!) * second.scale!);
    for (const s of [1, 2]) {
      close(set.samples[s][0][7], (0 - first.zeroPoint!) * first.scale!);
      close(set.samples[s][1][7], (0 - second.zeroPoint!) * second.scale!);
    }
    close(set.samples[3][1][200], (200 % 256) / 255); // the gray PNG at pixel 200, in [0, 1]

    const reasons = Object.fromEntries(set.skipped.map((s) => [s.file, s.reason]));
    assert.deepEqual(Object.keys(reasons), ['loose.npy', 's2', 's3', 's5/b_readme.txt', 's6/b.png']);
    assert.match(reasons['loose.npy'], /loose file: a model with 2 inputs takes one subfolder per sample/);
    assert.match(reasons['s2'], /its files give different sample counts \(1, 2\)/);
    assert.match(reasons['s3'], /sample folder holds 1 input file\(s\); the model's 2 inputs \('serving_default_input_1:0', 'serving_default_input_2:0'\) take one file each/);
    assert.match(reasons['s5/b_readme.txt'], /unknown file type/);
    assert.match(reasons['s6/b.png'], /for input 'serving_default_input_2:0' .*PNG: truncated.*\(sample folder s6 skipped\)/);
    assert.equal(set.description, `4 samples from 3 sample folders in ${basename(dir)}/ (2 .bin, 3 .npy, 1 .png); 5 skipped`);
  });
});
