import assert from 'node:assert/strict';
import { join } from 'node:path';
import { CalibrationError, loadCalibrationFolder } from '../../../server/src/inputs/calibrationFolder';
import { ModelInputSpec } from '../../../server/src/inputs/inputSpec';
import { npyBytes, range, rawBytes } from './npyBytes';
import { removeTempFolders, tempFolder } from './tempFolder';

const input: ModelInputSpec = { name: 'v', shape: [1, 10], dtype: 'float32', layout: 'nhwc' };
const one = (first: number) => npyBytes('float32', [1, 10], range(10, (i) => first + i));
const fails = (run: () => unknown, message: RegExp) => assert.throws(run, (e: Error) => e instanceof CalibrationError && message.test(e.message));

describe('loadCalibrationFolder, limits and folder errors', () => {
  afterEach(removeTempFolders);

  const fiveFiles = () =>
    tempFolder({ 'a.npy': npyBytes('float32', [3, 10], range(30)), 'b.npy': one(100), 'c.npy': one(200), 'd.npy': one(300), 'e.npy': one(400) });

  it('keeps the first N samples in order and says so', () => {
    const set = loadCalibrationFolder(fiveFiles(), [input], { limit: 4 });
    assert.equal(set.samples.length, 4);
    assert.equal(set.samples[3][0][0], 100);
    assert.deepEqual(set.files, ['a.npy', 'b.npy']);
    assert.match(set.description, /^4 samples from 2 files in .*; limited to the first 4 samples \(3 more files not read\)$/);
  });

  it('cuts a batched file at the limit', () => {
    const set = loadCalibrationFolder(fiveFiles(), [input], { limit: 2 });
    assert.deepEqual(set.samples.map((s) => s[0][0]), [0, 10]);
    assert.match(set.description, /limited to the first 2 samples \(4 more files not read\)$/);
  });

  it('keeps 100 samples by default', () => {
    const set = loadCalibrationFolder(tempFolder({ 'many.bin': rawBytes('float32', range(150 * 10)) }), [input]);
    assert.equal(set.samples.length, 100);
    assert.equal(set.samples[99][0][0], 990);
    assert.match(set.description, /limited to the first 100 samples$/);
  });

  it('reads everything when the limit is not reached', () => {
    const set = loadCalibrationFolder(fiveFiles(), [input], { limit: 7 });
    assert.equal(set.samples.length, 7);
    assert.doesNotMatch(set.description, /limited/);
  });

  it('an empty folder (hidden files aside) is an error naming it', () => {
    const dir = tempFolder({ '.gitkeep': '' });
    fails(() => loadCalibrationFolder(dir, [input]), new RegExp(`no usable calibration sample in ${dir.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}: it holds no input file`));
  });

  it('a folder of unusable files is an error giving the first reasons', () => {
    const dir = tempFolder({ 'a.txt': 'x', 'b.npy': one(0).subarray(0, 100), 'c.wav': 'RIFF', 'd.bin': new Uint8Array(3) });
    fails(
      () => loadCalibrationFolder(dir, [input]),
      /no usable calibration sample in .*: a\.txt: unknown file type '\.txt'.*; b\.npy: .*; c\.wav: not a WAV file.*; and 1 more$/,
    );
  });

  it('a missing folder, or a file in its place, is a clear error', () => {
    const dir = tempFolder({ 'file.npy': one(0) });
    fails(() => loadCalibrationFolder(join(dir, 'absent'), [input]), /calibration folder .*absent does not exist/);
    fails(() => loadCalibrationFolder(join(dir, 'file.npy'), [input]), /file\.npy is a file; calibration inputs are read from a folder/);
  });

  it('refuses a limit that is not a positive whole number and an input without a static shape', () => {
    const dir = tempFolder({ 'b.npy': one(0) });
    fails(() => loadCalibrationFolder(dir, [input], { limit: 0 }), /sample limit must be a positive whole number, not 0/);
    fails(() => loadCalibrationFolder(dir, [{ ...input, shape: [1, -1] }]), /input 'v' \(float32 \[1,-1\]\) has unknown or empty dimensions/);
  });
});
