// Engine benchmark (#4): warm median milliseconds per inference for every int8 model in
// ../shared, run by our TFLite engine (prepareEngine on the .tflite) and, in the same run, by
// onnxruntime-node (CPU, one thread) and onnxruntime-web (WASM, one thread, loaded in Node) on the
// ONNX form our converter makes of the same model. Ratios are peer time / our time (above 1: we
// are faster). Also the keyword-spotting model (kws_ref_model) against the 5 ms goal.
// Models with ops our engine or the converter lacks print 'unsupported'.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import * as ortNode from 'onnxruntime-node';
import { tfliteToOnnx } from '../server/src/convert';
import { prepareEngine } from '../server/src/engine/engine';
import type { TensorData } from '../server/src/engine/kernels/kernel';
import type { Graph } from '../server/src/model/graph';
import { readTflite } from '../server/src/model/tflite/reader';

const KWS_GOAL_MS = 5;
const KWS_MODEL = 'kws_ref_model.tflite';

/** ../shared/models beside the clone, from bench/ (tsx) or dist/bench/ (the bundle). */
function sharedModels(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = resolve(dir, '..', 'shared', 'models');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no ../shared/models above ${__dirname}`);
}

function tfliteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tfliteFiles(path);
    return e.name.endsWith('.tflite') ? [path] : [];
  });
}

function isInt8(graph: Graph): boolean {
  const sg = graph.subgraphs[0];
  return sg.inputs.some((i) => sg.tensors[i].dtype === 'int8') || sg.operators.some((op) => op.outputs.some((o) => sg.tensors[o]?.dtype === 'int8'));
}

/** Median wall time after 3 warm-up runs, over at least 5 runs or ~400 ms (at most 200 runs). */
async function medianMs(run: () => unknown): Promise<number> {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  const deadline = performance.now() + 400;
  while (times.length < 5 || (performance.now() < deadline && times.length < 200)) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/** Deterministic input bytes (the TFLM oracle's LCG). */
function inputBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = 0x2545f491;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

type OrtModule = typeof ortNode;
type OrtSession = ortNode.InferenceSession;

function ortType(data: TensorData): 'float32' | 'int8' | 'uint8' | 'int32' | 'int16' {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Int16Array) return 'int16';
  return 'uint8';
}

/** Graph inputs in order: the converter keeps the TFLite inputs' order, names and shapes. */
async function timeOrt(ort: OrtModule, session: OrtSession, inputs: { data: TensorData; shape: readonly number[] }[]): Promise<number> {
  const feeds: Record<string, ortNode.Tensor> = {};
  session.inputNames.forEach((name, i) => {
    feeds[name] = new ort.Tensor(ortType(inputs[i].data), inputs[i].data, [...inputs[i].shape]);
  });
  return medianMs(() => session.run(feeds));
}

type Cell = number | 'unsupported';

interface Row {
  model: string;
  ours: Cell;
  node: Cell;
  web: Cell;
  note: string;
}

async function main(): Promise<void> {
  // onnxruntime-web in Node: its "node" export loads the WASM build from node_modules.
  const ortWeb = (await import('onnxruntime-web')) as unknown as OrtModule & { env: { wasm: { numThreads: number } } };
  ortWeb.env.wasm.numThreads = 1;
  const shared = sharedModels();
  const rows: Row[] = [];
  for (const path of tfliteFiles(shared).sort()) {
    const graph = readTflite(new Uint8Array(readFileSync(path)));
    if (!isInt8(graph)) continue;
    const row: Row = { model: relative(shared, path), ours: 'unsupported', node: 'unsupported', web: 'unsupported', note: '' };
    rows.push(row);
    // Every input gets the same deterministic bytes, typed as the model declares it.
    const sg = graph.subgraphs[0];
    const inputs = sg.inputs.map((i) => {
      const t = sg.tensors[i];
      const width = t.dtype === 'float32' || t.dtype === 'int32' ? 4 : t.dtype === 'int16' ? 2 : 1;
      const bytes = inputBytes(t.shape.reduce((a, b) => a * b, 1) * width);
      const data: TensorData = t.dtype === 'int8' ? new Int8Array(bytes.buffer) : t.dtype === 'float32' ? new Float32Array(bytes.buffer).map((v) => (Number.isFinite(v) ? v : 0))
        : t.dtype === 'int32' ? new Int32Array(bytes.buffer) : t.dtype === 'int16' ? new Int16Array(bytes.buffer) : bytes;
      return { data, shape: t.shape };
    });
    try {
      const engine = prepareEngine(graph);
      const given = inputs.map((x) => x.data);
      row.ours = await medianMs(() => engine.invoke(given));
    } catch (e) {
      row.note = `engine: ${(e as Error).message.slice(0, 60)}`;
    }
    let onnx: Uint8Array;
    try {
      onnx = tfliteToOnnx(graph);
    } catch (e) {
      row.note ||= `convert: ${(e as Error).message.slice(0, 60)}`;
      continue;
    }
    for (const [key, ort, options] of [
      ['node', ortNode, { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' }],
      ['web', ortWeb, { executionProviders: ['wasm'], graphOptimizationLevel: 'all' }],
    ] as const) {
      try {
        const session = await ort.InferenceSession.create(onnx, options as ortNode.InferenceSession.SessionOptions);
        row[key] = await timeOrt(ort, session, inputs);
        await session.release();
      } catch (e) {
        row.note ||= `${key}: ${(e as Error).message.slice(0, 60)}`;
      }
    }
  }

  const ms = (c: Cell) => (typeof c === 'number' ? `${c.toFixed(3)} ms` : c);
  const ratio = (peer: Cell, ours: Cell) => (typeof peer === 'number' && typeof ours === 'number' ? `${(peer / ours).toFixed(2)}x` : '-');
  const header = ['model', 'ours (TFLite engine)', 'ort-node 1T', 'ort-web wasm 1T', 'node/ours', 'web/ours', 'note'];
  const table = rows.map((r) => [r.model, ms(r.ours), ms(r.node), ms(r.web), ratio(r.node, r.ours), ratio(r.web, r.ours), r.note]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
  const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd();
  console.log('Warm median ms per inference, int8 models; onnxruntime runs the ONNX our converter makes (QLinear form).');
  console.log('Ratios: peer time / our time (above 1: our engine is faster).\n');
  console.log(fmt(header));
  for (const r of table) console.log(fmt(r));
  const kws = rows.find((r) => basename(r.model) === KWS_MODEL);
  if (kws && typeof kws.ours === 'number') {
    const verdict = kws.ours <= KWS_GOAL_MS ? 'meets' : 'MISSES';
    console.log(`\nkeyword spotting (${kws.model}): ${kws.ours.toFixed(3)} ms per inference ${verdict} the ${KWS_GOAL_MS} ms goal`);
  } else {
    console.log(`\nkeyword spotting (${KWS_MODEL}): unsupported or missing, ${KWS_GOAL_MS} ms goal not measured`);
  }
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
