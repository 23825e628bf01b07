import assert from 'node:assert/strict';
import { basename, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadCalibrationFolder } from '../../../server/src/inputs/calibrationFolder';
import { ModelInputSpec } from '../../../server/src/inputs/inputSpec';
import { sharedDir } from '../../helpers/shared';
import { npyBytes, range, rawBytes } from './npyBytes';
import { encodePng } from './pngEncoder';
import { colourTestImage, sharedBmpBytes } from './sharedImages';
import { sharedModelInputs } from './sharedModelInputs';
import { removeTempFolders, tempFolder } from './tempFolder';

const close = (actual: number, expected: number, what: string) => assert.ok(Math.abs(actual - expected) < 1e-6, `${what}: ${actual} != ${expected}`);

describe('loadCalibrationFolder, one image input', () => {
  afterEach(removeTempFolders);

  it("reads a mixed folder for person_detect's int8 [1,96,96,1] input", () => {
    const [input] = sharedModelInputs('tflm/person_detect.tflite'); // scale 0.007843137718737125, zero point -1
    const colour = colourTestImage();
    const png = encodePng({ width: 96, height: 96, colorType: 2, depth: 8, samples: colour.data });
    // A 64x48 gray ramp 2x + y: bilinear resampling reproduces a linear ramp exactly.
    const ramp = encodePng({ width: 64, height: 48, colorType: 0, depth: 8, samples: range(64 * 48, (i) => 2 * (i % 64) + Math.floor(i / 64)) });
    const dir = tempFolder({
      '.DS_Store': 'finder metadata',
      'a_person.bmp': sharedBmpBytes('person_96x96.bmp'),
      'b_colour.png': png,
      'c_ramp.png': ramp,
      'd_quantized.npy': npyBytes('int8', [1, 96, 96, 1], range(9216, (i) => (i % 256) - 128)),
      'e_float.npy': npyBytes('float32', [96, 96], range(9216, (i) => i / 9216)),
      'f_two.bin': rawBytes('int8', range(2 * 9216, (i) => (i % 9216 === 0 ? 100 : 0))),
      'g_short.bin': new Uint8Array(9000),
      'h_uint8.npy': npyBytes('uint8', [96, 96], range(9216, () => 7)),
      'i_broken.png': png.subarray(0, 1000),
      'j_small.npy': npyBytes('float32', [10, 10], range(100)),
      'notes.txt': 'how the images were taken',
      'sub/k_no_person.bmp': sharedBmpBytes('no_person_96x96.bmp'),
    });
    const set = loadCalibrationFolder(dir, [input]);

    assert.deepEqual(set.files, ['a_person.bmp', 'b_colour.png', 'c_ramp.png', 'd_quantized.npy', 'e_float.npy', 'f_two.bin', 'sub/k_no_person.bmp']);
    assert.equal(set.samples.length, 8);
    assert.ok(set.samples.every((s) => s.length === 1 && s[0].length === 9216));
    const at = (sample: number, x: number, y: number) => set.samples[sample][0][y * 96 + x];

    // person_96x96.bmp (48, 48) is 186 (python3 struct reading); default image range [0, 1].
    close(at(0, 48, 48), 186 / 255, 'bmp pixel');
    // Colour image (10, 70): R 13, G 67, B (10*7 + 70*3) & 255 = 24; BT.601 luma
    // 0.299*13 + 0.587*67 + 0.114*24 = 45.952.
    close(at(1, 10, 70), 45.952 / 255, 'luma');
    // Ramp upscaled 64x48 -> 96x96, pixel (10, 20): source x = 10.5 * 64/96 - 0.5 = 6.5,
    // y = 20.5 * 48/96 - 0.5 = 9.75, so 2 * 6.5 + 9.75 = 22.75.
    close(at(2, 10, 20), 22.75 / 255, 'resized pixel');
    // int8 .npy dequantized: q = 127 at index 255 -> (127 + 1) * scale; q = -128 at 0 -> -127 * scale.
    close(set.samples[3][0][255], 128 * 0.007843137718737125, 'dequantized max');
    close(set.samples[3][0][0], -127 * 0.007843137718737125, 'dequantized min');
    close(set.samples[4][0][4608], 0.5, 'float .npy as stored');
    // Two raw int8 samples, each with 100 at its first element.
    close(set.samples[5][0][0], 101 * 0.007843137718737125, 'first .bin sample');
    close(set.samples[6][0][0], 101 * 0.007843137718737125, 'second .bin sample');
    close(set.samples[6][0][1], 1 * 0.007843137718737125, 'zero code');
    close(at(7, 0, 0), 249 / 255, 'subfolder bmp pixel'); // no_person (0, 0) is 249

    assert.deepEqual(
      set.skipped.map((s) => s.file),
      ['g_short.bin', 'h_uint8.npy', 'i_broken.png', 'j_small.npy', 'notes.txt'],
    );
    const reason = (file: string) => set.skipped.find((s) => s.file === file)!.reason;
    assert.match(reason('g_short.bin'), /9000 bytes is not a whole number of samples of input 'input' \(int8 \[1,96,96,1\]\) \(9216 bytes each\)/);
    assert.match(reason('h_uint8.npy'), /uint8 \.npy for input 'input'.*save float32 values or int8 values/);
    assert.match(reason('i_broken.png'), /PNG: truncated in the IDAT chunk/);
    assert.match(reason('j_small.npy'), /shape \[10,10\] \(100 values\) does not fit input 'input'/);
    assert.match(reason('notes.txt'), /unknown file type '\.txt'/);

    assert.equal(
      set.description,
      `8 samples from 7 files in ${basename(dir)}/ (1 .bin, 2 .bmp, 2 .npy, 2 .png); 5 skipped; images resized (bilinear) 64x48 -> 96x96`,
    );
    assert.deepEqual(set.warnings, ["images resized with bilinear interpolation to 96x96 for input 'input' (int8 [1,96,96,1])"]);
  });

  it('reads images, .npy and resized RGB for a float [1,3,32,32] NCHW input in [-1, 1]', () => {
    const input: ModelInputSpec = { name: 'x', shape: [1, 3, 32, 32], dtype: 'float32', layout: 'nchw' };
    // 40x40 RGB: R = 5x, G = 5y, B = 100, linear so that bilinear values can be checked by hand.
    const rgb = range(40 * 40 * 3, (i) => [5 * (Math.floor(i / 3) % 40), 5 * Math.floor(i / 120), 100][i % 3]);
    const dir = tempFolder({
      'a.bmp': sharedBmpBytes('person_96x96.bmp'),
      'b.png': encodePng({ width: 40, height: 40, colorType: 2, depth: 8, samples: rgb }),
      'c.npy': npyBytes('float32', [1, 3, 32, 32], range(3072, (i) => i / 3072)),
      'd_nhwc.npy': npyBytes('float32', [1, 32, 32, 3], range(3072)),
    });
    const set = loadCalibrationFolder(dir, [input], { imageRange: [-1, 1] });
    assert.equal(set.samples.length, 4);
    const at = (sample: number, c: number, x: number, y: number) => set.samples[sample][0][c * 1024 + y * 32 + x];
    const mapped = (v: number) => -1 + (2 * v) / 255;

    // 96 -> 32: source x = (x + 0.5) * 3 - 0.5 = 3x + 1, so (15, 10) reads (46, 31) = 135
    // (python3 struct reading of person_96x96.bmp); gray goes to all three channels.
    for (let c = 0; c < 3; c++) close(at(0, c, 15, 10), mapped(135), `bmp channel ${c}`);
    // 40 -> 32, (7, 3): source x = 7.5 * 1.25 - 0.5 = 8.875, y = 3.5 * 1.25 - 0.5 = 3.875:
    // R = 44.375, G = 19.375, B = 100.
    close(at(1, 0, 7, 3), mapped(44.375), 'R');
    close(at(1, 1, 7, 3), mapped(19.375), 'G');
    close(at(1, 2, 7, 3), mapped(100), 'B');
    close(set.samples[2][0][1500], 1500 / 3072, '.npy as stored');
    assert.equal(set.samples[3][0][5], 5);
    assert.deepEqual(set.skipped, []);
    assert.ok(set.warnings.includes("images resized with bilinear interpolation to 32x32 for input 'x' (float32 [1,3,32,32]) (2 files)"), set.warnings.join('\n'));
    assert.ok(set.warnings.includes(".npy values whose shape differs from input 'x' (float32 [1,3,32,32]) are taken in their stored (C) order"), set.warnings.join('\n'));
    assert.match(set.description, /images resized \(bilinear\) 96x96 -> 32x32, 40x40 -> 32x32$/);
  });

  it("warns when the image range misses the range a quantized input was trained for", () => {
    // pretrainedResnet_quant: int8 [1,32,32,3], scale 1, zero point -128, i.e. values 0..255.
    const [input] = sharedModelInputs('mlperf-tiny/pretrainedResnet_quant.tflite');
    const dir = tempFolder({ 'person.bmp': sharedBmpBytes('person_96x96.bmp') });
    const wrong = loadCalibrationFolder(dir, [input]);
    assert.ok(wrong.warnings.includes(`images are mapped to [0, 1], but input 'input_1_int8' (int8 [1,32,32,3]) is quantized for [0, 255]: give the image range the model was trained with`), wrong.warnings.join('\n'));
    const right = loadCalibrationFolder(dir, [input], { imageRange: [0, 255] });
    assert.ok(right.warnings.every((w) => !w.startsWith('images are mapped')), right.warnings.join('\n'));
    close(right.samples[0][0][(10 * 32 + 15) * 3], 135, 'pixel (15, 10) from (46, 31)');
  });

  it('skips an image given to an input that is not an image', () => {
    const [input] = sharedModelInputs('tflm/micro_speech_quantized.tflite'); // int8 [1,1960]
    const dir = tempFolder({
      'person.bmp': sharedBmpBytes('person_96x96.bmp'),
      'yes.wav': new Uint8Array(readFileSync(join(sharedDir, 'data', 'yes_1000ms.wav'))),
    });
    const set = loadCalibrationFolder(dir, [input]);
    assert.equal(set.samples.length, 8); // floor(16000 / 1960) windows
    assert.deepEqual(set.skipped.map((s) => s.file), ['person.bmp']);
    assert.match(set.skipped[0].reason, /an image cannot feed input 'Reshape_1' \(int8 \[1,1960\]\): image inputs are \[1,H,W,C\]/);
  });
});
