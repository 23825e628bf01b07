import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Graph, ModelError, type Operator } from '../../../server/src/model/graph';
import { builtinOpName } from '../../../server/src/model/tflite/builtinOps';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { modelsDir, oracleJson, sharedModel } from '../../helpers/shared';
import { buildTflite, int32Bytes, type ModelSpec, tinyModel } from '../../helpers/tfliteBuilder';

const MODEL_FILES = ['tflm', 'mlperf-tiny'].flatMap((dir) =>
  readdirSync(join(modelsDir, dir))
    .filter((f) => f.endsWith('.tflite'))
    .map((f) => `${dir}/${f}`),
);

function read(path: string): { bytes: Uint8Array; graph: Graph } {
  const bytes = sharedModel(path);
  return { bytes, graph: readTflite(bytes) };
}

function opCounts(ops: Operator[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const op of ops) counts[op.opType] = (counts[op.opType] ?? 0) + 1;
  return counts;
}

function f32Bits(x: number): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x, true);
  return view.getUint32(0, true);
}

/** Runs `fn` and returns the ModelError it throws (failing on success or any other error). */
function modelError(fn: () => unknown): ModelError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ModelError, `expected a ModelError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ModelError');
}

describe('readTflite', () => {
  describe('every shared model', () => {
    for (const path of MODEL_FILES) {
      it(`reads ${path} with valid indices and constant data viewed in place`, () => {
        const { bytes, graph } = read(path);
        assert.equal(graph.format, 'tflite');
        assert.equal(graph.version, 3);
        assert.equal(graph.fileBytes, bytes.length);
        assert.ok(graph.subgraphs.length >= 1);
        for (const sg of graph.subgraphs) {
          const n = sg.tensors.length;
          sg.tensors.forEach((t, i) => {
            assert.equal(t.index, i);
            if (t.data) {
              assert.equal(t.data.buffer, bytes.buffer, `tensor ${i} data is a view, not a copy`);
              assert.ok(t.data.byteOffset >= bytes.byteOffset && t.data.byteOffset + t.data.length <= bytes.byteOffset + bytes.length);
              assert.notEqual(t.buffer, 0);
            }
          });
          for (const i of [...sg.inputs, ...sg.outputs]) assert.ok(i >= 0 && i < n);
          for (const op of sg.operators) {
            for (const i of [...op.inputs, ...op.outputs, ...op.intermediates]) assert.ok(i >= -1 && i < n);
            // Every op in these models is a named builtin or a custom op TFLM ships.
            assert.ok(op.known, `${path}: op ${op.index} ${op.opType} is known`);
            assert.equal(op.custom, op.builtinCode === 32);
          }
        }
      });
    }
  });

  describe('against TFLM (oracle/tflm)', () => {
    for (const stem of ['hello_world_float', 'hello_world_int8', 'micro_speech_quantized', 'person_detect']) {
      it(`${stem}: tensor count, op list and I/O tensors equal TFLM's`, () => {
        const oracle = oracleJson('tflm', stem) as {
          subgraphs: number;
          tensor_count: number;
          ops: string[];
          inputs: IoFact[];
          outputs: IoFact[];
        };
        const { graph } = read(`tflm/${stem}.tflite`);
        const sg = graph.subgraphs[0];
        assert.equal(graph.subgraphs.length, oracle.subgraphs);
        assert.equal(sg.tensors.length, oracle.tensor_count);
        assert.deepEqual(
          sg.operators.map((op) => op.opType),
          oracle.ops,
        );
        checkIo(sg.inputs.map((i) => sg.tensors[i]), oracle.inputs);
        checkIo(sg.outputs.map((i) => sg.tensors[i]), oracle.outputs);
      });
    }
  });

  describe('hand-checked facts', () => {
    // Counts below were taken with an independent Python flatbuffer walker and, where noted, agree
    // with oracle/tflm-cmsis-m4/README.md (ad01 10 FC; keyword_scrambled 5 FC, 7 SVDF, 1 SOFTMAX;
    // pretrainedResnet_quant 1 FC, 1 SOFTMAX, 3 ADD; person_detect no FC, one SOFTMAX).
    const counts: Record<string, [number, Record<string, number>]> = {
      'mlperf-tiny/ad01_int8.tflite': [31, { FULLY_CONNECTED: 10 }],
      'tflm/keyword_scrambled_8bit.tflite': [54, { SVDF: 7, FULLY_CONNECTED: 5, QUANTIZE: 2, SOFTMAX: 1 }],
      'mlperf-tiny/pretrainedResnet_quant.tflite': [38, { CONV_2D: 9, ADD: 3, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }],
      'mlperf-tiny/vww_96_int8.tflite': [89, { CONV_2D: 14, DEPTHWISE_CONV_2D: 13, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }],
      'mlperf-tiny/kws_ref_model.tflite': [35, { CONV_2D: 5, DEPTHWISE_CONV_2D: 4, AVERAGE_POOL_2D: 1, RESHAPE: 1, FULLY_CONNECTED: 1, SOFTMAX: 1 }],
      'tflm/mobilenet_v2_quantized_1x3x224x224.tflite': [212, { CONV_2D: 35, PAD: 18, DEPTHWISE_CONV_2D: 17, ADD: 10, TRANSPOSE: 1, MEAN: 1, RESHAPE: 1, FULLY_CONNECTED: 1 }],
    };
    for (const [path, [tensors, ops]] of Object.entries(counts)) {
      it(`${path}: ${tensors} tensors and op counts`, () => {
        const sg = read(path).graph.subgraphs[0];
        assert.equal(sg.tensors.length, tensors);
        assert.deepEqual(opCounts(sg.operators), ops);
      });
    }

    it('the nine oracle models use only the ten ops TFLM was built with for them (oracle/tflm/README.md)', () => {
      const built = new Set(['ADD', 'AVERAGE_POOL_2D', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'FULLY_CONNECTED', 'QUANTIZE', 'DEQUANTIZE', 'RESHAPE', 'SOFTMAX', 'SVDF']);
      const nine = [
        'mlperf-tiny/ad01_int8', 'tflm/hello_world_float', 'tflm/hello_world_int8', 'tflm/keyword_scrambled_8bit', 'mlperf-tiny/kws_ref_model',
        'tflm/micro_speech_quantized', 'tflm/person_detect', 'mlperf-tiny/pretrainedResnet_quant', 'mlperf-tiny/vww_96_int8',
      ];
      for (const m of nine) for (const op of read(`${m}.tflite`).graph.subgraphs[0].operators) assert.ok(built.has(op.opType), `${m}: ${op.opType}`);
    });

    it('person_detect: conv options and one filter scale per output channel', () => {
      const sg = read('tflm/person_detect.tflite').graph.subgraphs[0];
      assert.deepEqual(sg.operators[0].options, {
        padding: 'SAME', strideW: 2, strideH: 2, depthMultiplier: 8, fusedActivation: 'RELU6', dilationW: 1, dilationH: 1,
      });
      assert.deepEqual(sg.operators[27].options, { padding: 'VALID', strideW: 2, strideH: 2, filterWidth: 3, filterHeight: 3, fusedActivation: 'NONE' });
      let convs = 0;
      for (const op of sg.operators) {
        if (op.opType !== 'CONV_2D' && op.opType !== 'DEPTHWISE_CONV_2D') continue;
        const filter = sg.tensors[op.inputs[1]];
        const q = filter.quantization;
        assert.ok(q && filter.data);
        // Conv filters are [out, h, w, in] (channel axis 0); depthwise [1, h, w, out] (axis 3).
        const axis = op.opType === 'CONV_2D' ? 0 : 3;
        assert.equal(q.axis, axis);
        assert.equal(q.scale.length, filter.shape[axis]);
        assert.equal(q.zeroPoint.length, filter.shape[axis]);
        assert.equal(filter.data.length, filter.shape.reduce((a, b) => a * b, 1));
        convs++;
      }
      assert.equal(convs, 28);
      assert.deepEqual(sg.tensors[sg.operators[2].inputs[1]].shape, [16, 1, 1, 8]);
    });

    it('micro_speech: reshape target and depthwise options', () => {
      const sg = read('tflm/micro_speech_quantized.tflite').graph.subgraphs[0];
      assert.deepEqual(sg.operators[0].options, { newShape: [-1, 49, 40, 1] });
      assert.equal(sg.operators[1].options.depthMultiplier, 8);
      assert.equal(sg.operators[1].options.fusedActivation, 'RELU');
      assert.equal(sg.operators[3].options.beta, 1);
    });

    it('trained_lstm: LSTM options, optional inputs as -1 and variable state tensors', () => {
      const sg = read('tflm/trained_lstm_int8.tflite').graph.subgraphs[0];
      const lstm = sg.operators[0];
      assert.equal(lstm.opType, 'UNIDIRECTIONAL_SEQUENCE_LSTM');
      assert.equal(lstm.options.fusedActivation, 'TANH');
      assert.equal(lstm.options.cellClip, 10);
      assert.equal(lstm.options.projClip, 0);
      assert.equal(lstm.options.timeMajor, false);
      assert.equal(lstm.inputs.length, 24);
      assert.equal(lstm.inputs.filter((i) => i === -1).length, 9);
      assert.deepEqual(sg.tensors.filter((t) => t.isVariable).map((t) => t.index), [16, 17]);
      assert.deepEqual([lstm.inputs[18], lstm.inputs[19]], [16, 17]);
    });

    it('keyword_scrambled: SVDF rank 1 with variable activation state', () => {
      const sg = read('tflm/keyword_scrambled_8bit.tflite').graph.subgraphs[0];
      const svdfs = sg.operators.filter((op) => op.opType === 'SVDF');
      for (const op of svdfs) {
        assert.equal(op.options.rank, 1);
        assert.equal(sg.tensors[op.inputs[4]].isVariable, true);
      }
    });

    it('person_detect_vela: ethos-u custom op and the offline memory plan', () => {
      const { graph } = read('tflm/person_detect_vela.tflite');
      const sg = graph.subgraphs[0];
      assert.equal(sg.operators.length, 1);
      const op = sg.operators[0];
      assert.equal(op.opType, 'ethos-u');
      assert.equal(op.custom, true);
      assert.equal(op.builtinCode, 32);
      assert.ok(op.options.customOptions instanceof Uint8Array);
      assert.deepEqual(graph.metadata.map((m) => m.name), ['vela_version', 'OfflineMemoryAllocation']);
      assert.deepEqual(graph.offlinePlan, [0, -1, -1, 0, 0, 0]);
      assert.equal(graph.offlinePlan.length, sg.tensors.length);
      assert.equal(graph.description, 'Vela 3.11.0 Optimised');
    });

    it('audio_preprocessor: TFLM signal-library custom ops are kept and known', () => {
      const ops = read('tflm/audio_preprocessor_int8.tflite').graph.subgraphs[0].operators;
      const window = ops.find((op) => op.opType === 'SignalWindow');
      assert.ok(window && window.custom && window.known);
      assert.ok(window.options.customOptions instanceof Uint8Array);
      const slice = ops.find((op) => op.opType === 'STRIDED_SLICE');
      assert.deepEqual(slice?.options, { beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0, offset: false });
    });

    it('float tensors carry no quantization; the mobilenet input is int8 NCHW', () => {
      const float = read('tflm/hello_world_float.tflite').graph.subgraphs[0];
      assert.ok(float.tensors.every((t) => t.quantization === undefined));
      const mb = read('tflm/mobilenet_v2_quantized_1x3x224x224.tflite').graph.subgraphs[0];
      const input = mb.tensors[mb.inputs[0]];
      assert.deepEqual([input.name, input.dtype, input.shape], ['input.5', 'int8', [1, 3, 224, 224]]);
    });

    it('reads the 4 MB mobilenet well under 50 ms, weights as views', () => {
      const bytes = sharedModel('tflm/mobilenet_v2_quantized_1x3x224x224.tflite');
      const times: number[] = [];
      let graph: Graph | undefined;
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        graph = readTflite(bytes);
        times.push(performance.now() - t0);
      }
      assert.ok(Math.max(...times) < 50, `read times ${times.map((t) => t.toFixed(1)).join(', ')} ms`);
      assert.ok(times.sort((a, b) => a - b)[2] < 20, `median ${times[2].toFixed(1)} ms`);
      const constBytes = graph!.subgraphs[0].tensors.reduce((n, t) => n + (t.data?.length ?? 0), 0);
      assert.ok(constBytes > 3_400_000, `${constBytes} constant bytes`);
    });
  });

  describe('synthetic models', () => {
    const build = (overrides: Partial<ModelSpec> = {}) => readTflite(buildTflite(tinyModel(overrides)));

    it('reads the builder baseline', () => {
      const g = build();
      assert.equal(g.description, 'tiny');
      const sg = g.subgraphs[0];
      assert.equal(sg.name, 'main');
      assert.deepEqual(sg.operators[0].options, { fusedActivation: 'RELU', potScaleInt16: true });
      assert.deepEqual(sg.tensors[0].quantization, { scale: [0.5], zeroPoint: [-3], axis: 0 });
      assert.equal(sg.tensors[0].dtype, 'int8');
      assert.equal(g.offlinePlan, undefined);
    });

    it('resolves builtin codes as max(deprecated_builtin_code, builtin_code)', () => {
      const codes = [
        { deprecated: 127, builtin: 150 }, // extended code: GELU
        { deprecated: 3, builtin: 0 }, // written before builtin_code existed: CONV_2D
        { deprecated: 127, builtin: 999 }, // newer than this reader
        { deprecated: 127, builtin: 209 },
      ];
      const sg = build({
        operatorCodes: codes,
        subgraphs: [{ ...tinyModel().subgraphs[0], operators: codes.map((_, i) => ({ opcodeIndex: i, inputs: [0], outputs: [1] })) }],
      }).subgraphs[0];
      assert.deepEqual(
        sg.operators.map((op) => [op.opType, op.builtinCode, op.known]),
        [['GELU', 150, true], ['CONV_2D', 3, true], ['UNKNOWN_999', 999, false], ['STABLEHLO_CASE', 209, true]],
      );
      assert.equal(builtinOpName(127), 'PLACEHOLDER_FOR_GREATER_OP_CODES');
    });

    it('keeps custom ops with their options bytes, inline or appended past the flatbuffer', () => {
      const g = build({
        operatorCodes: [{ deprecated: 32, custom: 'MyOp', version: 2 }],
        subgraphs: [
          {
            ...tinyModel().subgraphs[0],
            operators: [
              { opcodeIndex: 0, inputs: [0], outputs: [1], customOptions: [1, 2, 3] },
              { opcodeIndex: 0, inputs: [0], outputs: [1], largeCustomOptions: [9, 8, 7, 6] },
            ],
          },
        ],
      });
      const [a, b] = g.subgraphs[0].operators;
      assert.deepEqual([a.opType, a.custom, a.known, a.version, a.builtinCode], ['MyOp', true, false, 2, 32]);
      assert.deepEqual([...(a.options.customOptions as Uint8Array)], [1, 2, 3]);
      assert.deepEqual([...(b.options.customOptions as Uint8Array)], [9, 8, 7, 6]);
    });

    it('decodes options with schema defaults, keeps unknown options tables empty', () => {
      const conv = { type: 1, fields: [{ slot: 0, kind: 'i8' as const, value: 1 }, { slot: 1, kind: 'i32' as const, value: 2 }, { slot: 3, kind: 'i8' as const, value: 3 }] };
      const squeeze = { type: 30, fields: [{ slot: 0, kind: 'i32s' as const, value: [1, 2] }] };
      const leaky = { type: 75, fields: [{ slot: 0, kind: 'f32' as const, value: 0.25 }] };
      const sg = build({
        operatorCodes: [{ deprecated: 3 }, { deprecated: 43 }, { deprecated: 98 }, { deprecated: 0 }, { deprecated: 127, builtin: 203 }],
        subgraphs: [
          {
            ...tinyModel().subgraphs[0],
            operators: [
              { opcodeIndex: 0, inputs: [0, 0, -1], outputs: [1], options: conv },
              { opcodeIndex: 1, inputs: [0], outputs: [1], options: squeeze },
              { opcodeIndex: 2, inputs: [0], outputs: [1], options: leaky },
              { opcodeIndex: 3, inputs: [0, 0], outputs: [1], options: { type: 250, fields: [{ slot: 0, kind: 'i32', value: 5 }] } },
              { opcodeIndex: 4, inputs: [0], outputs: [1], options2: { type: 18, fields: [] } },
              { opcodeIndex: 0, inputs: [0, 0], outputs: [1], options: { type: 1, fields: [{ slot: 3, kind: 'i8', value: 42 }] } },
            ],
          },
        ],
      }).subgraphs[0];
      assert.deepEqual(sg.operators[0].options, {
        padding: 'VALID', strideW: 2, strideH: 0, fusedActivation: 'RELU6', dilationW: 1, dilationH: 1, quantizedBiasType: 'float32',
      });
      assert.deepEqual(sg.operators[0].inputs, [0, 0, -1]);
      assert.deepEqual(sg.operators[1].options, { squeezeDims: [1, 2] });
      assert.deepEqual(sg.operators[2].options, { alpha: 0.25 });
      assert.deepEqual(sg.operators[3].options, {});
      assert.equal(sg.operators[3].opType, 'ADD');
      assert.deepEqual([sg.operators[4].opType, sg.operators[4].options], ['DILATE', {}]);
      assert.equal(sg.operators[5].options.fusedActivation, 'UNKNOWN_42');
    });

    it('reads tensor details: per-channel int64 zero points, min/max, signature, variable, sparse', () => {
      const g = build({
        subgraphs: [
          {
            ...tinyModel().subgraphs[0],
            tensors: [
              { shape: [3, 1], type: 9, name: 'w', buffer: 1, quant: { scale: [0.5, 0.25, 0.125], zeroPoint: [-5, 0, 7], axis: 0, min: [-1], max: [1] } },
              { shape: [1, 4], type: 7, name: 's', isVariable: true, sparse: true, shapeSignature: [-1, 4], buffer: 2 },
            ],
          },
        ],
        buffers: [{ data: [7, 7, 7] }, { data: [1, 2, 3] }, {}],
      });
      const [w, s] = g.subgraphs[0].tensors;
      assert.deepEqual(w.quantization, { scale: [0.5, 0.25, 0.125], zeroPoint: [-5, 0, 7], axis: 0, min: [-1], max: [1] });
      assert.deepEqual([...(w.data ?? [])], [1, 2, 3]);
      assert.equal(w.buffer, 1);
      assert.deepEqual([s.dtype, s.isVariable, s.sparse, s.shapeSignature, s.data], ['int16', true, true, [-1, 4], undefined]);
    });

    it('treats buffer 0 as empty even when it holds bytes', () => {
      const g = build({ buffers: [{ data: [1, 2, 3, 4] }, {}, {}] });
      assert.equal(g.subgraphs[0].tensors[0].data, undefined);
    });

    it('reads external buffers (offset/size) as views at that offset of the file', () => {
      const spec = tinyModel({
        buffers: [{}, { external: [10, 20, 30, 40, 50] }],
      });
      spec.subgraphs[0].tensors[0].buffer = 1;
      const bytes = buildTflite(spec);
      const data = readTflite(bytes).subgraphs[0].tensors[0].data;
      assert.ok(data);
      assert.deepEqual([...data], [10, 20, 30, 40, 50]);
      assert.equal(data.buffer, bytes.buffer);
    });

    it('parses the OfflineMemoryAllocation metadata and lists all metadata', () => {
      const g = build({
        buffers: [{}, {}, {}, { data: int32Bytes([1, 1, 2, 64, -1]) }, { data: [1, 2] }],
        metadata: [
          { name: 'min_runtime_version', buffer: 4 },
          { name: 'OfflineMemoryAllocation', buffer: 3 },
          { name: 'empty', buffer: 0 },
        ],
      });
      assert.deepEqual(g.offlinePlan, [64, -1]);
      assert.deepEqual(g.metadata.map((m) => [m.name, m.data?.length]), [['min_runtime_version', 2], ['OfflineMemoryAllocation', 20], ['empty', undefined]]);
    });

    it('accepts a file without the TFL3 identifier when its root table is a model', () => {
      const g = readTflite(buildTflite(tinyModel({ identifier: false })));
      assert.equal(g.subgraphs[0].tensors.length, 2);
    });
  });

  describe('malformed files', () => {
    it('rejects files too short to hold a root offset and identifier', () => {
      assert.match(modelError(() => readTflite(new Uint8Array(5))).message, /5 bytes, too short/);
    });

    it('rejects files without the identifier whose root is not a model', () => {
      const bytes = new Uint8Array(64).fill(0x41);
      const e = modelError(() => readTflite(bytes));
      assert.match(e.message, /missing "TFL3" file identifier at bytes 4\.\.8 \(found 41 41 41 41\)/);
    });

    it('names the tensor, field and offset of a shape vector that runs past the end', () => {
      const spec = tinyModel();
      spec.subgraphs[0].tensors[1].shape = [7777, 8888];
      const bytes = buildTflite(spec);
      const at = findInt32s(bytes, [2, 7777, 8888]);
      new DataView(bytes.buffer).setUint32(at, 4_000_000, true);
      const e = modelError(() => readTflite(bytes));
      assert.match(e.message, /^Tensor 1 of subgraph 0: shape vector runs past the end of the file \(length 4000000 x 4 bytes > \d+ bytes remaining\)/);
      assert.equal(e.offset, at);
    });

    it('rejects operator inputs that are not tensors, but allows -1', () => {
      const spec = tinyModel();
      spec.subgraphs[0].operators[0].inputs = [0, 5];
      const e = modelError(() => readTflite(buildTflite(spec)));
      assert.match(e.message, /^Operator 0 of subgraph 0: inputs\[1\] = 5 is not a tensor index \(the subgraph has 2 tensors; -1 marks an absent optional tensor\)/);
      spec.subgraphs[0].operators[0].inputs = [0, -1];
      assert.deepEqual(readTflite(buildTflite(spec)).subgraphs[0].operators[0].inputs, [0, -1]);
      spec.subgraphs[0].outputs = [-1];
      assert.match(modelError(() => readTflite(buildTflite(spec))).message, /^Subgraph 0: outputs\[0\] = -1 is not a tensor index/);
    });

    it('rejects out-of-range opcode, buffer and metadata buffer indices', () => {
      const spec = tinyModel();
      spec.subgraphs[0].operators[0].opcodeIndex = 3;
      assert.match(modelError(() => readTflite(buildTflite(spec))).message, /opcode_index 3 is out of range \(the model has 1 operator codes\)/);
      const spec2 = tinyModel();
      spec2.subgraphs[0].tensors[0].buffer = 9;
      assert.match(modelError(() => readTflite(buildTflite(spec2))).message, /^Tensor 0 of subgraph 0: buffer 9 is out of range \(the model has 3 buffers\)/);
      const spec3 = tinyModel({ metadata: [{ name: 'x', buffer: 40 }] });
      assert.match(modelError(() => readTflite(buildTflite(spec3))).message, /^Metadata 0 \(x\): buffer 40 is out of range/);
    });

    it('rejects external buffers past the end of the file', () => {
      const bytes = buildTflite(tinyModel({ buffers: [{}, { external: [1, 2, 3] }] }));
      const e = modelError(() => readTflite(bytes.subarray(0, bytes.length - 16)));
      assert.match(e.message, /^Buffer 1: external data \(offset \d+, size 3\) runs past the end of the file/);
    });

    it('rejects an offline plan that claims more offsets than its buffer holds', () => {
      const spec = tinyModel({ buffers: [{}, {}, {}, { data: int32Bytes([1, 1, 1000, 0]) }], metadata: [{ name: 'OfflineMemoryAllocation', buffer: 3 }] });
      assert.match(modelError(() => readTflite(buildTflite(spec))).message, /OfflineMemoryAllocation\): claims 1000 tensor offsets but its 16-byte buffer holds at most 1/);
    });

    it('rejects a model without subgraphs', () => {
      assert.match(modelError(() => readTflite(buildTflite(tinyModel({ subgraphs: [] })))).message, /subgraphs vector is missing or empty/);
    });

    it('rejects every truncation of a small real model with a ModelError', () => {
      const bytes = sharedModel('tflm/hello_world_int8.tflite');
      for (let n = 0; n < bytes.length; n += 7) modelError(() => readTflite(bytes.subarray(0, n)));
    });
  });
});

interface IoFact {
  dtype: string;
  shape: number[];
  scale: number;
  scale_f32_bits: string;
  zero_point: number;
  quant_channels?: number;
}

function checkIo(tensors: Graph['subgraphs'][number]['tensors'], facts: IoFact[]): void {
  assert.equal(tensors.length, facts.length);
  tensors.forEach((t, i) => {
    const fact = facts[i];
    assert.equal(t.dtype, fact.dtype);
    assert.deepEqual(t.shape, fact.shape);
    const scale = t.quantization?.scale[0] ?? 0;
    assert.equal(scale, Math.fround(fact.scale));
    assert.equal(f32Bits(scale), Number.parseInt(fact.scale_f32_bits, 16));
    assert.equal(t.quantization?.zeroPoint[0] ?? 0, fact.zero_point);
    assert.equal(t.quantization?.scale.length ?? 0, fact.quant_channels ?? 0);
  });
}

/** Byte offset of a run of int32 LE values (the first match). */
function findInt32s(bytes: Uint8Array, values: number[]): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let at = 0; at + 4 * values.length <= bytes.length; at++) {
    if (values.every((v, i) => view.getInt32(at + 4 * i, true) === v)) return at;
  }
  throw new Error(`values ${values.join(',')} not found`);
}
