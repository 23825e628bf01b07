// The workspace the e2e tests open: a temp copy of the firmware fixture
// test/fixtures/firmware/tflm_main_functions (TFLM's main_functions layout with
// `kTensorArenaSize = 10 * 1024`, too small for the model, and a resolver without Softmax), its
// model array filled with the bytes of the keyword-spotting model (MLPerf Tiny KWS, shipped in
// examples/models), TFLM header stubs so includes resolve, and the same model as a .tflite file
// for the budget view. The expected figures come from the CLI, the same core the server uses.

import { cpSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { repoRoot } from './codeServer.mjs';

export const FIXTURE = 'test/fixtures/firmware/tflm_main_functions';
export const MAIN_FILE = 'main_functions.cc';
export const MODEL_FILE = 'models/kws_ref_model.tflite';
const SHARED_MODELS = join(repoRoot, '..', 'shared', 'models');

/** A model named by a fixture placeholder: ../shared/models when present, else examples/models (same bytes for KWS). */
function modelBytes(path) {
  for (const candidate of [join(SHARED_MODELS, path), join(repoRoot, 'examples', 'models', basename(path))]) {
    if (existsSync(candidate)) return readFileSync(candidate);
  }
  throw new Error(`fixture model ${path} is neither in ../shared/models nor in examples/models`);
}

function xxdBytes(bytes) {
  const lines = [];
  for (let i = 0; i < bytes.length; i += 12) lines.push(Array.from(bytes.subarray(i, i + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '));
  return lines.join(',\n  ');
}

/** Copies the fixture into `ws` with placeholders filled; returns the paths and the figures the tests expect. */
export function makeWorkspace(ws, board) {
  const fixture = join(repoRoot, FIXTURE);
  if (!existsSync(join(fixture, MAIN_FILE))) throw new Error(`missing fixture ${FIXTURE}/${MAIN_FILE} (test/fixtures/firmware is written by the firmware-analysis work)`);
  cpSync(join(repoRoot, 'test', 'fixtures', 'tflm-stubs'), ws, { recursive: true });
  cpSync(fixture, ws, { recursive: true });
  let modelPath;
  for (const name of readdirSync(ws)) {
    const file = join(ws, name);
    if (!/\.(c|cc|cpp|h|hpp|ino)$/.test(name)) continue;
    const text = readFileSync(file, 'utf8');
    if (!text.includes('@MODEL_')) continue;
    writeFileSync(
      file,
      text
        .replace(/@MODEL_BYTES\(([^)]+)\)/g, (_m, p) => ((modelPath = p), xxdBytes(modelBytes(p))))
        .replace(/@MODEL_LEN\(([^)]+)\)/g, (_m, p) => String(modelBytes(p).length)),
    );
  }
  if (!modelPath) throw new Error(`${FIXTURE} holds no @MODEL_BYTES placeholder`);
  cpSync(join(repoRoot, 'examples', 'models', 'kws_ref_model.tflite'), join(ws, MODEL_FILE));

  const mainText = readFileSync(join(ws, MAIN_FILE), 'utf8');
  const arenaMatch = /kTensorArenaSize\s*=\s*(\d+)\s*\*\s*1024/.exec(mainText);
  if (!arenaMatch) throw new Error(`${FIXTURE}/${MAIN_FILE} no longer declares kTensorArenaSize as 'N * 1024'`);
  const arenaExpr = arenaMatch[0].slice(arenaMatch[0].indexOf('=') + 1).trim();
  const before = mainText.slice(0, mainText.indexOf(arenaExpr, arenaMatch.index)).split('\n');

  // The same core through the CLI: what the diagnostics and the budget view must show.
  const cli = (args) => JSON.parse(execFileSync(process.execPath, [join(repoRoot, 'bin', 'tinyml.js'), ...args], { encoding: 'utf8' }));
  const budget = cli(['budget', join(ws, MODEL_FILE), '--board', board, '--json']);
  const boards = cli(['boards', '--json']);
  const resolverCode = execFileSync(process.execPath, [join(repoRoot, 'bin', 'tinyml.js'), 'resolver', join(ws, MODEL_FILE)], { encoding: 'utf8' });
  const margin = 10; // tinyml.arenaMarginPercent's default
  const recommended = Math.ceil(Math.ceil((budget.totals.arenaBytesOptimized * (100 + margin)) / 100) / 16) * 16;
  return {
    root: ws,
    mainFile: MAIN_FILE,
    mainText,
    modelFile: MODEL_FILE,
    board,
    boards,
    arena: {
      expr: arenaExpr,
      line: before.length - 1,
      character: before[before.length - 1].length,
      declaredBytes: Number(arenaMatch[1]) * 1024,
      // tinyml.kernels defaults to "optimized": CMSIS-NN on a Cortex-M board.
      needBytes: budget.totals.arenaBytesOptimized,
      fixText: `${Math.ceil(recommended / 1024)} * 1024`,
    },
    budget: budget.totals,
    resolverCode,
    layers: budget.layers.map((l) => l.op),
  };
}
