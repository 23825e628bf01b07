import assert from 'node:assert/strict';
import { firmwareModels } from '../../../server/src/codegen/firmwareModels';
import { fixtureUri, fixtureWorkspace, MemoryWorkspace } from '../analysis/firmware/fixtureWorkspace';

describe('firmwareModels', () => {
  it('the file with the MicroInterpreter runs the array its GetModel() names, defined in another file', () => {
    const ws = fixtureWorkspace('tflm_main_functions');
    assert.deepEqual(firmwareModels(ws, fixtureUri('tflm_main_functions', 'main_functions.cc')), [
      { uri: fixtureUri('tflm_main_functions', 'model.cc'), arrayName: 'g_model', via: 'runs' },
    ]);
  });

  it('the file that defines the array names it too; a header that does neither falls back to the workspace', () => {
    const ws = fixtureWorkspace('tflm_main_functions');
    assert.deepEqual(firmwareModels(ws, fixtureUri('tflm_main_functions', 'model.cc')), [
      { uri: fixtureUri('tflm_main_functions', 'model.cc'), arrayName: 'g_model', via: 'defined' },
    ]);
    assert.deepEqual(firmwareModels(ws, fixtureUri('tflm_main_functions', 'main_functions.h')), [
      { uri: fixtureUri('tflm_main_functions', 'model.cc'), arrayName: 'g_model', via: 'workspace' },
    ]);
  });

  it('an array that is not a model is still what the firmware runs (the generators then say why it cannot be read)', () => {
    assert.deepEqual(firmwareModels(fixtureWorkspace('not_a_model'), fixtureUri('not_a_model', 'not_a_model.cc')), [
      { uri: fixtureUri('not_a_model', 'not_a_model.cc'), arrayName: 'g_not_a_model', via: 'runs' },
    ]);
  });

  it('a workspace without interpreters or model arrays has no model', () => {
    const ws = new MemoryWorkspace([{ uri: 'file:///w/main.cc', text: 'int main() { return 0; }\n' }]);
    assert.deepEqual(firmwareModels(ws, 'file:///w/main.cc'), []);
  });
});
