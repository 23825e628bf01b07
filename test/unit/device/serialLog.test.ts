import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatLogRecord, parseLogRecord, SerialLog } from '../../../client/src/device/serialLog';

describe('serialLog', () => {
  it('writes one timestamped record a line, appending, and reads it back', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-log-'));
    try {
      const file = join(dir, 'sub', 'm.log');
      const t = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
      const a = new SerialLog(file);
      a.append([{ time: t, kind: 'L', text: 'inference 12 ms' }]);
      a.close();
      const b = new SerialLog(file);
      b.append([{ time: t, kind: 'P', text: 'half\x1bline' }]);
      b.event('disconnected: gone', t);
      b.close();
      const lines = readFileSync(file, 'utf8').split('\n');
      assert.deepEqual(lines, ['2025-01-02T03:04:05.678Z L inference 12 ms', '2025-01-02T03:04:05.678Z P half\\x1bline', '2025-01-02T03:04:05.678Z E disconnected: gone', '']);
      assert.deepEqual(parseLogRecord(lines[0]), { time: t, kind: 'L', text: 'inference 12 ms' });
      assert.equal(parseLogRecord('garbage'), undefined);
      assert.equal(formatLogRecord({ time: t, kind: 'H', text: '00000000  41' }), '2025-01-02T03:04:05.678Z H 00000000  41\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
