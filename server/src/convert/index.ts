// Model format converters (#5): graph IR in, model bytes out. TFLite -> ONNX is here; ONNX ->
// TFLite will join it.
export { ConvertError, tfliteToOnnx } from './tfliteToOnnx/convert';
export type { TfliteToOnnxOptions } from './tfliteToOnnx/convert';
export { onnxToTflite } from './onnxToTflite/convert';
export type { OnnxToTfliteOptions } from './onnxToTflite/convert';
