// The live-inference worker (bundled as dist/client/inferenceWorker.js): loads the model with the
// core's loadModel/prepareEngine and runs each frame, so the extension host's main thread never
// computes. One engine per worker; a new model means a new worker.

import { parentPort } from 'node:worker_threads';
import { prepareEngine, type Engine, type EngineTensor } from '../../../../server/src/engine/engine';
import { loadModel } from '../../../../server/src/model/load';
import { bytesToElements, dequantize, type TensorInfo } from './tensorCodec';
import type { FromWorker, ToWorker, WorkerResult } from './workerProtocol';

let engine: Engine | undefined;

function info(t: EngineTensor): TensorInfo {
  const elementCount = t.shape.reduce((a, b) => a * b, 1);
  return { name: t.name, shape: [...t.shape], dtype: t.dtype, scale: t.scale, zeroPoint: t.zeroPoint, elementCount, byteLength: t.bytes.byteLength };
}

function post(m: FromWorker): void {
  parentPort?.postMessage(m);
}

function handle(m: ToWorker): void {
  if (m.type === 'load') {
    try {
      const graph = loadModel(m.modelBytes, m.fileName);
      engine = prepareEngine(graph);
      post({ type: 'loaded', inputs: engine.inputs.map(info), outputs: engine.outputs.map(info), ops: graph.subgraphs[0]?.operators.length ?? 0 });
    } catch (err) {
      engine = undefined;
      post({ type: 'error', message: `${m.fileName}: ${err instanceof Error ? err.message : String(err)}` });
    }
    return;
  }
  if (!engine) {
    post({ type: 'error', message: 'no model is loaded' });
    return;
  }
  const input = engine.inputs[0];
  const output = engine.outputs[0];
  const outInfo = info(output);
  const results: WorkerResult[] = [];
  for (const f of m.frames) {
    if (f.bytes.byteLength !== input.bytes.byteLength) {
      post({ type: 'error', seq: f.seq, message: `frame ${f.seq} has ${f.bytes.byteLength} bytes, the input ${input.bytes.byteLength}` });
      continue;
    }
    input.bytes.set(f.bytes);
    const started = performance.now();
    try {
      engine.invoke();
    } catch (err) {
      post({ type: 'error', seq: f.seq, message: err instanceof Error ? err.message : String(err) });
      continue;
    }
    const micros = Math.round((performance.now() - started) * 1000);
    const raw = bytesToElements(output.bytes, output.dtype);
    results.push({ seq: f.seq, raw, scores: dequantize(raw, outInfo), micros });
  }
  post({ type: 'results', results });
}

parentPort?.on('message', (m: ToWorker) => handle(m));
