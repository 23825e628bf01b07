// The action report is plain JSON: no Infinity, NaN or undefined anywhere (null instead), so that
// JSON.stringify round-trips it exactly, including where figures are infinite (identical layers).

import assert from 'node:assert/strict';
import { runModelAction } from '../../../server/src/actions';
import { BOARD, helloFloat, kwsInt8, nonJsonValues } from './fixtures';

describe('model actions: report JSON', function () {
  this.timeout(60_000);

  it('round-trips, with null where an SNR is infinite', () => {
    // Magnitude pruning leaves the first layer dense: its activation is identical, an infinite SNR.
    const pruned = runModelAction(kwsInt8(), { kind: 'prune', sparsity: 0.4 }, undefined, BOARD).report;
    assert.equal(pruned.perLayer[0].identical, true);
    assert.equal(pruned.perLayer[0].snrDb, null);
    // A model quantized with float io: one output value, so no top-1 agreement.
    const quantized = runModelAction(helloFloat(), { kind: 'quantize', io: 'float' }, undefined, BOARD).report;
    assert.equal(quantized.accuracy.top1Agreement, null);
    for (const report of [pruned, quantized]) {
      assert.deepEqual(nonJsonValues(report), []);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(report)), report);
    }
  });

  it('has the same fields for every action', () => {
    const keys = (o: object) => Object.keys(o).sort();
    const reports = [
      runModelAction(helloFloat(), { kind: 'quantize' }, undefined, BOARD).report,
      runModelAction(kwsInt8(), { kind: 'prune', sparsity: 0.5, structured: true }, undefined, BOARD).report,
      runModelAction(helloFloat(), { kind: 'convert', to: 'onnx' }, undefined, BOARD).report,
    ];
    for (const r of reports) {
      assert.deepEqual(keys(r), ['accuracy', 'action', 'board', 'budget', 'evaluation', 'layersNotCompared', 'notes', 'output', 'perLayer', 'prune', 'reference', 'source', 'version', 'warnings', 'worstLayer']);
      assert.equal(r.version, 1);
      assert.equal(r.board, BOARD.id);
      assert.deepEqual(nonJsonValues(r), []);
    }
    assert.equal(reports[0].prune, null);
    assert.equal(reports[1].prune?.kind, 'channels');
  });
});
