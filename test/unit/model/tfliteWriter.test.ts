import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { prepareEngine } from '../../../server/src/engine/engine';
import { type Graph, ModelError, type Operator, type OptionValue, type Tensor } from '../../../server/src/model/graph';
import { builtinOpName } from '../../../server/src/model/tflite/builtinOps';
import { decodeBuiltinOptions } from '../../../server/src/model/tflite/options';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { FlatFile } from '../../../server/src/model/tflite/flatbuffer';
import { ModelTable } from '../../../server/src/model/tflite/schema';
import { allOptionsTables, type FieldSpec, optionsTableOf } from '../../../server/src/model/tflite/write/optionsSchema';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { modelsDir, oracleJson, sharedModel } from '../../helpers/shared';
import { graphOf } from '../engine/graphBuilder';

const MODEL_FILES = ['tflm', 'mlperf-tiny'].flatMap((dir) =>
  readdirSync(join(modelsDir, dir))
    .filter((f) => f.endsWith('.tflite'))
    .map((f) => `${dir}/${f}`),
);

function plainOption(v: OptionValue): unknown {
  return v instanceof Uint8Array ? Array.from(v) : v;
}

function plainOptions(op: Operator): Record<string, unknown> {
  return Object.fromEntries(Object.entries(op.options).map(([k, v]) => [k, plainOption(v)]));
}

function plainTensor(t: Tensor): Record<string, unknown> {
  const { data, ...rest } = t;
  return { ...rest, data: data ? Buffer.from(data).toString('base64') : undefined };
}

/** Everything the IR holds, with byte views turned into comparable values. */
function assertSameGraph(actual: Graph, expected: Graph): void {
  assert.equal(actual.version, expected.version);
  assert.equal(actual.description, expected.description);
  assert.deepEqual(
    actual.metadata.map((m) => [m.name, m.data && Buffer.from(m.data).toString('base64')]),
    expected.metadata.map((m) => [m.name, m.data && Buffer.from(m.data).toString('base64')]),
  );
  assert.deepEqual(actual.offlinePlan, expected.offlinePlan);
  assert.equal(actual.subgraphs.length, expected.subgraphs.length);
  actual.subgraphs.forEach((s, si) => {
    const e = expected.subgraphs[si];
    assert.equal(s.name, e.name);
    assert.deepEqual(s.inputs, e.inputs);
    assert.deepEqual(s.outputs, e.outputs);
    assert.equal(s.tensors.length, e.tensors.length);
    s.tensors.forEach((t, i) => assert.deepEqual(plainTensor(t), plainTensor(e.tensors[i]), `tensor ${i} (${t.name})`));
    assert.equal(s.operators.length, e.operators.length);
    s.operators.forEach((op, i) => {
      const { options, ...rest } = op;
      const { options: eOptions, ...eRest } = e.operators[i];
      assert.deepEqual(rest, eRest, `operator ${i}`);
      assert.deepEqual(plainOptions({ ...op, options }), plainOptions({ ...op, options: eOptions }), `operator ${i} options`);
    });
  });
}

interface OracleCase {
  name: string;
  input_b64: string;
  output_b64: string;
}

describe('model/tflite writer', () => {
  describe('round trip: read(write(read(x))) keeps every tensor, op, option and constant byte', () => {
    for (const path of MODEL_FILES) {
      it(path, () => {
        const original = readTflite(sharedModel(path));
        const written = writeTflite(original);
        assert.equal(String.fromCharCode(...written.subarray(4, 8)), 'TFL3');
        const again = readTflite(written);
        assertSameGraph(again, original);
        // Writing is deterministic: the rewritten graph serializes to the same bytes.
        assert.deepEqual(Buffer.from(writeTflite(again)), Buffer.from(written));
      });
    }
  });

  it('aligns every constant buffer to 16 bytes and keeps buffer 0 empty', () => {
    for (const path of MODEL_FILES) {
      const written = writeTflite(readTflite(sharedModel(path)));
      const model = ModelTable.root(new FlatFile(written));
      const buffers = model.buffers();
      assert.equal(buffers[0].data()?.length ?? 0, 0, path);
      for (const [i, b] of buffers.entries()) {
        const data = b.data();
        if (data && data.length > 0) assert.equal(data.byteOffset % 16, 0, `${path} buffer ${i}`);
      }
    }
  });

  it('writes both the deprecated int8 op code and the full builtin code', () => {
    const written = writeTflite(readTflite(sharedModel('mlperf-tiny/kws_ref_model.tflite')));
    const codes = ModelTable.root(new FlatFile(written)).operatorCodes();
    for (const c of codes) {
      assert.equal(c.deprecatedBuiltinCode(), Math.min(c.builtinCode(), 127));
      assert.ok(c.version() >= 1);
    }
    // A code above 127 (STABLEHLO_ADD = 163) goes into builtin_code with the placeholder beside it.
    const g = graphOf([{ shape: [2], dtype: 'float32' }, { shape: [2], dtype: 'float32' }], [{ opType: 'STABLEHLO_ADD', inputs: [0, 0], outputs: [1] }], [0], [1]);
    const c = ModelTable.root(new FlatFile(writeTflite(g))).operatorCodes()[0];
    assert.equal(c.deprecatedBuiltinCode(), 127);
    assert.equal(c.builtinCode(), 163);
    assert.equal(readTflite(writeTflite(g)).subgraphs[0].operators[0].opType, 'STABLEHLO_ADD');
  });

  it('keeps per-channel quantization (scales, zero points, quantized_dimension)', () => {
    const g = graphOf(
      [
        { shape: [1, 2, 2, 3], dtype: 'int8', scale: 0.5, zeroPoint: -3 },
        { shape: [1, 1, 1, 3], dtype: 'int8', scale: [0.1, 0.2, 0.3], zeroPoint: [0, 0, 0], axis: 3, data: new Int8Array([1, -2, 3]) },
      ],
      [],
      [0],
      [0],
    );
    const back = readTflite(writeTflite(g)).subgraphs[0].tensors[1];
    assert.deepEqual(back.quantization, { scale: [0.1, 0.2, 0.3].map(Math.fround), zeroPoint: [0, 0, 0], axis: 3 });
    assert.deepEqual(Array.from(new Int8Array(back.data!.buffer, back.data!.byteOffset, 3)), [1, -2, 3]);
  });

  it('encodes every option field the reader decodes, in the slot the reader reads it from', () => {
    // One non-default value per field, written and decoded again by the reader's own decoder.
    for (const table of allOptionsTables()) {
      const options: Record<string, OptionValue> = {};
      for (const f of table.fields) if (f) options[f.key] = sampleValue(f);
      const op: Operator = { index: 0, opType: 'X', known: true, builtinCode: 0, custom: false, version: 1, inputs: [], outputs: [], intermediates: [], options };
      const decoded = decodeWritten(table.union, table.tag, op, table.name);
      assert.deepEqual(
        Object.fromEntries(Object.entries(decoded).map(([k, v]) => [k, plainOption(v)])),
        Object.fromEntries(Object.entries(options).map(([k, v]) => [k, plainOption(v)])),
        table.name,
      );
    }
  });

  it('maps ops to their options tables as schema.fbs does', () => {
    assert.equal(optionsTableOf('CONV_2D')?.name, 'Conv2DOptions');
    assert.equal(optionsTableOf('AVERAGE_POOL_2D')?.name, 'Pool2DOptions');
    assert.equal(optionsTableOf('MEAN')?.name, 'ReducerOptions');
    assert.equal(optionsTableOf('GATHER_ND')?.name, 'GatherNdOptions');
    assert.equal(optionsTableOf('STABLEHLO_COMPOSITE')?.name, 'StableHLOCompositeOptions');
    assert.equal(optionsTableOf('LOGISTIC'), undefined);
  });

  it('refuses what a .tflite file cannot hold, with a ModelError', () => {
    const g = graphOf([{ shape: [2], dtype: 'float32' }], [], [0], [0]);
    g.subgraphs[0].tensors[0].sparse = true;
    assert.throws(() => writeTflite(g), ModelError);
    const bad = graphOf([{ shape: [2], dtype: 'float32' }, { shape: [2], dtype: 'float32' }], [{ opType: 'NO_SUCH_OP', inputs: [0], outputs: [1] }], [0], [1]);
    assert.throws(() => writeTflite(bad), ModelError);
  });

  describe('the engine gives the same bytes on the rewritten model', () => {
    for (const stem of ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'person_detect']) {
      it(`${stem}: TFLM's oracle outputs`, () => {
        const graph = readTflite(writeTflite(readTflite(sharedModel(`tflm/${stem}.tflite`))));
        const engine = prepareEngine(graph);
        for (const c of (oracleJson('tflm', stem) as { cases: OracleCase[] }).cases) {
          engine.invoke([new Uint8Array(Buffer.from(c.input_b64, 'base64'))]);
          assert.deepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(c.output_b64, 'base64'), c.name);
        }
      });
    }
    for (const name of ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8', 'vww_96_float', 'ad01_fp32', 'pretrainedResnet']) {
      it(`mlperf-tiny/${name}: same outputs as the original on pseudo-random inputs`, () => {
        const original = readTflite(sharedModel(`mlperf-tiny/${name}.tflite`));
        const a = prepareEngine(original);
        const b = prepareEngine(readTflite(writeTflite(original)));
        let seed = 12345;
        for (let k = 0; k < 2; k++) {
          const input = new Uint8Array(a.inputs[0].bytes.length);
          const float = a.inputs[0].dtype === 'float32';
          const view = new DataView(input.buffer);
          for (let i = 0; i < input.length; i += float ? 4 : 1) {
            seed = (seed * 1103515245 + 12345) >>> 0;
            if (float) view.setFloat32(i, (seed / 2 ** 32) * 2 - 0.5, true);
            else input[i] = seed >>> 24;
          }
          a.invoke([input]);
          b.invoke([input]);
          assert.deepEqual(Buffer.from(b.outputs[0].bytes), Buffer.from(a.outputs[0].bytes));
        }
      });
    }
  });
});

function sampleValue(f: FieldSpec): OptionValue {
  switch (f.kind) {
    case 'i32':
    case 'u32':
    case 'i64':
      return 7;
    case 'f32':
      return 0.5;
    case 'bool':
      return f.fallback !== true;
    case 'type':
      return 'int16';
    case 'enum':
    case 'enum32':
      return f.names[f.names.length - 1] === f.names[0] ? 'UNKNOWN_3' : f.names[f.names.length - 1];
    case 'enums32':
      return [f.names[1], f.names[0]];
    case 'i32s':
    case 'i64s':
      return [3, -1, 4];
    case 'f32s':
      return [0.25, -1.5];
    case 'bools':
      return [1, 0, 1];
    case 'u8s':
      return new Uint8Array([9, 8, 7]);
    case 'str':
      return 'abc';
    default:
      throw new Error(f.kind);
  }
}

/** Writes a one-op model whose op carries `op.options` in table `name`, and decodes them back. */
function decodeWritten(union: 1 | 2, tag: number, op: Operator, name: string): Record<string, OptionValue> {
  const opType = optionsOpFor(name);
  const g = graphOf([{ shape: [1], dtype: 'float32' }, { shape: [1], dtype: 'float32' }], [{ opType, inputs: [0], outputs: [1], options: op.options }], [0], [1]);
  const bytes = writeTflite(g);
  const table = ModelTable.root(new FlatFile(bytes)).subgraphs()[0].operators()[0];
  const options = union === 1 ? table.builtinOptions() : table.builtinOptions2();
  assert.equal(options?.type, tag, name);
  return decodeBuiltinOptions(union === 1 ? options : undefined, union === 2 ? options : undefined);
}

/** An op whose options live in the table `name`. */
function optionsOpFor(name: string): string {
  for (let code = 0; code < 210; code++) {
    const op = builtinOpName(code);
    if (op && optionsTableOf(op)?.name === name) return op;
  }
  throw new Error(`no op uses ${name}`);
}
