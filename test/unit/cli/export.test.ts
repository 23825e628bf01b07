import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { readCArray } from '../../../server/src/model/cArray';
import { modelsDir } from '../../helpers/shared';

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

describe('tinyml export', () => {
  const model = join(modelsDir, 'tflm', 'hello_world_int8.tflite');
  const original = new Uint8Array(readFileSync(model));

  it('writes a header and source whose compiled array holds the model byte for byte', function () {
    this.timeout(60000);
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-export-'));
    assert.equal(run(['export', model, '-o', dir]).code, 0);
    const source = readFileSync(join(dir, 'hello_world_int8_model_data.cc'), 'utf8');
    const header = readFileSync(join(dir, 'hello_world_int8_model_data.h'), 'utf8');
    // `xxd -i hello_world_int8.tflite` names the array hello_world_int8_tflite.
    assert.match(header, /extern const unsigned char hello_world_int8_tflite\[\];/);
    assert.match(source, /^alignas\(16\) const unsigned char hello_world_int8_tflite\[\] = \{$/m);
    assert.deepEqual(readCArray(source)[0].bytes, original);

    // Compile it with a main that writes the array out, as firmware would link it.
    writeFileSync(join(dir, 'dump.cc'), '#include <cstdio>\n#include "hello_world_int8_model_data.h"\nint main() { fwrite(hello_world_int8_tflite, 1, hello_world_int8_tflite_len, stdout); return (reinterpret_cast<unsigned long>(hello_world_int8_tflite) % 16) != 0; }\n');
    execFileSync('g++', ['-std=c++17', '-Wall', '-Werror', '-o', join(dir, 'dump'), join(dir, 'dump.cc'), join(dir, 'hello_world_int8_model_data.cc')]);
    assert.deepEqual(new Uint8Array(execFileSync(join(dir, 'dump'))), original);
  });

  it('never writes over existing files without --force', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-export-'));
    assert.equal(run(['export', model, '-o', dir]).code, 0);
    writeFileSync(join(dir, 'hello_world_int8_model_data.cc'), 'user edits');
    const again = run(['export', model, '-o', dir]);
    assert.equal(again.code, 2);
    assert.match(again.err, /exists; pass --force/);
    assert.equal(readFileSync(join(dir, 'hello_world_int8_model_data.cc'), 'utf8'), 'user edits');
    assert.equal(run(['export', model, '-o', dir, '--force', '--name', 'g_model', '--progmem']).code, 0);
    assert.match(readFileSync(join(dir, 'hello_world_int8_model_data.cc'), 'utf8'), /const unsigned char g_model\[\] PROGMEM = \{/);
  });

  it('exports the model embedded in a C source, not the source text', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-export-'));
    assert.equal(run(['export', model, '-o', dir]).code, 0);
    const out = join(dir, 'again');
    assert.equal(run(['export', join(dir, 'hello_world_int8_model_data.cc'), '-o', out, '--name', 'm']).code, 0);
    assert.deepEqual(readCArray(readFileSync(join(out, 'hello_world_int8_model_data_model_data.cc'), 'utf8'))[0].bytes, original);
  });

  it('refuses a file that is not a model, and a bad identifier', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tinyml-export-'));
    writeFileSync(join(dir, 'notes.tflite'), 'not a model');
    assert.equal(run(['export', join(dir, 'notes.tflite')]).code, 2);
    assert.equal(run(['export', model, '-o', dir, '--name', '3d-model']).code, 2);
  });
});
