// Builds, at test time, a small TFLM firmware project in a temp folder from a real model: the
// model as an xxd-style C array in model_data.h, and main.cc with an arena, a resolver that
// registers exactly the model's ops, and the interpreter. Positions are computed from the text,
// so tests can assert exact ranges without hard-coding them.

import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadModel } from '../../server/src/model/load';
import { modelsDir, repoRoot } from '../helpers/shared';

/** TFLM's MicroMutableOpResolver method for each builtin op name. */
const ADD_METHOD: Record<string, string> = {
  CONV_2D: 'AddConv2D',
  DEPTHWISE_CONV_2D: 'AddDepthwiseConv2D',
  AVERAGE_POOL_2D: 'AddAveragePool2D',
  MAX_POOL_2D: 'AddMaxPool2D',
  RESHAPE: 'AddReshape',
  FULLY_CONNECTED: 'AddFullyConnected',
  SOFTMAX: 'AddSoftmax',
  ADD: 'AddAdd',
  MUL: 'AddMul',
  QUANTIZE: 'AddQuantize',
  DEQUANTIZE: 'AddDequantize',
  LOGISTIC: 'AddLogistic',
  PAD: 'AddPad',
  MEAN: 'AddMean',
  CONCATENATION: 'AddConcatenation',
};

export function xxdArray(name: string, bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 12) {
    lines.push(`  ${Array.from(bytes.subarray(i, i + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', ')}`);
  }
  return `alignas(16) const unsigned char ${name}[] = {\n${lines.join(',\n')}\n};\nconst unsigned int ${name}_len = ${bytes.length};\n`;
}

export function modelOps(bytes: Uint8Array): string[] {
  const graph = loadModel(bytes);
  return [...new Set(graph.subgraphs[0].operators.map((op) => op.opType))];
}

export interface FirmwareProject {
  root: string;
  modelBytes: Uint8Array;
  mainPath: string;
  mainUri: string;
  mainText: string;
  headerPath: string;
  headerUri: string;
  headerText: string;
}

export interface ProjectOptions {
  /** Model file under ../shared/models. */
  model?: string;
  arenaBytes: number;
  /** A folder name inside the temp folder, to test uris that need escaping. */
  folderName?: string;
}

/** The text of main.cc for an arena of `arenaBytes`, with the given ops registered. */
export function mainSource(arenaBytes: number, ops: readonly string[]): string {
  const adds = ops.map((op) => {
    const method = ADD_METHOD[op];
    if (!method) throw new Error(`no AddXxx() known for ${op}`);
    return `  resolver.${method}();`;
  });
  return [
    '#include "tensorflow/lite/micro/micro_interpreter.h"',
    '#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"',
    '#include "tensorflow/lite/schema/schema_generated.h"',
    '#include "model_data.h"',
    '',
    `constexpr int kTensorArenaSize = ${arenaBytes};`,
    'alignas(16) static uint8_t tensor_arena[kTensorArenaSize];',
    '',
    'void setup() {',
    '  const tflite::Model* model = tflite::GetModel(g_model);',
    `  static tflite::MicroMutableOpResolver<${ops.length}> resolver;`,
    ...adds,
    '  static tflite::MicroInterpreter interpreter(model, resolver, tensor_arena, kTensorArenaSize);',
    '  interpreter.AllocateTensors();',
    '}',
    '',
  ].join('\n');
}

export function makeProject(options: ProjectOptions): FirmwareProject {
  const temp = mkdtempSync(join(tmpdir(), 'tinyml-lsp-'));
  const root = options.folderName ? join(temp, options.folderName) : temp;
  mkdirSync(root, { recursive: true });
  // TFLM's headers as stubs, so that includes resolve as in a real project.
  cpSync(join(repoRoot, 'test', 'fixtures', 'tflm-stubs'), root, { recursive: true });
  const modelBytes = new Uint8Array(readFileSync(join(modelsDir, options.model ?? 'mlperf-tiny/kws_ref_model.tflite')));
  const headerText = `#pragma once\n${xxdArray('g_model', modelBytes)}`;
  const mainText = mainSource(options.arenaBytes, modelOps(modelBytes));
  const headerPath = join(root, 'model_data.h');
  const mainPath = join(root, 'main.cc');
  writeFileSync(headerPath, headerText);
  writeFileSync(mainPath, mainText);
  return {
    root,
    modelBytes,
    mainPath,
    mainUri: pathToFileURL(mainPath).href,
    mainText,
    headerPath,
    headerUri: pathToFileURL(headerPath).href,
    headerText,
  };
}

/** A file uri spelled as VS Code spells it (every reserved character of a segment escaped). */
export function vscodeStyleUri(path: string): string {
  return `file://${path.split('/').map(encodeURIComponent).join('/')}`;
}

/** 0-based line and UTF-16 column of the first occurrence of `needle` (after `after`, if given). */
export function positionOf(text: string, needle: string, after = ''): { line: number; character: number } {
  const from = after ? text.indexOf(after) : 0;
  const offset = text.indexOf(needle, from);
  if (offset < 0 || from < 0) throw new Error(`'${needle}' not in text`);
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export function rangeOf(text: string, needle: string, after = '') {
  const start = positionOf(text, needle, after);
  return { start, end: { line: start.line, character: start.character + needle.length } };
}

/** Applies LSP TextEdits (non-overlapping, any order) to a text. */
export function applyEdits(text: string, edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[]): string {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const edit of sorted) out = out.slice(0, offset(edit.range.start)) + edit.newText + out.slice(offset(edit.range.end));
  return out;
}
