// Starts one model-action worker and waits for its answer: progress is forwarded as it comes,
// cancellation terminates the thread (the core's loops are synchronous, so nothing short of that
// stops them), and a crash becomes an `internal` failure instead of an unhandled error.

import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CancellationToken } from 'vscode-languageserver';
import type { ActionJob, FromActionWorker } from './workerProtocol';

export type WorkerAnswer = Exclude<FromActionWorker, { type: 'progress' }>;

/**
 * The worker sits beside the code that is running: dist/server/actionWorker.js beside the server
 * bundle, or actionWorker.ts beside this file when the server runs from TypeScript under tsx
 * (tests), where the thread first installs tsx's require hook (a worker does not get the
 * parent's loader).
 */
function startWorker(job: ActionJob): Worker {
  if (!__filename.endsWith('.ts')) return new Worker(join(__dirname, 'actionWorker.js'), { workerData: job });
  const tsx = createRequire(__filename).resolve('tsx/cjs');
  const entry = join(__dirname, 'actionWorker.ts');
  return new Worker(`require(${JSON.stringify(tsx)}); require(${JSON.stringify(entry)});`, { eval: true, workerData: job });
}

export function runActionWorker(job: ActionJob, onProgress: (message: string, fraction?: number) => void, token: CancellationToken): Promise<WorkerAnswer> {
  if (token.isCancellationRequested) return Promise.resolve({ type: 'failed', reason: 'cancelled', message: 'Cancelled.' });
  return new Promise((resolve) => {
    const worker = startWorker(job);
    let settled = false;
    const finish = (answer: WorkerAnswer) => {
      if (settled) return;
      settled = true;
      cancelListener.dispose();
      void worker.terminate();
      resolve(answer);
    };
    const cancelListener = token.onCancellationRequested(() => finish({ type: 'failed', reason: 'cancelled', message: 'Cancelled.' }));
    worker.on('message', (m: FromActionWorker) => {
      if (m.type === 'progress') {
        if (!settled) onProgress(m.message, m.fraction);
      } else finish(m);
    });
    worker.on('error', (error) => finish({ type: 'failed', reason: 'internal', message: `the model action failed: ${error.stack ?? error.message}` }));
    worker.on('exit', (code) => finish({ type: 'failed', reason: 'internal', message: `the model action worker stopped (exit code ${code}) without an answer` }));
  });
}
