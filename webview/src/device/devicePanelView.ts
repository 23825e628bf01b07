// The device panel: a toolbar (port, baud, connect, preset, one-click Run with Cancel, task state),
// then the plotter, the monitor and live inference. Received lines go to the monitor and, parsed,
// to the plotter; the view keeps its settings with setState and asks the host to re-sync on load.

import { PlotterParser } from '../../../client/src/device/parsers/plotterLine';
import { el } from './dom';
import { InferenceView } from './inferenceView';
import type { DevicePanelState, DeviceToHost, HostToDevice, MonitorLine } from './messages';
import { MonitorView } from './monitorView';
import { PlotData } from './plotData';
import { plotLines } from './plotLines';
import { PlotView } from './plotView';

export interface VsCodeApi {
  postMessage(message: DeviceToHost): void;
  getState(): unknown;
  setState(state: DevicePanelState): void;
}

export const MONITOR_CAPACITY = 5000;
export const PLOT_CAPACITY = 20000;
const BAUDS = [9600, 19200, 38400, 57600, 115200, 230400, 460800, 921600, 1000000, 2000000];

export function restoreState(saved: unknown): DevicePanelState {
  const d: DevicePanelState = { version: 1, path: '', baudRate: 115200, lineEnding: 'lf', mode: 'text', draft: '', search: '', hiddenSeries: [], windowSeconds: 500, labelsText: '', layout: 'all' };
  if (!saved || typeof saved !== 'object' || (saved as { version?: unknown }).version !== 1) return d;
  const s = saved as Partial<DevicePanelState>;
  return {
    ...d,
    ...(typeof s.path === 'string' ? { path: s.path } : {}),
    ...(typeof s.baudRate === 'number' && s.baudRate > 0 ? { baudRate: s.baudRate } : {}),
    ...(s.lineEnding && ['none', 'lf', 'cr', 'crlf'].includes(s.lineEnding) ? { lineEnding: s.lineEnding } : {}),
    ...(s.mode === 'hex' ? { mode: 'hex' as const } : {}),
    ...(typeof s.draft === 'string' ? { draft: s.draft } : {}),
    ...(typeof s.search === 'string' ? { search: s.search } : {}),
    ...(Array.isArray(s.hiddenSeries) ? { hiddenSeries: s.hiddenSeries.filter((x) => typeof x === 'string') } : {}),
    ...(typeof s.windowSeconds === 'number' ? { windowSeconds: s.windowSeconds } : {}),
    ...(typeof s.preset === 'string' ? { preset: s.preset } : {}),
    ...(s.inference && typeof s.inference === 'object' ? { inference: s.inference } : {}),
    ...(typeof s.labelsText === 'string' ? { labelsText: s.labelsText } : {}),
    ...(s.layout && ['all', 'monitor', 'plot', 'inference'].includes(s.layout) ? { layout: s.layout } : {}),
  };
}

export class DevicePanelView {
  private state: DevicePanelState;
  private readonly parser = new PlotterParser();
  readonly plotData: PlotData;
  readonly plot: PlotView;
  readonly monitor: MonitorView;
  readonly inference: InferenceView;
  private readonly portInput: HTMLInputElement;
  private readonly portList: HTMLDataListElement;
  private readonly baudSelect: HTMLSelectElement;
  private readonly connectButton: HTMLButtonElement;
  private readonly connState: HTMLElement;
  private readonly presetSelect: HTMLSelectElement;
  private readonly runButton: HTMLButtonElement;
  private readonly cancelButton: HTMLButtonElement;
  private readonly taskLine: HTMLElement;
  private readonly notice: HTMLElement;
  private connection: 'closed' | 'opening' | 'open' | 'reconnecting' = 'closed';

  constructor(
    private readonly root: HTMLElement,
    private readonly vscode: VsCodeApi,
  ) {
    this.state = restoreState(vscode.getState());
    this.plotData = new PlotData(PLOT_CAPACITY, this.state.hiddenSeries);
    this.plot = new PlotView(this.plotData, {
      id: 'serial',
      title: 'Plotter',
      windows: [100, 500, 2000, 10000, 0],
      window: this.state.windowSeconds,
      onHiddenChange: (hidden) => this.save({ hiddenSeries: hidden }),
      onWindowChange: (w) => this.save({ windowSeconds: w }),
      onExport: (csv) => this.post({ type: 'exportCsv', csv, name: 'plot.csv' }),
    });
    this.monitor = new MonitorView(
      {
        send: (text, ending) => this.post({ type: 'send', text, ending }),
        setMode: (mode) => {
          this.save({ mode });
          this.post({ type: 'setMode', mode });
        },
        saveLog: () => this.post({ type: 'saveLog' }),
        openLog: () => this.post({ type: 'openLog' }),
        stateChanged: () => this.saveMonitor(),
      },
      MONITOR_CAPACITY,
    );
    this.monitor.restore(this.state);
    this.monitor.setMode(this.state.mode);
    this.inference = new InferenceView({
      pickModel: () => this.post({ type: 'pickModel' }),
      setModel: (uri) => this.post({ type: 'setModel', uri }),
      configure: (config) => {
        this.save({ inference: config, labelsText: this.inference.labelsText });
        this.post({ type: 'configureInference', config });
      },
      start: () => this.post({ type: 'startInference' }),
      stop: () => this.post({ type: 'stopInference' }),
      stateChanged: () => this.save({ inference: this.inference.config(), labelsText: this.inference.labelsText }),
    });
    if (this.state.inference) this.inference.setConfig(this.state.inference);

    this.portInput = el('input', { type: 'text', class: 'port', list: 'device-ports', placeholder: '/dev/ttyACM0, COM3, /dev/pts/3', 'aria-label': 'Serial port (pick or type a path)' });
    this.portInput.value = this.state.path;
    this.portInput.addEventListener('change', () => this.save({ path: this.portInput.value.trim() }));
    this.portList = el('datalist', { id: 'device-ports' });
    const refresh = el('button', { type: 'button', class: 'refresh-ports', title: 'List the serial ports again', 'aria-label': 'Refresh ports' }, '⟳');
    refresh.addEventListener('click', () => this.post({ type: 'refreshPorts' }));
    this.baudSelect = el('select', { class: 'baud', 'aria-label': 'Baud rate' });
    for (const b of BAUDS) this.baudSelect.append(el('option', { value: String(b) }, String(b)));
    this.setBaud(this.state.baudRate);
    this.baudSelect.addEventListener('change', () => this.save({ baudRate: Number(this.baudSelect.value) }));
    this.connectButton = el('button', { type: 'button', class: 'connect primary' }, 'Connect');
    this.connectButton.addEventListener('click', () => {
      if (this.connection === 'closed') this.post({ type: 'connect', path: this.portInput.value.trim(), baudRate: Number(this.baudSelect.value) });
      else this.post({ type: 'disconnect' });
    });
    this.connState = el('span', { class: 'conn-state', 'data-state': 'closed', role: 'status' }, 'closed');
    this.presetSelect = el('select', { class: 'preset', 'aria-label': 'Preset' }, el('option', { value: '' }, 'Board from settings'));
    this.presetSelect.addEventListener('change', () => {
      this.save({ preset: this.presetSelect.value || undefined });
      if (this.presetSelect.value) this.post({ type: 'applyPreset', id: this.presetSelect.value });
    });
    this.runButton = el('button', { type: 'button', class: 'run-all primary', title: 'Build, flash, open the monitor and start live inference' }, '▶ Build, flash & monitor');
    this.runButton.addEventListener('click', () => this.post({ type: 'runAll', ...(this.presetSelect.value ? { preset: this.presetSelect.value } : {}), path: this.portInput.value.trim(), baudRate: Number(this.baudSelect.value) }));
    this.cancelButton = el('button', { type: 'button', class: 'cancel', disabled: '' }, 'Cancel');
    this.cancelButton.addEventListener('click', () => this.post({ type: 'cancel' }));
    this.taskLine = el('span', { class: 'task', role: 'status' });
    this.notice = el('div', { class: 'notice', role: 'alert', hidden: '' });

    const layoutSelect = el('select', { class: 'layout', 'aria-label': 'Layout' });
    for (const [v, t] of [['all', 'All panes'], ['plot', 'Plotter only'], ['monitor', 'Monitor only'], ['inference', 'Inference only']]) layoutSelect.append(el('option', { value: v }, t));
    layoutSelect.value = this.state.layout;
    layoutSelect.addEventListener('change', () => {
      this.save({ layout: layoutSelect.value as DevicePanelState['layout'] });
      this.root.dataset.layout = layoutSelect.value;
      this.plot.requestDraw();
      this.inference.plot.requestDraw();
    });
    const keys = el(
      'details',
      { class: 'keys' },
      el('summary', {}, 'Keys'),
      el(
        'ul',
        {},
        ...[
          'Tab / Shift+Tab: every control, in order',
          'Ctrl+F: search the monitor; Enter / Shift+Enter (or F3 / Shift+F3): next / previous match; Esc: clear the search',
          'Alt+P: pause or resume the monitor; Alt+L: clear it (the log file keeps everything)',
          'On a plot: + / - zoom, ← / → pan, 0 reset zoom, Space pause; wheel zooms, drag selects a range, double-click resets',
          'Legend buttons: show or hide a series',
        ].map((t) => el('li', {}, t)),
      ),
    );
    root.dataset.layout = this.state.layout;
    root.append(
      el(
        'header',
        { class: 'toolbar main-toolbar' },
        this.portInput,
        this.portList,
        refresh,
        this.baudSelect,
        this.connectButton,
        this.connState,
        el('span', { class: 'sep' }),
        this.presetSelect,
        this.runButton,
        this.cancelButton,
        this.taskLine,
        el('span', { class: 'grow' }),
        layoutSelect,
        keys,
      ),
      this.notice,
      el('div', { class: 'panes' }, el('div', { class: 'pane pane-plot' }, this.plot.root), el('div', { class: 'pane pane-monitor' }, this.monitor.root), el('div', { class: 'pane pane-inference' }, this.inference.root)),
    );
    this.monitor.setLogFile(undefined);
    this.monitor.setConnected(false);
  }

  receive(m: HostToDevice): void {
    switch (m.type) {
      case 'init':
        this.setPorts(m.ports, m.portsError);
        if (m.presets.length) this.presetSelect.replaceChildren(el('option', { value: '' }, 'Board from settings'), ...m.presets.map((p) => el('option', { value: p.id }, p.label)));
        if (this.state.preset) this.presetSelect.value = this.state.preset;
        if (!this.state.path && m.defaults.path) this.portInput.value = m.defaults.path;
        if (!this.state.path) this.setBaud(m.defaults.baudRate);
        this.setConnection(m.connection.state, m.connection.path, m.connection.logFile);
        // Re-sync: what the host kept replaces what this (possibly fresh) view has.
        this.plotData.clear();
        this.parser.reset();
        this.monitor.reset(m.history);
        this.plotLines(m.history);
        this.inference.reset();
        this.inference.setModel(m.model);
        if (m.inference && !this.state.inference) this.inference.setConfig(m.inference);
        this.inference.update(m.rows, m.stats);
        if (!m.trusted) this.showNotice('warning', 'This workspace is not trusted: the panel will not build, flash or start emulators. The monitor and live inference still work.', 'Trust the workspace (Manage Workspace Trust) to enable Build, flash & monitor.');
        return;
      case 'ports':
        this.setPorts(m.ports, m.error);
        return;
      case 'connection':
        this.setConnection(m.state, m.path, m.logFile);
        if (m.message) this.showNotice(m.state === 'open' ? 'info' : 'warning', m.message);
        return;
      case 'lines':
        this.monitor.add(m.lines, m.dropped);
        this.plotLines(m.lines);
        return;
      case 'model':
        this.inference.setModel(m.model, m.error);
        if (m.inference) {
          this.inference.setConfig(m.inference);
          this.save({ inference: m.inference, labelsText: this.inference.labelsText });
        }
        this.inference.reset();
        return;
      case 'inference':
        this.inference.update(m.rows, m.stats);
        return;
      case 'preset':
        this.presetSelect.value = m.id;
        this.plotData.setHidden(m.hiddenSeries);
        if (m.path) this.portInput.value = m.path;
        this.setBaud(m.baudRate);
        this.save({ preset: m.id, hiddenSeries: m.hiddenSeries, baudRate: m.baudRate });
        this.plot.requestDraw();
        return;
      case 'task':
        this.runButton.disabled = m.state === 'running';
        this.cancelButton.disabled = m.state !== 'running';
        this.taskLine.dataset.state = m.state;
        this.taskLine.textContent = `${m.task}: ${m.state}${m.message ? `: ${m.message}` : ''}`;
        if (m.state === 'failed') this.showNotice('error', m.message ?? `${m.task} failed`, m.hint);
        else if (m.state === 'running') this.hideNotice();
        return;
      case 'notice':
        this.showNotice(m.level, m.message, m.hint);
        return;
    }
  }

  private plotLines(lines: readonly MonitorLine[]): void {
    if (plotLines(this.plotData, this.parser, lines) > 0 && !this.plot.isPaused) this.plot.requestDraw();
  }

  private setPorts(ports: { path: string; detail?: string }[], error?: string): void {
    this.portList.replaceChildren(...ports.map((p) => el('option', { value: p.path }, p.detail ?? p.path)));
    this.portInput.title = error ?? (ports.length ? `${ports.length} ports found; or type a path` : 'Type a port path');
  }

  private setConnection(state: typeof this.connection, path?: string, logFile?: string): void {
    this.connection = state;
    this.connState.dataset.state = state;
    this.connState.textContent = path ? `${state} ${path}` : state;
    this.connectButton.textContent = state === 'closed' ? 'Connect' : 'Disconnect';
    this.monitor.setConnected(state === 'open');
    if (path && state !== 'closed') this.portInput.value = path;
    if (logFile) this.monitor.setLogFile(logFile);
  }

  private setBaud(baud: number): void {
    if (![...this.baudSelect.options].some((o) => o.value === String(baud))) this.baudSelect.append(el('option', { value: String(baud) }, String(baud)));
    this.baudSelect.value = String(baud);
  }

  private showNotice(level: string, message: string, hint?: string): void {
    this.notice.hidden = false;
    this.notice.dataset.level = level;
    const close = el('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss' }, '×');
    close.addEventListener('click', () => this.hideNotice());
    this.notice.replaceChildren(el('span', { class: 'message' }, message), ...(hint ? [el('span', { class: 'hint' }, hint)] : []), close);
  }

  private hideNotice(): void {
    this.notice.hidden = true;
  }

  private saveMonitor(): void {
    const m = this.monitor.state;
    this.save({ draft: m.draft, search: m.search, lineEnding: m.lineEnding });
  }

  private save(patch: Partial<DevicePanelState>): void {
    this.state = { ...this.state, ...patch };
    this.vscode.setState(this.state);
  }

  private post(m: DeviceToHost): void {
    this.vscode.postMessage(m);
  }
}
