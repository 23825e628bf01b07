import assert from 'node:assert/strict';
import { positionAt, scan } from '../../../../server/src/analysis/firmware/scanner';
import { sharedModel } from '../../../helpers/shared';
import { xxdFile } from './fixtureWorkspace';

describe('firmware scanner', () => {
  it('skips comments, strings, char literals and raw strings, keeping exact positions', () => {
    const text = [
      '// MicroInterpreter in a comment',
      'const char* s = "GetModel(g_x) /* not a comment */"; char c = \'{\';',
      'auto r = R"x(resolver.AddConv2D(); )" still raw )x"; /* AddSoftmax',
      '  */ int kA = 1;',
      '  µs_arena[2];',
    ].join('\n');
    const { tokens, lineStarts } = scan(text);
    const ids = tokens.filter((t) => t.kind === 'id').map((t) => t.text);
    assert.deepEqual(ids, ['const', 'char', 's', 'char', 'c', 'auto', 'r', 'int', 'kA', 's_arena']);
    const kA = tokens.find((t) => t.text === 'kA')!;
    // Line 3 is "  */ int kA = 1;": kA starts at character 9.
    assert.deepEqual(positionAt(lineStarts, kA.start), { line: 3, character: 9 });
    const raw = tokens.find((t) => t.kind === 'str' && t.text.startsWith('R"x('))!;
    assert.equal(raw.text, 'R"x(resolver.AddConv2D(); )" still raw )x"');
    // "µ" is one UTF-16 unit: s_arena starts at character 3 of line 4.
    assert.deepEqual(positionAt(lineStarts, tokens.find((t) => t.text === 's_arena')!.start), { line: 4, character: 3 });
  });

  it('reads object-like #defines and #includes, drops #if 0 blocks and keeps #else branches', () => {
    const text = [
      '#include "model.h"',
      '#include <TensorFlowLite.h>',
      '#define ARENA_SIZE (10 * 1024)  // bytes',
      '#define MAX(a, b) ((a) > (b) ? (a) : (b))',
      '#define LONG_ONE 1 + \\',
      '  2',
      '#if 0',
      'int dropped = 1;',
      '#if 1',
      'int nested = 1;',
      '#endif',
      '#else',
      'int kept = 2;',
      '#endif',
    ].join('\n');
    const s = scan(text);
    assert.deepEqual(s.includes.map((i) => [i.spec, i.system]), [['model.h', false], ['TensorFlowLite.h', true]]);
    assert.deepEqual(s.defines.map((d) => [d.name, d.tokens.map((t) => t.text).join(' ')]), [
      ['ARENA_SIZE', '( 10 * 1024 )'],
      ['LONG_ONE', '1 + 2'],
    ]);
    const ids = s.tokens.filter((t) => t.kind === 'id').map((t) => t.text);
    assert.deepEqual(ids, ['int', 'kept']);
  });

  it('folds an initializer into one token that counts its elements', () => {
    const s = scan('const unsigned char g[] = { 0x1c, 0x00, /* } */ 0x54, // },\n 0x46, };\nint x;');
    const init = s.tokens.find((t) => t.kind === 'init') as { elements: number; numeric: boolean } | undefined;
    assert.ok(init);
    assert.equal(init.elements, 4);
    assert.equal(init.numeric, true);
    assert.deepEqual(s.tokens.slice(-3).map((t) => t.text), ['int', 'x', ';']);
  });

  it('scans a 2 MB source holding a 1.9 MB model array in well under 100 ms', () => {
    // person_detect.tflite is 300,568 bytes; as xxd text (about 6.2 characters a byte) ~1.86 MB.
    const text = xxdFile('g_person_detect_model_data', sharedModel('tflm/person_detect.tflite')) + '\n'.repeat(10) + 'int tail;\n'.repeat(1000);
    assert.ok(text.length > 1_800_000, `source is ${text.length} characters`);
    scan(text.slice(0, 10_000)); // warm-up
    const t0 = performance.now();
    const s = scan(text);
    const ms = performance.now() - t0;
    assert.ok(ms < 100, `scan took ${ms.toFixed(1)} ms`);
    const init = s.tokens.find((t) => t.kind === 'init') as { elements: number } | undefined;
    assert.equal(init?.elements, 300_568);
  });
});
