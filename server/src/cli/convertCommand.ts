// `tinyml convert <model> [-o <out.tflite|out.onnx>] [--calib <dir>] [--board <id>] [--force]
// [--json]`: TFLite <-> ONNX, the target format from -o's extension (default: the other format),
// validated against the original on the same inputs.

import { formatOfFileName } from '../actions';
import { parseArgs, UsageError } from './args';
import { ACTION_ALIASES, ACTION_FLAGS, ACTION_VALUES, runActionCommand } from './actionCommand';
import { readModelBytes } from './io';

export function convertCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { values: ACTION_VALUES, flags: ACTION_FLAGS, aliases: ACTION_ALIASES });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const output = args.values.get('output')?.[0];
  let to = output ? formatOfFileName(output) : undefined;
  if (output && !to) throw new UsageError(`-o ${output}: the output must end in .tflite or .onnx (it names the target format)`);
  to ??= readModelBytes(args.positional[0]).graph.format === 'onnx' ? 'tflite' : 'onnx';
  return runActionCommand(args, { kind: 'convert', to }, out);
}
