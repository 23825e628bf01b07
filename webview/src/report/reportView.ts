// The model-action report view: what was done, the headline figures, warnings, the per-layer SNR
// table (worst layer marked, sortable, arrow keys move between rows), the budget before and
// after, the pruning per layer and the notes. Renders what the host posts (HostToReport) and
// keeps it in the webview state, so hiding the view or reloading the window restores it.

import type { ActionReport } from '../../../server/src/actions';
import { h } from '../budget/dom';
import { nextRow } from '../budget/layerSort';
import { progressRing, toolkitButton } from '../ui';
import { layerDeltaRows, totalRows } from './budgetDelta';
import { nextSnrSort, snrRows, type SnrSortKey } from './layerSnr';
import type { HostToReport, ReportToHost, ReportViewState } from './messages';
import { pruneDetail } from './pruneDetail';
import { restoreReportState } from './reportState';
import { actionText, summaryItems } from './summary';

export interface ReportHost {
  postMessage(message: ReportToHost): void;
  getState(): unknown;
  setState(state: ReportViewState): void;
}

export class ReportView {
  private state: ReportViewState;
  private notice?: string;

  constructor(
    private readonly root: HTMLElement,
    private readonly host: ReportHost,
  ) {
    this.state = restoreReportState(host.getState());
    if (this.state.report) this.render();
    else this.root.replaceChildren(h('div', { class: 'loading', role: 'status' }, progressRing('Loading the report…'), h('span', {}, 'Loading the report…')));
  }

  receive(message: HostToReport): void {
    if (message.type !== 'report') return;
    this.state.report = message.report;
    this.state.source = message.source;
    this.notice = message.notice;
    this.host.setState(this.state);
    this.render();
  }

  private render(): void {
    const report = this.state.report as ActionReport;
    document.title = `${report.output.fileName}: TinyML report`;
    const focusedSort = (document.activeElement as HTMLElement | null)?.dataset?.sort;
    const sections = [
      section('summary', 'Summary', this.summary(report)),
      ...(report.warnings.length > 0 ? [section('warnings', `Warnings (${report.warnings.length})`, list(report.warnings, 'notes warnings'))] : []),
      section('layers', `Per-layer agreement (${report.perLayer.length})`, ...this.layers(report)),
      section('budget', `Budget on ${report.budget.board}`, ...this.budget(report)),
      ...this.pruning(report),
      section('notes', 'Notes', ...this.notes(report)),
    ];
    this.root.replaceChildren(this.header(report), ...sections);
    if (focusedSort) (this.root.querySelector(`button[data-sort="${focusedSort}"]`) as HTMLElement | null)?.focus();
  }

  private header(report: ActionReport): HTMLElement {
    const openJson = h('a', { href: '#', id: 'open-json', title: 'Open the saved report JSON' }, 'Open JSON');
    openJson.addEventListener('click', (event) => {
      event.preventDefault();
      this.host.postMessage({ type: 'openJson' });
    });
    const budget = toolkitButton('Open Budget', () => this.host.postMessage({ type: 'openBudget' }), 'primary');
    budget.title = `Open ${report.output.fileName} in the budget view`;
    const reveal = toolkitButton('Reveal in Explorer', () => this.host.postMessage({ type: 'revealOutput' }));
    return h(
      'header',
      { class: 'top' },
      h('h1', { id: 'title' }, `${report.source.fileName} → ${report.output.fileName}`),
      h('span', { class: 'meta', id: 'action' }, actionText(report.action)),
      h('span', { class: 'actions' }, budget, reveal, openJson),
      this.notice ? h('p', { class: 'notice', role: 'status' }, this.notice) : null,
    );
  }

  private summary(report: ActionReport): HTMLElement {
    return h(
      'dl',
      { class: 'cards' },
      ...summaryItems(report).map((item) =>
        h('div', { class: `card${item.tone ? ` ${item.tone}` : ''}`, 'data-item': item.id }, h('dt', {}, item.label), h('dd', { class: 'value' }, item.value), h('dd', { class: 'detail' }, item.detail)),
      ),
    );
  }

  private layers(report: ActionReport): HTMLElement[] {
    const out: HTMLElement[] = [];
    const worst = report.worstLayer === null ? undefined : report.perLayer[report.worstLayer];
    out.push(
      h(
        'p',
        { class: 'lead' },
        worst
          ? `The most error enters at layer ${worst.index} (${worst.op}): ${worst.snrDb === null ? '—' : `${worst.snrDb.toFixed(1)} dB`}. Compared with ${report.reference}.`
          : `No compared layer differs from ${report.reference}.`,
      ),
    );
    if (report.perLayer.length > 0) out.push(this.snrTable(report));
    if (report.layersNotCompared.length > 0) {
      out.push(
        h('h3', {}, `Not compared (${report.layersNotCompared.length})`),
        h('ul', { class: 'notes', id: 'not-compared' }, ...report.layersNotCompared.map((l) => h('li', {}, h('span', { class: 'op' }, `${l.index} ${l.op}`), `: ${l.reason}`))),
      );
    }
    return out;
  }

  private snrTable(report: ActionReport): HTMLElement {
    const sort = this.state.sort;
    const header = (key: SnrSortKey, title: string, numeric: boolean) => {
      const active = sort.key === key;
      const label = `Sort by ${title}`;
      const button = h('button', { type: 'button', class: 'sort', 'data-sort': key, title: label, 'aria-label': label }, title, h('span', { class: 'arrow', 'aria-hidden': 'true' }, active ? (sort.direction === 'ascending' ? '▲' : '▼') : ''));
      button.addEventListener('click', () => this.sortBy(key));
      return h('th', { scope: 'col', class: numeric ? 'num' : undefined, 'aria-sort': active ? sort.direction : 'none' }, button);
    };
    const rows = snrRows(report, sort).map((row, position) => {
      const bar = h('span', { class: `bar ${row.tone}`, 'aria-hidden': 'true' });
      bar.style.width = `${(100 * row.bar).toFixed(1)}%`;
      return h(
        'tr',
        { tabindex: position === 0 ? 0 : -1, 'data-layer': row.index, class: row.worst ? 'worst' : undefined },
        h('td', { class: 'num' }, row.index),
        h('td', { class: 'op' }, row.op, row.worst ? h('span', { class: 'badge' }, 'worst') : null),
        h('td', { class: 'tensor', title: row.tensor }, row.tensor),
        h('td', { class: `num snr ${row.tone}` }, h('div', { class: 'cell-bar' }, bar, h('span', { class: 'v' }, row.text))),
      );
    });
    const body = h('tbody', {}, ...rows);
    rovingRows(body);
    return h(
      'table',
      { class: 'snr-table', 'aria-label': 'Per-layer SNR against the reference' },
      h('thead', {}, h('tr', {}, header('index', '#', true), h('th', { scope: 'col' }, 'Op'), h('th', { scope: 'col' }, 'Tensor'), header('snr', 'SNR', true))),
      body,
    );
  }

  private sortBy(key: SnrSortKey): void {
    this.state.sort = nextSnrSort(this.state.sort, key);
    this.host.setState(this.state);
    this.render();
  }

  private budget(report: ActionReport): HTMLElement[] {
    const totals = h(
      'table',
      { class: 'totals', 'aria-label': 'Budget totals before and after' },
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), h('th', { scope: 'col', class: 'num' }, 'Before'), h('th', { scope: 'col', class: 'num' }, 'After'), h('th', { scope: 'col', class: 'num' }, 'Change'))),
      h(
        'tbody',
        {},
        ...totalRows(report.budget).map((row) =>
          h(
            'tr',
            { 'data-total': row.id },
            h('th', { scope: 'row' }, row.label),
            h('td', { class: 'num' }, row.before),
            h('td', { class: 'num' }, row.after),
            h('td', { class: `num change${row.direction === -1 ? ' smaller' : row.direction === 1 ? ' larger' : ''}` }, row.change),
          ),
        ),
      ),
    );
    const layerRows = layerDeltaRows(report.budget.layers).map((row, position) =>
      h(
        'tr',
        { tabindex: position === 0 ? 0 : -1, class: row.status === 'kept' ? undefined : row.status },
        h('td', { class: 'num' }, row.index),
        h('td', { class: 'op' }, row.op, row.status === 'kept' ? null : h('span', { class: 'badge' }, row.status)),
        h('td', { class: 'num' }, row.weights),
        h('td', { class: 'num' }, row.macs),
        h('td', { class: 'num' }, row.latency),
        h('td', { class: 'tensor', title: row.tensor }, row.tensor),
      ),
    );
    const body = h('tbody', {}, ...layerRows);
    rovingRows(body);
    const layers = h(
      'table',
      { class: 'budget-layers', 'aria-label': 'Budget per layer, before → after' },
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, 'Op'), h('th', { scope: 'col', class: 'num' }, 'Weights'), h('th', { scope: 'col', class: 'num' }, 'MACs'), h('th', { scope: 'col', class: 'num' }, 'Latency'), h('th', { scope: 'col' }, 'Tensor')),
      ),
      body,
    );
    return [totals, h('h3', {}, `Per layer (${report.budget.layers.length})`), layers];
  }

  private pruning(report: ActionReport): HTMLElement[] {
    const detail = pruneDetail(report.prune);
    if (!detail) return [];
    let table: HTMLElement;
    if (detail.kind === 'magnitude') {
      table = h(
        'table',
        { class: 'prune-layers', 'aria-label': 'Sparsity per layer' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, 'Op'), h('th', { scope: 'col', class: 'num' }, 'Weights'), h('th', { scope: 'col', class: 'num' }, 'Sparsity'), h('th', { scope: 'col' }, 'Tensor'))),
        h(
          'tbody',
          {},
          ...detail.rows.map((row) => {
            const bar = h('span', { class: 'bar', 'aria-hidden': 'true' });
            bar.style.width = `${(100 * row.bar).toFixed(1)}%`;
            return h(
              'tr',
              {},
              h('td', { class: 'num' }, row.index),
              h('td', { class: 'op' }, row.op),
              h('td', { class: 'num' }, row.weights),
              h('td', { class: 'num' }, h('div', { class: 'cell-bar' }, bar, h('span', { class: 'v' }, row.sparsity))),
              h('td', { class: 'tensor', title: row.tensor }, row.tensor),
            );
          }),
        ),
      );
    } else {
      table = h(
        'table',
        { class: 'prune-layers', 'aria-label': 'Channels per layer' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', class: 'num' }, '#'), h('th', { scope: 'col' }, 'Op'), h('th', { scope: 'col', class: 'num' }, 'In channels'), h('th', { scope: 'col', class: 'num' }, 'Out channels'), h('th', { scope: 'col', class: 'num' }, 'MACs'), h('th', { scope: 'col', class: 'num' }, 'Weights'))),
        h(
          'tbody',
          {},
          ...detail.rows.map((row) =>
            h('tr', {}, h('td', { class: 'num' }, row.index), h('td', { class: 'op' }, row.op), h('td', { class: 'num' }, row.inChannels), h('td', { class: 'num' }, row.outChannels), h('td', { class: 'num' }, row.macs), h('td', { class: 'num' }, row.weights)),
          ),
        ),
      );
    }
    const skipped = detail.skipped.map((s) => ('op' in s ? `${s.index} ${s.op}: ${s.reason}` : `${s.tensors}: ${s.reason}`));
    return [
      section(
        'pruning',
        'Pruning per layer',
        h('p', { class: 'lead' }, detail.heading),
        table,
        ...(skipped.length > 0 ? [h('h3', {}, `Left alone (${skipped.length})`), list(skipped, 'notes')] : []),
      ),
    ];
  }

  private notes(report: ActionReport): HTMLElement[] {
    const notes = [...report.notes, ...report.budget.notes];
    return notes.length > 0 ? [list(notes, 'notes')] : [h('p', {}, 'Nothing to add.')];
  }
}

function section(id: string, title: string, ...content: (Node | string)[]): HTMLElement {
  return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...content);
}

function list(items: readonly string[], className: string): HTMLElement {
  return h('ul', { class: className }, ...items.map((text) => h('li', {}, text)));
}

/** One row in the tab order; the arrow, Home, End and Page keys move between rows. */
function rovingRows(body: HTMLTableSectionElement): void {
  body.addEventListener('keydown', (event) => {
    const row = (event.target as HTMLElement).closest('tr');
    if (!row) return;
    const all = [...body.rows];
    const next = nextRow(all.indexOf(row), event.key, all.length);
    if (next === undefined) return;
    event.preventDefault();
    all.forEach((r, i) => (r.tabIndex = i === next ? 0 : -1));
    all[next].focus();
    all[next].scrollIntoView({ block: 'nearest' });
  });
  body.addEventListener('focusin', (event) => {
    const row = (event.target as HTMLElement).closest('tr');
    if (row) for (const r of body.rows) r.tabIndex = r === row ? 0 : -1;
  });
}
