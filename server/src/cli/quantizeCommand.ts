// `tinyml quantize <model> [--calib <dir>] [--method minmax|percentile|entropy] [--percentile P]
// [--per-channel | --per-tensor] [--io int8|float] [--format tflite|onnx] [--board <id>] [-o <out>]
// [--force] [--json]`: full-integer int8 quantization of a float model, validated against it.

import type { ActionOptions } from '../actions';
import { formatOfFileName } from '../actions';
import { parseArgs, UsageError } from './args';
import { ACTION_ALIASES, ACTION_FLAGS, ACTION_VALUES, runActionCommand } from './actionCommand';

export function quantizeCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, {
    values: [...ACTION_VALUES, 'method', 'percentile', 'io', 'format'],
    flags: [...ACTION_FLAGS, 'per-channel', 'per-tensor'],
    aliases: ACTION_ALIASES,
  });
  if (args.flags.has('per-channel') && args.flags.has('per-tensor')) throw new UsageError('give --per-channel or --per-tensor, not both');
  const percentileText = args.values.get('percentile')?.[0];
  const percentile = percentileText === undefined ? undefined : Number(percentileText);
  if (percentile !== undefined && !Number.isFinite(percentile)) throw new UsageError(`--percentile must be a number, not '${percentileText}'`);
  // --percentile alone means percentile calibration.
  const method = args.values.get('method')?.[0] ?? (percentile !== undefined ? 'percentile' : undefined);
  // The output's extension picks the format when --format does not.
  const output = args.values.get('output')?.[0];
  const format = args.values.get('format')?.[0] ?? (output ? formatOfFileName(output) : undefined);
  if (output && format && formatOfFileName(output) && formatOfFileName(output) !== format) throw new UsageError(`-o ${output} does not end in .${format} (--format ${format})`);
  const options: Record<string, unknown> = { kind: 'quantize', method, percentile, io: args.values.get('io')?.[0], format };
  if (args.flags.has('per-tensor')) options.perChannel = false;
  if (args.flags.has('per-channel')) options.perChannel = true;
  return runActionCommand(args, options as ActionOptions, out);
}
