import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../server/src/cli/main';
import { toInputBytes } from '../../../server/src/cli/runCommand';
import { encodeNpy, parseNpy } from '../../../server/src/cli/tensorFiles';
import { modelPathForStem, oracleJson } from '../../helpers/shared';

interface OracleCase {
  name: string;
  input_b64: string;
  output_b64: string;
}

function run(argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = main(argv, (t) => (out += t + '\n'), (t) => (err += t + '\n'));
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'tinyml-run-'));

/** A version-1 .npy by hand, independent of encodeNpy. */
function npyBytes(descr: string, shape: string, data: Uint8Array, major = 1): Uint8Array {
  const header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shape}, }\n`;
  const lenBytes = major === 1 ? 2 : 4;
  const out = new Uint8Array(8 + lenBytes + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0], 0);
  out[8] = header.length & 0xff;
  out[9] = header.length >> 8;
  for (let i = 0; i < header.length; i++) out[8 + lenBytes + i] = header.charCodeAt(i);
  out.set(data, 8 + lenBytes + header.length);
  return out;
}

describe('tinyml run', () => {
  for (const stem of ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'person_detect']) {
    const oracle = oracleJson('tflm', stem) as { cases: OracleCase[] };
    for (const c of oracle.cases) {
      it(`reproduces TFLM's output bytes of ${stem} case ${c.name} via --output`, () => {
        const input = join(dir, `${stem}-${c.name}.bin`);
        const output = join(dir, `${stem}-${c.name}.out.bin`);
        writeFileSync(input, Buffer.from(c.input_b64, 'base64'));
        const { code, err } = run(['run', modelPathForStem(stem), '--input', input, '--output', output, '--json']);
        assert.equal(code, 0, err);
        // Tolerance 0: the engine's oracle test covers the numerics; this checks the CLI's plumbing.
        assert.deepEqual(readFileSync(output), Buffer.from(c.output_b64, 'base64'));
      });
    }
  }

  it('--json prints dequantized values with the output quantization', () => {
    const oracle = oracleJson('tflm', 'hello_world_int8') as { cases: OracleCase[] };
    const input = join(dir, 'hw.bin');
    writeFileSync(input, Buffer.from(oracle.cases[1].input_b64, 'base64'));
    const { code, out } = run(['run', modelPathForStem('hello_world_int8'), '--input', input, '--json']);
    assert.equal(code, 0);
    const report = JSON.parse(out) as { outputs: { name: string; shape: number[]; dtype: string; scale: number; zeroPoint: number; values: number[] }[] };
    assert.equal(report.outputs.length, 1);
    const [o] = report.outputs;
    assert.deepEqual(o.shape, [1, 1]);
    assert.equal(o.dtype, 'int8');
    const raw = new Int8Array(Buffer.from(oracle.cases[1].output_b64, 'base64'))[0];
    assert.equal(o.values[0], (raw - o.zeroPoint) * o.scale);
  });

  it('quantizes a float32 .npy for an int8 input (round half away from zero, clamp)', () => {
    // Scale 0.5, zero point -3: x / 0.5 is exact in float32, so the ties are real ties.
    const input = { name: 'x', shape: [1, 6], dtype: 'int8', scale: 0.5, zeroPoint: -3, scales: [0.5], zeroPoints: [-3] } as const;
    const x = new Float32Array([0.25, -0.25, 0.75, 100, -100, 0]);
    const file = parseNpy(npyBytes('<f4', '(1, 6)', new Uint8Array(x.buffer)), 'x.npy');
    const bytes = toInputBytes(file, { ...input, index: 0, data: new Int8Array(6), bytes: new Uint8Array(6), constant: false }, 'input 0');
    // 0.25/0.5 = 0.5 -> 1 (away from zero) - 3 = -2; -0.5 -> -1 - 3 = -4; 1.5 -> 2 - 3 = -1;
    // 200 - 3 = 197 -> 127 (clamp); -200 - 3 -> -128 (clamp); 0 -> -3.
    assert.deepEqual(Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, 6)), [-2, -4, -1, 127, -128, -3]);
  });

  it('runs a model on a quantized float32 .npy as on the same values given as int8 bytes', () => {
    // hello_world_int8's input: scale float32(0.024480115622282028), zero point -128; 0.0 -> -128.
    const npy = join(dir, 'zero-f32.npy');
    writeFileSync(npy, npyBytes('<f4', '(1, 1)', new Uint8Array(4)));
    const bin = join(dir, 'zero-i8.bin');
    writeFileSync(bin, new Uint8Array([0x80]));
    const a = join(dir, 'zero-f32.out');
    const b = join(dir, 'zero-i8.out');
    assert.equal(run(['run', modelPathForStem('hello_world_int8'), '--input', npy, '--output', a]).code, 0);
    assert.equal(run(['run', modelPathForStem('hello_world_int8'), '--input', bin, '--output', b]).code, 0);
    assert.deepEqual(readFileSync(a), readFileSync(b));
  });

  it('casts an integer .npy for a float input and reads .npy versions 2 and 3', () => {
    const oracle = oracleJson('tflm', 'hello_world_float') as { cases: OracleCase[] };
    const input = join(dir, 'zero.npy');
    writeFileSync(input, npyBytes('|i1', '(1,)', new Uint8Array([0]), 2));
    const output = join(dir, 'zero.out');
    assert.equal(run(['run', modelPathForStem('hello_world_float'), '--input', input, '--output', output]).code, 0);
    // Case 0 of the oracle is input 0.0.
    assert.deepEqual(readFileSync(output), Buffer.from(oracle.cases[0].output_b64, 'base64'));
    const v3 = parseNpy(npyBytes('<i2', '(2, 3)', new Uint8Array(12), 3), 'v3');
    assert.deepEqual(v3.shape, [2, 3]);
    assert.equal(v3.dtype, 'int16');
  });

  it("reads a float64 .npy (NumPy's default) as float32, rounding to nearest", () => {
    const oracle = oracleJson('tflm', 'hello_world_float') as { cases: OracleCase[] };
    const input = join(dir, 'zero-f8.npy');
    writeFileSync(input, npyBytes('<f8', '(1, 1)', new Uint8Array(8)));
    const output = join(dir, 'zero-f8.out');
    assert.equal(run(['run', modelPathForStem('hello_world_float'), '--input', input, '--output', output]).code, 0);
    assert.deepEqual(readFileSync(output), Buffer.from(oracle.cases[0].output_b64, 'base64'));
    const third = parseNpy(npyBytes('<f8', '(2,)', new Uint8Array(new Float64Array([1 / 3, -2.5]).buffer)), 'x.npy');
    assert.equal(third.dtype, 'float32');
    // 1/3 in float32 is 0x3EAAAAAB = 0.3333333432674408 (round to nearest from float64).
    assert.deepEqual(Array.from(new Float32Array(third.bytes.buffer, third.bytes.byteOffset, 2)), [0.3333333432674408, -2.5]);
  });

  it('writes a .npy output that reads back with its dtype and shape', () => {
    const oracle = oracleJson('tflm', 'micro_speech_quantized') as { cases: OracleCase[] };
    const input = join(dir, 'ms.bin');
    writeFileSync(input, Buffer.from(oracle.cases[2].input_b64, 'base64'));
    const output = join(dir, 'ms.npy');
    assert.equal(run(['run', modelPathForStem('micro_speech_quantized'), '--input', input, '--output', output]).code, 0);
    const back = parseNpy(new Uint8Array(readFileSync(output)), 'ms.npy');
    assert.equal(back.dtype, 'int8');
    assert.deepEqual(back.shape, [1, 4]);
    assert.deepEqual(Buffer.from(back.bytes), Buffer.from(oracle.cases[2].output_b64, 'base64'));
    assert.deepEqual(parseNpy(encodeNpy('float32', [3], new Uint8Array(12)), 'x').shape, [3]);
  });

  it('prints a top-5 summary for a classifier output', () => {
    const oracle = oracleJson('tflm', 'person_detect') as { cases: OracleCase[] };
    const input = join(dir, 'pd.bin');
    writeFileSync(input, Buffer.from(oracle.cases[1].input_b64, 'base64'));
    const { code, out } = run(['run', modelPathForStem('person_detect'), '--input', input]);
    assert.equal(code, 0);
    assert.match(out, /1 inference in [\d.]+ ms/);
    assert.match(out, /top 2:\n\s+\[\d\] /);
  });

  it('exits 2 naming expected and given sizes when an input does not match', () => {
    const input = join(dir, 'short.bin');
    writeFileSync(input, new Uint8Array(190));
    const { code, err } = run(['run', modelPathForStem('micro_speech_quantized'), '--input', input]);
    assert.equal(code, 2);
    assert.match(err, /expected 1960 elements of int8 \(1960 bytes, shape \[1, 1960\]\), got 190 bytes/);
    const npy = join(dir, 'wrong.npy');
    writeFileSync(npy, npyBytes('<f4', '(3,)', new Uint8Array(12)));
    const r2 = run(['run', modelPathForStem('hello_world_int8'), '--input', npy]);
    assert.equal(r2.code, 2);
    assert.match(r2.err, /expected 1 elements of int8 .* got 3 elements of float32/);
    const i16 = join(dir, 'i16.npy');
    writeFileSync(i16, npyBytes('<i2', '(1, 1)', new Uint8Array(2)));
    const r3 = run(['run', modelPathForStem('hello_world_int8'), '--input', i16]);
    assert.equal(r3.code, 2);
    assert.match(r3.err, /got 1 elements of int16 .*give int8 values or float32 values to quantize/);
  });

  it('exits 2 on unsupported .npy headers and on a missing --input', () => {
    const bad = join(dir, 'fortran.npy');
    writeFileSync(bad, Buffer.from(npyBytes('<f4', '(1,)', new Uint8Array(4))).toString('latin1').replace('False', 'True '), 'latin1');
    const r = run(['run', modelPathForStem('hello_world_int8'), '--input', bad]);
    assert.equal(r.code, 2);
    assert.match(r.err, /fortran_order True is not supported/);
    const f2 = join(dir, 'f2.npy');
    writeFileSync(f2, npyBytes('<f2', '(1,)', new Uint8Array(2)));
    assert.match(run(['run', modelPathForStem('hello_world_int8'), '--input', f2]).err, /dtype '<f2' is not supported/);
    const none = run(['run', modelPathForStem('hello_world_int8')]);
    assert.equal(none.code, 2);
    assert.match(none.err, /the model has 1 input\(s\) .*0 --input given/);
  });
});
