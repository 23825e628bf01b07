import assert from 'node:assert/strict';
import { bytesToElements, decodeTensorLine, dequantize, elementsToBytes, mapValues, quantizeValue, type TensorInfo } from '../../../../client/src/device/inference/tensorCodec';

const info = (dtype: string, scale: number, zeroPoint: number, elementCount = 1): TensorInfo => ({ name: 'in', shape: [1, elementCount], dtype, scale, zeroPoint, elementCount, byteLength: elementCount * (dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'int16' ? 2 : 1) });
// hello_world_int8's input: scale 0.024480115622282028, zero point -128.
const HELLO_IN = info('int8', 0.024480115622282028, -128);

describe('tensor codec: values to input bytes', () => {
  it("quantizes as TFLite does: round(x / scale) + zero point, ties away from zero, clamped", () => {
    // 0.0628 / 0.02448 = 2.565 -> 3 -> -125: the example firmware's xq at step 1.
    assert.equal(quantizeValue(0.0628, HELLO_IN.scale, -128, 'int8'), -125);
    // 1.5 / 0.02448 = 61.27 -> 61 -> -67.
    assert.equal(quantizeValue(1.5, HELLO_IN.scale, -128, 'int8'), -67);
    assert.equal(quantizeValue(-10, HELLO_IN.scale, -128, 'int8'), -128);
    assert.equal(quantizeValue(100, HELLO_IN.scale, -128, 'int8'), 127);
    // Ties: 1.25 / 0.5 = 2.5 -> 3 and -2.5 -> -3 (Math.round would give -2).
    assert.equal(quantizeValue(1.25, 0.5, 0, 'int8'), 3);
    assert.equal(quantizeValue(-1.25, 0.5, 0, 'int8'), -3);
    assert.equal(quantizeValue(-100, 0.5, 128, 'uint8'), 0);
    assert.equal(quantizeValue(3, 0.001, 0, 'int16'), 3000);
  });

  it('maps with x*a+b then rounds and clamps to the type; float inputs pass through', () => {
    assert.deepEqual(mapValues([-125, 12, 300], HELLO_IN, { kind: 'affine', a: 1, b: 0 }), [-125, 12, 127]);
    // 0.5*255-128 = -0.5: a tie, away from zero -> -1.
    assert.deepEqual(mapValues([0.5, 1], info('int8', 1, 0), { kind: 'affine', a: 255, b: -128 }), [-1, 127]);
    assert.deepEqual(mapValues([0.5, 2], info('float32', 0, 0), { kind: 'affine', a: 2, b: 1 }), [2, 5]);
    assert.deepEqual(mapValues([0.1], info('float32', 0, 0), { kind: 'quantize' }), [Math.fround(0.1)]);
    assert.throws(() => mapValues([1], info('int8', 0, 0), { kind: 'quantize' }), /no quantization scale/);
  });

  it('writes and reads little-endian elements', () => {
    assert.deepEqual([...elementsToBytes([-1, 2], 'int8')], [0xff, 2]);
    assert.deepEqual([...elementsToBytes([-2], 'int16')], [0xfe, 0xff]);
    assert.deepEqual([...elementsToBytes([1], 'float32')], [0, 0, 0x80, 0x3f]);
    assert.deepEqual(bytesToElements(Uint8Array.of(0xfe, 0xff), 'int16'), [-2]);
    assert.deepEqual(bytesToElements(Uint8Array.of(0x80), 'int8'), [-128]);
  });

  it('dequantizes scale * (q - zero point)', () => {
    // hello_world output: scale 0.008290956728160381, zero point 5; yq 12 -> 0.0580 (the firmware prints 0.0580).
    const [y] = dequantize([12], { dtype: 'int8', scale: 0.008290956728160381, zeroPoint: 5 });
    assert.equal(y.toFixed(4), '0.0580');
  });

  it('decodes a tensor per line: JSON values, hex bytes, base64 bytes', () => {
    const t = info('int8', 1, 0, 3);
    assert.deepEqual([...decodeTensorLine('[1, -2, [3]]', 'json', t)], [1, 0xfe, 3]);
    assert.deepEqual([...decodeTensorLine('01 fe 03', 'hex', t)], [1, 0xfe, 3]);
    assert.deepEqual([...decodeTensorLine('Af4D', 'base64', t)], [1, 0xfe, 3]);
    assert.throws(() => decodeTensorLine('[1, 2]', 'json', t), /2 values, the input 3/);
    assert.throws(() => decodeTensorLine('01fe', 'hex', t), /2 bytes, the input 3/);
    assert.throws(() => decodeTensorLine('zz', 'hex', t), /not a sequence of hex bytes/);
  });
});
