import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { DType, Graph, OptionValue, Tensor } from '../../../server/src/model/graph';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { layerCosts } from '../../../server/src/analysis/layerCosts';

// A tiny graph builder: tensors are declared by shape; `constant` ones get zeroed data.
interface T {
  shape: number[];
  dtype?: DType;
  constant?: boolean;
  scales?: number;
}
function graph(format: 'tflite' | 'onnx', tensors: T[], ops: { opType: string; inputs: number[]; outputs: number[]; options?: Record<string, OptionValue> }[]): Graph {
  const ts: Tensor[] = tensors.map((t, index) => {
    const dtype = t.dtype ?? 'int8';
    const n = t.shape.reduce((a, b) => a * b, 1);
    const bytes = dtype === 'float32' || dtype === 'int32' ? 4 : 1;
    return {
      index,
      name: `t${index}`,
      shape: t.shape,
      dtype,
      quantization: t.scales ? { scale: new Array(t.scales).fill(0.1), zeroPoint: new Array(t.scales).fill(0), axis: 0 } : undefined,
      data: t.constant ? new Uint8Array(n * bytes) : undefined,
      isVariable: false,
      buffer: format === 'tflite' ? index + 1 : -1,
    };
  });
  return {
    format,
    version: 3,
    description: '',
    subgraphs: [{
      name: 'main',
      tensors: ts,
      operators: ops.map((o, index) => ({ index, opType: o.opType, known: true, builtinCode: -1, custom: false, version: 1, inputs: o.inputs, outputs: o.outputs, intermediates: [], options: o.options ?? {} })),
      inputs: [0],
      outputs: [ts.length - 1],
    }],
    metadata: [],
    fileBytes: 0,
  };
}

function model(path: string): Graph {
  return readTflite(new Uint8Array(readFileSync(`/work/shared/models/${path}`)));
}

describe('layerCosts', () => {
  describe('hand-built TFLite graphs', () => {
    it('counts conv, depthwise, fully connected and pooling MACs', () => {
      const g = graph('tflite', [
        { shape: [1, 8, 8, 3], scales: 1 }, // 0 input
        { shape: [4, 3, 3, 3], constant: true, scales: 4 }, // 1 conv filter
        { shape: [4], dtype: 'int32', constant: true }, // 2 bias
        { shape: [1, 8, 8, 4], scales: 1 }, // 3 conv out
        { shape: [1, 3, 3, 8], constant: true, scales: 8 }, // 4 dw filter, multiplier 2
        { shape: [1, 4, 4, 8], scales: 1 }, // 5 dw out (stride 2)
        { shape: [1, 2, 2, 8], scales: 1 }, // 6 pool out
        { shape: [10, 32], constant: true, scales: 1 }, // 7 fc weights
        { shape: [1, 10], scales: 1 }, // 8 fc out
      ], [
        { opType: 'CONV_2D', inputs: [0, 1, 2], outputs: [3] },
        { opType: 'DEPTHWISE_CONV_2D', inputs: [3, 4, -1], outputs: [5], options: { depthMultiplier: 2 } },
        { opType: 'MAX_POOL_2D', inputs: [5], outputs: [6], options: { filterWidth: 2, filterHeight: 2, strideW: 2, strideH: 2 } },
        { opType: 'FULLY_CONNECTED', inputs: [6, 7, -1], outputs: [8] },
      ]);
      const [conv, dw, pool, fc] = layerCosts(g);
      // conv: outH*outW*outC*kH*kW*inC = 8*8*4*3*3*3 = 6912
      assert.equal(conv.macs, 6912);
      assert.equal(conv.kind, 'conv');
      assert.equal(conv.params, 4 * 27 + 4);
      assert.equal(conv.weightBytes, 108 + 16);
      assert.equal(conv.quantization, 'per-channel int8 (4 ch)');
      assert.deepEqual(conv.inputShapes, [[1, 8, 8, 3], [4, 3, 3, 3], [4]]);
      assert.equal(conv.outputBytes, 256);
      // depthwise: outH*outW*outC*kH*kW = 4*4*8*9 = 1152
      assert.equal(dw.macs, 1152);
      assert.equal(dw.kind, 'depthwise');
      assert.equal(dw.depthMultiplier, 2);
      assert.deepEqual(dw.inputShapes, [[1, 8, 8, 4], [1, 3, 3, 8]]);
      // pool: outH*outW*C*kH*kW = 2*2*8*2*2 = 128 window elements
      assert.equal(pool.macs, 128);
      assert.equal(pool.kind, 'pool');
      // fc: batch*outUnits*inUnits = 1*10*32 = 320
      assert.equal(fc.macs, 320);
      assert.equal(fc.quantization, 'per-tensor int8');
    });

    it('names int16x8, float and conversion types; counts reshape as free', () => {
      const g = graph('tflite', [
        { shape: [1, 16], dtype: 'int16', scales: 1 },
        { shape: [4, 16], constant: true, scales: 1 },
        { shape: [1, 4], dtype: 'int16', scales: 1 },
        { shape: [1, 4], dtype: 'float32' },
        { shape: [2, 2], dtype: 'float32' },
      ], [
        { opType: 'FULLY_CONNECTED', inputs: [0, 1, -1], outputs: [2] },
        { opType: 'DEQUANTIZE', inputs: [2], outputs: [3] },
        { opType: 'RESHAPE', inputs: [3], outputs: [4] },
      ]);
      const [fc, deq, reshape] = layerCosts(g);
      assert.equal(fc.dtype, 'int16x8');
      assert.equal(deq.dtype, 'int16->float32');
      assert.equal(deq.kind, 'quantize');
      assert.equal(deq.macs, 4);
      assert.equal(reshape.kind, 'reshape');
      assert.equal(reshape.macs, 0);
      assert.equal(reshape.quantization, 'float');
    });

    it("tells data movement ('other') from ops without a cost model ('unknown')", () => {
      const g = graph('tflite', [{ shape: [1, 4] }, { shape: [1, 4] }, { shape: [1, 8] }, { shape: [1, 8] }], [
        { opType: 'CONCATENATION', inputs: [0, 1], outputs: [2] },
        { opType: 'TFLite_Detection_PostProcess', inputs: [2], outputs: [3] },
      ]);
      const [concat, custom] = layerCosts(g);
      assert.deepEqual([concat.kind, concat.macs], ['other', 0]);
      assert.deepEqual([custom.kind, custom.macs], ['unknown', 0]);
    });

    it('returns nothing for a missing subgraph', () => {
      assert.deepEqual(layerCosts(graph('tflite', [{ shape: [1] }], []), 3), []);
    });
  });

  describe('hand-built ONNX graphs (NCHW)', () => {
    it('counts Conv, grouped depthwise Conv, Gemm, MatMul and pools', () => {
      const g = graph('onnx', [
        { shape: [1, 3, 32, 32], dtype: 'float32' }, // 0
        { shape: [16, 3, 3, 3], dtype: 'float32', constant: true }, // 1
        { shape: [1, 16, 30, 30], dtype: 'float32' }, // 2 conv out (no pad)
        { shape: [16, 1, 3, 3], dtype: 'float32', constant: true }, // 3 dw weights, group 16
        { shape: [1, 16, 28, 28], dtype: 'float32' }, // 4
        { shape: [1, 16, 14, 14], dtype: 'float32' }, // 5 maxpool 2x2
        { shape: [1, 16, 1, 1], dtype: 'float32' }, // 6 global avg pool
        { shape: [1, 16], dtype: 'float32' }, // 7 flatten
        { shape: [16, 10], dtype: 'float32', constant: true }, // 8 gemm B
        { shape: [1, 10], dtype: 'float32' }, // 9
        { shape: [10, 5], dtype: 'float32', constant: true }, // 10 matmul B
        { shape: [1, 5], dtype: 'float32' }, // 11
      ], [
        { opType: 'Conv', inputs: [0, 1], outputs: [2], options: { kernel_shape: [3, 3], group: 1 } },
        { opType: 'Conv', inputs: [2, 3], outputs: [4], options: { kernel_shape: [3, 3], group: 16 } },
        { opType: 'MaxPool', inputs: [4], outputs: [5], options: { kernel_shape: [2, 2], strides: [2, 2] } },
        { opType: 'GlobalAveragePool', inputs: [5], outputs: [6] },
        { opType: 'Flatten', inputs: [6], outputs: [7] },
        { opType: 'Gemm', inputs: [7, 8], outputs: [9] },
        { opType: 'MatMul', inputs: [9, 10], outputs: [11] },
      ]);
      const [conv, dw, maxPool, gap, flatten, gemm, matmul] = layerCosts(g);
      // Conv: N*M*oH*oW*(C/group)*kH*kW = 1*16*30*30*3*3*3 = 388,800
      assert.equal(conv.macs, 388800);
      assert.equal(conv.kind, 'conv');
      assert.equal(conv.dtype, 'float32');
      assert.equal(conv.quantization, 'float');
      // depthwise (group == C, one input channel per group): 16*28*28*9 = 112,896
      assert.equal(dw.kind, 'depthwise');
      assert.equal(dw.macs, 112896);
      // MaxPool 2x2: 16*14*14*4 = 12,544
      assert.equal(maxPool.macs, 12544);
      // GlobalAveragePool visits each input once: 16*14*14 = 3,136
      assert.equal(gap.macs, 3136);
      assert.equal(flatten.kind, 'reshape');
      // Gemm [1,16]x[16,10]: 160; MatMul [1,10]x[10,5]: 50
      assert.equal(gemm.macs, 160);
      assert.equal(gemm.kind, 'fc');
      assert.equal(matmul.macs, 50);
      assert.equal(gemm.weightBytes, 16 * 10 * 4);
    });

    it('costs a grouped conv with several channels per group as a conv', () => {
      const g = graph('onnx', [
        { shape: [1, 8, 10, 10], dtype: 'float32' },
        { shape: [8, 2, 3, 3], dtype: 'float32', constant: true },
        { shape: [1, 8, 8, 8], dtype: 'float32' },
      ], [{ opType: 'Conv', inputs: [0, 1], outputs: [2], options: { group: 4 } }]);
      const [conv] = layerCosts(g);
      assert.equal(conv.kind, 'conv');
      // 8*8*8 outputs * 9 taps * 2 channels per group = 9,216
      assert.equal(conv.macs, 9216);
    });

    it('counts LSTM gates and reads QLinearConv per-channel scales', () => {
      const g = graph('onnx', [
        { shape: [5, 1, 8], dtype: 'float32' }, // X [T, B, I]
        { shape: [1, 64, 8], dtype: 'float32', constant: true }, // W [D, 4H, I], H = 16
        { shape: [1, 64, 16], dtype: 'float32', constant: true }, // R [D, 4H, H]
        { shape: [5, 1, 1, 16], dtype: 'float32' }, // Y
      ], [{ opType: 'LSTM', inputs: [0, 1, 2], outputs: [3], options: { hidden_size: 16 } }]);
      const [lstm] = layerCosts(g);
      // steps(5) * (4H*I + 4H*H) = 5 * (512 + 1024) = 7,680
      assert.equal(lstm.macs, 7680);
      assert.equal(lstm.kind, 'lstm');

      const q = graph('onnx', [
        { shape: [1, 4, 6, 6], dtype: 'uint8' }, // x
        { shape: [], dtype: 'float32', constant: true }, // x_scale
        { shape: [], dtype: 'uint8', constant: true }, // x_zp
        { shape: [8, 4, 1, 1], dtype: 'int8', constant: true }, // w
        { shape: [8], dtype: 'float32', constant: true }, // w_scale (per channel)
        { shape: [8], dtype: 'int8', constant: true }, // w_zp
        { shape: [], dtype: 'float32', constant: true }, // y_scale
        { shape: [], dtype: 'uint8', constant: true }, // y_zp
        { shape: [1, 8, 6, 6], dtype: 'uint8' },
      ], [{ opType: 'QLinearConv', inputs: [0, 1, 2, 3, 4, 5, 6, 7], outputs: [8] }]);
      const [qconv] = layerCosts(q);
      assert.equal(qconv.quantization, 'per-channel int8 (8 ch)');
      assert.equal(qconv.dtype, 'uint8xint8');
      // 8*6*6 outputs * 4 input channels = 1,152
      assert.equal(qconv.macs, 1152);
    });
  });

  describe('real models', () => {
    it('person_detect: first depthwise (multiplier 8), first 1x1 conv and the average pool', () => {
      const layers = layerCosts(model('tflm/person_detect.tflite'));
      assert.equal(layers.length, 31);
      // op 0 DEPTHWISE_CONV_2D [1,96,96,1] -> [1,48,48,8], 3x3, stride 2: 48*48*8*3*3 = 165,888
      assert.equal(layers[0].op, 'DEPTHWISE_CONV_2D');
      assert.equal(layers[0].macs, 165888);
      assert.equal(layers[0].depthMultiplier, 8);
      assert.equal(layers[0].quantization, 'per-channel int8 (8 ch)');
      // op 2 CONV_2D 1x1 [1,48,48,8] -> [1,48,48,16]: 48*48*16*1*1*8 = 294,912
      assert.equal(layers[2].op, 'CONV_2D');
      assert.equal(layers[2].macs, 294912);
      assert.equal(layers[2].params, 16 * 8 + 16);
      // op 27 AVERAGE_POOL_2D [1,3,3,256] -> [1,1,1,256], 3x3 window: 1*1*256*3*3 = 2,304
      assert.equal(layers[27].kind, 'pool');
      assert.equal(layers[27].macs, 2304);
      assert.equal(layers[29].kind, 'reshape');
      assert.equal(layers[30].kind, 'softmax');
    });

    it('kws_ref_model: first conv, a depthwise and the pool', () => {
      const layers = layerCosts(model('mlperf-tiny/kws_ref_model.tflite'));
      // op 0 CONV_2D [1,49,10,1] -> [1,25,5,64], 10x4 kernel: 25*5*64*10*4*1 = 320,000
      assert.equal(layers[0].macs, 320000);
      assert.deepEqual(layers[0].kernel, [10, 4]);
      // op 1 DEPTHWISE_CONV_2D [1,25,5,64] -> [1,25,5,64], 3x3: 25*5*64*9 = 72,000
      assert.equal(layers[1].kind, 'depthwise');
      assert.equal(layers[1].macs, 72000);
      // op 9 AVERAGE_POOL_2D 25x5 window over 64 channels: 64*25*5 = 8,000
      assert.equal(layers[9].macs, 8000);
      const total = layers.reduce((n, l) => n + l.macs, 0);
      // 320,000 + 4*72,000 + 4*512,000 + 8,000 + 768 + 12 = 2,664,780
      assert.equal(total, 2664780);
    });

    it('hello_world: the three fully connected layers, int8 and float', () => {
      for (const [file, dtype, quant] of [['tflm/hello_world_int8.tflite', 'int8', 'per-tensor int8'], ['tflm/hello_world_float.tflite', 'float32', 'float']]) {
        const layers = layerCosts(model(file));
        // [1,1]x[16,1]^T: 16; [1,16]x[16,16]^T: 256; [1,16]x[1,16]^T: 16
        assert.deepEqual(layers.map((l) => l.macs), [16, 256, 16]);
        assert.ok(layers.every((l) => l.kind === 'fc' && l.dtype === dtype && l.quantization === quant), file);
      }
    });

    it('keyword_scrambled_8bit: SVDF and QUANTIZE; trained_lstm: LSTM', () => {
      const kws = layerCosts(model('tflm/keyword_scrambled_8bit.tflite'));
      // op 1 SVDF: input [1,96], feature weights [64,96], time weights [64,8]: 64*96 + 64*8 = 6,656
      assert.equal(kws[1].kind, 'svdf');
      assert.equal(kws[1].macs, 6656);
      assert.equal(kws[0].kind, 'quantize');
      assert.equal(kws[0].dtype, 'int16->int8');
      const lstm = layerCosts(model('tflm/trained_lstm_int8.tflite'));
      // UNIDIRECTIONAL_SEQUENCE_LSTM, input [1,28,28], 20 cells: 28 steps * (4*20*28 + 4*20*20) = 107,520
      assert.equal(lstm[0].kind, 'lstm');
      assert.equal(lstm[0].macs, 107520);
    });
  });
});
