// Live inference in the panel: the model (picked, or a path/uri typed in), how serial lines map
// to its input, labels, start/stop; then the current top class, the class scores over frames, and
// the device-vs-host table with disagreements flagged. The host and its worker do the computing.

import type { CompareSpec, DeviceCompare } from '../../../client/src/device/inference/comparison';
import type { FrameSource, FrameSpec } from '../../../client/src/device/inference/framing';
import { el } from './dom';
import type { InferenceConfig, InferenceRow, InferenceStats, ModelSummary } from './messages';
import { PlotData } from './plotData';
import { formatValue, PlotView } from './plotView';

export interface InferenceCallbacks {
  pickModel(): void;
  setModel(uri: string): void;
  configure(config: InferenceConfig): void;
  start(): void;
  stop(): void;
  stateChanged(): void;
}

const TABLE_ROWS = 50;

export class InferenceView {
  readonly root: HTMLElement;
  readonly scores = new PlotData(5000);
  readonly plot: PlotView;
  private labels: string[] = [];
  private readonly modelName: HTMLElement;
  private readonly modelPath: HTMLInputElement;
  private readonly form: Record<string, HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement> = {};
  private readonly topLabel: HTMLElement;
  private readonly topScore: HTMLElement;
  private readonly statsLine: HTMLElement;
  private readonly errorLine: HTMLElement;
  private readonly tableBody: HTMLTableSectionElement;
  private readonly startButton: HTMLButtonElement;
  private readonly onlyBad: HTMLInputElement;
  private compared: InferenceRow[] = [];
  private running = false;

  constructor(cb: InferenceCallbacks) {
    this.plot = new PlotView(this.scores, { id: 'scores', title: 'Class scores', windows: [100, 500, 2000, 0], window: 500 });
    this.modelName = el('span', { class: 'model-name' }, 'No model');
    const pick = el('button', { type: 'button', class: 'pick-model', title: 'Choose a .tflite model' }, 'Choose model…');
    pick.addEventListener('click', () => cb.pickModel());
    this.modelPath = el('input', { type: 'text', class: 'model-path', placeholder: 'or a model path / URI', 'aria-label': 'Model path or URI' });
    const use = el('button', { type: 'button', class: 'use-model' }, 'Use');
    use.addEventListener('click', () => this.modelPath.value.trim() && cb.setModel(this.modelPath.value.trim()));

    const f = this.form;
    f.source = select('source', 'Input frames', [['perLine', 'one frame per line'], ['window', 'window over a numeric stream'], ['tensor', 'a tensor per line']]);
    f.fields = input('fields', 'Fields (names, comma-separated; empty: all numbers)');
    f.length = input('length', 'Window length (samples)', 'number');
    f.stride = input('stride', 'Stride (samples)', 'number');
    f.encoding = select('encoding', 'Tensor encoding', [['json', 'JSON array'], ['hex', 'hex bytes'], ['base64', 'base64 bytes']]);
    f.prefix = input('prefix', 'Line prefix (optional)');
    f.mapping = select('mapping', 'Values', [['quantize', "quantize to the input's type"], ['affine', 'scale x·a+b (a=1, b=0: already in the input type)']]);
    f.a = input('a', 'a', 'number');
    f.b = input('b', 'b', 'number');
    f.compare = select('compare', 'Device result', [['none', 'none'], ['jsonFields', 'JSON fields'], ['scores', 'result: label=score …']]);
    f.deviceFields = input('deviceFields', 'Device output fields');
    f.as = select('as', 'Device values are', [['raw', 'raw output bytes (exact)'], ['dequantized', 'dequantized values']]);
    f.tolerance = input('tolerance', 'Tolerance (dequantized, scores)', 'number');
    f.labels = el('textarea', { class: 'labels', rows: '2', 'aria-label': 'Labels, one a line or comma-separated', placeholder: 'labels (one a line)' });
    (f.a as HTMLInputElement).value = '1';
    (f.b as HTMLInputElement).value = '0';
    (f.length as HTMLInputElement).value = '1';
    (f.stride as HTMLInputElement).value = '1';
    (f.tolerance as HTMLInputElement).value = '0.02';
    for (const c of Object.values(f)) c.addEventListener('change', () => {
      this.syncForm();
      cb.stateChanged();
    });
    const apply = el('button', { type: 'button', class: 'apply-inference' }, 'Apply');
    apply.addEventListener('click', () => cb.configure(this.config()));
    this.startButton = el('button', { type: 'button', class: 'start-inference primary' }, 'Start');
    this.startButton.addEventListener('click', () => {
      if (this.running) cb.stop();
      else {
        cb.configure(this.config());
        cb.start();
      }
    });
    this.topLabel = el('span', { class: 'top-label' }, '–');
    this.topScore = el('span', { class: 'top-score' });
    this.statsLine = el('div', { class: 'inference-stats', 'aria-live': 'polite' });
    this.errorLine = el('div', { class: 'inference-error', role: 'alert' });
    this.onlyBad = el('input', { type: 'checkbox', class: 'only-disagreements' });
    this.onlyBad.addEventListener('change', () => this.renderTable());
    this.tableBody = el('tbody');
    const table = el(
      'table',
      { class: 'comparison', 'aria-label': 'Device versus host' },
      el('thead', {}, el('tr', {}, ...['#', 'input', 'host', 'device', 'Δ', ''].map((h) => el('th', { scope: 'col' }, h)))),
      this.tableBody,
    );
    const config = el(
      'details',
      { class: 'inference-config', open: '' },
      el('summary', {}, 'Model and input mapping'),
      el('div', { class: 'row-controls' }, pick, this.modelPath, use),
      el('div', { class: 'model-info' }, this.modelName),
      el('div', { class: 'form-grid' }, ...Object.entries(f).map(([k, c]) => el('label', { class: `field field-${k}` }, el('span', {}, c.getAttribute('aria-label') ?? k), c))),
      el('div', { class: 'row-controls' }, apply, this.startButton),
    );
    this.root = el(
      'section',
      { class: 'inference', 'aria-label': 'Live inference' },
      el('div', { class: 'toolbar' }, el('span', { class: 'pane-title' }, 'Live inference')),
      config,
      el('div', { class: 'top-class', 'aria-live': 'polite' }, el('span', { class: 'top-caption' }, 'Top class '), this.topLabel, this.topScore),
      this.statsLine,
      this.errorLine,
      this.plot.root,
      el('div', { class: 'toolbar' }, el('span', { class: 'pane-title' }, 'Device vs host'), el('label', {}, this.onlyBad, ' only disagreements')),
      el('div', { class: 'table-wrap' }, table),
    );
    this.syncForm();
  }

  setModel(model: ModelSummary | undefined, error?: string): void {
    this.modelName.textContent = model
      ? `${model.name}: input ${describe(model.inputs[0])}, output ${describe(model.outputs[0])}, ${model.ops} ops`
      : 'No model';
    if (model) this.modelPath.value = model.path;
    this.errorLine.textContent = error ?? '';
  }

  /** Fills the form from a configuration (preset, restored state, host). */
  setConfig(c: InferenceConfig): void {
    const f = this.form;
    const s = c.frame.source;
    f.source.value = s.kind;
    f.fields.value = s.kind !== 'tensor' ? (s.fields ?? []).join(', ') : '';
    if (s.kind === 'window') {
      f.length.value = String(s.length);
      f.stride.value = String(s.stride);
    }
    if (s.kind === 'tensor') {
      f.encoding.value = s.encoding;
      f.prefix.value = s.prefix ?? '';
    }
    f.mapping.value = c.frame.mapping.kind;
    if (c.frame.mapping.kind === 'affine') {
      f.a.value = String(c.frame.mapping.a);
      f.b.value = String(c.frame.mapping.b);
    }
    const d = c.compare.device;
    f.compare.value = d.kind;
    if (d.kind === 'jsonFields') {
      f.deviceFields.value = d.fields.join(', ');
      f.as.value = d.as;
    }
    f.tolerance.value = String(c.compare.tolerance);
    f.labels.value = c.labels.join('\n');
    this.labels = c.labels;
    this.syncForm();
  }

  config(): InferenceConfig {
    const f = this.form;
    const list = (v: string) => v.split(',').map((x) => x.trim()).filter((x) => x.length > 0);
    const num = (v: string, d: number) => (v.trim() === '' || !Number.isFinite(Number(v)) ? d : Number(v));
    let source: FrameSource;
    const fields = list(f.fields.value);
    if (f.source.value === 'window') source = { kind: 'window', length: num(f.length.value, 1), stride: num(f.stride.value, 1), ...(fields.length ? { fields } : {}) };
    else if (f.source.value === 'tensor') source = { kind: 'tensor', encoding: f.encoding.value as 'json', ...(f.prefix.value ? { prefix: f.prefix.value } : {}) };
    else source = { kind: 'perLine', ...(fields.length ? { fields } : {}) };
    const frame: FrameSpec = { source, mapping: f.mapping.value === 'affine' ? { kind: 'affine', a: num(f.a.value, 1), b: num(f.b.value, 0) } : { kind: 'quantize' } };
    let device: DeviceCompare = { kind: 'none' };
    if (f.compare.value === 'jsonFields') device = { kind: 'jsonFields', fields: list(f.deviceFields.value), as: f.as.value === 'dequantized' ? 'dequantized' : 'raw' };
    else if (f.compare.value === 'scores') device = { kind: 'scores' };
    const compare: CompareSpec = { device, tolerance: Math.max(0, num(f.tolerance.value, 0)) };
    const labels = f.labels.value.split(/[\n,]/).map((x) => x.trim()).filter((x) => x.length > 0);
    this.labels = labels;
    return { frame, compare, labels };
  }

  get labelsText(): string {
    return this.form.labels.value;
  }

  update(rows: readonly InferenceRow[], stats: InferenceStats): void {
    this.running = stats.running;
    this.startButton.textContent = stats.running ? 'Stop' : 'Start';
    this.startButton.setAttribute('aria-pressed', String(stats.running));
    let plotted = false;
    for (const r of rows) {
      if (r.seq > this.lastPlotted) {
        this.scores.add(r.time, r.scores.map((_, i) => this.labelOf(i)), r.scores);
        this.lastPlotted = r.seq;
        plotted = true;
      }
      if (r.verdict) this.compared.push(r);
    }
    if (this.compared.length > 1000) this.compared = this.compared.slice(-500);
    const last = rows[rows.length - 1];
    if (last) {
      this.topLabel.textContent = this.labelOf(last.top);
      this.topScore.textContent = ` ${formatValue(last.scores[last.top])}${last.raw.length === last.scores.length && last.raw[last.top] !== last.scores[last.top] ? ` (raw ${last.raw[last.top]})` : ''}`;
    }
    this.statsLine.textContent =
      `${stats.running ? 'Running' : 'Stopped'} · ${stats.frames.toLocaleString('en-US')} frames · ${stats.compared.toLocaleString('en-US')} compared with the device · ` +
      `${stats.disagreements.toLocaleString('en-US')} disagreements${stats.skipped ? ` · ${stats.skipped.toLocaleString('en-US')} skipped (device faster than the host)` : ''}`;
    this.statsLine.classList.toggle('bad', stats.disagreements > 0);
    this.statsLine.dataset.disagreements = String(stats.disagreements);
    this.errorLine.textContent = stats.lastError ?? '';
    if (plotted) this.plot.requestDraw();
    if (rows.some((r) => r.verdict)) this.renderTable();
  }

  /** Forget results (a new model or configuration). */
  reset(): void {
    this.scores.clear();
    this.compared = [];
    this.lastPlotted = 0;
    this.renderTable();
    this.plot.requestDraw();
  }

  private lastPlotted = 0;

  private labelOf(i: number): string {
    return this.labels[i] ?? `class ${i}`;
  }

  private renderTable(): void {
    const rows = (this.onlyBad.checked ? this.compared.filter((r) => !r.verdict?.agree) : this.compared).slice(-TABLE_ROWS).reverse();
    this.tableBody.replaceChildren(
      ...rows.map((r) => {
        const v = r.verdict!;
        const device = r.device!;
        const host = device.as === 'raw' ? r.raw : device.as === 'class' ? [r.top] : r.scores;
        const tr = el(
          'tr',
          { class: v.agree ? 'agree' : 'disagree', 'data-seq': String(r.seq) },
          el('td', {}, String(r.seq)),
          el('td', {}, r.input.map(formatValue).join(' ')),
          el('td', { class: 'host' }, host.map(formatValue).join(' ')),
          el('td', { class: 'device' }, device.values.map(formatValue).join(' ')),
          el('td', {}, formatValue(v.maxDiff)),
          el('td', { class: 'verdict' }, v.agree ? '✓ agree' : `✗ differs${v.tolerance === 'exact' ? ' (exact)' : ` (> ${v.tolerance})`}`),
        );
        return tr;
      }),
    );
  }

  private syncForm(): void {
    const f = this.form;
    const show = (k: string, on: boolean) => ((f[k].parentElement as HTMLElement).hidden = !on);
    const kind = f.source.value;
    show('fields', kind !== 'tensor');
    show('length', kind === 'window');
    show('stride', kind === 'window');
    show('encoding', kind === 'tensor');
    show('prefix', kind === 'tensor');
    show('mapping', kind !== 'tensor');
    show('a', kind !== 'tensor' && f.mapping.value === 'affine');
    show('b', kind !== 'tensor' && f.mapping.value === 'affine');
    show('deviceFields', f.compare.value === 'jsonFields');
    show('as', f.compare.value === 'jsonFields');
    show('tolerance', f.compare.value !== 'none');
  }
}

function describe(t: { shape: number[]; dtype: string; scale: number; zeroPoint: number } | undefined): string {
  if (!t) return 'none';
  return `[${t.shape.join('×')}] ${t.dtype}${t.scale > 0 ? ` (scale ${formatValue(t.scale)}, zero point ${t.zeroPoint})` : ''}`;
}

function select(name: string, label: string, options: [string, string][]): HTMLSelectElement {
  const s = el('select', { name, 'aria-label': label });
  for (const [v, text] of options) s.append(el('option', { value: v }, text));
  return s;
}

function input(name: string, label: string, type = 'text'): HTMLInputElement {
  return el('input', { name, type, 'aria-label': label, ...(type === 'number' ? { step: 'any' } : {}) });
}
