import assert from 'node:assert/strict';
import {
  dataItems,
  firstStepItems,
  formatItems,
  ioItems,
  methodItems,
  parseSparsity,
  requestOptions,
  restoreChoices,
  sparsityItems,
  sparsityProblem,
  structureItems,
  summarize,
  type ActionChoices,
} from '../../../client/src/actions/actionChoices';
import { validateActionOptions } from '../../../server/src/actions';

const calib = { kind: 'folder', path: '/work/data/calib' } as const;
const quantize: ActionChoices = { kind: 'quantize', data: calib, method: 'entropy', io: 'float', format: 'onnx' };
const prune: ActionChoices = { kind: 'prune', data: { kind: 'generated' }, sparsityPercent: 30, structured: true };

describe('model actions: the quick-pick choices', () => {
  it('turns choices into options the core accepts, with the calibration folder beside them', () => {
    assert.deepEqual(requestOptions(quantize, 'kws.tflite'), { options: { kind: 'quantize', method: 'entropy', io: 'float', format: 'onnx' }, calibrationFolder: '/work/data/calib' });
    assert.deepEqual(requestOptions(prune, 'kws.tflite'), { options: { kind: 'prune', sparsity: 0.3, structured: true } });
    assert.deepEqual(requestOptions({ kind: 'convert', data: { kind: 'generated' } }, 'kws.tflite').options, { kind: 'convert', to: 'onnx' });
    assert.deepEqual(requestOptions({ kind: 'convert', data: { kind: 'generated' } }, 'Model.ONNX').options, { kind: 'convert', to: 'tflite' });
    for (const choices of [quantize, prune]) {
      const { options } = requestOptions(choices, 'kws.tflite');
      assert.deepEqual(validateActionOptions(options), options);
    }
  });

  it('restores remembered choices only when they have the expected shape', () => {
    assert.deepEqual(restoreChoices('quantize', JSON.parse(JSON.stringify(quantize))), quantize);
    assert.deepEqual(restoreChoices('prune', prune), prune);
    assert.equal(restoreChoices('prune', quantize), undefined, 'another action’s choices');
    assert.equal(restoreChoices('quantize', { ...quantize, method: 'kl' }), undefined);
    assert.equal(restoreChoices('quantize', { ...quantize, data: { kind: 'folder', path: '' } }), undefined);
    assert.equal(restoreChoices('prune', { ...prune, sparsityPercent: 100 }), undefined);
    assert.equal(restoreChoices('convert', 'convert'), undefined);
    assert.equal(restoreChoices('convert', undefined), undefined);
  });

  it('offers "Run with the last settings (…)" first when there are some, then the data sources', () => {
    assert.deepEqual(
      firstStepItems(quantize, 'kws.tflite', 'calibration').map((i) => [i.label, i.description]),
      [
        ['$(history) Run with the last settings', '(entropy · float I/O · ONNX · data: calib/)'],
        ['$(folder) calib', '/work/data/calib'],
        ['$(folder-opened) Choose a folder…', undefined],
        ['$(sparkle) Generated inputs — accuracy unproven', undefined],
      ],
    );
    assert.equal(firstStepItems(quantize, 'kws.tflite', 'calibration')[0].value, 'last');
    // Nothing remembered: choosing real data comes first, generated inputs second.
    assert.deepEqual(firstStepItems(undefined, 'kws.tflite', 'calibration').map((i) => i.value), ['choose', { kind: 'generated' }]);
    assert.deepEqual(dataItems({ kind: 'generated' }, 'x').map((i) => i.value), [{ kind: 'generated' }, 'choose']);
  });

  it('summarizes each action on one line', () => {
    assert.equal(summarize(prune, 'kws.tflite'), '30 % sparsity · structured channels · data: generated inputs');
    assert.equal(summarize({ kind: 'convert', data: { kind: 'folder', path: 'C:\\data\\wavs\\' } }, 'kws.onnx'), 'to TFLite · data: wavs/');
  });

  it('lists each step with the last choice first, so that Enter repeats it', () => {
    assert.deepEqual(methodItems(undefined).map((i) => i.value), ['minmax', 'percentile', 'entropy']);
    assert.deepEqual(methodItems('entropy').map((i) => i.value), ['entropy', 'minmax', 'percentile']);
    assert.deepEqual(ioItems('float').map((i) => i.value), ['float', 'int8']);
    assert.deepEqual(formatItems(undefined, 'onnx').map((i) => i.value), ['onnx', 'tflite'], 'the input’s own format first');
    assert.deepEqual(formatItems('tflite', 'onnx').map((i) => i.value), ['tflite', 'onnx']);
    assert.deepEqual(structureItems(true).map((i) => i.value), [true, false]);
  });

  it('offers 25/50/75 % and Custom…, a remembered custom value first', () => {
    assert.deepEqual(sparsityItems(undefined).map((i) => i.value), [25, 50, 75, 'custom']);
    assert.deepEqual(sparsityItems(75).map((i) => i.value), [75, 25, 50, 'custom']);
    assert.deepEqual(sparsityItems(30).map((i) => [i.label, i.value]), [['30 %', 30], ['25 %', 25], ['50 %', 50], ['75 %', 75], ['Custom…', 'custom']]);
  });

  it('checks a custom sparsity', () => {
    assert.equal(sparsityProblem('60'), undefined);
    assert.equal(sparsityProblem(' 12.5 % '), undefined);
    assert.equal(parseSparsity(' 12.5 % '), 12.5);
    assert.match(sparsityProblem('')!, /1 to 99/);
    assert.match(sparsityProblem('0')!, /from 1 to 99/);
    assert.match(sparsityProblem('100')!, /from 1 to 99/);
    assert.match(sparsityProblem('half')!, /not a number/);
    assert.match(sparsityProblem('-5')!, /not a number/);
  });
});
