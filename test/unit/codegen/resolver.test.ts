import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateResolver } from '../../../server/src/codegen/resolver';
import { loadModel } from '../../../server/src/model/load';
import { repoRoot, sharedModel } from '../../helpers/shared';
import { OnnxBuilder } from '../../helpers/onnxBuilder';
import { buildTflite, tinyModel } from '../../helpers/tfliteBuilder';

const stubs = join(repoRoot, 'test', 'fixtures', 'tflm-stubs');
const stubResolver = readFileSync(join(stubs, 'tensorflow', 'lite', 'micro', 'micro_mutable_op_resolver.h'), 'utf8');

/** Compiles `body` inside a function returning bool, as firmware would hold the generated code. */
function compile(body: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-resolver-'));
  const file = join(dir, 'resolver.cc');
  writeFileSync(file, `#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"\n\nbool RegisterOps() {\n${body}  return true;\n}\n`);
  try {
    execFileSync('g++', ['-std=c++17', '-fsyntax-only', '-Wall', '-Werror', '-Wno-unused-result', '-I', stubs, file], { stdio: 'pipe' });
  } catch (error) {
    assert.fail(`g++ rejected the generated resolver:\n${(error as { stderr?: Buffer }).stderr?.toString() ?? String(error)}\n--- source ---\n${body}`);
  }
}

describe('generateResolver', () => {
  const kws = loadModel(sharedModel('mlperf-tiny/kws_ref_model.tflite'));

  it('kws_ref_model: 6 distinct ops of 13 layers, in first-appearance order (hand-checked)', () => {
    // Layers: CONV_2D, DW, CONV_2D, DW, ... CONV_2D, AVERAGE_POOL_2D, RESHAPE, FULLY_CONNECTED, SOFTMAX.
    const r = generateResolver(kws, { modelName: 'kws_ref_model' });
    assert.equal(r.n, 6);
    assert.deepEqual(
      r.ops.map((o) => [o.op, o.method]),
      [
        ['CONV_2D', 'AddConv2D'],
        ['DEPTHWISE_CONV_2D', 'AddDepthwiseConv2D'],
        ['AVERAGE_POOL_2D', 'AddAveragePool2D'],
        ['RESHAPE', 'AddReshape'],
        ['FULLY_CONNECTED', 'AddFullyConnected'],
        ['SOFTMAX', 'AddSoftmax'],
      ],
    );
    assert.equal(
      r.code,
      [
        '// The 6 ops kws_ref_model uses, in the order they first appear (TinyML Lens).',
        'static tflite::MicroMutableOpResolver<6> resolver;',
        'resolver.AddConv2D();',
        'resolver.AddDepthwiseConv2D();',
        'resolver.AddAveragePool2D();',
        'resolver.AddReshape();',
        'resolver.AddFullyConnected();',
        'resolver.AddSoftmax();',
        '',
      ].join('\n'),
    );
  });

  it("checked style returns false on the first failing Add, with the caller's variable name", () => {
    const r = generateResolver(kws, { style: 'checked', variableName: 'micro_op_resolver' });
    const lines = r.code.split('\n');
    assert.equal(lines[1], 'static tflite::MicroMutableOpResolver<6> micro_op_resolver;');
    assert.equal(lines[2], 'if (micro_op_resolver.AddConv2D() != kTfLiteOk) return false;');
    assert.equal(lines[7], 'if (micro_op_resolver.AddSoftmax() != kTfLiteOk) return false;');
    assert.throws(() => generateResolver(kws, { variableName: '3x' }), /not a C identifier/);
  });

  it('compiles, in both styles, against the TFLM API stubs with g++ -Wall -Werror', function () {
    this.timeout(60000);
    compile(generateResolver(kws).code);
    compile(generateResolver(kws, { style: 'checked' }).code);
  });

  it('person_detect_vela: the Ethos-U custom op registers with AddEthosU()', function () {
    const vela = loadModel(sharedModel('tflm/person_detect_vela.tflite'));
    const r = generateResolver(vela);
    assert.equal(r.n, 1);
    assert.deepEqual(r.ops, [{ op: 'ethos-u', custom: true, method: 'AddEthosU' }]);
    assert.match(r.code, /^static tflite::MicroMutableOpResolver<1> resolver;\nresolver\.AddEthosU\(\);$/m);
    // The stubs declare only the methods other tests needed so far (test/fixtures/tflm-stubs).
    if (!stubResolver.includes('AddEthosU()')) this.skip();
    compile(r.code);
  });

  it('an unknown custom op becomes a comment that asks for a registration; N counts only the Add calls', function () {
    this.timeout(60000);
    const spec = tinyModel({
      operatorCodes: [
        { deprecated: 0, builtin: 0, version: 1 },
        { deprecated: 32, builtin: 32, custom: 'MyVendorOp', version: 1 },
      ],
    });
    spec.subgraphs[0].operators.push({ opcodeIndex: 1, inputs: [1], outputs: [1] }, { opcodeIndex: 0, inputs: [1, 1], outputs: [1] });
    const graph = loadModel(buildTflite(spec));
    const r = generateResolver(graph);
    assert.equal(r.n, 1);
    assert.deepEqual(r.ops, [
      { op: 'ADD', custom: false, method: 'AddAdd' },
      { op: 'MyVendorOp', custom: true },
    ]);
    assert.match(r.code, /^resolver\.AddAdd\(\);$/m);
    assert.match(r.code, /^\/\/ Custom op 'MyVendorOp': TFLM has no AddXxx\(\) for it; register your kernel with AddCustom\("MyVendorOp", \.\.\.\) and raise N by one\.$/m);
    compile(r.code);
  });

  it('counts the ops of every subgraph once, and maps ONNX ops to the kernels they convert to', () => {
    const twoSubgraphs = tinyModel();
    twoSubgraphs.operatorCodes.push({ deprecated: 25, builtin: 25, version: 1 });
    twoSubgraphs.subgraphs.push({ ...twoSubgraphs.subgraphs[0], name: 'body', operators: [{ opcodeIndex: 1, inputs: [0], outputs: [1] }, { opcodeIndex: 0, inputs: [0, 0], outputs: [1] }] });
    const r = generateResolver(loadModel(buildTflite(twoSubgraphs)));
    assert.deepEqual(r.ops.map((o) => o.method), ['AddAdd', 'AddSoftmax']);
    assert.equal(r.n, 2);

    // Gemm and MatMul both become FULLY_CONNECTED: one registration; an op with no kernel is named.
    const onnx = new OnnxBuilder(13)
      .input('x', 'float32', [1, 4])
      .initializer('w', 'float32', [4, 4], new Array(16).fill(0.5))
      .node('Gemm', ['x', 'w'], ['a'])
      .node('Relu', ['a'], ['b'])
      .node('MatMul', ['b', 'w'], ['c'])
      .node('Celu', ['c'], ['y'])
      .output('y', 'float32', [1, 4])
      .build();
    const fromOnnx = generateResolver(loadModel(onnx));
    assert.deepEqual(
      fromOnnx.ops.map((o) => [o.op, o.method, o.tfliteOp]),
      [
        ['Gemm', 'AddFullyConnected', 'FULLY_CONNECTED'],
        ['Relu', 'AddRelu', 'RELU'],
        ['MatMul', 'AddFullyConnected', 'FULLY_CONNECTED'],
        ['Celu', undefined, undefined],
      ],
    );
    assert.equal(fromOnnx.n, 2);
    assert.match(fromOnnx.code, /^\/\/ ONNX model: the kernels its ops usually become after conversion to TFLite\.$/m);
    assert.equal(fromOnnx.code.match(/AddFullyConnected/g)?.length, 1);
    assert.match(fromOnnx.code, /^\/\/ ONNX op 'Celu': no TFLM kernel after conversion; the model cannot run as is\.$/m);
  });
});
