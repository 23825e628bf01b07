// `tinyml resolver <model> [--checked] [--name <var>]`: prints the exact MicroMutableOpResolver<N>
// for a .tflite, .onnx or C-array model, one AddXxx() per op in first-appearance order.

import { basename, extname } from 'node:path';
import { generateResolver } from '../codegen/resolver';
import { parseArgs, UsageError } from './args';
import { readModelBytes } from './io';

export function resolverCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { values: ['name'], flags: ['checked'] });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const modelPath = args.positional[0];
  const name = args.values.get('name')?.[0] ?? 'resolver';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--name '${name}' is not a C identifier`);
  const { graph } = readModelBytes(modelPath);
  const modelName = basename(modelPath, extname(modelPath));
  const { code } = generateResolver(graph, { variableName: name, style: args.flags.has('checked') ? 'checked' : 'plain', modelName });
  out(code.replace(/\n$/, ''));
  return 0;
}
