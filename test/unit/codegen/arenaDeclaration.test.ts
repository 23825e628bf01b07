import assert from 'node:assert/strict';
import { findBoard } from '../../../server/src/analysis/boards';
import { computeBudget } from '../../../server/src/analysis/budget';
import { ARENA_COMMENT_PREFIX, arenaSizeDeclaration } from '../../../server/src/codegen/arenaDeclaration';
import { loadModel } from '../../../server/src/model/load';
import { sharedModel } from '../../helpers/shared';

describe('arenaSizeDeclaration', () => {
  const board = findBoard('nucleo-l4r5zi')!;
  const kws = loadModel(sharedModel('mlperf-tiny/kws_ref_model.tflite'));

  it('kws_ref_model, reference kernels: 22,772 + 10% = 25,049.2 → 25,050 → rounded up to 16: 25,056 (hand-checked)', () => {
    const d = arenaSizeDeclaration(computeBudget(kws, board, { kernels: 'reference' }), board, 10, 'reference', 'kws_ref_model');
    assert.equal(d.needBytes, 22772);
    assert.equal(d.bytes, 25056);
    assert.equal(d.declaration, 'constexpr int kTensorArenaSize = 25056;');
    assert.equal(
      d.comment,
      `${ARENA_COMMENT_PREFIX} kws_ref_model needs 22,772 bytes with reference kernels (planned 16,000 + persistent 6,772) on nucleo-l4r5zi, + 10% margin, rounded up to 16`,
    );
    assert.equal(d.text, `${d.comment}\n${d.declaration}\n`);
    assert.equal(d.kernels, 'reference');
  });

  it('optimized kernels on a Cortex-M board use the CMSIS-NN arena, set-up headroom included in the comment', () => {
    // README: 22,824 bytes with CMSIS-NN (planned 16,000 + persistent 6,820, plus 4 bytes AllocateTensors() needs beyond arena_used_bytes()).
    const d = arenaSizeDeclaration(computeBudget(kws, board), board, 10, 'optimized');
    assert.equal(d.needBytes, 22824);
    assert.equal(d.bytes, 25120); // 22,824 × 1.1 = 25,106.4 → 25,107 → 25,120
    assert.equal(d.kernels, 'cmsis-nn');
    assert.match(d.comment, /need 22,824 bytes with CMSIS-NN kernels \(planned 16,000 \+ persistent 6,820 \+ 4 set-up headroom\)/);
  });

  it('a 0% margin still rounds up to 16, and a negative margin is refused', () => {
    const budget = computeBudget(kws, board, { kernels: 'reference' });
    assert.equal(arenaSizeDeclaration(budget, board, 0, 'reference').bytes, 22784);
    assert.throws(() => arenaSizeDeclaration(budget, board, -5, 'reference'), /not a non-negative number/);
  });
});
