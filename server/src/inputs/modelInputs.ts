// A model graph's inputs as the calibration readers see them.

import type { Graph } from '../model/graph';
import type { ModelInputSpec } from './inputSpec';

const IMAGE_CHANNELS = new Set([1, 3]);

/**
 * The format's convention ('nhwc' for TFLite, 'nchw' for ONNX), unless a 4-D shape plainly says
 * otherwise: PyTorch-exported TFLite models keep [1,3,H,W], and ONNX converted from TFLite keeps
 * [1,H,W,3].
 */
function layoutOf(format: Graph['format'], shape: readonly number[]): ModelInputSpec['layout'] {
  const conventional = format === 'onnx' ? 'nchw' : 'nhwc';
  if (shape.length !== 4) return conventional;
  if (conventional === 'nhwc' && IMAGE_CHANNELS.has(shape[1]) && !IMAGE_CHANNELS.has(shape[3])) return 'nchw';
  if (conventional === 'nchw' && IMAGE_CHANNELS.has(shape[3]) && !IMAGE_CHANNELS.has(shape[1])) return 'nhwc';
  return conventional;
}

export function modelInputSpecs(graph: Graph): ModelInputSpec[] {
  const sg = graph.subgraphs[0];
  if (!sg) return [];
  return sg.inputs.map((index) => {
    const tensor = sg.tensors[index];
    // A dynamic batch is fed one sample at a time.
    const shape = tensor.shape.map((d, i) => (i === 0 && d < 0 && tensor.shape.length > 1 ? 1 : d));
    const q = tensor.quantization;
    const spec: ModelInputSpec = { name: tensor.name, shape, dtype: tensor.dtype, layout: layoutOf(graph.format, shape) };
    if (q && q.scale.length === 1) {
      spec.scale = q.scale[0];
      spec.zeroPoint = q.zeroPoint[0] ?? 0;
    }
    return spec;
  });
}
