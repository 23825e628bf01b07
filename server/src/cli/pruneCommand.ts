// `tinyml prune <model> --sparsity 0.5 [--structured] [--scope global|per-layer]
// [--include-first-last] [--calib <dir>] [--board <id>] [-o <out>] [--force] [--json]`: magnitude
// or channel pruning, written in the model's own format and validated against the original.

import type { ActionOptions } from '../actions';
import { formatOfFileName } from '../actions';
import { parseArgs, UsageError } from './args';
import { ACTION_ALIASES, ACTION_FLAGS, ACTION_VALUES, runActionCommand } from './actionCommand';

export function pruneCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, {
    values: [...ACTION_VALUES, 'sparsity', 'scope'],
    flags: [...ACTION_FLAGS, 'structured', 'include-first-last'],
    aliases: ACTION_ALIASES,
  });
  const text = args.values.get('sparsity')?.[0];
  if (text === undefined) throw new UsageError('--sparsity is required (e.g. --sparsity 0.5 for half the weights or channels)');
  const sparsity = Number(text);
  if (!Number.isFinite(sparsity)) throw new UsageError(`--sparsity must be a number between 0 and 1, not '${text}'`);
  const output = args.values.get('output')?.[0];
  const model = args.positional[0];
  if (output && model && formatOfFileName(output) && formatOfFileName(model) && formatOfFileName(output) !== formatOfFileName(model)) {
    throw new UsageError(`-o ${output}: pruning keeps the model's format (${formatOfFileName(model)}); convert it separately`);
  }
  const options: Record<string, unknown> = { kind: 'prune', sparsity, scope: args.values.get('scope')?.[0] };
  if (args.flags.has('structured')) options.structured = true;
  if (args.flags.has('include-first-last')) options.includeFirstAndLast = true;
  return runActionCommand(args, options as ActionOptions, out);
}
