import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findLabels, parseLabels, parseTypedLabels } from '../../../../client/src/device/inference/labels';

describe('labels', () => {
  it('parses one label a line, dropping blanks, comments and index prefixes', () => {
    assert.deepEqual(parseLabels('silence\r\nunknown\n\n# comment\nyes\nno\n'), ['silence', 'unknown', 'yes', 'no']);
    assert.deepEqual(parseLabels('0 person\n1: no person\n'), ['person', 'no person']);
    assert.deepEqual(parseTypedLabels('yes, no,\nmaybe'), ['yes', 'no', 'maybe']);
  });

  it('finds <model>.labels before labels.txt beside the model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-labels-'));
    try {
      const model = join(dir, 'kws.tflite');
      assert.equal(findLabels(model), undefined);
      writeFileSync(join(dir, 'labels.txt'), 'a\nb\n');
      assert.deepEqual(findLabels(model), { file: join(dir, 'labels.txt'), labels: ['a', 'b'] });
      writeFileSync(join(dir, 'kws.labels'), 'yes\nno\n');
      assert.deepEqual(findLabels(model)?.labels, ['yes', 'no']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
