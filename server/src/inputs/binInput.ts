// Raw .bin files as model input: little-endian elements in the input's own type, one sample per
// whole input size; quantized types dequantized with the input's scale and zero point.

import { FileSamples } from './fileSamples';
import { InputFileError } from './inputFileError';
import { dequantized, describeInput, inputElementCount, ModelInputSpec } from './inputSpec';
import { isRawDType, RAW_DTYPE_BYTES, readElements } from './rawElements';

export function binSamples(bytes: Uint8Array, spec: ModelInputSpec): FileSamples {
  if (!isRawDType(spec.dtype)) {
    throw new InputFileError(`raw .bin cannot feed ${describeInput(spec)}: raw files are read for float32, int8, uint8, int16 and int32 inputs (use .npy)`);
  }
  const perSample = inputElementCount(spec);
  const sampleBytes = perSample * RAW_DTYPE_BYTES[spec.dtype];
  if (bytes.length === 0 || bytes.length % sampleBytes !== 0) {
    throw new InputFileError(`.bin of ${bytes.length} bytes is not a whole number of samples of ${describeInput(spec)} (${sampleBytes} bytes each)`);
  }
  const values: Float32Array[] = [];
  for (let at = 0; at < bytes.length; at += sampleBytes) {
    const raw = readElements(bytes, spec.dtype, at, perSample);
    values.push(raw instanceof Float32Array ? raw : dequantized(raw, spec));
  }
  return { values, warnings: [] };
}
