import assert from 'node:assert/strict';
import { restoreState } from '../../../webview/src/budget/viewState';

describe('budget view state', () => {
  it('keeps a valid saved state', () => {
    const saved = { version: 1, sort: { key: 'macs', direction: 'descending' }, arena: 'optimized', source: { uri: 'file:///m.cc', arrayName: 'g_model' } };
    assert.deepEqual(restoreState(saved), saved);
  });

  it('falls back field by field on anything else', () => {
    const fresh = { version: 1, sort: { key: 'index', direction: 'ascending' }, arena: 'reference' };
    assert.deepEqual(restoreState(undefined), fresh);
    assert.deepEqual(restoreState({ version: 2, arena: 'optimized' }), fresh);
    assert.deepEqual(restoreState({ version: 1, sort: { key: 'name', direction: 'up' }, arena: 'x', source: { uri: 3 } }), fresh);
  });
});
