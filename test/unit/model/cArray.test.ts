// C array reader: real `xxd -i` output and TFLM/Arduino styles written from a real model must
// round-trip byte for byte; malformed arrays fail with file:line:column; a 2 MB array parses fast.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CArray, extractModelBytes, readCArray } from '../../../server/src/model/cArray';
import { ModelError } from '../../../server/src/model/graph';

const MODELS = process.env.TINYML_MODELS ?? path.resolve(__dirname, '../../../../shared/models');
const HELLO = path.join(MODELS, 'tflm/hello_world_int8.tflite');
const PERSON = path.join(MODELS, 'tflm/person_detect.tflite');
const hello = new Uint8Array(readFileSync(HELLO));

function hasXxd(): boolean {
  try {
    execFileSync('xxd', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Writes `bytes` as an initializer body: `perLine` elements a line, each formatted by `fmt`. */
function body(bytes: Uint8Array, fmt: (b: number, i: number) => string, perLine = 12, lineSuffix = ''): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += perLine) {
    lines.push('  ' + Array.from(bytes.subarray(i, i + perLine), (b, k) => fmt(b, i + k)).join(', ') + ',' + lineSuffix);
  }
  return lines.join('\n');
}

const hex = (b: number): string => '0x' + b.toString(16).padStart(2, '0');

function only(text: string): CArray {
  const arrays = readCArray(text, 'model.cc');
  assert.equal(arrays.length, 1, `arrays: ${arrays.map((a) => a.name).join(', ')}`);
  return arrays[0];
}

function throwsAt(text: string, pattern: RegExp): void {
  assert.throws(() => readCArray(text, 'model.cc'), (e: unknown) => {
    assert.ok(e instanceof ModelError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

describe('readCArray: styles round-trip a real model', () => {
  it('real xxd -i output', function () {
    if (!hasXxd()) this.skip();
    const text = execFileSync('xxd', ['-i', 'hello_world_int8.tflite'], { cwd: path.dirname(HELLO), encoding: 'latin1' });
    const a = only(text);
    assert.equal(a.name, 'hello_world_int8_tflite');
    assert.deepEqual(a.bytes, hello);
    assert.equal(a.lengthName, 'hello_world_int8_tflite_len');
    assert.equal(a.lengthValue, hello.length);
    assert.deepEqual([a.isConst, a.progmem, a.alignment, a.line], [false, false, undefined, 1]);
  });

  it("TFLM generate_cc_arrays: alignas(16) const unsigned char, with a size constant", () => {
    const text = `#include "model.h"\n\nalignas(16) const unsigned char g_hello_world_int8_model_data[] = {\n${body(hello, hex)}\n};\n\n` +
      `const unsigned int g_hello_world_int8_model_data_size = ${hello.length};\n`;
    const a = only(text);
    assert.deepEqual(a.bytes, hello);
    assert.deepEqual([a.alignment, a.isConst, a.line, a.lengthName], [16, true, 3, 'g_hello_world_int8_model_data_size']);
  });

  it('DATA_ALIGN_ATTRIBUTE defined in the file, g_model_len', () => {
    const text = '#ifdef __has_attribute\n#define HAVE_ATTRIBUTE(x) __has_attribute(x)\n#else\n#define HAVE_ATTRIBUTE(x) 0\n#endif\n' +
      '#if HAVE_ATTRIBUTE(aligned) || (defined(__GNUC__) && !defined(__clang__))\n#define DATA_ALIGN_ATTRIBUTE __attribute__((aligned(4)))\n' +
      '#else\n#define DATA_ALIGN_ATTRIBUTE\n#endif\n\n' +
      `const unsigned char g_model[] DATA_ALIGN_ATTRIBUTE = {\n${body(hello, hex)}\n};\nconst int g_model_len = ${hello.length};\n`;
    const a = only(text);
    assert.deepEqual(a.bytes, hello);
    assert.deepEqual([a.name, a.alignment, a.lengthName, a.lengthValue, a.line], ['g_model', 4, 'g_model_len', hello.length, 12]);
  });

  it('__attribute__((aligned(16))), uppercase hex, comments inside, no trailing comma', () => {
    const lines = body(hello, (b) => '0X' + b.toString(16).toUpperCase().padStart(2, '0'), 16, ' // row').replace(/,( \/\/ row)$/, '$1');
    const text = `/* model */\nstatic const unsigned char model_tflite[] __attribute__((aligned(16))) = { /* start */\n${lines}\n  /* end */ };\n` +
      `unsigned int model_tflite_len = sizeof(model_tflite);\n`;
    const a = only(text);
    assert.deepEqual(a.bytes, hello);
    assert.deepEqual([a.alignment, a.isConst, a.line, a.lengthName, a.lengthValue], [16, true, 2, 'model_tflite_len', hello.length]);
  });

  it('Arduino: const uint8_t ... PROGMEM, decimal, kModelSize', () => {
    const text = `#include <Arduino.h>\nalignas(8) const uint8_t model[] PROGMEM = {\n${body(hello, (b) => String(b), 20)}\n};\n` +
      `const unsigned int kModelSize = ${hello.length};\n`;
    const a = only(text);
    assert.deepEqual(a.bytes, hello);
    assert.deepEqual([a.progmem, a.alignment, a.lengthName, a.lengthValue], [true, 8, 'kModelSize', hello.length]);
  });

  it('const int8_t with negative decimals, char with octal, modelLen', () => {
    const signed = `const int8_t model_data[] = {\n${body(hello, (b) => String(b > 127 ? b - 256 : b))}\n};\nconst int model_dataLen = ${hello.length};\n`;
    const a = only(signed);
    assert.deepEqual(a.bytes, hello);
    assert.equal(a.lengthName, 'model_dataLen');
    const octal = `char blob[] = {\n${body(hello, (b) => (b === 0 ? '0' : '0' + b.toString(8)))}\n};\n`;
    assert.deepEqual(only(octal).bytes, hello);
  });

  it('line continuations, CRLF and integer suffixes', () => {
    const text = 'const unsigned char \\\r\n  spliced[] = {\r\n  0x1c, 0x0\\\r\n0, 255u, 1UL, \\\n  0b101\r\n};\r\n';
    const a = only(text);
    assert.deepEqual([...a.bytes], [0x1c, 0x00, 255, 1, 5]);
    assert.equal(a.line, 2); // the name sits on the line after the splice
  });
});

describe('readCArray: declarations', () => {
  it('finds every byte array and skips other initializers', () => {
    const text = [
      'struct Cfg cfg = { 1, 2, "}" };',
      'const int dims[] = {1, 2, 3};',
      'const char* names[] = {"a", "b"};',
      'char greeting[] = "hi {";',
      'float w[2][2] = {{1.0, 2.0}, {3.0, 4.0}};',
      'void f() { static const unsigned char inner[] = {1, 2}; }',
      'unsigned char padded[4] = {7};',
      'extern const unsigned char declared[];',
      "unsigned char empty[] = {};",
    ].join('\n');
    const arrays = readCArray(text, 'x.cc');
    assert.deepEqual(arrays.map((a) => [a.name, [...a.bytes], a.line]), [
      ['inner', [1, 2], 6],
      ['padded', [7, 0, 0, 0], 7],
      ['empty', [], 9],
    ]);
  });

  it('extractModelBytes picks the TFL3 array over a larger one, else the largest', () => {
    const big = new Uint8Array(hello.length + 100).fill(3);
    const text = `unsigned char lut[] = {${Array.from(big).join(',')}};\nconst unsigned char g_model[] = {${Array.from(hello).join(',')}};\n`;
    assert.equal(extractModelBytes(text)?.name, 'g_model');
    assert.equal(extractModelBytes('unsigned char a[] = {1,2};\nunsigned char b[] = {1,2,3};')?.name, 'b');
    assert.equal(extractModelBytes('int x = 3;'), undefined);
  });
});

describe('readCArray: errors', () => {
  it('names file, line and column of a malformed element', () => {
    throwsAt('// header\nconst unsigned char g_model[] = {\n  0x1c, 0x00, xyz, 0x01\n};', /^model\.cc:3:15: expected a number or '}' in array 'g_model', found 'xyz'$/);
    throwsAt('unsigned char a[] = {0x1g};', /model\.cc:1:22: expected a number or '}' in array 'a', found '0x1g'/);
    throwsAt('unsigned char a[] = {08};', /model\.cc:1:22: .*found '08'/);
    throwsAt('unsigned char a[] = {1 2};', /model\.cc:1:24: expected ',' or '}' after an element of array 'a', found '2'/);
  });

  it('rejects out-of-range values', () => {
    throwsAt('unsigned char a[] = {1, 256};', /model\.cc:1:25: value 256 is out of range for a byte \(-128\.\.255\) in array 'a'/);
    throwsAt('int8_t a[] = {\n -129};', /model\.cc:2:2: value -129 is out of range/);
    assert.deepEqual([...only('int8_t a[] = {-128, 127, 0xff};').bytes], [128, 127, 255]);
  });

  it('rejects an unterminated initializer and too many initializers', () => {
    throwsAt('const unsigned char g_model[] = {\n  0x1c, 0x00,\n', /model\.cc:1:33: unterminated initializer of array 'g_model'/);
    throwsAt('unsigned char a[] = {1, 2', /unterminated initializer/);
    throwsAt('unsigned char a[2] = {1, 2, 3};', /declared with 2 elements but has 3/);
  });
});

describe('readCArray: speed', () => {
  it('parses a 2 MB model array file in well under 100 ms', () => {
    const person = new Uint8Array(readFileSync(PERSON));
    const text = `alignas(16) const unsigned char g_person_detect_model_data[] = {\n${body(person, hex)}\n};\n`;
    assert.ok(text.length > 1.8e6, `text is ${text.length} chars`);
    const times: number[] = [];
    let array: CArray | undefined;
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      array = only(text);
      times.push(performance.now() - t0);
    }
    assert.deepEqual(array?.bytes, person);
    const median = times.sort((a, b) => a - b)[2];
    assert.ok(median < 60, `median ${median.toFixed(1)} ms`);
  });
});
