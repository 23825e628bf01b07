// loadModel sniffs the format: TFL3 flatbuffers, ONNX protobufs, and C/C++ source holding a
// model array (by extension or by content), loading the embedded bytes exactly once.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ModelError } from '../../../server/src/model/graph';
import { loadModel, modelFormatOf } from '../../../server/src/model/load';
import { OnnxBuilder } from '../../helpers/onnxBuilder';

const MODELS = process.env.TINYML_MODELS ?? path.resolve(__dirname, '../../../../shared/models');
const hello = new Uint8Array(readFileSync(path.join(MODELS, 'tflm/hello_world_int8.tflite')));
const onnx = new OnnxBuilder(13).input('x', 'float32', [1, 4]).initializer('w', 'float32', [4, 2], new Array(8).fill(1))
  .node('MatMul', ['x', 'w'], ['y']).output('y').build();
const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const cArray = (name: string, bytes: Uint8Array): string =>
  `// generated\nalignas(16) const unsigned char ${name}[] = {\n  ${Array.from(bytes, (b) => '0x' + b.toString(16).padStart(2, '0')).join(', ')}\n};\n` +
  `const int ${name}_len = ${bytes.length};\n`;

function throwsModelError(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof ModelError, String(e));
    assert.match(e.message, pattern);
    return true;
  });
}

describe('modelFormatOf', () => {
  it('recognises each format', () => {
    assert.equal(modelFormatOf(hello, 'hello.tflite'), 'tflite');
    assert.equal(modelFormatOf(hello), 'tflite');
    assert.equal(modelFormatOf(onnx, 'm.onnx'), 'onnx');
    assert.equal(modelFormatOf(onnx), 'onnx');
    assert.equal(modelFormatOf(text(cArray('g_model', hello))), 'c-array');
    assert.equal(modelFormatOf(text('int x;'), 'model.h'), 'c-array');
    assert.equal(modelFormatOf(text('int x;'), 'sketch.INO'), 'c-array');
    assert.equal(modelFormatOf(text('just some notes = {words}')), 'unknown');
    assert.equal(modelFormatOf(Uint8Array.from([0xde, 0xad, 0xbe, 0xef])), 'unknown');
  });
});

describe('loadModel', () => {
  it('reads a .tflite file', () => {
    const g = loadModel(hello, 'hello_world_int8.tflite');
    assert.equal(g.format, 'tflite');
    assert.equal(g.fileBytes, hello.length);
  });

  it('reads an ONNX file', () => {
    const g = loadModel(onnx, 'tiny.onnx');
    assert.equal(g.format, 'onnx');
    assert.deepEqual(g.subgraphs[0].tensors.find((t) => t.name === 'y')?.shape, [1, 2]);
  });

  it('reads the model inside C source, by extension and by content', () => {
    for (const name of ['model.cc', 'model.h', undefined]) {
      const g = loadModel(text(cArray('g_model', hello)), name);
      assert.equal(g.format, 'tflite', String(name));
      assert.equal(g.fileBytes, hello.length); // what sits in flash: the array, not the source text
    }
    const g = loadModel(text(cArray('onnx_model', onnx)), 'model.cpp');
    assert.equal(g.format, 'onnx');
  });

  it('reports source without arrays, arrays without models, and other files', () => {
    throwsModelError(() => loadModel(text('#pragma once\nextern const unsigned char g_model[];\n'), 'model.h'), /model\.h: no byte array/);
    throwsModelError(() => loadModel(text('unsigned char lut[] = {1, 2, 3, 4};'), 'lut.c'), /lut\.c:1: array 'lut' holds neither/);
    throwsModelError(() => loadModel(text(cArray('nested', text(cArray('inner', hello)))), 'twice.cc'), /array 'nested' holds neither/);
    throwsModelError(() => loadModel(Uint8Array.from([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]), 'x.bin'),
      /^not a \.tflite flatbuffer, an ONNX protobuf or a C array: 9 bytes starting de ad be ef 01 02 03 04$/);
    throwsModelError(() => loadModel(new Uint8Array(0)), /C array: the file is empty/);
    throwsModelError(() => loadModel(text('unsigned char a[] = {1, 999};'), 'bad.cc'), /bad\.cc:1:25: value 999 is out of range/);
  });

  it('surfaces a corrupt ONNX file as an ONNX error', () => {
    throwsModelError(() => loadModel(onnx.subarray(0, onnx.length - 3), 'm.onnx'), /^ONNX: not a valid ModelProto/);
  });
});
