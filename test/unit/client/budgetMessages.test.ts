import assert from 'node:assert/strict';
import type { BudgetRequest } from '../../../server/src/lsp/protocol';
import { budgetMessage, budgetTitle } from '../../../client/src/budget/budgetMessages';

describe('budget answer → view message', () => {
  it('titles name the embedded array', () => {
    assert.equal(budgetTitle('kws.tflite', undefined), 'kws.tflite');
    assert.equal(budgetTitle('model_data.cc', 'g_model'), 'model_data.cc › g_model');
  });

  it('a failure becomes an error message with its reason', () => {
    const result: BudgetRequest.Result = { ok: false, reason: 'corrupt', message: 'bad.tflite: not a model' };
    assert.deepEqual(budgetMessage(result, { uri: 'file:///bad.tflite' }, 'bad.tflite'), {
      type: 'error',
      title: 'bad.tflite',
      source: { uri: 'file:///bad.tflite' },
      reason: 'corrupt',
      message: 'bad.tflite: not a model',
    });
  });

  it('a budget keeps the source as asked and titles the array the server found', () => {
    const detail = { budget: {} as never, kernels: [], tensorNames: [['a']], arrayName: 'g_model' };
    const message = budgetMessage({ ok: true, report: {} as never, detail }, { uri: 'file:///m.cc' }, 'm.cc');
    assert.equal(message.type, 'budget');
    if (message.type !== 'budget') return;
    assert.equal(message.model.title, 'm.cc › g_model');
    assert.deepEqual(message.model.source, { uri: 'file:///m.cc' });
    assert.deepEqual(message.model.tensorNames, [['a']]);
  });
});
