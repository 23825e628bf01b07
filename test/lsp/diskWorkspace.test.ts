import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_EXCLUDE, DiskWorkspace, MAX_SOURCE_BYTES, scanFolder, uriOf } from '../../server/src/lsp/diskWorkspace';

function tree(files: Record<string, string | number>): string {
  const root = mkdtempSync(join(tmpdir(), 'tinyml-scan-'));
  for (const [rel, content] of Object.entries(files)) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), typeof content === 'number' ? Buffer.alloc(content, 0x20) : content);
  }
  return root;
}

describe('lsp/diskWorkspace', () => {
  it('finds firmware and model files, skipping excluded folders and oversized sources', () => {
    const root = tree({
      'src/main.cc': '', 'src/model.h': '', 'sketch.ino': '', 'models/kws.tflite': '', 'models/kws.onnx': '', 'README.md': '',
      'node_modules/x/y.h': '', '.pio/libdeps/z.cpp': '', 'build/gen.c': '', '.git/a.h': '', 'big.h': MAX_SOURCE_BYTES + 1,
    });
    const scan = scanFolder(root, { exclude: DEFAULT_EXCLUDE });
    assert.deepEqual(scan.firmware.map((p) => p.slice(root.length + 1)).sort(), ['sketch.ino', 'src/main.cc', 'src/model.h']);
    assert.deepEqual(scan.models.map((p) => p.slice(root.length + 1)).sort(), ['models/kws.onnx', 'models/kws.tflite']);
    assert.deepEqual(scan.skipped.map((s) => s.path), [join(root, 'big.h')]);
    assert.deepEqual(scanFolder(root, { exclude: ['src/**'] }).firmware.map((p) => p.slice(root.length + 1)).sort(), [
      '.git/a.h', '.pio/libdeps/z.cpp', 'build/gen.c', 'node_modules/x/y.h', 'sketch.ino',
    ]);
  });

  it('resolves includes next to the including file first, then in the include folders', () => {
    const root = tree({ 'src/main.cc': '#include "model.h"', 'src/model.h': 'a', 'include/model.h': 'b', 'include/only.h': 'c' });
    const ws = new DiskWorkspace(scanFolder(root, { exclude: [] }).firmware, [join(root, 'include')]);
    const main = uriOf(join(root, 'src/main.cc'));
    assert.equal(ws.resolveInclude(main, 'model.h'), uriOf(join(root, 'src/model.h')));
    assert.equal(ws.resolveInclude(main, 'only.h'), uriOf(join(root, 'include/only.h')));
    assert.equal(ws.resolveInclude(main, 'missing.h'), undefined);
    assert.equal(ws.get(uriOf(join(root, 'include/only.h')))?.text, 'c');
    assert.equal([...ws.files()].length, 4);
  });

  it('rereads a file after update() and drops it when deleted', () => {
    const root = tree({ 'a.h': 'one' });
    const uri = uriOf(join(root, 'a.h'));
    const ws = new DiskWorkspace([join(root, 'a.h')]);
    assert.equal(ws.get(uri)?.text, 'one');
    writeFileSync(join(root, 'a.h'), 'two');
    assert.equal(ws.get(uri)?.text, 'one');
    ws.update(uri, true);
    assert.equal(ws.get(uri)?.text, 'two');
    ws.update(uri, false);
    assert.deepEqual([...ws.uris()], []);
  });
});
