import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { analyzeFirmware } from '../../../server/src/analysis/firmware';
import { findBoard } from '../../../server/src/analysis/boards';
import { exportCArray } from '../../../server/src/codegen/cArrayExport';
import { generateResolver } from '../../../server/src/codegen/resolver';
import { loadModel } from '../../../server/src/model/load';
import { copyOrder, keepInTree, SAMPLE_ARRAY, SAMPLE_HEADER, sampleFiles, sampleFolderName, sampleMain } from '../../../client/src/codegen/sampleProject';
import { repoRoot } from '../../helpers/shared';
import { MemoryWorkspace } from '../analysis/firmware/fixtureWorkspace';

describe('the walkthrough sample project', () => {
  const model = new Uint8Array(readFileSync(join(repoRoot, 'examples', 'models', 'kws_ref_model.tflite')));
  const array = exportCArray(model, { name: SAMPLE_ARRAY, headerName: SAMPLE_HEADER });

  it('goes into a new folder, never one that exists', () => {
    assert.equal(sampleFolderName(new Set()), 'tinyml-kws-sample');
    assert.equal(sampleFolderName(new Set(['tinyml-kws-sample', 'tinyml-kws-sample-2'])), 'tinyml-kws-sample-3');
  });

  it('copies only files the extension has, without dot files or the link map', () => {
    for (const file of sampleFiles()) {
      if (file.kind === 'copy' || file.kind === 'tree' || file.kind === 'export') assert.ok(existsSync(join(repoRoot, file.from)), file.from);
    }
    assert.equal(keepInTree('src/main.c'), true);
    assert.equal(keepInTree('build/firmware.elf'), true);
    assert.equal(keepInTree('build/firmware.map'), false);
    assert.equal(keepInTree('.vscode'), false);
  });

  it('copies build/ last, objects before the ELF before the binary, so make needs no toolchain', () => {
    assert.deepEqual(copyOrder(['Makefile', 'build', 'link.ld', 'src']), ['Makefile', 'link.ld', 'src', 'build']);
    assert.deepEqual(copyOrder(['firmware.bin', 'firmware.elf', 'main.o', 'cmsdkUart.o']), ['cmsdkUart.o', 'main.o', 'firmware.elf', 'firmware.bin']);
  });

  it("main.cc's arena is too small for the model: the diagnostic the walkthrough fixes, and nothing else", () => {
    const ws = new MemoryWorkspace([
      { uri: 'file:///s/main.cc', text: sampleMain() },
      { uri: `file:///s/${SAMPLE_HEADER}`, text: array.header },
      { uri: 'file:///s/kws_ref_model_model_data.cc', text: array.source },
    ]);
    const board = findBoard('nucleo-l4r5zi')!;
    const { findings } = analyzeFirmware(ws, { board, arenaMarginPercent: 10, kernels: 'reference' }, ['file:///s/main.cc']);
    assert.deepEqual(findings.map((f) => f.code), ['arena-too-small']);
    assert.match(findings[0].message, /kTensorArenaSize is 16,384 bytes .* needs 22,772 bytes/);
    assert.equal(findings[0].fixes?.[0].edits[0].newText, '25 * 1024');
  });

  it("main.cc registers exactly the generated resolver's ops and compiles against the TFLM stubs", function () {
    this.timeout(60000);
    const generated = generateResolver(loadModel(model), { style: 'checked' });
    for (const line of generated.code.split('\n').slice(1)) if (line) assert.ok(sampleMain().includes(`  ${line}`), line);
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-sample-'));
    writeFileSync(join(dir, 'main.cc'), sampleMain());
    writeFileSync(join(dir, SAMPLE_HEADER), array.header);
    writeFileSync(join(dir, 'kws_ref_model_model_data.cc'), array.source);
    const stubs = join(repoRoot, 'test', 'fixtures', 'tflm-stubs');
    try {
      execFileSync('g++', ['-std=c++17', '-fsyntax-only', '-Wall', '-Werror', '-I', stubs, '-I', dir, join(dir, 'main.cc'), join(dir, 'kws_ref_model_model_data.cc')], { stdio: 'pipe' });
    } catch (error) {
      assert.fail(`g++ rejected the sample:\n${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}`);
    }
  });
});
