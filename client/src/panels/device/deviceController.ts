// The device panel's host logic, without the editor: one serial session (monitor), live inference
// through the worker, and the one-click flow (build, flash with the board's first available
// method, open the monitor, resume an emulator, start inference). It answers the view's messages
// and keeps what a hidden view needs to re-sync (recent lines and inference rows).

import { basename, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findBoard, type Board } from '../../../../server/src/analysis/boards';
import type {
  ConnectionState,
  DeviceToHost,
  HostToDevice,
  InferenceConfig,
  InferenceStats,
  LineEnding,
  ModelSummary,
  MonitorLine,
  PortChoice,
} from '../../../../webview/src/device/messages';
import { runBuild } from '../../device/build';
import { flashMethodsFor, getFlashMethod } from '../../device/flash/registry';
import type { EmulatorHandle, FlashMethodId } from '../../device/flash/types';
import { findLabels } from '../../device/inference/labels';
import { LiveInference } from '../../device/inference/liveInference';
import type { ModelSource } from '../../device/inference/modelCandidates';
import { readModelSource, type LoadedSource } from '../../device/inference/modelSource';
import { findPreset, PRESETS, type DevicePreset } from '../../device/inference/presets';
import { listPorts, type PortListing } from '../../device/ports';
import { SerialSession, type LineBatch } from '../../device/serialSession';
import { ToolError } from '../../device/spawnTool';
import type { DeviceHost } from './deviceHost';

const DEFAULT_INFERENCE: InferenceConfig = {
  frame: { source: { kind: 'perLine' }, mapping: { kind: 'quantize' } },
  compare: { device: { kind: 'scores' }, tolerance: 0.02 },
  labels: [],
};

export class DeviceController {
  private session: SerialSession | undefined;
  private history: MonitorLine[] = [];
  private inference: LiveInference | undefined;
  private model: ModelSummary | undefined;
  private labelsSource: string | undefined;
  private config: InferenceConfig | undefined;
  private emulator: EmulatorHandle | undefined;
  private task: AbortController | undefined;
  private ports: PortListing = { ports: [] };
  private disposed = false;
  private lastStats: InferenceStats = { running: false, frames: 0, compared: 0, disagreements: 0, skipped: 0 };
  private mode: 'text' | 'hex' = 'text';

  constructor(
    private readonly host: DeviceHost,
    private readonly post: (m: HostToDevice) => void,
    private readonly list: () => Promise<PortListing> = () => listPorts(),
  ) {}

  async receive(m: DeviceToHost): Promise<void> {
    try {
      await this.handle(m);
    } catch (err) {
      const e = err instanceof ToolError ? err : undefined;
      this.post({ type: 'notice', level: 'error', message: e ? e.message.split('\n')[0] : message(err), ...(e?.hint ? { hint: e.hint } : {}) });
    }
  }

  private async handle(m: DeviceToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.ports = await this.list();
        this.post(this.initMessage());
        return;
      case 'refreshPorts':
        this.ports = await this.list();
        this.post({ type: 'ports', ports: this.portChoices(), ...(this.ports.error ? { error: this.ports.error } : {}) });
        return;
      case 'connect':
        await this.connect(m.path, m.baudRate);
        return;
      case 'disconnect':
        await this.disconnect();
        return;
      case 'send':
        await this.send(m.text, m.ending);
        return;
      case 'setMode':
        this.mode = m.mode;
        this.session?.setMode(m.mode);
        return;
      case 'saveLog': {
        const log = this.session?.logFile ?? this.lastLog;
        if (!log) throw new Error('No log yet: connect to a port first.');
        this.session?.flushBatch();
        const saved = await this.host.saveAs(basename(log), { copyFrom: log });
        if (saved) this.post({ type: 'notice', level: 'info', message: `Saved the complete log to ${saved}.` });
        return;
      }
      case 'openLog': {
        const log = this.session?.logFile ?? this.lastLog;
        if (log) this.host.openFile(log);
        return;
      }
      case 'exportCsv': {
        const saved = await this.host.saveAs(m.name, { text: m.csv });
        if (saved) this.post({ type: 'notice', level: 'info', message: `Saved the plot data to ${saved}.` });
        return;
      }
      case 'pickModel': {
        const picked = await this.host.pickModel();
        if (picked) await this.setModel(picked);
        return;
      }
      case 'setModel':
        await this.setModel(m.uri);
        return;
      case 'configureInference':
        this.configure(m.config);
        return;
      case 'startInference':
        this.startInference();
        return;
      case 'stopInference':
        this.inference?.stop();
        return;
      case 'applyPreset':
        await this.applyPreset(m.id);
        return;
      case 'runAll':
        await this.runAll(m.preset, m.path, m.baudRate);
        return;
      case 'cancel':
        this.task?.abort();
        return;
    }
  }

  private lastLog: string | undefined;

  initMessage(): HostToDevice {
    const s = this.host.settings();
    return {
      type: 'init',
      trusted: this.host.isTrusted(),
      ports: this.portChoices(),
      ...(this.ports.error ? { portsError: this.ports.error } : {}),
      presets: PRESETS.map((p) => ({ id: p.id, label: p.label })),
      defaults: { path: s.port, baudRate: s.baudRate, lineEnding: s.lineEnding },
      connection: { state: this.state(), ...(this.session ? { path: this.session.path } : {}), ...(this.session?.logFile ?? this.lastLog ? { logFile: this.session?.logFile ?? this.lastLog } : {}) },
      history: this.history,
      ...(this.model ? { model: this.model } : {}),
      ...(this.config ? { inference: this.config } : {}),
      ...(this.labelsSource ? { labelsSource: this.labelsSource } : {}),
      rows: this.inference?.recentRows() ?? [],
      stats: this.lastStats,
    };
  }

  private state(): ConnectionState {
    return this.session?.state ?? 'closed';
  }

  private portChoices(): PortChoice[] {
    return this.ports.ports.map((p) => ({
      path: p.path,
      detail: [p.boards.map((b) => b.name).join(' / ') || p.manufacturer, p.vendorId && p.productId ? `${p.vendorId.slice(2)}:${p.productId.slice(2)}` : undefined].filter(Boolean).join(' ') || p.path,
    }));
  }

  // ---- monitor ----

  async connect(path: string, baudRate: number): Promise<void> {
    if (!path) throw new Error('Type or pick a serial port path first (e.g. /dev/ttyACM0, COM3).');
    await this.disconnect();
    const file = join(this.host.settings().logDirectory || this.host.logDirectory(), `${timestamp()}-${path.replace(/^(\/dev\/|\\\\\.\\)/, '').replace(/[^\w.-]/g, '_')}.log`);
    const session = new SerialSession({ path, baudRate, logFile: file, mode: this.mode, reconnect: { initialDelayMs: 200, maxDelayMs: 2000 } });
    this.session = session;
    this.lastLog = file;
    session.on('lines', (batch) => this.lines(batch));
    session.on('open', ({ path: p, reconnected }) => this.post({ type: 'connection', state: 'open', path: p, logFile: file, ...(reconnected ? { message: `Reconnected to ${p}.` } : {}) }));
    session.on('disconnected', ({ reason }) => {
      this.event(`disconnected: ${reason}`);
      this.post({ type: 'connection', state: 'reconnecting', path, logFile: file, message: `${path} disconnected (${reason}); reconnecting. Everything received is in the log.` });
    });
    session.on('warning', (w) => this.event(`warning: ${w}`));
    session.on('closed', () => {
      if (this.session === session) this.session = undefined;
      this.post({ type: 'connection', state: 'closed', path, logFile: file });
    });
    this.post({ type: 'connection', state: 'opening', path, logFile: file });
    try {
      await session.open();
    } catch (err) {
      this.session = undefined;
      this.post({ type: 'connection', state: 'closed', path, logFile: file });
      throw new Error(`Cannot open ${path}: ${message(err)}`);
    }
    this.event(`opened ${path} at ${baudRate} baud; log ${file}`);
  }

  async disconnect(): Promise<void> {
    const s = this.session;
    this.session = undefined;
    if (s) await s.close();
  }

  private async send(text: string, ending: LineEnding): Promise<void> {
    if (!this.session) throw new Error('Not connected.');
    await this.session.send(text, ending);
    this.addLines([{ time: Date.now(), text, kind: 'sent' }], 0);
  }

  private lines(batch: LineBatch): void {
    const lines: MonitorLine[] = batch.lines.map((l) => ({ time: l.time, text: l.text, kind: l.kind }));
    this.addLines(lines, batch.dropped);
    // Only whole lines are results: a partial one (cut off by a disconnect) is not a sample.
    this.inference?.push(batch.lines.filter((l) => l.kind === 'line'));
  }

  private event(text: string): void {
    this.addLines([{ time: Date.now(), text, kind: 'event' }], 0);
  }

  private addLines(lines: MonitorLine[], dropped: number): void {
    const keep = this.host.settings().historyLines;
    this.history.push(...lines);
    if (this.history.length > keep * 1.25) this.history = this.history.slice(-keep);
    this.post({ type: 'lines', lines, dropped });
  }

  // ---- live inference ----

  /** A model file (uri or path, relative to the workspace folder) or a model array in firmware source. */
  async setModel(model: string | ModelSource, preset?: DevicePreset): Promise<void> {
    const source: ModelSource = typeof model === 'string' ? { kind: 'file', path: this.resolvePath(model.startsWith('file:') ? fileURLToPath(model) : model) } : model;
    let read: LoadedSource;
    try {
      read = readModelSource(source);
    } catch (err) {
      this.post({ type: 'model', error: message(err) });
      return;
    }
    const { bytes, name, path } = read;
    await this.inference?.dispose();
    this.inference = new LiveInference(this.host.workerFile(), (u) => {
      this.lastStats = u.stats;
      this.post({ type: 'inference', rows: u.rows, stats: u.stats });
    });
    let loaded;
    try {
      loaded = await this.inference.load(bytes, name);
    } catch (err) {
      await this.inference.dispose();
      this.inference = undefined;
      this.model = undefined;
      this.post({ type: 'model', error: message(err) });
      return;
    }
    this.model = { name, path, inputs: loaded.inputs, outputs: loaded.outputs, ops: loaded.ops };
    const found = findLabels(path);
    this.labelsSource = found?.file;
    const base = preset ? { frame: preset.frame, compare: preset.compare, labels: preset.labels } : (this.config ?? DEFAULT_INFERENCE);
    const labels = found?.labels.length ? found.labels : base.labels;
    this.config = { ...base, labels };
    let error: string | undefined;
    try {
      this.inference.configure(this.config);
    } catch (err) {
      error = message(err);
    }
    this.post({ type: 'model', model: this.model, inference: this.config, ...(this.labelsSource ? { labelsSource: this.labelsSource } : {}), ...(error ? { error } : {}) });
  }

  configure(config: InferenceConfig): void {
    this.config = config;
    if (!this.inference) return;
    try {
      this.inference.configure(config);
    } catch (err) {
      this.post({ type: 'model', ...(this.model ? { model: this.model } : {}), error: message(err) });
    }
  }

  startInference(): void {
    if (!this.inference) throw new Error('Choose a model first.');
    this.inference.start();
  }

  /** Lets tests wait until every frame sent to the worker has come back. */
  async inferenceIdle(): Promise<void> {
    await this.inference?.idle();
  }

  private async applyPreset(id: string): Promise<DevicePreset> {
    const preset = findPreset(id);
    if (!preset) throw new Error(`Unknown preset ${id}.`);
    this.post({ type: 'preset', id, hiddenSeries: preset.hiddenSeries, baudRate: preset.baudRate });
    await this.setModel(preset.model, preset);
    return preset;
  }

  // ---- one click ----

  private async runAll(presetId: string | undefined, path: string | undefined, baudRate: number | undefined): Promise<void> {
    if (!this.host.isTrusted()) {
      this.post({
        type: 'task',
        task: 'run',
        state: 'failed',
        message: 'This workspace is not trusted, so nothing is built, flashed or started.',
        hint: 'Trust the workspace (Manage Workspace Trust) to build and flash from it.',
      });
      return;
    }
    if (this.task) throw new Error('A build or flash is already running: cancel it first.');
    const root = this.host.workspaceRoot();
    if (!root) throw new Error('Open the firmware folder as a workspace first.');
    const preset = presetId ? findPreset(presetId) : undefined;
    if (presetId && !preset) throw new Error(`Unknown preset ${presetId}.`);
    const s = this.host.settings();
    const board = findBoard(preset?.board ?? s.board);
    if (!board) throw new Error(`Unknown board '${preset?.board ?? s.board}': choose one with TinyML: Select Board.`);
    const controller = new AbortController();
    this.task = controller;
    const baud = preset?.baudRate ?? baudRate ?? s.baudRate;
    let step: 'build' | 'flash' = 'build';
    try {
      await this.host.withProgress(`TinyML: ${preset?.label ?? board.name}`, async (progress, signal) => {
        signal.addEventListener('abort', () => controller.abort(), { once: true });
        // Build.
        this.post({ type: 'task', task: 'build', state: 'running' });
        progress.report('building');
        const command = preset?.build ?? (s.buildCommand.length > 0 ? s.buildCommand : undefined);
        const sketchDir = this.resolvePath(s.sketchDirectory || '.');
        const built = await runBuild({
          board,
          ...(command ? { command } : { sketchDir }),
          cwd: root,
          isTrusted: () => this.host.isTrusted(),
          onLine: (line) => this.host.log(`[build] ${line}`),
          signal: controller.signal,
        });
        this.post({ type: 'task', task: 'build', state: 'done', message: built.flashUsed !== undefined ? `${built.flashUsed} bytes of flash` : built.argv.join(' ') });
        // Flash.
        step = 'flash';
        const method = this.flashMethod(board, s.flashMethod);
        this.post({ type: 'task', task: 'flash', state: 'running', message: method.describe(board, {}) });
        progress.report(`flashing with ${method.id}`);
        await this.stopEmulator();
        await this.disconnect();
        const artifact = this.resolvePath(preset?.artifact ?? (s.artifact || s.sketchDirectory || '.'));
        const result = await method.run({
          board,
          artifact,
          ...(path ? { port: path } : {}),
          options: method.id === 'arduino-cli' ? { skipCompile: true } : {},
          isTrusted: () => this.host.isTrusted(),
          onLine: (line) => this.host.log(`[flash] ${line}`),
          onProgress: (fraction, label) => progress.report(label, fraction),
          signal: controller.signal,
          cwd: root,
        });
        this.emulator = result.emulator;
        this.post({ type: 'task', task: 'flash', state: 'done', message: result.message });
        // Monitor: the emulator's pty, or the board's port (which may take a moment to come back).
        const port = result.port ?? path;
        if (!port) throw new Error('Flashed; pick the serial port to open the monitor.');
        progress.report(`opening ${port}`);
        await this.connectWithRetry(port, baud, controller.signal);
        const monitorOpenedAt = performance.now();
        if (preset && !this.model) await this.setModel(preset.model, preset);
        if (this.inference && this.config) {
          this.inference.configure(this.config);
          this.inference.start();
        }
        if (result.emulator) {
          progress.report('starting the emulated CPU');
          await result.emulator.resume(monitorOpenedAt);
          if (controller.signal.aborted) throw new ToolError('cancelled', 'Cancelled before the emulated CPU started.');
        }
      });
      this.post({ type: 'task', task: 'run', state: 'done', message: 'built, flashed, monitoring' });
    } catch (err) {
      const cancelled = controller.signal.aborted || (err instanceof ToolError && err.kind === 'cancelled');
      const e = err instanceof ToolError ? err : undefined;
      this.post({ type: 'task', task: step, state: cancelled ? 'cancelled' : 'failed', message: e ? e.message.split('\n')[0] : message(err), ...(e?.hint ? { hint: e.hint } : {}) });
      if (!cancelled) this.host.showError(e ? e.message.split('\n')[0] : message(err), e?.hint);
      if (cancelled) await this.stopEmulator();
    } finally {
      this.task = undefined;
    }
  }

  private flashMethod(board: Board, override: string) {
    if (override) {
      const m = getFlashMethod(override as FlashMethodId);
      if (!m) throw new ToolError('invalid', `Unknown flash method '${override}' (tinyml.device.flashMethod).`);
      return m;
    }
    const { available, unsupported } = flashMethodsFor(board);
    if (available.length === 0) {
      throw new ToolError('invalid', `No flash method this extension can run for ${board.name}${unsupported.length ? ` (it lists ${unsupported.join(', ')}, not supported yet, #6)` : ''}.`, 'Set tinyml.device.flashMethod, or flash with the vendor tool and then connect the monitor.');
    }
    return available[0];
  }

  private async connectWithRetry(port: string, baud: number, signal: AbortSignal): Promise<void> {
    let last: unknown;
    for (let attempt = 0; attempt < 10 && !signal.aborted; attempt++) {
      try {
        await this.connect(port, baud);
        return;
      } catch (err) {
        last = err;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
    throw last instanceof Error ? last : new Error(`Cannot open ${port}.`);
  }

  private async stopEmulator(): Promise<void> {
    const e = this.emulator;
    this.emulator = undefined;
    if (e) await e.stop();
  }

  private resolvePath(p: string): string {
    return isAbsolute(p) ? p : resolve(this.host.workspaceRoot() ?? '.', p);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.task?.abort();
    await this.disconnect();
    await this.stopEmulator();
    await this.inference?.dispose();
  }
}

function timestamp(): string {
  return new Date().toISOString().replace(/[:.]/g, '-');
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
