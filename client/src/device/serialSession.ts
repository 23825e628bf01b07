// The serial monitor's backend: one open port, its received bytes framed into timestamped
// lines (or hex rows), written to the complete log on disk before listeners see them, and
// handed to the UI in batches at most every ~50 ms. A port that vanishes is reported and
// reopened with backoff when it comes back; the cut-off partial line is kept, marked partial.
// Once the session lets go of a port, bytes that port still delivers (a read that was in flight)
// are never framed into lines: they would start mid-line and pass for whole ones.

import { EventEmitter } from 'node:events';
import type { SerialPort } from 'serialport';
import { encodeLine, hexDump, LineFramer, type LineEnding } from './lineFramer';
import { openPort, type PortSettings } from './ports';
import { SerialLog, type LogRecord } from './serialLog';

export type MonitorMode = 'text' | 'hex';

export interface SerialLine {
  /** Milliseconds since the epoch, when the chunk that completed the line arrived. */
  time: number;
  text: string;
  /** 'partial': cut off by a disconnect or a mode switch; 'hex': a hex dump row. */
  kind: 'line' | 'partial' | 'hex';
}

export interface LineBatch {
  lines: SerialLine[];
  /** Lines left out of this batch because the UI fell behind (the log on disk has them). */
  dropped: number;
}

export interface ReconnectPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Give up after this many failed attempts (default: never). */
  maxAttempts?: number;
}

export interface SessionOptions extends PortSettings {
  /** The complete log, appended to. */
  logFile: string;
  mode?: MonitorMode;
  /** Longest wait before received lines reach listeners. */
  batchMs?: number;
  /** Most lines in one batch; older ones beyond it are counted in `dropped`. */
  maxBatchLines?: number;
  /** false: a disconnect ends the session. */
  reconnect?: ReconnectPolicy | false;
}

export type SessionState = 'closed' | 'opening' | 'open' | 'reconnecting';

export interface SessionEvents {
  lines: [LineBatch];
  open: [{ path: string; reconnected: boolean }];
  disconnected: [{ reason: string }];
  reconnecting: [{ attempt: number; delayMs: number; lastError?: string }];
  warning: [string];
  closed: [];
}

const DEFAULT_RECONNECT: ReconnectPolicy = { initialDelayMs: 100, maxDelayMs: 2000 };

export class SerialSession extends EventEmitter<SessionEvents> {
  private port: SerialPort | undefined;
  /** Stops taking data from the current port (see `attach`). */
  private release: () => void = () => undefined;
  private readonly log: SerialLog;
  private framer = new LineFramer();
  private mode: MonitorMode;
  private bytesReceived = 0;
  private pending: SerialLine[] = [];
  private dropped = 0;
  private batchTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private closing = false;
  private _state: SessionState = 'closed';
  private readonly batchMs: number;
  private readonly maxBatchLines: number;

  constructor(private readonly options: SessionOptions) {
    super();
    this.mode = options.mode ?? 'text';
    this.batchMs = options.batchMs ?? 50;
    this.maxBatchLines = options.maxBatchLines ?? 5000;
    this.log = new SerialLog(options.logFile);
  }

  get state(): SessionState {
    return this._state;
  }

  get path(): string {
    return this.options.path;
  }

  get logFile(): string {
    return this.log.path;
  }

  /** Opens the port; rejects when the first open fails (no retries for a wrong path). */
  async open(): Promise<void> {
    if (this._state !== 'closed') throw new Error(`session on ${this.path} is already ${this._state}`);
    this.closing = false;
    this._state = 'opening';
    this.log.event(`open ${this.path} at ${this.options.baudRate} baud`);
    try {
      await this.attach(false);
    } catch (err) {
      this._state = 'closed';
      this.log.event(`open failed: ${message(err)}`);
      throw err;
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const port = this.port;
    this.port = undefined;
    // What arrives while the port closes is still this session's; the rest of the line is cut off.
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    this.release();
    this.keepPartial();
    this.flushBatch();
    if (this._state !== 'closed') {
      this._state = 'closed';
      this.log.event('closed');
      this.log.close();
      this.emit('closed');
    }
  }

  /**
   * Sends `text` with the line ending; resolves once the OS has the bytes (backpressure-safe).
   * The log records it (S) before the bytes go out, so a reply is never logged ahead of it.
   */
  async send(text: string, ending: LineEnding): Promise<void> {
    const port = this.writablePort();
    this.log.append([{ time: Date.now(), kind: 'S', text }]);
    try {
      await this.writeTo(port, encodeLine(text, ending));
    } catch (err) {
      this.log.event(`send failed: ${message(err)}`);
      throw err;
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    await this.writeTo(this.writablePort(), bytes);
  }

  private writablePort(): SerialPort {
    const port = this.port;
    if (!port || this._state !== 'open') throw new Error(`cannot send: ${this.path} is ${this._state === 'reconnecting' ? 'disconnected' : this._state}`);
    return port;
  }

  private async writeTo(port: SerialPort, bytes: Uint8Array): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const ok = port.write(Buffer.from(bytes), (err) => {
        if (err) reject(err);
        else if (ok) resolve();
      });
      if (!ok) port.once('drain', () => resolve());
    });
  }

  setMode(mode: MonitorMode): void {
    if (mode === this.mode) return;
    this.keepPartial();
    this.mode = mode;
    this.log.event(`mode ${mode}`);
  }

  /** Writes pending lines to listeners now instead of at the next batch tick. */
  flushBatch(): void {
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = undefined;
    if (this.pending.length === 0 && this.dropped === 0) return;
    this.trimPending();
    const batch: LineBatch = { lines: this.pending, dropped: this.dropped };
    this.pending = [];
    this.dropped = 0;
    this.emit('lines', batch);
  }

  private async attach(reconnected: boolean): Promise<void> {
    const { port, warnings } = await openPort(this.options);
    if (this.closing) {
      port.close();
      return;
    }
    this.port = port;
    this._state = 'open';
    // serialport reads in the thread pool: a read in flight at close delivers its bytes after the
    // close. They continue the line just flushed as partial, so they go to the log as partial too
    // (while it is open) and never to the framer, where they would pass for whole lines.
    let live = true;
    this.release = () => (live = false);
    port.on('data', (chunk: Buffer) => (live ? this.receive(chunk) : this.late(chunk)));
    port.on('close', (err: (Error & { disconnected?: boolean }) | null) => {
      if (this.port === port && !this.closing) this.disconnected(err?.message ?? 'the port was closed');
    });
    port.on('error', (err) => {
      if (this.port !== port || this.closing) return;
      if (port.isOpen) this.emit('warning', err.message);
      else this.disconnected(err.message);
    });
    if (reconnected) this.log.event(`reconnected ${this.path}`);
    for (const w of warnings) {
      this.log.event(`warning: ${w}`);
      this.emit('warning', w);
    }
    this.emit('open', { path: this.path, reconnected });
  }

  private receive(chunk: Buffer): void {
    const time = Date.now();
    const records: LogRecord[] = [];
    if (this.mode === 'hex') {
      for (const row of hexDump(chunk, this.bytesReceived)) records.push({ time, kind: 'H', text: row });
    } else {
      for (const text of this.framer.push(chunk)) records.push({ time, kind: 'L', text });
    }
    this.bytesReceived += chunk.length;
    // On disk first: whatever the UI does with the batch, the log is complete.
    this.log.append(records);
    for (const r of records) this.pending.push({ time, text: r.text, kind: r.kind === 'H' ? 'hex' : 'line' });
    if (this.pending.length > 2 * this.maxBatchLines) this.trimPending();
    if (this.pending.length > 0 && !this.batchTimer) this.batchTimer = setTimeout(() => this.flushBatch(), this.batchMs);
  }

  /** Bytes a released port still delivered: recorded as what they are, shown as nothing. */
  private late(chunk: Buffer): void {
    const time = Date.now();
    const rows = this.mode === 'hex' ? hexDump(chunk, this.bytesReceived).map((text) => ({ time, kind: 'H' as const, text })) : [{ time, kind: 'P' as const, text: chunk.toString('utf8') }];
    this.bytesReceived += chunk.length;
    this.log.append(rows);
  }

  /** The unterminated rest becomes a 'partial' line, so nothing received is lost. */
  private keepPartial(): void {
    const rest = this.framer.flush();
    if (rest === undefined) return;
    const time = Date.now();
    this.log.append([{ time, kind: 'P', text: rest }]);
    this.pending.push({ time, text: rest, kind: 'partial' });
  }

  private trimPending(): void {
    const excess = this.pending.length - this.maxBatchLines;
    if (excess > 0) {
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
  }

  private disconnected(reason: string): void {
    this.port = undefined;
    this.release();
    this.keepPartial();
    this.flushBatch();
    this.log.event(`disconnected: ${reason}`);
    this.log.sync();
    this.emit('disconnected', { reason });
    const policy = this.options.reconnect === false ? undefined : (this.options.reconnect ?? DEFAULT_RECONNECT);
    if (!policy) {
      void this.close();
      return;
    }
    this._state = 'reconnecting';
    this.scheduleReconnect(policy, 1, policy.initialDelayMs);
  }

  private scheduleReconnect(policy: ReconnectPolicy, attempt: number, delayMs: number, lastError?: string): void {
    if (this.closing) return;
    if (policy.maxAttempts !== undefined && attempt > policy.maxAttempts) {
      this.log.event(`gave up reconnecting after ${policy.maxAttempts} attempts`);
      void this.close();
      return;
    }
    this.emit('reconnecting', { attempt, delayMs, ...(lastError ? { lastError } : {}) });
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      // A new framer: the device restarted, its next bytes do not continue the cut-off line.
      this.framer = new LineFramer();
      this.attach(true).catch((err) => {
        this.scheduleReconnect(policy, attempt + 1, Math.min(policy.maxDelayMs, Math.round(delayMs * 1.5)), message(err));
      });
    }, delayMs);
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
