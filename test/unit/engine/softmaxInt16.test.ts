import assert from 'node:assert/strict';
import { lutLookupInt16, populateLutInt16 } from '../../../server/src/engine/kernels/lutInt16';
import { softmaxExpLut, softmaxInt16InputMultiplier, softmaxOneOverOnePlusXLut } from '../../../server/src/engine/kernels/softmaxInt16';
import { graphOf, run } from './graphBuilder';

// int16 SOFTMAX: TFLM's two 513-entry tables (exp on [-10, 0], 1/(1+x) on [0, 1]) and the
// integer kernel around them. Table grids: exp samples x_i = -10 + i * 10/512 (float32
// 10/65535 * -65535 is exactly -10 and the step exactly 0.01953125); 1/(1+x) samples
// x_i = i / 512; outputs are scaled by 65536 / (2/65535 * 65535) = 32768 exactly.
// Each entry is round(v_i * 32768) - round(err / 2), err = round((v_next * 32768 +
// round(v_i * 32768)) / 2) - round(v_mid * 32768): half the interpolation error at the midpoint.

function softmax16(scale: number, rows: number[][], beta = 1): number[] {
  const depth = rows[0].length;
  const g = graphOf(
    [
      { shape: [rows.length, depth], dtype: 'int16', scale, zeroPoint: 0 },
      { shape: [rows.length, depth], dtype: 'int16', scale: 1 / 32768, zeroPoint: 0 },
    ],
    [{ opType: 'SOFTMAX', inputs: [0], outputs: [1], options: { beta } }],
    [0],
    [1],
  );
  return run(g, [Int16Array.from(rows.flat())])[0];
}

describe('int16 SOFTMAX look-up tables (LUTPopulateInt16<float>)', () => {
  const expLut = softmaxExpLut();
  const recLut = softmaxOneOverOnePlusXLut();

  it('exp table entries, worked by hand', () => {
    // i = 0, x = -10: 32768 e^-10 = 1.488 -> 1; next 32768 e^-9.98047 = 1.517; midpoint interpolation
    // round((1.517 + 1) / 2) = 1, midpoint value 32768 e^-9.99023 = 1.502 -> 2; err -1, bias
    // round(-0.5) = -1 (away from zero): 1 + 1 = 2.
    assert.equal(expLut[0], 2);
    // i = 460, x = -1.015625: 11867.78 -> 11868; next (x = -0.99609) 12101.85; interp
    // round((12101.85 + 11868) / 2) = 11985; midpoint 11984.25 -> 11984; err 1, bias 1: 11867.
    assert.equal(expLut[460], 11867);
    // i = 461: 12101.85 -> 12102; interp round((12340.7 + 12102) / 2) = 12221; midpoint 12220.6 -> 12221; 12102.
    assert.equal(expLut[461], 12102);
    // i = 511, x = -0.01953: 32134.3 -> 32134; next 32768; interp 32451; midpoint 32449.6 -> 32450; err 1: 32133.
    assert.equal(expLut[511], 32133);
    // i = 512: round(e^0 * 32768) = 32768, clamped to 32767.
    assert.equal(expLut[512], 32767);
  });

  it('1/(1+x) table entries, worked by hand', () => {
    // i = 0: 32768 -> 32768; next 32768 / (1 + 1/512) = 32704.13; interp round(32736.06) = 32736;
    // midpoint 32768 / (1 + 1/1024) = 32736.03 -> 32736; err 0; 32768 clamps to 32767.
    assert.equal(recLut[0], 32767);
    // i = 1: 32704.13 -> 32704; next 32640.50; interp round(32672.25) = 32672; midpoint 32672.28 -> 32672.
    assert.equal(recLut[1], 32704);
    // i = 256, x = 1/2: 21845.33 -> 21845; next 21816.9; interp 21831; midpoint 21831.1 -> 21831.
    assert.equal(recLut[256], 21845);
    // i = 511: 32768 * 512/1023 = 16400.02 -> 16400; next 16384; interp 16392; midpoint 32768 * 512/1023.5 = 16392.0.
    assert.equal(recLut[511], 16400);
    assert.equal(recLut[512], 16384);
  });

  it('every entry is within one step of the rounded function, and the tables are monotone', () => {
    // |bias| = |round(err / 2)| <= 1 since |err| <= 2 for these smooth functions.
    const f = Math.fround;
    for (let i = 0; i <= 512; i++) {
      const ideal = Math.min(32767, Math.round(32768 * Math.exp(f(-10 + f(i * f(10 / 512))))));
      assert.ok(Math.abs(expLut[i] - ideal) <= 1, `exp[${i}] ${expLut[i]} vs ${ideal}`);
      const idealRec = Math.min(32767, Math.round(32768 / (1 + i / 512)));
      assert.ok(Math.abs(recLut[i] - idealRec) <= 1, `rec[${i}] ${recLut[i]} vs ${idealRec}`);
      if (i > 0) {
        assert.ok(expLut[i] >= expLut[i - 1], `exp not rising at ${i}`);
        assert.ok(recLut[i] <= recLut[i - 1], `1/(1+x) not falling at ${i}`);
      }
    }
  });

  it('table sums equal those of TFLM 90b983c2 LUTPopulate built for x86-64 and Cortex-M3', () => {
    // Recorded from TFLM's own LUTPopulate<int16_t> (glibc expf on x86-64; the exp samples of
    // newlib's soft-float expf under QEMU mps2-an385 give the same table).
    assert.equal(expLut.reduce((s, v) => s + v, 0), 1694030);
    assert.equal(recLut.reduce((s, v) => s + v, 0), 11653643);
  });

  it('an expf off by one ulp anywhere would leave the exp table unchanged', () => {
    // Math.exp is not the device's expf (newlib's soft-float expf differs from the correctly
    // rounded value in 89 of these 1026 samples). No rounding in the table is that close to its
    // boundary: every rounded quantity is the same for v - 1 ulp, v and v + 1 ulp.
    const f = Math.fround;
    const ulpsAway = (v: number, k: number): number => {
      const b = new Float32Array([v]);
      new Int32Array(b.buffer)[0] += k;
      return b[0];
    };
    const step = f(10 / 512);
    const at = (i: number): number => f(-10 + f(i * step));
    for (let i = 0; i <= 512; i++) {
      const v = f(Math.exp(at(i)));
      const sample = Math.round(v * 32768);
      for (const k of [-1, 1]) {
        assert.equal(Math.round(f(ulpsAway(v, k) * 32768)), sample, `sample ${i}`);
        if (i < 512) {
          const m = f(Math.exp(f(at(i) + f(step / 2))));
          assert.equal(Math.round(f(ulpsAway(m, k) * 32768)), Math.round(m * 32768), `midpoint ${i}`);
        }
        if (i > 0) {
          // v as the `next` sample of entry i - 1, against that entry's rounded sample.
          const prev = Math.round(f(Math.exp(at(i - 1))) * 32768);
          const interp = (w: number): number => Math.round(f(f(f(w * 32768) + prev) / 2));
          assert.equal(interp(ulpsAway(v, k)), interp(v), `interpolation ${i - 1}`);
        }
      }
    }
    // The check does catch a boundary: 6229.5 / 32768 rounds up, one ulp below rounds down.
    const tie = f(6229.5 / 32768);
    assert.notEqual(Math.round(f(ulpsAway(tie, -1) * 32768)), Math.round(tie * 32768));
  });

  it('the identity through LUTPopulate and LUTLookup comes back within one step', () => {
    // Scales 1/32768, zero points 0: samples x_i = -1 + i * (65535/32768) / 512, output scaling
    // 65536 / (65535/32768) = 32768.5; a linear function has no midpoint error, so entry i is
    // round(x_i * 32768.5): -32768.5 -> -32768 (clamped), -32640.502 -> -32641,
    // entry 256: x = -1/65536 -> -0.50001 -> -1; entry 512: 32767.49998 -> 32767.
    const lut = populateLutInt16(1 / 32768, 0, 1 / 32768, 0, (x) => x);
    assert.deepEqual([lut[0], lut[1], lut[256], lut[512]], [-32768, -32641, -1, 32767]);
    for (let v = -32768; v <= 32767; v++) assert.ok(Math.abs(lutLookupInt16(v, lut) - v) <= 1, `${v}`);
  });

  it('LUTLookup interpolates with 7 bits, rounding half up', () => {
    // 32767: index 256 + 255 = 511, offset 127: 32133 + ((32767 - 32133) * 127 + 64) >> 7
    // = 32133 + (80582 >> 7 = 629) = 32762.
    assert.equal(lutLookupInt16(32767, expLut), 32762);
    // -32768: index 0, offset 0: the first entry.
    assert.equal(lutLookupInt16(-32768, expLut), 2);
    // 26214: index 256 + 204 = 460, offset 102: 11867 + (235 * 102 + 64) >> 7 = 11867 + 187.
    assert.equal(lutLookupInt16(26214, expLut), 12054);
    // Negative slope, arithmetic shift: -8672 -> index 256 - 68 = 188, offset 32;
    // rec[188] = 23967, rec[189] = 23933: 23967 + (-34 * 32 + 64) >> 7 = 23967 - 8.
    assert.equal(lutLookupInt16(-8672, recLut), 23959);
  });
});

describe('int16 SOFTMAX kernel (reference SoftmaxInt16)', () => {
  it('input multiplier: double(scale) * double(beta) / (10 / 65535), QuantizeMultiplier', () => {
    // 1/4096 * 65535/10 = 1.5999756 = 0.79998779 * 2^1; 0.79998779296875 * 2^31 = 1717960704.
    assert.deepEqual(softmaxInt16InputMultiplier(1 / 4096, 1), { multiplier: 1717960704, shift: 1 });
    // 1/32768: the same mantissa, 2^-2.
    assert.deepEqual(softmaxInt16InputMultiplier(1 / 32768, 1), { multiplier: 1717960704, shift: -2 });
  });

  it('equal inputs share 1/n: four of them give 8192 each', () => {
    // Each difference is 0 -> recentred 32767 -> exp 32762 (above); sum 131048 has 15 leading
    // zeros; (131048 << 14 + 2^13) >> 14 = 131048; minus 98304 = 32744 -> index 511, offset 104:
    // 16400 + (-16 * 104 + 64) >> 7 = 16400 - 13 = 16387. Right shift 31 - 15 = 16:
    // (32762 * 16387 + 2^15) >> 16 = 536903662 >> 16 = 8192.
    assert.deepEqual(softmax16(1 / 32768, [[0, 0, 0, 0]]), [8192, 8192, 8192, 8192]);
  });

  it('a single element saturates at 32767', () => {
    // sum 32762 has 17 leading zeros: (32762 << 16 + 2^13) >> 14 = 131048, the same reciprocal
    // 16387; right shift 14: (32762 * 16387 + 2^13) >> 14 = 32768.5 -> 32768, clamped to 32767.
    assert.deepEqual(softmax16(1 / 32768, [[5]]), [32767]);
  });

  it('[0, -1] at scale 1/4096 gives 23955, 8814 (real softmax 23955.6, 8812.4)', () => {
    // -4096: (-4096 << 1) * 1717960704 / 2^31 = -6553.5 -> -6553 (SRDHM); recentred 26214 -> exp 12054.
    // Sum 32762 + 12054 = 44816 (16 leading zeros): (44816 << 15 + 2^13) >> 14 = 89632; minus 98304
    // = -8672 -> reciprocal 23959. Right shift 15: (32762 * 23959 + 2^14) >> 15 = 784961142 >> 15
    // = 23955; (12054 * 23959 + 2^14) >> 15 = 288818170 >> 15 = 8814.
    assert.deepEqual(softmax16(1 / 4096, [[0, -4096]]), [23955, 8814]);
  });

  it('a difference beyond -10 lands on the first exp entry (2), not on zero', () => {
    // Scale 10/32768: the multiplier is 1.99997 (2147450880, 1); -65535 -> -131066, recentred
    // -98299, clamped to -32768 -> exp 2. Sum 32766 (17 zeros) -> 131064 - 98304 = 32760 -> index
    // 511, offset 120: 16400 + (-1920 + 64) >> 7 = 16400 - 15 = 16385. Right shift 14:
    // (32762 * 16385 + 2^13) >> 14 = 32764; (2 * 16385 + 2^13) >> 14 = 40962 >> 14 = 2.
    assert.deepEqual(softmax16(10 / 32768, [[32767, -32768, -32768]]), [32764, 2, 2]);
  });

  it('rows are independent; outputs depend on differences only; beta trades with the scale', () => {
    const rows = [
      [100, -2000, 300, 50],
      [-30000, -29000, -31000, -30500],
    ];
    const both = softmax16(1 / 2048, rows);
    assert.deepEqual(both.slice(0, 4), softmax16(1 / 2048, [rows[0]]));
    assert.deepEqual(both.slice(4), softmax16(1 / 2048, [rows[1]]));
    // Shifting a row by a constant changes no difference.
    assert.deepEqual(softmax16(1 / 2048, [rows[1].map((v) => v + 30000)]), both.slice(4));
    // scale * beta is what QuantizeMultiplier sees: 1/1024 with beta 1/2 is 1/2048 with beta 1.
    assert.deepEqual(softmax16(1 / 1024, rows, 0.5), both);
    // A larger input ranks at least as high.
    assert.ok(both[2] >= both[0] && both[0] >= both[3] && both[3] >= both[1]);
  });

  it('outputs sum to 32768 within n/2 + 4', () => {
    // Each output rounds once (n/2), and the interpolated reciprocal is within ~2 steps of
    // 2^(15+k)/sum on a 2^14..2^15 scale (relative 1.2e-4, 4 steps of 32768).
    let seed = 1;
    const next = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    for (let k = 0; k < 50; k++) {
      const n = 1 + Math.floor(next() * 20);
      const row = Array.from({ length: n }, () => Math.round((next() - 0.5) * 65000));
      const out = softmax16(1 / 4096, [row]);
      const sum = out.reduce((s, v) => s + v, 0);
      assert.ok(Math.abs(sum - 32768) <= n / 2 + 4, `row ${row}: sum ${sum}`);
    }
  });

  it('refuses what TFLM refuses, naming the reason', () => {
    const g = (outType: 'int16' | 'int8', outScale: number, inZp: number) =>
      graphOf(
        [
          { shape: [1, 2], dtype: 'int16', scale: 1 / 4096, zeroPoint: inZp },
          { shape: [1, 2], dtype: outType, scale: outScale, zeroPoint: 0 },
        ],
        [{ opType: 'SOFTMAX', inputs: [0], outputs: [1], options: { beta: 1 } }],
        [0],
        [1],
      );
    assert.throws(() => run(g('int8', 1 / 256, 0), [new Int16Array(2)]), /output type int8 not supported for int16 input/);
    assert.throws(() => run(g('int16', 1 / 65536, 0), [new Int16Array(2)]), /output scale must be 1\/32768/);
    assert.throws(() => run(g('int16', 1 / 32768, 3), [new Int16Array(2)]), /input zero point must be 0/);
  });
});
