// `tinyml check` runs the language server's analysis on files on disk: the same findings, printed
// like a compiler (1-based), with exit codes CI can gate on.

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { findBoard } from '../../server/src/analysis/boards';
import { computeBudget } from '../../server/src/analysis/budget';
import type { CheckRow } from '../../server/src/cli/checkCommand';
import { main } from '../../server/src/cli/main';
import { loadModel } from '../../server/src/model/load';
import { makeProject, rangeOf, type FirmwareProject } from './firmwareWorkspace';
import { LspClient } from './lspClient';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

describe('tinyml check', () => {
  const projects: FirmwareProject[] = [];
  const project = (arenaBytes: number) => {
    const p = makeProject({ arenaBytes });
    projects.push(p);
    return p;
  };
  after(() => {
    for (const p of projects) rmSync(p.root, { recursive: true, force: true });
  });

  it('prints arena-too-small like a compiler, 1-based, then a summary, and exits 1', () => {
    const p = project(10240);
    const need = computeBudget(loadModel(p.modelBytes), findBoard('nucleo-l4r5zi')!, { kernels: 'optimized' }).totals.arenaBytesOptimized;
    const { code, out } = run(['check', p.root]);
    assert.equal(code, 1, out);
    const lines = out.trimEnd().split('\n');
    const at = rangeOf(p.mainText, '10240').start;
    const file = relative(process.cwd(), p.mainPath).startsWith('..') ? p.mainPath : relative(process.cwd(), p.mainPath);
    assert.equal(lines.length, 2, out);
    assert.ok(lines[0].startsWith(`${file}:${at.line + 1}:${at.character + 1}: error[arena-too-small]: kTensorArenaSize is 10,240 bytes`), lines[0]);
    assert.ok(lines[0].includes(`needs ${need.toLocaleString('en-US')} bytes`), lines[0]);
    // main.cc, model_data.h and the TFLM stub headers.
    const sources = readdirSync(p.root, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(h|cc)$/.test(f)).length;
    assert.equal(lines[1], `1 error, 0 warnings, 0 notes in ${sources} files checked`);
  });

  it('--json rows equal the diagnostics the language server publishes for the same files', async () => {
    const p = project(200000);
    const { code, out } = run(['check', p.mainPath, p.headerPath, '--board', 'microbit-v2', '--json']);
    assert.equal(code, 1);
    const rows = JSON.parse(out) as CheckRow[];
    assert.deepEqual(rows.map((r) => [r.code, r.severity]), [['arena-oversized', 'info'], ['ram-over-budget', 'error']]);

    const client = await LspClient.start({ folders: [p.root], settings: () => ({ board: 'microbit-v2' }) });
    try {
      await client.open(p.mainUri, p.mainText);
      const published = await client.diagnostics(p.mainUri, (d) => d.length === 2);
      const severity = ['', 'error', 'warning', 'info', 'hint'];
      const asRows = published.diagnostics.map((d: Diagnostic) => ({
        file: rows[0].file,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: severity[d.severity ?? 0],
        code: d.code,
        message: d.message,
      }));
      assert.deepEqual(rows, asRows);
    } finally {
      await client.stop();
    }
  });

  it('exits 0 when the arena fits, and honours --margin and --kernels', () => {
    const p = project(30000);
    assert.equal(run(['check', p.root]).code, 0);
    // With reference kernels and no margin, 30000 is more than the need: info, not an error.
    const { code, out } = run(['check', p.mainPath, p.headerPath, '--margin', '0', '--kernels', 'reference', '--json']);
    assert.equal(code, 0);
    const rows = JSON.parse(out) as CheckRow[];
    assert.deepEqual(rows.map((r) => r.code), ['arena-oversized']);
    assert.match(rows[0].message, /reference kernels/);
  });

  it('checks model files too: a corrupt .tflite is model-unreadable at 1:1', () => {
    const p = project(30000);
    mkdirSync(join(p.root, 'models'));
    writeFileSync(join(p.root, 'models', 'bad.tflite'), 'not a model');
    const { code, out } = run(['check', join(p.root, 'models'), '--json']);
    assert.equal(code, 1);
    const rows = JSON.parse(out) as CheckRow[];
    assert.deepEqual(rows.map((r) => [r.code, r.line, r.column]), [['model-unreadable', 1, 1]]);
  });

  it('skips excluded folders (node_modules, build, .git, .pio) when scanning', () => {
    const p = project(30000);
    for (const dir of ['node_modules/lib', 'build', '.pio/libdeps']) {
      mkdirSync(join(p.root, dir), { recursive: true });
      writeFileSync(join(p.root, dir, 'bad.tflite'), 'not a model');
    }
    assert.equal(run(['check', p.root]).code, 0);
  });

  it('exits 2 on bad input', () => {
    const p = project(30000);
    for (const argv of [
      ['check'],
      ['check', p.root, '--board', 'arduino-uno'],
      ['check', p.root, '--kernels', 'fast'],
      ['check', p.root, '--margin', '-3'],
      ['check', p.root, '--margin', 'lots'],
      ['check', join(p.root, 'missing.cc')],
      ['check', join(p.root, 'tensorflow', 'lite', 'micro', 'micro_log.h'), '--frobnicate'],
    ]) {
      const { code, err } = run(argv);
      assert.equal(code, 2, `${argv.join(' ')}: ${err}`);
      assert.match(err, /^tinyml check: /);
    }
    writeFileSync(join(p.root, 'notes.txt'), 'x');
    assert.match(run(['check', join(p.root, 'notes.txt')]).err, /not a C\/C\+\+ source, \.tflite or \.onnx file/);
  });
});
