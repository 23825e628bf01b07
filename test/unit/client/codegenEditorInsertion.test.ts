import assert from 'node:assert/strict';
import { arenaAtCursor, blockAtCursor, maskComments, sizeInStyle, type TextReplacement } from '../../../client/src/codegen/editorInsertion';

function apply(text: string, r: TextReplacement): string {
  return text.slice(0, r.start) + r.newText + text.slice(r.end);
}

/** The text with `|` marking the cursor, and the cursor's offset. */
function at(marked: string): { text: string; cursor: number } {
  return { text: marked.replace('|', ''), cursor: marked.indexOf('|') };
}

const RESOLVER = 'static tflite::MicroMutableOpResolver<2> resolver;\nresolver.AddConv2D();\nresolver.AddSoftmax();\n';
const ARENA = {
  comment: '// Tensor arena (TinyML Lens): kws needs 22,772 bytes',
  declaration: 'constexpr int kTensorArenaSize = 25056;',
  bytes: 25056,
  commentPrefix: '// Tensor arena (TinyML Lens):',
};

describe('Generate Op Resolver: the block at the cursor', () => {
  it('on an indented blank line, every line takes that indentation', () => {
    const { text, cursor } = at('void setup() {\n  |\n}\n');
    assert.equal(
      apply(text, blockAtCursor(RESOLVER, text, cursor, '\n')),
      'void setup() {\n  static tflite::MicroMutableOpResolver<2> resolver;\n  resolver.AddConv2D();\n  resolver.AddSoftmax();\n}\n',
    );
  });

  it('at column 0 of an indented line, the block is indented and the line moves below it', () => {
    const { text, cursor } = at('void setup() {\n|  Init();\n}\n');
    assert.equal(
      apply(text, blockAtCursor(RESOLVER, text, cursor, '\n')),
      'void setup() {\n  static tflite::MicroMutableOpResolver<2> resolver;\n  resolver.AddConv2D();\n  resolver.AddSoftmax();\n  Init();\n}\n',
    );
  });

  it('after code on the line, the block starts on a new line; CRLF documents get CRLF', () => {
    const { text, cursor } = at('  Init();|\r\n');
    assert.equal(
      apply(text, blockAtCursor(RESOLVER, text, cursor, '\r\n')),
      '  Init();\r\n  static tflite::MicroMutableOpResolver<2> resolver;\r\n  resolver.AddConv2D();\r\n  resolver.AddSoftmax();\r\n',
    );
  });
});

describe('Insert Arena Size: replace the definition or insert one', () => {
  it('inserts comment and declaration on the blank line at the cursor', () => {
    const { text, cursor } = at('namespace {\n  |\n}\n');
    const r = arenaAtCursor(ARENA, text, cursor, '\n');
    assert.equal(r.replaced, false);
    assert.equal(apply(text, r), `namespace {\n  ${ARENA.comment}\n  ${ARENA.declaration}\n}\n`);
  });

  it('inserts above a non-blank cursor line', () => {
    const { text, cursor } = at('alignas(16) uint8_t ten|sor_arena[kTensorArenaSize];\n');
    assert.equal(apply(text, arenaAtCursor(ARENA, text, cursor, '\n')), `${ARENA.comment}\n${ARENA.declaration}\nalignas(16) uint8_t tensor_arena[kTensorArenaSize];\n`);
  });

  it("replaces an existing definition's value in the user's style, and adds the comment above it", () => {
    const { text, cursor } = at('namespace {\n// Sized by hand.\nconstexpr int kTensorArenaSize = 10 * 1024;\nuint8_t arena[kTensorArenaSize];|\n}\n');
    const r = arenaAtCursor(ARENA, text, cursor, '\n');
    assert.equal(r.replaced, true);
    assert.equal(r.value, '25 * 1024');
    assert.equal(
      apply(text, r),
      `namespace {\n// Sized by hand.\n${ARENA.comment}\nconstexpr int kTensorArenaSize = 25 * 1024;\nuint8_t arena[kTensorArenaSize];\n}\n`,
    );
  });

  it('a second run replaces its own comment instead of stacking another', () => {
    const text = `  ${ARENA.commentPrefix} old figures\n  static const int kTensorArenaSize = 20000;\n`;
    const r = arenaAtCursor({ ...ARENA, bytes: 30000 }, text, text.length, '\n');
    assert.equal(apply(text, r), `  ${ARENA.comment}\n  static const int kTensorArenaSize = 30000;\n`);
  });

  it('handles #define and brace initialization, and ignores definitions in comments and strings', () => {
    const macro = '#define kTensorArenaSize (16 * 1024)  // guess\n';
    assert.equal(apply(macro, arenaAtCursor(ARENA, macro, 0, '\n')), `${ARENA.comment}\n#define kTensorArenaSize (25 * 1024)  // guess\n`);
    const brace = 'constexpr size_t kTensorArenaSize{0x4000};\n';
    assert.equal(apply(brace, arenaAtCursor(ARENA, brace, 0, '\n')), `${ARENA.comment}\nconstexpr size_t kTensorArenaSize{0x61E0};\n`);
    const commented = '// constexpr int kTensorArenaSize = 1;\nconst char* s = "const int kTensorArenaSize = 2;";\n|\n';
    const { text, cursor } = at(commented);
    assert.equal(arenaAtCursor(ARENA, text, cursor, '\n').replaced, false);
  });

  it('with two definitions (#if branches), the one nearest the cursor', () => {
    const { text, cursor } = at('#if BIG\nconstexpr int kTensorArenaSize = 100000;\n#else\nconstexpr int kTensorArenaSize = 1000;|\n#endif\n');
    const r = arenaAtCursor(ARENA, text, cursor, '\n');
    assert.match(apply(text, r), /#else\n.*\nconstexpr int kTensorArenaSize = 25056;\n#endif/);
    assert.match(apply(text, r), /kTensorArenaSize = 100000;/);
  });

  it('sizes in the form written: KiB multiples, hex, decimal', () => {
    assert.equal(sizeInStyle('10 * 1024', 25056), '25 * 1024');
    assert.equal(sizeInStyle('1024 * 10', 25056), '1024 * 25');
    assert.equal(sizeInStyle('(kBase + 2) * 1024', 25056), '25 * 1024');
    assert.equal(sizeInStyle('0x2800', 25056), '0x61E0');
    assert.equal(sizeInStyle('10240', 25056), '25056');
  });

  it('masking keeps offsets and line breaks', () => {
    const text = 'a /* b\n c */ "d\\"e" \'f\' // g\nh "unterminated\ni';
    const masked = maskComments(text);
    assert.equal(masked.length, text.length);
    assert.deepEqual([...masked].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0), [...text].map((c, i) => (c === '\n' ? i : -1)).filter((i) => i >= 0));
    assert.ok(!/[bcdefg]/.test(masked.replace(/\n/g, '')), masked);
    assert.ok(masked.endsWith('\ni'));
  });
});
