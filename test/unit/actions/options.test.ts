// Action options as they arrive from the editor (untyped JSON) and the default output names.

import assert from 'node:assert/strict';
import { ActionError, outputFileName, validateActionOptions } from '../../../server/src/actions';

describe('model actions: options', () => {
  it('returns a clean copy of good options', () => {
    assert.deepEqual(validateActionOptions({ kind: 'quantize', method: 'percentile', percentile: 99.9, perChannel: false, io: 'float', format: 'onnx' }), {
      kind: 'quantize', method: 'percentile', percentile: 99.9, perChannel: false, io: 'float', format: 'onnx',
    });
    assert.deepEqual(validateActionOptions({ kind: 'prune', sparsity: 0.25, structured: true, includeFirstAndLast: true }), { kind: 'prune', sparsity: 0.25, structured: true, includeFirstAndLast: true });
    assert.deepEqual(validateActionOptions({ kind: 'convert', to: 'onnx', extra: undefined }), { kind: 'convert', to: 'onnx' });
  });

  const bad: [unknown, RegExp][] = [
    [null, /must be an object/],
    [{ kind: 'distill' }, /kind must be one of 'quantize', 'prune', 'convert'/],
    [{ kind: 'quantize', method: 'kl' }, /method must be one of 'minmax', 'percentile', 'entropy', not "kl"/],
    [{ kind: 'quantize', percentile: 99 }, /percentile applies to method 'percentile' only/],
    [{ kind: 'quantize', method: 'percentile', percentile: 40 }, /percentile must be above 50/],
    [{ kind: 'quantize', perChannel: 'yes' }, /perChannel must be true or false/],
    [{ kind: 'quantize', sparsity: 0.5 }, /unknown quantize option sparsity/],
    [{ kind: 'prune' }, /prune needs a sparsity/],
    [{ kind: 'prune', sparsity: 1 }, /sparsity must be above 0 and below 1, not 1/],
    [{ kind: 'prune', sparsity: Number.NaN }, /sparsity must be a number/],
    [{ kind: 'prune', sparsity: 0.5, structured: true, scope: 'global' }, /scope applies to magnitude pruning/],
    [{ kind: 'convert' }, /convert needs a target format/],
    [{ kind: 'convert', to: 'pb' }, /to must be one of 'tflite', 'onnx'/],
  ];
  for (const [options, message] of bad) {
    it(`refuses ${JSON.stringify(options)}`, () => {
      assert.throws(() => validateActionOptions(options), (e: unknown) => e instanceof ActionError && message.test(e.message));
    });
  }

  it('names outputs beside the input after the action', () => {
    assert.equal(outputFileName('kws.tflite', { kind: 'quantize' }), 'kws.int8.tflite');
    assert.equal(outputFileName('kws.tflite', { kind: 'quantize', format: 'onnx' }), 'kws.int8.onnx');
    assert.equal(outputFileName('kws.onnx', { kind: 'quantize' }), 'kws.int8.tflite');
    assert.equal(outputFileName('kws.tflite', { kind: 'prune', sparsity: 0.5 }), 'kws.pruned50.tflite');
    assert.equal(outputFileName('kws.onnx', { kind: 'prune', sparsity: 0.5 }), 'kws.pruned50.onnx');
    assert.equal(outputFileName('kws.tflite', { kind: 'prune', sparsity: 0.5, structured: true }), 'kws.pruned50-channels.tflite');
    assert.equal(outputFileName('kws.tflite', { kind: 'prune', sparsity: 0.125 }), 'kws.pruned13.tflite');
    assert.equal(outputFileName('kws.tflite', { kind: 'convert', to: 'onnx' }), 'kws.onnx');
    assert.equal(outputFileName('kws.onnx', { kind: 'convert', to: 'tflite' }), 'kws.tflite');
    // Folders are kept; a C array's output takes the model's format.
    assert.equal(outputFileName('models/v1.2/kws.tflite', { kind: 'quantize' }), 'models/v1.2/kws.int8.tflite');
    assert.equal(outputFileName('C:\\m\\kws.tflite', { kind: 'convert', to: 'onnx' }), 'C:\\m\\kws.onnx');
    assert.equal(outputFileName('model_data.cc', { kind: 'prune', sparsity: 0.5 }, 'onnx'), 'model_data.pruned50.onnx');
    // The input's name is never the output's.
    for (const options of [{ kind: 'quantize' }, { kind: 'prune', sparsity: 0.5 }, { kind: 'convert', to: 'onnx' }] as const) {
      assert.notEqual(outputFileName('kws.tflite', options), 'kws.tflite');
    }
  });
});
