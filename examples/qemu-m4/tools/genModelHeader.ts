// Writes model/modelData.h from a .tflite (the Makefile's `model` target):
//   node --import tsx tools/genModelHeader.ts model/hello_world_int8.tflite model/modelData.h

import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';

import { modelHeader } from './modelHeader';

const [modelPath, headerPath] = process.argv.slice(2);
if (!modelPath || !headerPath) {
  console.error('usage: genModelHeader.ts <model.tflite> <header.h>');
  process.exit(2);
}
const bytes = new Uint8Array(readFileSync(modelPath));
writeFileSync(headerPath, modelHeader(bytes, relative(process.cwd(), modelPath).replace(/\\/g, '/')));
