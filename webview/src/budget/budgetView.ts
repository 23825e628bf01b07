// The budget view: totals against the board, the per-layer table, the arena timeline, the ops
// with their TFLM kernels, and the notes. Renders what the host posts (HostToView) and keeps
// its sort, arena choice and last budget in the webview state so hide/show and reloads restore it.

import type { ArenaChoice, BudgetViewModel, BudgetViewState, HostToView, ViewToHost } from '../messages';
import { progressRing, toolkitButton } from '../ui';
import { h } from './dom';
import { formatBytes, formatCount, formatExactBytes, formatMs, formatPercent } from './format';
import { layerTable } from './layerTable';
import { nextSort, type SortKey } from './layerSort';
import { opEntries, resolverSnippet, statusText } from './opList';
import { timelineView } from './timelineView';
import { limitRows, verdict } from './totals';
import { restoreState } from './viewState';

export interface ViewHost {
  postMessage(message: ViewToHost): void;
  getState(): unknown;
  setState(state: BudgetViewState): void;
}

export class BudgetView {
  private state: BudgetViewState;
  private pending?: string;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: ViewHost,
  ) {
    this.state = restoreState(host.getState());
    if (this.state.model) this.render();
    else this.renderLoading('Computing the budget…');
  }

  receive(message: HostToView): void {
    switch (message.type) {
      case 'loading':
        this.state.source = message.source;
        this.save();
        if (this.state.model) this.setPending(`Updating the budget of ${message.title}…`);
        else this.renderLoading(`Computing the budget of ${message.title}…`);
        return;
      case 'budget':
        this.state.model = message.model;
        this.state.source = message.model.source;
        if (this.state.arena === 'optimized' && !message.model.budget.arenaOptimized) this.state.arena = 'reference';
        this.pending = undefined;
        this.save();
        this.render();
        return;
      case 'error':
        this.state.model = undefined;
        this.state.source = message.source;
        this.save();
        this.renderError(message.title, message.reason, message.message);
        return;
    }
  }

  private save(): void {
    this.host.setState(this.state);
  }

  private setPending(text: string): void {
    this.pending = text;
    const status = this.root.querySelector('.status-line');
    if (status) status.textContent = text;
  }

  private renderLoading(text: string): void {
    document.title = 'TinyML budget';
    this.root.replaceChildren(h('div', { class: 'loading', role: 'status' }, progressRing(text), h('span', {}, text)));
  }

  private renderError(title: string, reason: string, message: string): void {
    document.title = `${title}: no budget`;
    const actions = h('div', { class: 'actions' });
    if (reason === 'unknown-board') actions.append(toolkitButton('Select Board…', () => this.host.postMessage({ type: 'selectBoard' }), 'primary'));
    if (reason === 'no-model-array') actions.append(toolkitButton('Open Source', () => this.host.postMessage({ type: 'openSource' })));
    actions.append(toolkitButton('Retry', () => this.host.postMessage({ type: 'refresh' })));
    const heading =
      reason === 'corrupt'
        ? 'This model could not be read'
        : reason === 'unknown-board'
          ? 'Unknown board'
          : reason === 'no-model-array'
            ? 'No model array found'
            : reason === 'no-server'
              ? 'The TinyML language server is not running'
              : 'The model file could not be read';
    this.root.replaceChildren(
      h('div', { class: 'error', role: 'alert' }, h('h1', {}, title), h('h2', {}, heading), h('p', { class: 'message' }, message), actions),
    );
  }

  private render(): void {
    const model = this.state.model as BudgetViewModel;
    const { budget } = model;
    document.title = `${model.title}: TinyML budget`;
    const focusedSort = (document.activeElement as HTMLElement | null)?.dataset?.sort;

    const boardButton = toolkitButton(`${budget.board.name} · ${budget.board.core} @ ${budget.board.clockMhz} MHz`, () => this.host.postMessage({ type: 'selectBoard' }));
    boardButton.id = 'board';
    boardButton.title = 'Select the board the budget is computed for (TinyML: Select Board)';
    const header = h(
      'header',
      { class: 'top' },
      h('h1', { id: 'title' }, model.title),
      h('span', { class: 'meta' }, `${budget.format} · ${budget.kernels === 'optimized' ? 'optimized' : 'reference'} kernels`),
      boardButton,
      h('span', { class: 'status-line', role: 'status' }, this.pending ?? ''),
    );

    const arena = this.state.arena === 'optimized' && budget.arenaOptimized ? budget.arenaOptimized : budget.arena;
    const sections = [
      section('totals', 'Budget', this.totals(model)),
      section('layers', `Layers (${budget.layers.length})`, layerTable({ layers: budget.layers, kernels: model.kernels, sort: this.state.sort, onSort: (key) => this.sortBy(key) })),
      section('timeline', 'Arena timeline', this.arenaToggle(model), timelineView(arena, model.tensorNames, budget.layers.length)),
      section('ops', 'Ops and TFLM kernels', ...this.ops(model)),
      section('notes', 'Notes', ...this.notes(model)),
    ];
    this.root.replaceChildren(header, ...sections);
    if (focusedSort) (this.root.querySelector(`button[data-sort="${focusedSort}"]`) as HTMLElement | null)?.focus();
  }

  private sortBy(key: SortKey): void {
    this.state.sort = nextSort(this.state.sort, key);
    this.save();
    this.render();
  }

  private totals(model: BudgetViewModel): HTMLElement {
    const { budget } = model;
    const v = verdict(budget);
    const rows = limitRows(budget).map((row) => {
      const fill = h('div', { class: row.fits ? 'fill' : 'fill over' });
      fill.style.width = `${Math.min(100, 100 * row.fraction).toFixed(2)}%`;
      return h(
        'div',
        { class: 'limit', 'data-limit': row.id },
        h('span', { class: 'label' }, row.label),
        h('span', { class: 'value', title: `${formatExactBytes(row.bytes)} of ${formatExactBytes(row.limitBytes)}` }, `${formatBytes(row.bytes)} of ${formatBytes(row.limitBytes)} ${row.limitName}`),
        h(
          'div',
          { class: 'meter', role: 'meter', 'aria-label': `${row.label} against ${row.limitName}`, 'aria-valuemin': 0, 'aria-valuemax': row.limitBytes, 'aria-valuenow': Math.min(row.bytes, row.limitBytes) },
          fill,
        ),
        h('span', { class: 'pct' }, formatPercent(row.bytes, row.limitBytes)),
        h('span', { class: row.fits ? 'verdict fits' : 'verdict nofit' }, row.fits ? 'fits' : 'does not fit'),
        h('span', { class: 'detail' }, row.detail),
      );
    });
    const t = budget.totals;
    const compute = `${formatCount(t.macs)} MACs · ~${formatMs(t.latencyMs)} per inference with ${budget.kernels} kernels (~${formatMs(t.latencyMsReference)} with reference kernels) · ~${t.energyUj.toFixed(1)} µJ`;
    return h('div', {}, h('p', { class: v.fits ? 'summary fits' : 'summary nofit', id: 'verdict' }, v.text), h('div', { class: 'limits' }, ...rows), h('p', { class: 'compute' }, compute));
  }

  private arenaToggle(model: BudgetViewModel): HTMLElement | string {
    if (!model.budget.arenaOptimized) return '';
    const choice = (value: ArenaChoice, label: string) => {
      const button = h('button', { type: 'button', class: 'toggle', 'aria-pressed': this.state.arena === value ? 'true' : 'false', 'data-arena': value }, label);
      button.addEventListener('click', () => {
        this.state.arena = value;
        this.save();
        this.render();
      });
      return button;
    };
    return h('div', { class: 'toggles', role: 'group', 'aria-label': 'Arena plan' }, choice('reference', 'Reference kernels'), choice('optimized', 'CMSIS-NN kernels'));
  }

  private ops(model: BudgetViewModel): HTMLElement[] {
    const entries = opEntries(model.kernels);
    const missing = entries.filter((e) => e.support.status === 'missing');
    const table = h(
      'table',
      { class: 'ops', 'aria-label': 'Ops and their TFLM kernels' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Op'), h('th', { scope: 'col', class: 'num' }, 'Layers'), h('th', { scope: 'col' }, 'TFLM kernel'), h('th', { scope: 'col' }, 'Register with'))),
      h(
        'tbody',
        {},
        ...entries.map((e) =>
          h(
            'tr',
            {},
            h('td', { class: 'op' }, e.op),
            h('td', { class: 'num', title: `layers ${e.layers.join(', ')}` }, e.count),
            h('td', { class: e.support.status === 'missing' ? 'kernel missing' : 'kernel' }, statusText(e.support)),
            h('td', {}, e.support.resolverMethod ? h('code', {}, `${e.support.resolverMethod}()`) : '—'),
          ),
        ),
      ),
    );
    const summary = h(
      'p',
      { class: missing.length > 0 ? 'summary nofit' : 'summary' },
      missing.length > 0
        ? `TFLM has no kernel for ${missing.map((e) => e.op).join(', ')}: register your own or change the model.`
        : `TFLM has a kernel for every op (${entries.length} distinct).`,
    );
    return [summary, table, h('pre', { class: 'snippet', 'aria-label': 'Op resolver registration' }, h('code', {}, resolverSnippet(entries)))];
  }

  private notes(model: BudgetViewModel): HTMLElement[] {
    const { budget } = model;
    const out: HTMLElement[] = [];
    if (budget.notes.length > 0) out.push(h('ul', { class: 'notes' }, ...budget.notes.map((n) => h('li', {}, n))));
    else out.push(h('p', {}, 'No caveats: every figure comes from a modelled kernel.'));
    out.push(h('p', { class: 'basis' }, h('strong', {}, 'Latency basis: '), budget.latencyBasis));
    const warnings = [...budget.arena.warnings, ...(budget.arenaOptimized?.warnings ?? [])];
    if (warnings.length > 0) out.push(h('ul', { class: 'notes warnings' }, ...[...new Set(warnings)].map((w) => h('li', {}, w))));
    return out;
  }
}

function section(id: string, title: string, ...content: (Node | string)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...content);
}
