// Live inference on the extension host's side: frames serial lines into model inputs, hands them
// to the worker (never computing here), pairs each host output with the device's own result for
// the same frame and reports rows and counters in batches at most every 50 ms.

import { parseDeviceResult } from '../parsers/resultLine';
import { argmax, compareOutputs, deviceValues, type DeviceValues } from './comparison';
import { Framer } from './framing';
import type { InferenceConfig, InferenceRow, InferenceStats } from '../../../../webview/src/device/messages';
import { bytesToElements } from './tensorCodec';
import { InferenceWorkerClient, type LoadedModel } from './workerClient';
import type { WorkerResult } from './workerProtocol';

export interface InferenceUpdate {
  rows: InferenceRow[];
  stats: InferenceStats;
}

interface Pending {
  time: number;
  input: number[];
  row?: InferenceRow;
  device?: DeviceValues;
}

/** Rows kept for re-sync and pairing; disagreements are always reported. */
const KEEP_ROWS = 500;
const MAX_ROWS_PER_UPDATE = 2000;

export class LiveInference {
  private readonly worker: InferenceWorkerClient;
  private framer: Framer | undefined;
  private config: InferenceConfig | undefined;
  private readonly pending = new Map<number, Pending>();
  private lastSeq = 0;
  private lastPairedSeq = 0;
  private outgoing: InferenceRow[] = [];
  private timer: NodeJS.Timeout | undefined;
  private recent: InferenceRow[] = [];
  private running = false;
  private lastFrameError: string | undefined;
  readonly stats: InferenceStats = { running: false, frames: 0, compared: 0, disagreements: 0, skipped: 0 };
  model: LoadedModel | undefined;

  constructor(
    workerFile: string,
    private readonly onUpdate: (u: InferenceUpdate) => void,
    private readonly batchMs = 50,
  ) {
    this.worker = new InferenceWorkerClient(workerFile, {
      onResults: (r) => this.results(r),
      onError: (message) => {
        this.stats.lastError = message;
        this.schedule();
      },
    });
  }

  async load(modelBytes: Uint8Array, fileName: string): Promise<LoadedModel> {
    this.model = await this.worker.load(modelBytes, fileName);
    if (this.config) this.configure(this.config);
    return this.model;
  }

  /** Throws when the framing does not fit the model's input (the panel shows the message). */
  configure(config: InferenceConfig): void {
    this.config = config;
    if (!this.model) return;
    const input = this.model.inputs[0];
    if (!input) throw new Error('the model has no input');
    this.framer = new Framer(config.frame, input);
    this.pending.clear();
    this.lastSeq = 0;
    this.lastPairedSeq = 0;
  }

  start(): void {
    if (!this.model) throw new Error('choose a model first');
    if (!this.framer) throw new Error('configure how lines become inputs first');
    this.running = true;
    this.stats.running = true;
    this.stats.lastError = undefined;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.stats.running = false;
    this.schedule();
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** The last rows, for a view that was hidden and shown again. */
  recentRows(): InferenceRow[] {
    return [...this.recent];
  }

  /** Received lines, in order. */
  push(lines: readonly { time: number; text: string }[]): void {
    if (!this.running || !this.framer || !this.config || !this.model) return;
    const frames = [];
    const labels = this.config.labels;
    const output = this.model.outputs[0];
    const outputCount = output?.elementCount ?? 0;
    const input = this.model.inputs[0];
    for (const line of lines) {
      const pushed = this.framer.push(line.text, line.time);
      if (pushed.error && pushed.error !== this.lastFrameError) {
        this.lastFrameError = pushed.error;
        this.stats.lastError = pushed.error;
        this.schedule();
      }
      for (const f of pushed.frames) {
        frames.push(f);
        this.stats.frames++;
        this.pending.set(f.seq, { time: f.time, input: bytesToElements(f.bytes.subarray(0, 8 * (f.bytes.length / input.elementCount)), input.dtype) });
        this.lastSeq = f.seq;
      }
      if (this.config.compare.device.kind === 'none') continue;
      const result = parseDeviceResult(line.text);
      if (!result) continue;
      const values = deviceValues(result, this.config.compare.device, labels, outputCount);
      // A result belongs to the frame its line completed, or else to the latest frame not yet paired.
      if (!values || this.lastSeq === 0 || this.lastSeq === this.lastPairedSeq) continue;
      this.lastPairedSeq = this.lastSeq;
      const p = this.pending.get(this.lastSeq);
      if (p) {
        p.device = values;
        if (p.row) this.finish(this.lastSeq, p);
      }
    }
    this.trimPending();
    this.worker.run(frames);
  }

  async idle(): Promise<void> {
    await this.worker.idle();
    this.flush();
  }

  async dispose(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.worker.terminate();
  }

  private results(results: WorkerResult[]): void {
    this.stats.skipped = this.worker.skipped;
    for (const r of results) {
      const p = this.pending.get(r.seq);
      if (!p) continue;
      p.row = { seq: r.seq, time: p.time, input: p.input, raw: r.raw, scores: r.scores, top: argmax(r.scores), micros: r.micros };
      if (p.device) this.finish(r.seq, p);
      else this.emit(p.row);
    }
    this.trimPending();
  }

  private finish(seq: number, p: Pending): void {
    if (!p.row || !p.device || !this.model) return;
    const dtype = this.model.outputs[0]?.dtype ?? 'float32';
    const verdict = compareOutputs(p.device, { raw: p.row.raw, scores: p.row.scores }, this.config?.compare.tolerance ?? 0, dtype !== 'float32');
    p.row = { ...p.row, device: p.device, verdict };
    this.stats.compared++;
    if (!verdict.agree) this.stats.disagreements++;
    this.pending.delete(seq);
    this.emit(p.row);
  }

  private emit(row: InferenceRow): void {
    this.outgoing.push(row);
    this.recent.push(row);
    if (this.recent.length > KEEP_ROWS * 2) this.recent = this.recent.slice(-KEEP_ROWS);
    this.schedule();
  }

  private trimPending(): void {
    // Frames whose host row and device result never meet (no result printed) are forgotten.
    if (this.pending.size <= 4 * KEEP_ROWS) return;
    const cutoff = this.lastSeq - 2 * KEEP_ROWS;
    for (const seq of this.pending.keys()) if (seq < cutoff) this.pending.delete(seq);
  }

  private schedule(): void {
    if (!this.timer) this.timer = setTimeout(() => this.flush(), this.batchMs);
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    let rows = this.outgoing;
    this.outgoing = [];
    if (rows.length > MAX_ROWS_PER_UPDATE) {
      // The view plots the latest; disagreements are never dropped.
      const latest = rows.slice(-MAX_ROWS_PER_UPDATE);
      const flagged = rows.slice(0, -MAX_ROWS_PER_UPDATE).filter((r) => r.verdict && !r.verdict.agree);
      rows = [...flagged, ...latest];
    }
    this.recent = this.recent.slice(-KEEP_ROWS);
    this.onUpdate({ rows, stats: { ...this.stats } });
  }
}
