import assert from 'node:assert/strict';
import { Framer } from '../../../../client/src/device/inference/framing';
import type { TensorInfo } from '../../../../client/src/device/inference/tensorCodec';

const input = (elementCount: number, dtype = 'int8', scale = 1, zeroPoint = 0): TensorInfo => ({ name: 'in', shape: [1, elementCount], dtype, scale, zeroPoint, elementCount, byteLength: elementCount * (dtype === 'float32' ? 4 : 1) });
const RAW = { kind: 'affine', a: 1, b: 0 } as const;
const bytes = (f: { bytes: Uint8Array }) => [...new Int8Array(f.bytes.buffer, f.bytes.byteOffset, f.bytes.length)];

describe('framing serial lines into model inputs', () => {
  it('one frame per line from a JSON field (the QEMU preset: xq is the int8 byte)', () => {
    const f = new Framer({ source: { kind: 'perLine', fields: ['xq'] }, mapping: RAW }, input(1));
    assert.deepEqual(f.push('x:0.0628,sin:0.0628,y:0.0580', 1).frames, []);
    const r = f.push('{"step":1,"x":0.0628,"xq":-125,"yq":12,"y":0.0580}', 2);
    assert.equal(r.frames.length, 1);
    assert.deepEqual(bytes(r.frames[0]), [-125]);
    assert.equal(r.frames[0].seq, 1);
    assert.equal(r.frames[0].time, 2);
    // The banner has no xq: no frame, no error.
    assert.deepEqual(f.push('{"model":"hello_world_int8","layers":3}', 3), { frames: [] });
  });

  it('one frame per line from all its numbers, quantized with the input scale', () => {
    const f = new Framer({ source: { kind: 'perLine' }, mapping: { kind: 'quantize' } }, input(3, 'int8', 0.5, -1));
    // 1/0.5-1 = 1, -1.25/0.5 = -2.5 -> -3, -1 -> -4; 100 -> 199 clamps to 127.
    assert.deepEqual(bytes(f.push('1 -1.25 100', 0).frames[0]), [1, -4, 127]);
    assert.match(f.push('1 2', 0).error ?? '', /2 values, the input in takes 3/);
  });

  it('windows over a stream: 3 samples x 2 channels, stride 2', () => {
    const f = new Framer({ source: { kind: 'window', length: 3, stride: 2 }, mapping: RAW }, input(6));
    assert.deepEqual(f.push('1 2', 0).frames, []);
    assert.deepEqual(f.push('3 4', 0).frames, []);
    const first = f.push('5 6', 0).frames;
    assert.deepEqual(first.map(bytes), [[1, 2, 3, 4, 5, 6]]);
    assert.deepEqual(f.push('7 8', 0).frames, []);
    assert.deepEqual(f.push('9 10', 0).frames.map(bytes), [[5, 6, 7, 8, 9, 10]]);
    assert.deepEqual(f.push('text line', 0).frames, []);
    assert.deepEqual(f.push('11 12', 0).frames, []);
    assert.deepEqual(f.push('13 14', 0).frames.map(bytes), [[9, 10, 11, 12, 13, 14]]);
  });

  it('windows with a stride longer than the window skip samples', () => {
    const f = new Framer({ source: { kind: 'window', length: 2, stride: 3 }, mapping: RAW }, input(2));
    const out = ['1', '2', '3', '4', '5', '6', '7', '8'].flatMap((l) => f.push(l, 0).frames.map(bytes));
    assert.deepEqual(out, [[1, 2], [4, 5], [7, 8]]);
  });

  it('reports a window that does not fill the input', () => {
    const f = new Framer({ source: { kind: 'window', length: 4, stride: 1 }, mapping: RAW }, input(6));
    assert.match(f.push('1 2', 0).error ?? '', /4 samples x 2 values = 8, the input in takes 6/);
    assert.throws(() => new Framer({ source: { kind: 'window', length: 0, stride: 1 }, mapping: RAW }, input(1)), /window length/);
  });

  it('a tensor per line, with a prefix', () => {
    const f = new Framer({ source: { kind: 'tensor', encoding: 'hex', prefix: 'in:' }, mapping: RAW }, input(2));
    assert.deepEqual(f.push('other', 0).frames, []);
    assert.deepEqual(f.push('in: 7f 80', 0).frames.map(bytes), [[127, -128]]);
    const j = new Framer({ source: { kind: 'tensor', encoding: 'json' }, mapping: RAW }, input(2));
    assert.deepEqual(j.push('[3, -4]', 0).frames.map(bytes), [[3, -4]]);
    assert.deepEqual(j.push('x:1', 0).frames, []);
  });
});
