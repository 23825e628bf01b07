// Proves the server speaks plain LSP, not only to VS Code: headless Neovim attaches the built
// server to main.cc of a firmware project and must show the arena-too-small error with TFLM's
// numbers. Skipped when nvim is missing, except on CI (CI=true), where it must run.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { computeBudget } from '../../server/src/analysis/budget';
import { findBoard } from '../../server/src/analysis/boards';
import { loadModel } from '../../server/src/model/load';
import { makeProject, rangeOf } from '../lsp/firmwareWorkspace';
import { buildServer } from '../lsp/lspClient';

function hasNvim(): boolean {
  return spawnSync('nvim', ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('Neovim as the LSP client', function () {
  const roots: string[] = [];
  after(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });
  before(function () {
    if (hasNvim()) return;
    if (process.env.CI === 'true') throw new Error('nvim is not installed, but CI must run the Neovim test (apt-get install neovim)');
    this.skip();
  });

  it('shows arena-too-small on kTensorArenaSize with the arena the model needs', async () => {
    const server = await buildServer();
    const project = makeProject({ arenaBytes: 10240 });
    roots.push(project.root);
    const board = findBoard('nucleo-l4r5zi')!;
    const need = computeBudget(loadModel(project.modelBytes), board, { kernels: 'optimized' }).totals.arenaBytesOptimized;

    const run = spawnSync('nvim', ['--headless', '--clean', '-n', project.mainPath, '-c', `luafile ${join(__dirname, 'check.lua')}`], {
      encoding: 'utf8',
      timeout: 40_000,
      env: { ...process.env, TINYML_SERVER: server, TINYML_ROOT: project.root, TINYML_NODE: process.execPath },
    });
    const output = `${run.stdout}${run.stderr}`;
    assert.equal(run.status, 0, output);
    const lines = output.split('\n').filter((l) => l.startsWith('DIAG '));
    const arena = lines.find((l) => l.includes('code=arena-too-small'));
    assert.ok(arena, output);
    const { start, end } = rangeOf(project.mainText, '10240');
    assert.ok(arena.startsWith(`DIAG ${start.line}:${start.character}-${end.line}:${end.character} severity=1 source=tinyml code=arena-too-small `), arena);
    assert.ok(arena.includes(`needs ${need.toLocaleString('en-US')} bytes`), `${arena} should name the ${need} bytes the model needs`);
  });
});
