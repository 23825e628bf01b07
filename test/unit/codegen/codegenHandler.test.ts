import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readCArray } from '../../../server/src/model/cArray';
import { codegenHandlers, type CodegenDeps } from '../../../server/src/lsp/codegenHandler';
import { sanitizeSettings } from '../../../server/src/lsp/settings';
import { modelsDir, sharedModel } from '../../helpers/shared';
import { fixtureUri, fixtureWorkspace, xxdFile } from '../analysis/firmware/fixtureWorkspace';

const kwsUri = pathToFileURL(join(modelsDir, 'mlperf-tiny', 'kws_ref_model.tflite')).href;

function handlers(settings: Record<string, unknown> = {}, open: Record<string, string> = {}) {
  const ws = fixtureWorkspace('tflm_main_functions');
  const deps: CodegenDeps = {
    index: { folderOf: () => '', scanned: async () => {}, view: () => ws },
    settings: async () => sanitizeSettings(settings, () => {}),
    textOf: (uri) => open[uri],
  };
  return codegenHandlers(deps);
}

describe('codegen request handlers (tinyml/codegen/*)', () => {
  it('resolver: reads the model file itself and names it by its stem', async () => {
    const r = await handlers().resolver({ uri: kwsUri, style: 'checked', variableName: 'op_resolver' });
    assert.ok(r.ok);
    assert.equal(r.n, 6);
    assert.equal(r.modelName, 'kws_ref_model');
    assert.match(r.code, /^if \(op_resolver\.AddConv2D\(\) != kTfLiteOk\) return false;$/m);
  });

  it('says which file is corrupt, unreadable or holds no array, and refuses a bad identifier', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-codegen-'));
    writeFileSync(join(dir, 'notes.tflite'), 'not a model');
    const corrupt = await handlers().resolver({ uri: pathToFileURL(join(dir, 'notes.tflite')).href });
    assert.equal(corrupt.ok, false);
    assert.ok(!corrupt.ok && corrupt.reason === 'corrupt' && /^notes\.tflite is not a valid model: /.test(corrupt.message));
    const missing = await handlers().resolver({ uri: pathToFileURL(join(dir, 'gone.tflite')).href });
    assert.ok(!missing.ok && missing.reason === 'unreadable' && /gone\.tflite: cannot read \(ENOENT\)/.test(missing.message));
    writeFileSync(join(dir, 'empty.cc'), 'int main() { return 0; }\n');
    const noArray = await handlers().resolver({ uri: pathToFileURL(join(dir, 'empty.cc')).href });
    assert.ok(!noArray.ok && noArray.reason === 'no-model-array');
    const badName = await handlers().resolver({ uri: kwsUri, variableName: 'my resolver' });
    assert.ok(!badName.ok && badName.reason === 'bad-request');
  });

  it("arenaSize: the firmware folder's settings decide kernels and margin; params override them", async () => {
    const reference = await handlers({ kernels: 'reference' }).arenaSize({ model: { uri: kwsUri }, firmwareUri: 'file:///w/main.cc' });
    assert.ok(reference.ok);
    assert.equal(reference.bytes, 25056);
    assert.equal(reference.marginPercent, 10);
    assert.equal(reference.board, 'nucleo-l4r5zi');
    // 22,772 × 1.25 = 28,465 → 28,480.
    const wider = await handlers({ kernels: 'reference', arenaMarginPercent: 25 }).arenaSize({ model: { uri: kwsUri }, firmwareUri: 'file:///w/main.cc' });
    assert.ok(wider.ok && wider.bytes === 28480);
    const override = await handlers({ kernels: 'reference' }).arenaSize({ model: { uri: kwsUri }, firmwareUri: 'file:///w/main.cc', marginPercent: 0, board: 'no-such-board' });
    assert.ok(!override.ok && override.reason === 'unknown-board');
  });

  it('reads a model array from an open, unsaved buffer by its name', async () => {
    const uri = 'file:///nowhere/unsaved_model.cc';
    const text = `// header\n${xxdFile('g_kws', sharedModel('mlperf-tiny/kws_ref_model.tflite'), 'alignas(16) const unsigned char g_kws[]')}`;
    const r = await handlers({ kernels: 'reference' }, { [uri]: text }).arenaSize({ model: { uri, arrayName: 'g_kws' }, firmwareUri: uri });
    assert.ok(r.ok);
    assert.equal(r.modelName, 'g_kws');
    assert.equal(r.bytes, 25056);
    const wrong = await handlers({}, { [uri]: text }).arenaSize({ model: { uri, arrayName: 'g_other' }, firmwareUri: uri });
    assert.ok(!wrong.ok && wrong.reason === 'no-model-array' && /no byte array named 'g_other'/.test(wrong.message));
  });

  it('exportCArray: header and source whose array holds the model byte for byte', async () => {
    const r = await handlers().exportCArray({ uri: kwsUri, name: 'g_model', headerName: 'kws_ref_model_model_data.h', progmem: true });
    assert.ok(r.ok);
    const bytes = sharedModel('mlperf-tiny/kws_ref_model.tflite');
    assert.equal(r.byteLength, bytes.length);
    assert.match(r.header, /extern const unsigned char g_model\[\];/);
    assert.match(r.source, /^alignas\(16\) const unsigned char g_model\[\] PROGMEM = \{$/m);
    assert.deepEqual(readCArray(r.source)[0].bytes, bytes);
    const bad = await handlers().exportCArray({ uri: kwsUri, name: '3d', headerName: 'x.h', progmem: false });
    assert.ok(!bad.ok && bad.reason === 'bad-request');
  });

  it('firmwareModels: the array the interpreter in this file runs', async () => {
    const r = await handlers().firmwareModels({ uri: fixtureUri('tflm_main_functions', 'main_functions.cc') });
    assert.deepEqual(r.models, [{ uri: fixtureUri('tflm_main_functions', 'model.cc'), arrayName: 'g_model', via: 'runs' }]);
  });
});
