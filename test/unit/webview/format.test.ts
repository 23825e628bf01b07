import assert from 'node:assert/strict';
import { formatBytes, formatExactBytes, formatPercent } from '../../../webview/src/budget/format';

describe('budget view formatting', () => {
  it('percentages with one decimal, small ones as <0.1%', () => {
    assert.equal(formatPercent(22772, 655360), '3.5%'); // 3.4747…
    assert.equal(formatPercent(53968, 2097152), '2.6%'); // 2.5734…
    assert.equal(formatPercent(1, 100000), '<0.1%');
    assert.equal(formatPercent(0, 10), '0.0%');
    assert.equal(formatPercent(3, 2), '150.0%');
    assert.equal(formatPercent(1, 0), '—');
  });

  it('exact bytes with separators; sizes in KiB as the CLI prints them', () => {
    assert.equal(formatExactBytes(22772), '22,772 B');
    assert.equal(formatBytes(22772), '22.2 KiB');
    assert.equal(formatBytes(655360), '640.0 KiB');
  });
});
