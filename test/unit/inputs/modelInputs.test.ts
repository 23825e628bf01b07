import assert from 'node:assert/strict';
import { modelInputSpecs } from '../../../server/src/inputs/modelInputs';
import type { Graph, Tensor } from '../../../server/src/model/graph';
import { oracleJson } from '../../helpers/shared';
import { sharedModelInputs } from './sharedModelInputs';

interface OracleInput {
  dtype: string;
  shape: number[];
  scale: number;
  zero_point: number;
}

/** A one-input graph of the given format: the layout rule reads only the format and shape. */
function graphWithInput(format: Graph['format'], shape: number[]): Graph {
  const tensor: Tensor = { index: 0, name: 'pixel_values', shape, dtype: 'float32', isVariable: false, buffer: -1 };
  return { format, version: 8, description: '', subgraphs: [{ name: 'main', tensors: [tensor], operators: [], inputs: [0], outputs: [0] }], metadata: [], fileBytes: 0 };
}

describe('modelInputSpecs', () => {
  for (const [model, stem] of [
    ['tflm/person_detect.tflite', 'person_detect'],
    ['tflm/micro_speech_quantized.tflite', 'micro_speech_quantized'],
    ['tflm/hello_world_int8.tflite', 'hello_world_int8'],
  ]) {
    it(`gives ${stem}'s input as TFLM reports it (shape, type, scale, zero point)`, () => {
      const oracle = oracleJson('tflm', stem).inputs as OracleInput[];
      const specs = sharedModelInputs(model);
      assert.equal(specs.length, oracle.length);
      specs.forEach((spec, i) => {
        assert.deepEqual([...spec.shape], oracle[i].shape);
        assert.equal(spec.dtype, oracle[i].dtype);
        assert.equal(spec.scale, oracle[i].scale);
        assert.equal(spec.zeroPoint, oracle[i].zero_point);
        assert.equal(spec.layout, 'nhwc');
      });
    });
  }

  it('calls a TFLite input exported channels-first [1,3,224,224] nchw', () => {
    const [spec] = sharedModelInputs('tflm/mobilenet_v2_quantized_1x3x224x224.tflite');
    assert.deepEqual([...spec.shape], [1, 3, 224, 224]);
    assert.equal(spec.layout, 'nchw');
  });

  it('leaves an unquantized input without scale or zero point', () => {
    const [spec] = sharedModelInputs('mlperf-tiny/vww_96_float.tflite');
    assert.equal(spec.dtype, 'float32');
    assert.equal(spec.scale, undefined);
    assert.equal(spec.zeroPoint, undefined);
  });

  it('follows the ONNX convention (nchw) unless the shape is plainly channels-last, and fixes a dynamic batch at 1', () => {
    assert.equal(modelInputSpecs(graphWithInput('onnx', [1, 3, 32, 32]))[0].layout, 'nchw');
    assert.equal(modelInputSpecs(graphWithInput('onnx', [1, 32, 32, 3]))[0].layout, 'nhwc');
    assert.equal(modelInputSpecs(graphWithInput('onnx', [1, 1, 49, 10]))[0].layout, 'nchw');
    assert.deepEqual(modelInputSpecs(graphWithInput('onnx', [-1, 3, 32, 32]))[0].shape, [1, 3, 32, 32]);
    assert.equal(modelInputSpecs(graphWithInput('tflite', [1, 49, 10, 1]))[0].layout, 'nhwc');
  });
});
