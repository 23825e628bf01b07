// .npy files as model input: float32 taken as is, integers in the input's own type dequantized;
// one sample, or N when the file holds a batch [N, ...].

import { UsageError } from '../cli/args';
import { parseNpy } from '../cli/tensorFiles';
import { FileSamples } from './fileSamples';
import { InputFileError } from './inputFileError';
import { dequantized, describeInput, inputElementCount, ModelInputSpec } from './inputSpec';
import { readElements } from './rawElements';

function withoutUnitDims(shape: readonly number[]): number[] {
  return shape.filter((d) => d !== 1);
}

export function npySamples(bytes: Uint8Array, spec: ModelInputSpec, what: string): FileSamples {
  let file: ReturnType<typeof parseNpy>;
  try {
    file = parseNpy(bytes, what);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    const message = error.message.startsWith(`${what}: `) ? error.message.slice(what.length + 2) : error.message;
    throw new InputFileError(message);
  }
  const perSample = inputElementCount(spec);
  const count = file.shape.reduce((a, b) => a * b, 1);
  let n: number;
  if (count === perSample) n = 1;
  else if (count > 0 && count % perSample === 0 && file.shape[0] === count / perSample) n = count / perSample;
  else {
    throw new InputFileError(
      `.npy of shape [${file.shape.join(',')}] (${count} values) does not fit ${describeInput(spec)}: one sample is ${perSample} values, a batch [N, ...] N times that`,
    );
  }
  if (file.dtype !== 'float32' && file.dtype !== spec.dtype) {
    const integerInput = ['int8', 'uint8', 'int16', 'int32'].includes(spec.dtype);
    throw new InputFileError(`${file.dtype} .npy for ${describeInput(spec)}: save float32 values${integerInput ? ` or ${spec.dtype} values in the input's own quantization` : ''}`);
  }
  const warnings: string[] = [];
  const sampleShape = withoutUnitDims(n > 1 ? file.shape.slice(1) : file.shape);
  const inputShape = withoutUnitDims(spec.shape);
  if (sampleShape.length > 1 && sampleShape.join(',') !== inputShape.join(',')) {
    // Same count, other arrangement (often NCHW data for an NHWC input): worth a look, not a refusal.
    warnings.push(`.npy values whose shape differs from ${describeInput(spec)} are taken in their stored (C) order`);
  }
  const all = readElements(file.bytes, file.dtype, 0, count);
  const values: Float32Array[] = [];
  for (let s = 0; s < n; s++) {
    const slice = all.subarray(s * perSample, (s + 1) * perSample);
    values.push(file.dtype === 'float32' ? Float32Array.from(slice) : dequantized(slice, spec));
  }
  return { values, warnings };
}
