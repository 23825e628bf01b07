// `tinyml export <model> [-o <dir>] [--name <identifier>] [--progmem] [--force]`: writes the
// model as a C array header and source beside it (or into <dir>), never over existing files
// unless --force.

import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { exportCArray, xxdName } from '../codegen/cArrayExport';
import { extractModelBytes } from '../model/cArray';
import { modelFormatOf } from '../model/load';
import { parseArgs, UsageError } from './args';
import { readModelBytes } from './io';

export function exportCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { values: ['output', 'name'], flags: ['progmem', 'force'], aliases: { o: 'output' } });
  if (args.positional.length !== 1) throw new UsageError('expected exactly one model file');
  const modelPath = args.positional[0];
  const read = readModelBytes(modelPath);
  // A model already embedded in C source is exported as its bytes, not as the source text.
  const bytes =
    modelFormatOf(read.bytes, basename(modelPath)) === 'c-array'
      ? (extractModelBytes(new TextDecoder('latin1').decode(read.bytes), basename(modelPath))?.bytes ?? read.bytes)
      : read.bytes;
  const stem = basename(modelPath, extname(modelPath));
  const name = args.values.get('name')?.[0] ?? xxdName(basename(modelPath));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new UsageError(`--name '${name}' is not a C identifier`);
  const dir = args.values.get('output')?.[0] ?? dirname(modelPath);
  const headerName = `${stem}_model_data.h`;
  const headerPath = join(dir, headerName);
  const sourcePath = join(dir, `${stem}_model_data.cc`);
  if (!args.flags.has('force')) {
    for (const path of [headerPath, sourcePath]) {
      if (existsSync(path)) throw new UsageError(`${path} exists; pass --force to replace it`);
    }
  }
  const { header, source } = exportCArray(bytes, { name, headerName, progmem: args.flags.has('progmem') });
  mkdirSync(dir, { recursive: true });
  writeFileSync(headerPath, header);
  writeFileSync(sourcePath, source);
  out(`wrote ${headerPath} and ${sourcePath}: ${name}[${bytes.length}], alignas(16)${args.flags.has('progmem') ? ', PROGMEM' : ''}`);
  return 0;
}
