import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { planTflmArena } from '../../../server/src/analysis/arena/tflmArena';
import { EngineError, prepareEngine } from '../../../server/src/engine/engine';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { modelPathForStem, oracleJson } from '../../helpers/shared';
import { fcGraph } from './graphBuilder';

interface OracleCase {
  name: string;
  invoke_status: string;
  input_b64: string;
  output_b64: string;
}

const ORACLE_MODELS = ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'person_detect'];

function loadGraph(stem: string) {
  return readTflite(new Uint8Array(readFileSync(modelPathForStem(stem))));
}

function bytesOf(b64: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

describe('engine: TFLM oracle outputs, byte for byte', () => {
  for (const stem of ORACLE_MODELS) {
    describe(stem, () => {
      const oracle = oracleJson('tflm', stem) as { cases: OracleCase[] };
      const engine = prepareEngine(loadGraph(stem));
      for (const c of oracle.cases) {
        it(`case ${c.name}`, () => {
          assert.equal(c.invoke_status, 'ok');
          engine.invoke([bytesOf(c.input_b64)]);
          // Tolerance 0. For hello_world_float the oracle is the Cortex-M3 soft-float build, whose
          // float32 ops are IEEE-754 correctly rounded: one Math.fround per product and per sum
          // reproduces its single-precision accumulator exactly.
          assert.deepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(bytesOf(c.output_b64)));
        });
      }
    });
  }

  it('runs the same inputs to the same outputs again (no state leaks between invokes)', () => {
    const oracle = oracleJson('tflm', 'person_detect') as { cases: OracleCase[] };
    const engine = prepareEngine(loadGraph('person_detect'));
    for (const c of [...oracle.cases, ...oracle.cases]) {
      engine.invoke([bytesOf(c.input_b64)]);
      assert.deepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(bytesOf(c.output_b64)));
    }
  });

  it('reports ms per inference for person_detect', function () {
    const oracle = oracleJson('tflm', 'person_detect') as { cases: OracleCase[] };
    const engine = prepareEngine(loadGraph('person_detect'));
    const input = bytesOf(oracle.cases[1].input_b64);
    for (let i = 0; i < 5; i++) engine.invoke([input]);
    const runs = 20;
    const start = performance.now();
    for (let i = 0; i < runs; i++) engine.invoke([input]);
    const ms = (performance.now() - start) / runs;
    this.test!.title += ` (${ms.toFixed(2)} ms)`;
    assert.ok(ms > 0);
  });
});

describe('engine: arena layout follows the TFLM memory plan', () => {
  it('places every planned tensor at its planned offset in one ArrayBuffer', () => {
    const graph = loadGraph('person_detect');
    const plan = planTflmArena(graph);
    const engine = prepareEngine(graph);
    assert.equal(engine.plannedBytes, plan.plannedBytes);
    for (const b of plan.buffers) {
      if (b.tensorIndex === null) continue;
      const t = engine.tensor(b.tensorIndex);
      assert.equal(t.bytes.buffer, engine.arena, `tensor ${b.tensorIndex} is in the arena`);
      assert.equal(t.bytes.byteOffset, b.offset);
    }
    assert.equal(engine.inputs[0].data.buffer, engine.arena);
    assert.equal(engine.outputs[0].data.buffer, engine.arena);
  });

  it('reads constant tensors as views of the model bytes, not copies', () => {
    const bytes = new Uint8Array(readFileSync(modelPathForStem('person_detect')));
    const engine = prepareEngine(readTflite(bytes));
    const filter = engine.tensor(0); // first depthwise filter (int8)
    const bias = engine.tensor(33); // its bias (int32: needs 4-byte alignment for a view)
    for (const t of [filter, bias]) {
      assert.ok(t.constant);
      assert.equal(t.bytes.buffer, bytes.buffer);
      assert.equal(t.data.buffer, bytes.buffer);
    }
    assert.ok(bias.data instanceof Int32Array);
  });

  it('copies a constant whose bytes are not aligned for its element type', () => {
    const graph = fcGraph({ act: 'NONE' });
    const bias = graph.subgraphs[0].tensors[2];
    const shifted = new Uint8Array(bias.data!.length + 1);
    shifted.set(bias.data!, 1);
    shifted.set([7, 0, 0, 0], 1); // bias[0] = 7
    bias.data = shifted.subarray(1);
    const engine = prepareEngine(graph);
    const view = engine.tensor(2);
    assert.ok(view.data instanceof Int32Array);
    assert.notEqual(view.data.buffer, shifted.buffer);
    assert.deepEqual(Array.from(view.data), [7, 0]);
    engine.invoke([new Int8Array([1, 1])]);
    assert.deepEqual(Array.from(engine.outputs[0].data), [10, 7]); // [1+2+7, 3+4]
  });

  it('breaks outputs when a wrong plan lets two live tensors share bytes', () => {
    const graph = loadGraph('micro_speech_quantized');
    const oracle = oracleJson('tflm', 'micro_speech_quantized') as { cases: OracleCase[] };
    const good = planTflmArena(graph).buffers;
    // Put the depthwise output (tensor 2) on top of its own input (tensor 4): both live at op 1.
    const at4 = good.find((b) => b.tensorIndex === 4)!.offset;
    const bad = good.map((b) => (b.tensorIndex === 2 ? { ...b, offset: at4 } : b));
    const engine = prepareEngine(graph, { arenaPlan: bad });
    const c = oracle.cases[2];
    engine.invoke([bytesOf(c.input_b64)]);
    assert.notDeepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(bytesOf(c.output_b64)));
  });
});

describe('engine: API and errors', () => {
  it('exposes typed input/output views with quantization', () => {
    const engine = prepareEngine(loadGraph('hello_world_int8'));
    const [input] = engine.inputs;
    assert.deepEqual(input.shape, [1, 1]);
    assert.equal(input.dtype, 'int8');
    assert.ok(input.data instanceof Int8Array);
    assert.equal(input.zeroPoint, -128);
    assert.equal(input.scale, Math.fround(0.024480115622282028));
    // Filling the input view in place and invoking with no arguments is the zero-copy path.
    input.data[0] = -128;
    engine.invoke();
    const oracle = oracleJson('tflm', 'hello_world_int8') as { cases: OracleCase[] };
    assert.deepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(bytesOf(oracle.cases[0].output_b64)));
  });

  it('accepts a float input as a Float32Array', () => {
    const engine = prepareEngine(loadGraph('hello_world_float'));
    engine.invoke([new Float32Array([0])]);
    const oracle = oracleJson('tflm', 'hello_world_float') as { cases: OracleCase[] };
    assert.deepEqual(Buffer.from(engine.outputs[0].bytes), Buffer.from(bytesOf(oracle.cases[0].output_b64)));
  });

  it('rejects an input of the wrong size', () => {
    const engine = prepareEngine(loadGraph('hello_world_int8'));
    assert.throws(() => engine.invoke([new Int8Array(2)]), EngineError);
  });

  it('names the op, its index and the unsupported op type', () => {
    const graph = fcGraph({ act: 'NONE' });
    graph.subgraphs[0].operators[0].opType = 'LSTM';
    assert.throws(
      () => prepareEngine(graph),
      (e: unknown) => e instanceof EngineError && e.opIndex === 0 && /op 0 \(LSTM\)/.test(e.message),
    );
  });

  it('names the op and the unsupported tensor type', () => {
    const graph = fcGraph({ act: 'NONE' });
    for (const t of graph.subgraphs[0].tensors) if (t.dtype === 'int8') t.dtype = 'int16';
    assert.throws(
      () => prepareEngine(graph),
      (e: unknown) =>
        e instanceof EngineError && /op 0 \(FULLY_CONNECTED\)/.test(e.message) && /int16 not supported/.test(e.message),
    );
  });

  it('rejects an unsupported fused activation', () => {
    const graph = fcGraph({ act: 'TANH' });
    assert.throws(() => prepareEngine(graph), /fused activation TANH not supported/);
  });

  it('rejects a missing subgraph', () => {
    assert.throws(() => prepareEngine(fcGraph({ act: 'NONE' }), { subgraph: 3 }), EngineError);
  });
});
