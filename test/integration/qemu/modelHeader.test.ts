// examples/qemu-m4 commits its model header so that the firmware builds with the Arm toolchain
// alone: here it is regenerated with the project's reader and must not differ by a byte, and the
// committed model must be the unmodified TFLM file its NOTICE names.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { modelHeader } from '../../../examples/qemu-m4/tools/modelHeader';
import { repoRoot, sharedModel } from '../../helpers/shared';

const exampleDir = join(repoRoot, 'examples', 'qemu-m4');
const SHA256 = '505ee4fae7fa46ab67bea4c08b4969eb3eb8b9114c50595ec4a29d9a27993202';

describe('examples/qemu-m4: model and generated header', () => {
  const model = new Uint8Array(readFileSync(join(exampleDir, 'model', 'hello_world_int8.tflite')));

  it('the model is the TFLM hello_world int8 file, byte for byte, as NOTICE.md says', () => {
    assert.equal(createHash('sha256').update(model).digest('hex'), SHA256);
    assert.deepEqual(Buffer.from(model), Buffer.from(sharedModel('tflm/hello_world_int8.tflite')));
    assert.match(readFileSync(join(exampleDir, 'model', 'NOTICE.md'), 'utf8'), new RegExp(SHA256));
  });

  it('model/modelData.h is exactly what tools/modelHeader.ts generates from it', () => {
    const committed = readFileSync(join(exampleDir, 'model', 'modelData.h'), 'utf8');
    assert.equal(committed, modelHeader(model, 'model/hello_world_int8.tflite'), 'run `make -C examples/qemu-m4 model`');
  });

  it('refuses a model the firmware kernel cannot run exactly', () => {
    const float = sharedModel('tflm/hello_world_float.tflite');
    assert.throws(() => modelHeader(float, 'hello_world_float.tflite'), /only int8 is supported/);
  });
});
