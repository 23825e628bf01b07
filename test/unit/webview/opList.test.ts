import assert from 'node:assert/strict';
import { kernelSupport } from '../../../server/src/analysis/tflmKernels';
import { opEntries, resolverSnippet, statusText } from '../../../webview/src/budget/opList';

describe('op list with TFLM kernels', () => {
  const ops = ['CONV_2D', 'DEPTHWISE_CONV_2D', 'CONV_2D', 'RESHAPE', 'MY_OP'].map((opType) => kernelSupport({ opType, custom: opType === 'MY_OP' }, 'tflite', 'cmsis-nn'));

  it('one entry per distinct op, in first-use order, with its layers', () => {
    const entries = opEntries(ops);
    assert.deepEqual(entries.map((e) => [e.op, e.count, e.layers]), [
      ['CONV_2D', 2, [0, 2]],
      ['DEPTHWISE_CONV_2D', 1, [1]],
      ['RESHAPE', 1, [3]],
      ['MY_OP', 1, [4]],
    ]);
    assert.deepEqual(entries.map((e) => statusText(e.support)), ['available (CMSIS-NN)', 'available (CMSIS-NN)', 'available', 'no TFLM kernel']);
  });

  it('the resolver snippet registers each kernel once and names the missing ones', () => {
    assert.equal(
      resolverSnippet(opEntries(ops)),
      ['static tflite::MicroMutableOpResolver<3> resolver;', 'resolver.AddConv2D();', 'resolver.AddDepthwiseConv2D();', 'resolver.AddReshape();', '// no TFLM kernel: MY_OP'].join('\n'),
    );
  });

  it('ONNX ops are shown as the TFLite op they usually convert to', () => {
    const gemm = kernelSupport({ opType: 'Gemm', custom: false }, 'onnx', 'none');
    assert.deepEqual(gemm, { op: 'Gemm', status: 'after-conversion', tfliteOp: 'FULLY_CONNECTED', resolverMethod: 'AddFullyConnected' });
    assert.equal(statusText(gemm), 'as FULLY_CONNECTED after conversion');
    assert.equal(kernelSupport({ opType: 'ethos-u', custom: true }, 'tflite', 'cmsis-nn').resolverMethod, 'AddEthosU');
    assert.equal(kernelSupport({ opType: 'CONV_2D', custom: false }, 'tflite', 'esp-nn').optimized, 'esp-nn');
    assert.equal(kernelSupport({ opType: 'RFFT2D', custom: false }, 'tflite', 'none').status, 'missing');
  });
});
