import assert from 'node:assert/strict';
import type { MonitorLine } from '../../../../webview/src/device/messages';
import { MonitorStore, stepMatch } from '../../../../webview/src/device/monitorStore';

const lines = (...texts: string[]): MonitorLine[] => texts.map((text, i) => ({ time: i, text, kind: 'line' }));

describe('monitor store', () => {
  it('keeps the newest rows, counting what it trimmed', () => {
    const s = new MonitorStore(3);
    s.add(lines('a', 'b', 'c', 'd', 'e'));
    assert.deepEqual(s.all().map((l) => l.text), ['c', 'd', 'e']);
    assert.equal(s.first, 2);
    assert.equal(s.trimmed, 2);
    assert.equal(s.row(3)?.text, 'd');
  });

  it('holds lines while paused and shows them on resume', () => {
    const s = new MonitorStore(10);
    s.add(lines('a'));
    s.setPaused(true);
    assert.equal(s.add(lines('b', 'c')), false);
    assert.equal(s.length, 1);
    assert.equal(s.heldCount, 2);
    s.setPaused(false);
    assert.deepEqual(s.all().map((l) => l.text), ['a', 'b', 'c']);
  });

  it('finds every case-insensitive match with absolute row numbers', () => {
    const s = new MonitorStore(2);
    s.add(lines('xq yq', 'YQ:1 yq:2', 'none'));
    assert.deepEqual(s.search('yq'), [
      { row: 1, start: 0, end: 2 },
      { row: 1, start: 5, end: 7 },
    ]);
    assert.deepEqual(s.search(''), []);
    s.clear();
    assert.equal(s.length, 0);
    assert.equal(s.first, 3);
  });

  it('steps through matches with wrap-around', () => {
    assert.equal(stepMatch(3, -1, 1), 0);
    assert.equal(stepMatch(3, -1, -1), 2);
    assert.equal(stepMatch(3, 2, 1), 0);
    assert.equal(stepMatch(3, 0, -1), 2);
    assert.equal(stepMatch(0, 0, 1), -1);
  });
});
