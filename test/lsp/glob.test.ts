import assert from 'node:assert/strict';
import { globToRegExp, matcherOf } from '../../server/src/lsp/glob';
import { DEFAULT_EXCLUDE } from '../../server/src/lsp/diskWorkspace';

describe('lsp/glob', () => {
  it('the default excludes skip the folders themselves and everything below, at any depth', () => {
    const excluded = matcherOf(DEFAULT_EXCLUDE);
    for (const path of ['node_modules', 'node_modules/a/b.h', 'lib/node_modules', '.git', 'build', 'x/build/main.o', '.pio/libdeps/x.h']) {
      assert.equal(excluded(path), true, path);
    }
    for (const path of ['src/main.cc', 'builder/main.cc', 'rebuild', 'src/build.h', 'git/x.h']) assert.equal(excluded(path), false, path);
  });

  it('* stays within one path segment, ? is one character, {a,b} is either', () => {
    assert.equal(globToRegExp('src/*.h').test('src/model.h'), true);
    assert.equal(globToRegExp('src/*.h').test('src/sub/model.h'), false);
    assert.equal(globToRegExp('m?del.h').test('model.h'), true);
    assert.equal(globToRegExp('m?del.h').test('mdel.h'), false);
    assert.equal(globToRegExp('**/*.{tflite,onnx}').test('a/b/kws.onnx'), true);
    assert.equal(globToRegExp('**/*.{tflite,onnx}').test('kws.tflite'), true);
    assert.equal(globToRegExp('**/*.{tflite,onnx}').test('kws.h'), false);
  });

  it('regex characters in patterns are literal', () => {
    assert.equal(globToRegExp('a+b/(x).h').test('a+b/(x).h'), true);
    assert.equal(globToRegExp('a.h').test('abh'), false);
  });
});
