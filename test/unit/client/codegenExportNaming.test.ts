import assert from 'node:assert/strict';
import { arrayNameProblem, exportNames, mayWrite, progmemChoices, replaceQuestion } from '../../../client/src/codegen/exportNaming';

describe('Export Model as C Array: names and decisions', () => {
  it('names the files as tinyml export does and the array as xxd -i does', () => {
    assert.deepEqual(exportNames('kws_ref_model.tflite'), {
      stem: 'kws_ref_model',
      headerName: 'kws_ref_model_model_data.h',
      sourceName: 'kws_ref_model_model_data.cc',
      defaultArrayName: 'kws_ref_model_tflite',
    });
    assert.equal(exportNames('2-class.v1.onnx').defaultArrayName, '__2_class_v1_onnx');
    assert.equal(exportNames('2-class.v1.onnx').headerName, '2-class.v1_model_data.h');
  });

  it('accepts C identifiers only, and says why not', () => {
    assert.equal(arrayNameProblem('g_model'), undefined);
    assert.match(arrayNameProblem('')!, /Give the array a name/);
    assert.match(arrayNameProblem('3d_model')!, /not a C identifier/);
    assert.match(arrayNameProblem('model data')!, /not a C identifier/);
    assert.match(arrayNameProblem('int')!, /keyword/);
  });

  it('offers the PROGMEM choice used last time first', () => {
    assert.deepEqual(progmemChoices(undefined).map((c) => c.progmem), [false, true]);
    assert.deepEqual(progmemChoices(false).map((c) => c.progmem), [false, true]);
    assert.deepEqual(progmemChoices(true).map((c) => c.progmem), [true, false]);
  });

  it('asks before replacing, and writes only on Replace', () => {
    assert.equal(replaceQuestion([]), undefined);
    assert.equal(replaceQuestion(['m_model_data.h']), 'm_model_data.h already exists. Replace it?');
    assert.equal(replaceQuestion(['m_model_data.h', 'm_model_data.cc']), 'm_model_data.h and m_model_data.cc already exist. Replace them?');
    assert.equal(mayWrite([], undefined), true);
    assert.equal(mayWrite(['m_model_data.h'], 'Replace'), true);
    assert.equal(mayWrite(['m_model_data.h'], 'Cancel'), false);
    assert.equal(mayWrite(['m_model_data.h'], undefined), false, 'Escape closes the modal: nothing is written');
  });
});
