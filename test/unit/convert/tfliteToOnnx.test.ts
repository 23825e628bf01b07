// TFLite -> ONNX on the ../shared models: each converted model runs in onnxruntime-node and in our
// ONNX engine, which must agree (int8 byte for byte, float within 1e-5 relative), and both are
// compared with TFLM: the oracle's recorded outputs where ../shared/oracle/tflm has the model,
// else our TFLM-bit-exact TFLite engine on the same inputs.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConvertError, tfliteToOnnx } from '../../../server/src/convert';
import type { TensorData } from '../../../server/src/engine/kernels/kernel';
import { prepareEngine } from '../../../server/src/engine/engine';
import { readOnnx } from '../../../server/src/model/onnx/reader';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { oracleDir, oracleJson, sharedModel } from '../../helpers/shared';
import { maxRelativeError, runEngine, runOrt } from '../engine/onnx/ortPeer';

interface Case {
  input: TensorData;
  /** TFLM's output: the oracle's bytes, or our TFLite engine's. */
  tflm: TensorData;
}

/**
 * Largest difference from TFLM allowed per model, in output steps (LSB). TFLM requantizes in fixed
 * point (31-bit multiplier, two roundings), ONNX in float (24-bit multiplier, half to even): a
 * single conv or dense layer flips about 0.1% of its outputs by one step (pretrainedResnet_quant's
 * first conv: 18 of 16384), and these flips travel and add up through the layers. Deep or wide
 * networks end with a few LSB on their logits; resnet's int8 SOFTMAX (scale 1/256) turns a 2-step
 * logit difference into up to 24 steps of probability. The int8 AVERAGE_POOL_2D, SOFTMAX and ADD
 * run as float in ONNX, which rounds half to even where TFLM rounds half away from zero.
 */
const TFLM_BOUND: Record<string, number> = {
  hello_world_int8: 0,
  micro_speech_quantized: 0,
  person_detect: 1,
  kws_ref_model: 1,
  vww_96_int8: 1,
  pretrainedResnet_quant: 32,
  // Ten dense layers in a row: flips add up to 2 steps on some of the 640 outputs.
  ad01_int8: 2,
};

const MODELS = ['tflm/hello_world_float', ...Object.keys(TFLM_BOUND).map((m) => (m.includes('_') && existsSync(join(oracleDir, 'tflm', `${m}.json`)) ? `tflm/${m}` : `mlperf-tiny/${m}`))];

function typed(dtype: string, bytes: Uint8Array): TensorData {
  const copy = bytes.slice();
  return dtype === 'float32' ? new Float32Array(copy.buffer) : dtype === 'int8' ? new Int8Array(copy.buffer) : copy;
}

function casesFor(stem: string, bytes: Uint8Array): Case[] {
  const engine = prepareEngine(readTflite(bytes));
  const input = engine.inputs[0];
  if (existsSync(join(oracleDir, 'tflm', `${stem}.json`))) {
    const cases = oracleJson('tflm', stem).cases as { input_b64: string; output_b64: string }[];
    return cases.map((c) => ({
      input: typed(input.dtype, new Uint8Array(Buffer.from(c.input_b64, 'base64'))),
      tflm: typed(engine.outputs[0].dtype, new Uint8Array(Buffer.from(c.output_b64, 'base64'))),
    }));
  }
  // The oracle's generator: a 32-bit LCG, one byte per step from its top bits.
  return [0x2545f491, 0x9e3779b9].map((seed) => {
    const raw = new Uint8Array(input.bytes.length);
    let s = seed;
    for (let i = 0; i < raw.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      raw[i] = s >>> 24;
    }
    const x = typed(input.dtype, raw);
    engine.invoke([x]);
    return { input: x, tflm: engine.outputs[0].data.slice() };
  });
}

function differences(a: ArrayLike<number>, b: ArrayLike<number>): { count: number; max: number } {
  let count = 0, max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (d > 0) count++;
    max = Math.max(max, d);
  }
  return { count, max };
}

const report: string[] = [];

describe('tfliteToOnnx on the shared models', function () {
  this.timeout(120_000);

  for (const path of MODELS) {
    const stem = path.split('/')[1];
    const modes = stem.endsWith('_float') ? (['qlinear'] as const) : (['qlinear', 'qdq'] as const);
    for (const mode of modes) {
      it(`${stem}${stem.endsWith('_float') ? '' : ` (${mode})`}: onnxruntime and our engine agree, and stay within ${TFLM_BOUND[stem] ?? '1e-5'} of TFLM`, async () => {
        const bytes = sharedModel(`${path}.tflite`);
        const onnx = tfliteToOnnx(readTflite(bytes), { quantized: mode });
        const graph = readOnnx(onnx);
        if (mode === 'qlinear' && !stem.endsWith('_float')) {
          assert.ok(graph.subgraphs[0].operators.some((op) => op.opType === 'QLinearConv' || op.opType === 'QLinearMatMul'));
        }
        let differing = 0, total = 0, worst = 0;
        for (const c of casesFor(stem, bytes)) {
          const [ours] = runEngine(onnx, [c.input]);
          for (const optimization of ['disabled', 'all'] as const) {
            const [ort] = await runOrt(onnx, [c.input], optimization);
            if (ours instanceof Float32Array) {
              assert.ok(maxRelativeError(ours, ort) <= 1e-5, `onnxruntime (${optimization}) vs engine`);
            } else {
              assert.deepEqual(Array.from(ours), Array.from(ort), `onnxruntime (${optimization}) vs engine`);
            }
          }
          if (ours instanceof Float32Array) {
            assert.ok(maxRelativeError(ours, c.tflm) <= 1e-5, 'float model vs TFLM');
            worst = Math.max(worst, maxRelativeError(ours, c.tflm));
          } else {
            const d = differences(ours, c.tflm);
            differing += d.count;
            worst = Math.max(worst, d.max);
          }
          total += ours.length;
        }
        if (!stem.endsWith('_float')) assert.ok(worst <= TFLM_BOUND[stem], `max difference from TFLM ${worst} LSB`);
        report.push(`${stem} ${mode}: ${summary(differing, total, worst, stem.endsWith('_float'))}`);
      });
    }
  }

  after(() => {
    if (process.env.TINYML_REPORT) console.log(`\nvs TFLM:\n  ${report.join('\n  ')}`);
  });
});

function summary(differing: number, total: number, worst: number, float: boolean): string {
  return float ? `max relative error ${worst.toExponential(2)}` : `${differing}/${total} output elements differ, max ${worst} LSB`;
}

describe('tfliteToOnnx: structure', () => {
  it('keeps the TFLite interface (NHWC input, int8) and moves to NCHW inside', () => {
    const onnx = readOnnx(tfliteToOnnx(readTflite(sharedModel('tflm/person_detect.tflite'))));
    const sg = onnx.subgraphs[0];
    const input = sg.tensors[sg.inputs[0]];
    assert.deepEqual(input.shape, [1, 96, 96, 1]);
    assert.equal(input.dtype, 'int8');
    // One channel: NHWC -> NCHW is a Reshape, not a Transpose.
    assert.equal(sg.operators[0].opType, 'Reshape');
    assert.equal(sg.operators.filter((op) => op.opType === 'Transpose').length, 0);
    const convs = sg.operators.filter((op) => op.opType === 'QLinearConv');
    assert.equal(convs.length, 28);
    assert.ok(convs.some((op) => Number(op.options.group) > 1), 'depthwise as grouped conv');
  });

  it('writes the QDQ form on request', () => {
    const onnx = readOnnx(tfliteToOnnx(readTflite(sharedModel('mlperf-tiny/kws_ref_model.tflite')), { quantized: 'qdq' }));
    const ops = new Set(onnx.subgraphs[0].operators.map((op) => op.opType));
    assert.ok(ops.has('DequantizeLinear') && ops.has('QuantizeLinear') && ops.has('Conv'));
    assert.ok(!ops.has('QLinearConv'));
  });

  it('rejects ops it cannot convert, naming them', () => {
    const graph = readTflite(sharedModel('tflm/trained_lstm_int8.tflite'));
    assert.throws(() => tfliteToOnnx(graph), (e: unknown) => e instanceof ConvertError && /not supported/.test(e.message));
  });
});
