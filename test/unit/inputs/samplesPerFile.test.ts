import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCalibrationFolder } from '../../../server/src/inputs/calibrationFolder';
import { ModelInputSpec } from '../../../server/src/inputs/inputSpec';
import { sharedDir } from '../../helpers/shared';
import { npyBytes, range, rawBytes } from './npyBytes';
import { sharedModelInputs } from './sharedModelInputs';
import { removeTempFolders, tempFolder } from './tempFolder';
import { encodeWav } from './wavEncoder';

const vector = (n: number): ModelInputSpec => ({ name: 'v', shape: [1, n], dtype: 'float32', layout: 'nhwc' });
const yesWav = () => new Uint8Array(readFileSync(join(sharedDir, 'data', 'yes_1000ms.wav')));
// int16 frames of yes_1000ms.wav by python3's wave module: [0] -7, [479] -25, [480] -29,
// [4000] -28, [15999] 19.

describe('loadCalibrationFolder, files giving several samples', () => {
  afterEach(removeTempFolders);

  it('splits a batched .npy [N, ...] into N samples', () => {
    const dir = tempFolder({
      'a_batch.npy': npyBytes('float32', [4, 10], range(40)),
      'b_batch_with_unit_dim.npy': npyBytes('float32', [2, 1, 10], range(20, (i) => -i)),
      'c_single.npy': npyBytes('float32', [1, 10], range(10, (i) => 100 + i)),
      'd_odd.npy': npyBytes('float32', [3, 7], range(21)),
    });
    const set = loadCalibrationFolder(dir, [vector(10)]);
    assert.equal(set.samples.length, 7);
    assert.deepEqual(Array.from(set.samples[2][0]), range(10, (i) => 20 + i));
    assert.deepEqual(Array.from(set.samples[5][0]), range(10, (i) => -(10 + i)));
    assert.deepEqual(Array.from(set.samples[6][0]), range(10, (i) => 100 + i));
    assert.deepEqual(set.skipped.map((s) => s.file), ['d_odd.npy']);
    assert.match(set.skipped[0].reason, /shape \[3,7\] \(21 values\) does not fit input 'v' \(float32 \[1,10\]\): one sample is 10 values/);
  });

  it('reads a raw .bin holding several samples and refuses a partial one', () => {
    const dir = tempFolder({
      'three.bin': rawBytes('float32', range(30, (i) => i * 0.25)),
      'partial.bin': new Uint8Array(41),
    });
    const set = loadCalibrationFolder(dir, [vector(10)]);
    assert.equal(set.samples.length, 3);
    assert.deepEqual(Array.from(set.samples[2][0]), range(10, (i) => (20 + i) * 0.25));
    assert.deepEqual(set.skipped, [{ file: 'partial.bin', reason: ".bin of 41 bytes is not a whole number of samples of input 'v' (float32 [1,10]) (40 bytes each)" }]);
  });

  it('cuts a clip longer than the input into consecutive windows, with one warning', () => {
    const set = loadCalibrationFolder(tempFolder({ 'yes.wav': yesWav(), 'no.wav': yesWav() }), [vector(4000)]);
    assert.equal(set.samples.length, 8);
    assert.equal(set.samples[1][0][0] * 32768, -28); // frame 4000 opens the second window
    assert.equal(set.warnings.length, 1);
    assert.match(set.warnings[0], /^audio is fed as raw samples, in consecutive windows of 4000 .* need their features as \.npy \(2 files\)$/);
  });

  it('feeds a clip as long as the input whole, without a warning', () => {
    const set = loadCalibrationFolder(tempFolder({ 'yes.wav': yesWav() }), [vector(16000)]);
    assert.equal(set.samples.length, 1);
    assert.equal(set.samples[0][0][15999] * 32768, 19);
    assert.deepEqual(set.warnings, []);
  });

  it('zero-pads a clip shorter than the input, with a warning', () => {
    const set = loadCalibrationFolder(tempFolder({ 'yes.wav': yesWav() }), [vector(20000)]);
    assert.equal(set.samples[0][0].length, 20000);
    assert.equal(set.samples[0][0][15999] * 32768, 19);
    assert.ok(set.samples[0][0].subarray(16000).every((v) => v === 0));
    assert.deepEqual(set.warnings, ["clips shorter than input 'v' (float32 [1,20000]) (20000 samples) are zero-padded at the end"]);
  });

  it('feeds int16 PCM to an int16 input without quantization (the micro_speech audio front end)', () => {
    const [input] = sharedModelInputs('tflm/audio_preprocessor_int8.tflite'); // int16 [1,480], no scale
    const set = loadCalibrationFolder(tempFolder({ 'yes.wav': yesWav() }), [input]);
    assert.equal(set.samples.length, 33); // floor(16000 / 480)
    assert.equal(set.samples[0][0][0], -7);
    assert.equal(set.samples[0][0][479], -25);
    assert.equal(set.samples[1][0][0], -29);
    assert.ok(set.warnings.some((w) => /has no quantization parameters: audio is fed as int16 PCM values/.test(w)), set.warnings.join('\n'));
  });

  it('warns when clips of different sample rates are mixed', () => {
    const dir = tempFolder({ 'a.wav': yesWav(), 'b.wav': encodeWav({ format: 's16', sampleRate: 8000, channels: [range(16000, () => 0)] }) });
    const set = loadCalibrationFolder(dir, [vector(16000)]);
    assert.ok(set.warnings.includes('audio clips have different sample rates (8000, 16000 Hz); they are not resampled'), set.warnings.join('\n'));
  });
});
