// Model format converters (#5): TFLite -> ONNX (ONNX bytes out) and ONNX -> TFLite (a TFLite
// graph that writeTflite serializes).
export { ConvertError, tfliteToOnnx } from './tfliteToOnnx/convert';
export type { TfliteToOnnxOptions } from './tfliteToOnnx/convert';
export { onnxToTflite } from './onnxToTflite/convert';
export type { OnnxToTfliteOptions } from './onnxToTflite/convert';
