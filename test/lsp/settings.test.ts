import assert from 'node:assert/strict';
import { DEFAULT_EXCLUDE } from '../../server/src/lsp/diskWorkspace';
import { sanitizeSettings, SettingsCache } from '../../server/src/lsp/settings';

describe('lsp/settings', () => {
  it('fills every default from an empty or missing section', () => {
    for (const raw of [undefined, null, {}, 'nonsense', [1]]) {
      const warnings: string[] = [];
      const s = sanitizeSettings(raw, (m) => warnings.push(m));
      assert.equal(s.board.id, 'nucleo-l4r5zi');
      assert.equal(s.arenaMarginPercent, 10);
      assert.equal(s.kernels, 'optimized');
      assert.deepEqual(s.severity, {});
      assert.deepEqual(s.includePaths, []);
      assert.deepEqual(s.exclude, [...DEFAULT_EXCLUDE]);
      assert.deepEqual(warnings, []);
    }
  });

  it('keeps good values, including the nested and the flat spelling of diagnostics.severity', () => {
    const nested = sanitizeSettings(
      { board: 'microbit-v2', arenaMarginPercent: 25, kernels: 'reference', diagnostics: { severity: { 'arena-oversized': 'off', 'op-unused': 'error' } }, includePaths: ['include'], exclude: ['**/gen/**'] },
      () => assert.fail('no warning expected'),
    );
    assert.equal(nested.board.id, 'microbit-v2');
    assert.equal(nested.arenaMarginPercent, 25);
    assert.equal(nested.kernels, 'reference');
    assert.deepEqual(nested.severity, { 'arena-oversized': 'off', 'op-unused': 'error' });
    assert.deepEqual(nested.includePaths, ['include']);
    assert.deepEqual(nested.exclude, ['**/gen/**']);
    const flat = sanitizeSettings({ 'diagnostics.severity': { 'ram-over-budget': 'hint' } }, () => assert.fail('no warning expected'));
    assert.deepEqual(flat.severity, { 'ram-over-budget': 'hint' });
  });

  it('replaces each bad value by its default and says which', () => {
    const warnings: string[] = [];
    const s = sanitizeSettings(
      { board: 'uno', arenaMarginPercent: -5, kernels: 'fast', diagnostics: { severity: { 'no-such-code': 'error', 'op-unused': 'loud' } }, includePaths: 'include', exclude: [3] },
      (m) => warnings.push(m),
    );
    assert.equal(s.board.id, 'nucleo-l4r5zi');
    assert.equal(s.arenaMarginPercent, 10);
    assert.equal(s.kernels, 'optimized');
    assert.deepEqual(s.severity, {});
    assert.deepEqual(s.includePaths, []);
    assert.deepEqual(s.exclude, [...DEFAULT_EXCLUDE]);
    assert.equal(warnings.length, 7);
    assert.match(warnings[0], /^tinyml\.board: unknown board "uno"; using nucleo-l4r5zi/);
    assert.match(warnings[1], /^tinyml\.arenaMarginPercent: -5 /);
  });

  it('asks the client once per folder, warns once per bad value, and forgets on clear', async () => {
    const asked: (string | undefined)[] = [];
    const warnings: string[] = [];
    const cache = new SettingsCache((m) => warnings.push(m));
    let board = 'nope';
    cache.useClient(async (scope) => {
      asked.push(scope);
      return { board };
    });
    assert.equal((await cache.get('file:///a')).board.id, 'nucleo-l4r5zi');
    await cache.get('file:///a');
    await cache.get('');
    assert.deepEqual(asked, ['file:///a', undefined]);
    assert.equal(warnings.length, 1);
    board = 'microbit-v2';
    cache.clear();
    assert.equal((await cache.get('file:///a')).board.id, 'microbit-v2');
    assert.deepEqual(asked, ['file:///a', undefined, 'file:///a']);
  });

  it('uses the pushed didChangeConfiguration payload when the client cannot be asked', async () => {
    const cache = new SettingsCache(() => assert.fail('no warning expected'));
    cache.useClient(undefined);
    assert.equal((await cache.get('file:///a')).board.id, 'nucleo-l4r5zi');
    cache.clear({ tinyml: { board: 'raspberry-pi-pico' } });
    assert.equal((await cache.get('file:///a')).board.id, 'raspberry-pi-pico');
  });
});
