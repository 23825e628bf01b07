import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import type { FirmwareModel } from '../../../../server/src/codegen/firmwareModels';
import { modelCandidates } from '../../../../client/src/device/inference/modelCandidates';

const uri = (path: string) => pathToFileURL(path).toString();
const relative = (path: string) => path.replace('/ws/', '');

describe('device panel: model candidates', () => {
  it('offers what the firmware runs first, most specific first, then the model files by path', () => {
    const firmware: FirmwareModel[] = [
      { uri: uri('/ws/lib/other_model.cc'), arrayName: 'g_other', via: 'workspace' },
      { uri: uri('/ws/src/model.cc'), arrayName: 'g_model', via: 'runs' },
    ];
    const candidates = modelCandidates(firmware, ['/ws/models/z.tflite', '/ws/a.onnx'], relative);
    assert.deepEqual(
      candidates.map((c) => [c.group, c.label, c.description]),
      [
        ['firmware', 'g_model', 'src/model.cc · the firmware runs it'],
        ['firmware', 'g_other', 'lib/other_model.cc · the workspace firmware runs it'],
        ['files', 'a.onnx', 'a.onnx'],
        ['files', 'z.tflite', 'models/z.tflite'],
      ],
    );
    assert.deepEqual(candidates[0].source, { kind: 'array', file: '/ws/src/model.cc', arrayName: 'g_model' });
    assert.deepEqual(candidates[3].source, { kind: 'file', path: '/ws/models/z.tflite' });
  });

  it('lists an array or a file once, and skips arrays outside the file system', () => {
    const firmware: FirmwareModel[] = [
      { uri: uri('/ws/src/model.cc'), arrayName: 'g_model', via: 'defined' },
      { uri: uri('/ws/src/model.cc'), arrayName: 'g_model', via: 'workspace' },
      { uri: 'untitled:Untitled-1', arrayName: 'g_draft', via: 'runs' },
    ];
    const candidates = modelCandidates(firmware, ['/ws/m.tflite', '/ws/m.tflite'], relative);
    assert.deepEqual(
      candidates.map((c) => c.description),
      ['src/model.cc · defined in this source', 'm.tflite'],
    );
    assert.deepEqual(modelCandidates([], [], relative), []);
  });
});
