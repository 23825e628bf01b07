// A model for live inference read from what the firmware embeds: the C array `tinyml export`
// writes for examples/qemu-m4's model, beside another array, must give the model's own bytes, and
// the device panel must load it in the real worker when the picker returns that array.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readModelSource } from '../../../../client/src/device/inference/modelSource';
import { DeviceController } from '../../../../client/src/panels/device/deviceController';
import type { DeviceHost } from '../../../../client/src/panels/device/deviceHost';
import { exportCArray } from '../../../../server/src/codegen/cArrayExport';
import type { HostToDevice } from '../../../../webview/src/device/messages';
import { repoRoot } from '../../../helpers/shared';
import { bundleInferenceWorker } from './workerBundle';

const MODEL = new Uint8Array(readFileSync(join(repoRoot, 'examples/qemu-m4/model/hello_world_int8.tflite')));

describe('device panel: a model array from firmware source', function () {
  this.timeout(60_000);
  let dir = '';
  let source = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tinyml-model-source-'));
    source = join(dir, 'model_data.cc');
    const { source: text } = exportCArray(MODEL, { name: 'g_model', headerName: 'model_data.h' });
    writeFileSync(source, `const unsigned char g_scratch[] = { 0x01, 0x02, 0x03 };\n${text}`);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the named array: the bytes of the model file', () => {
    const read = readModelSource({ kind: 'array', file: source, arrayName: 'g_model' });
    assert.equal(read.name, 'g_model (model_data.cc)');
    assert.equal(read.path, source);
    assert.deepEqual(read.bytes, MODEL);
    assert.deepEqual(readModelSource({ kind: 'array', file: source, arrayName: 'g_scratch' }).bytes, Uint8Array.of(1, 2, 3));
  });

  it('says what is wrong: no such array, no such file', () => {
    assert.throws(() => readModelSource({ kind: 'array', file: source, arrayName: 'g_missing' }), /model_data\.cc has no byte array 'g_missing'/);
    assert.throws(() => readModelSource({ kind: 'file', path: join(dir, 'nope.tflite') }), /Cannot read .*nope\.tflite: ENOENT/);
  });

  it('the panel loads the array the picker returned, in the inference worker', async () => {
    const workerFile = await bundleInferenceWorker();
    const posted: HostToDevice[] = [];
    const host = {
      workspaceRoot: () => dir,
      workerFile: () => workerFile,
      pickModel: async () => ({ kind: 'array', file: source, arrayName: 'g_model' }),
    } as Partial<DeviceHost> as DeviceHost;
    const controller = new DeviceController(host, (m) => posted.push(m), async () => ({ ports: [] }));
    try {
      await controller.receive({ type: 'pickModel' });
      const model = posted.find((m) => m.type === 'model');
      assert.ok(model && model.type === 'model', JSON.stringify(posted));
      assert.equal(model.error, undefined);
      assert.equal(model.model?.name, 'g_model (model_data.cc)');
      assert.deepEqual(
        model.model?.inputs.map((t) => [t.dtype, t.shape]),
        [['int8', [1, 1]]],
      );
      assert.equal(model.model?.ops, 3);
    } finally {
      await controller.dispose();
      rmSync(dirname(workerFile), { recursive: true, force: true });
    }
  });
});
