// The host side of the inference worker: starts it from its bundled file, loads a model, and runs
// batches of frames with at most one batch in flight (frames that arrive meanwhile wait, the
// oldest beyond `maxQueued` are skipped and counted), so a fast device cannot flood the worker.

import { Worker } from 'node:worker_threads';
import type { Frame } from './framing';
import type { TensorInfo } from './tensorCodec';
import type { FromWorker, ToWorker, WorkerResult } from './workerProtocol';

export interface LoadedModel {
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  ops: number;
}

export interface WorkerCallbacks {
  onResults(results: WorkerResult[]): void;
  onError(message: string, seq?: number): void;
}

export class InferenceWorkerClient {
  private readonly worker: Worker;
  private loading: { resolve: (m: LoadedModel) => void; reject: (e: Error) => void } | undefined;
  private queue: Frame[] = [];
  private inFlight = false;
  private terminated = false;
  /** Frames skipped because the worker fell behind. */
  skipped = 0;

  constructor(
    workerFile: string,
    private readonly callbacks: WorkerCallbacks,
    private readonly maxQueued = 512,
    private readonly maxBatch = 256,
  ) {
    this.worker = new Worker(workerFile);
    this.worker.on('message', (m: FromWorker) => this.receive(m));
    this.worker.on('error', (err) => {
      this.loading?.reject(err);
      this.loading = undefined;
      this.callbacks.onError(`the inference worker failed: ${err.message}`);
    });
    this.worker.on('exit', (code) => {
      if (!this.terminated) this.callbacks.onError(`the inference worker exited (code ${code})`);
      this.terminated = true;
      this.loading?.reject(new Error(`the inference worker exited (code ${code})`));
      this.loading = undefined;
    });
  }

  load(modelBytes: Uint8Array, fileName: string): Promise<LoadedModel> {
    if (this.loading) return Promise.reject(new Error('a model is already loading'));
    return new Promise((resolve, reject) => {
      this.loading = { resolve, reject };
      this.send({ type: 'load', modelBytes, fileName });
    });
  }

  run(frames: Frame[]): void {
    if (this.terminated || frames.length === 0) return;
    this.queue.push(...frames);
    const excess = this.queue.length - this.maxQueued;
    if (excess > 0) {
      this.queue.splice(0, excess);
      this.skipped += excess;
    }
    this.pump();
  }

  async terminate(): Promise<void> {
    if (this.terminated) return;
    this.terminated = true;
    await this.worker.terminate();
  }

  /** Resolves once nothing is queued or in flight (tests, and a clean stop). */
  async idle(timeoutMs = 10_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while ((this.inFlight || this.queue.length > 0) && !this.terminated) {
      if (Date.now() > until) throw new Error('the inference worker did not finish in time');
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0 || this.terminated) return;
    const batch = this.queue.splice(0, this.maxBatch);
    this.inFlight = true;
    this.send({ type: 'run', frames: batch.map((f) => ({ seq: f.seq, bytes: f.bytes })) });
  }

  private send(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private receive(m: FromWorker): void {
    switch (m.type) {
      case 'loaded':
        this.loading?.resolve({ inputs: m.inputs, outputs: m.outputs, ops: m.ops });
        this.loading = undefined;
        return;
      case 'error':
        if (this.loading && m.seq === undefined) {
          this.loading.reject(new Error(m.message));
          this.loading = undefined;
        } else this.callbacks.onError(m.message, m.seq);
        return;
      case 'results':
        this.inFlight = false;
        this.callbacks.onResults(m.results);
        this.pump();
        return;
    }
  }
}
