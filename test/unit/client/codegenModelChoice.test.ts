import assert from 'node:assert/strict';
import { activeKind, chooseModel } from '../../../client/src/codegen/modelChoice';

describe('which model the resolver and arena commands use', () => {
  const runs = { uri: 'file:///w/model.cc', arrayName: 'g_model', via: 'runs' as const };

  it('the active editor kind: model files by extension, firmware by language or extension', () => {
    assert.equal(activeKind('/w/kws.TFLITE'), 'model');
    assert.equal(activeKind('/w/net.onnx', 'plaintext'), 'model');
    assert.equal(activeKind('/w/sketch.ino'), 'firmware');
    assert.equal(activeKind('/w/Untitled-1', 'cpp'), 'firmware');
    assert.equal(activeKind('/w/notes.md', 'markdown'), 'other');
  });

  it('an active model file is used as is', () => {
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/kws.tflite', kind: 'model' }, firmware: [], workspaceFiles: ['file:///w/a.onnx', 'file:///w/b.tflite'] }), {
      kind: 'use',
      target: { uri: 'file:///w/kws.tflite' },
    });
  });

  it('the one model the firmware runs wins over any number of model files', () => {
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/main.cc', kind: 'firmware' }, firmware: [runs], workspaceFiles: ['file:///w/a.tflite', 'file:///w/b.tflite'] }), {
      kind: 'use',
      target: { uri: 'file:///w/model.cc', arrayName: 'g_model' },
    });
  });

  it('two models run by one file are a choice between those two only', () => {
    const other = { uri: 'file:///w/other.cc', arrayName: 'g_other', via: 'runs' as const };
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/main.cc', kind: 'firmware' }, firmware: [runs, other], workspaceFiles: ['file:///w/a.tflite'] }), {
      kind: 'pick',
      candidates: [
        { uri: 'file:///w/model.cc', arrayName: 'g_model' },
        { uri: 'file:///w/other.cc', arrayName: 'g_other' },
      ],
    });
  });

  it('with nothing specific, workspace arrays and model files are pooled: one is used, several are picked from, none is said', () => {
    const elsewhere = { ...runs, via: 'workspace' as const };
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/util.h', kind: 'firmware' }, firmware: [elsewhere], workspaceFiles: [] }), {
      kind: 'use',
      target: { uri: 'file:///w/model.cc', arrayName: 'g_model' },
    });
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/util.h', kind: 'firmware' }, firmware: [elsewhere], workspaceFiles: ['file:///w/kws.tflite'] }).kind, 'pick');
    assert.deepEqual(chooseModel({ firmware: [], workspaceFiles: ['file:///w/kws.tflite'] }), { kind: 'use', target: { uri: 'file:///w/kws.tflite' } });
    assert.deepEqual(chooseModel({ active: { uri: 'file:///w/notes.md', kind: 'other' }, firmware: [], workspaceFiles: [] }), { kind: 'none' });
  });
});
