// The per-layer table: sortable by RAM (output bytes), flash (weight bytes), MACs and latency.
// Sortable headers are buttons with aria-sort; rows use a roving tabindex moved by the arrow keys.

import type { BudgetLayer } from '../../../server/src/analysis/budget';
import type { KernelSupport } from '../../../server/src/analysis/tflmKernels';
import { h } from './dom';
import { formatBytes, formatCount, formatExactBytes, formatMs, formatPercent, formatShape } from './format';
import { nextRow, shares, sortLayers, type SortKey, type SortState } from './layerSort';
import { statusText } from './opList';

interface Column {
  title: string;
  sort?: SortKey;
  numeric?: boolean;
  hint?: string;
}

const COLUMNS: Column[] = [
  { title: '#', sort: 'index', numeric: true, hint: 'execution order' },
  { title: 'Op' },
  { title: 'Output' },
  { title: 'Type' },
  { title: 'RAM', sort: 'outputBytes', numeric: true, hint: 'bytes of the layer output' },
  { title: 'Flash', sort: 'weightBytes', numeric: true, hint: 'bytes of the layer weights' },
  { title: 'MACs', sort: 'macs', numeric: true },
  { title: 'Latency', sort: 'latencyMs', numeric: true, hint: 'estimated, with the kernels in the settings' },
  { title: 'TFLM kernel' },
];

const BAR_KEYS = ['outputBytes', 'weightBytes', 'macs', 'latencyMs'] as const;

export interface LayerTableOptions {
  layers: readonly BudgetLayer[];
  kernels: readonly KernelSupport[];
  sort: SortState;
  onSort(key: SortKey): void;
}

export function layerTable(options: LayerTableOptions): HTMLTableElement {
  const { layers, kernels, sort } = options;
  const shareOf = Object.fromEntries(BAR_KEYS.map((k) => [k, shares(layers.map((l) => l[k]))])) as Record<(typeof BAR_KEYS)[number], ReturnType<typeof shares>>;

  const head = h(
    'tr',
    {},
    ...COLUMNS.map((c) => {
      if (!c.sort) return h('th', { scope: 'col' }, c.title);
      const active = sort.key === c.sort;
      const arrow = active ? (sort.direction === 'ascending' ? '▲' : '▼') : '';
      const label = `Sort by ${c.title}${c.hint ? ` (${c.hint})` : ''}`;
      const button = h('button', { type: 'button', class: 'sort', 'data-sort': c.sort, title: label, 'aria-label': label }, c.title, h('span', { class: 'arrow', 'aria-hidden': 'true' }, arrow));
      button.addEventListener('click', () => options.onSort(c.sort as SortKey));
      return h('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': active ? sort.direction : 'none' }, button);
    }),
  );

  const rows = sortLayers(layers, sort).map((layer, position) => {
    const kernel = kernels[layer.index];
    const bar = (key: (typeof BAR_KEYS)[number], text: string, exact: string) => {
      const { share, bar: width } = shareOf[key][layer.index];
      const fill = h('span', { class: 'bar', 'aria-hidden': 'true' });
      fill.style.width = `${(100 * width).toFixed(1)}%`;
      return h('td', { class: 'num', title: `${exact}: ${formatPercent(share, 1)} of the model's total` }, h('div', { class: 'cell-bar' }, fill, h('span', { class: 'v' }, text)));
    };
    return h(
      'tr',
      { tabindex: position === 0 ? 0 : -1, 'data-layer': layer.index },
      h('td', { class: 'num' }, layer.index),
      h('td', { class: 'op' }, layer.op),
      h('td', { class: 'shape' }, formatShape(layer.outputShape)),
      h('td', { title: layer.quantization }, layer.dtype),
      bar('outputBytes', formatBytes(layer.outputBytes), formatExactBytes(layer.outputBytes)),
      bar('weightBytes', formatBytes(layer.weightBytes), formatExactBytes(layer.weightBytes)),
      bar('macs', formatCount(layer.macs), `${layer.macs.toLocaleString('en-US')} MACs`),
      bar('latencyMs', formatMs(layer.latencyMs), `${formatMs(layer.latencyMs)} (${formatMs(layer.latencyMsReference)} with reference kernels)`),
      h('td', { class: kernel?.status === 'missing' ? 'kernel missing' : 'kernel' }, kernel ? statusText(kernel) : '—'),
    );
  });

  const body = h('tbody', {}, ...rows);
  body.addEventListener('keydown', (event) => {
    const row = (event.target as HTMLElement).closest('tr');
    if (!row) return;
    const all = [...body.rows];
    const next = nextRow(all.indexOf(row), event.key, all.length);
    if (next === undefined) return;
    event.preventDefault();
    focusRow(all, next);
  });
  body.addEventListener('focusin', (event) => {
    const row = (event.target as HTMLElement).closest('tr');
    if (row) for (const r of body.rows) r.tabIndex = r === row ? 0 : -1;
  });

  return h('table', { class: 'layers', 'aria-label': 'Per-layer budget' }, h('thead', {}, head), body);
}

function focusRow(rows: HTMLTableRowElement[], index: number): void {
  rows.forEach((r, i) => (r.tabIndex = i === index ? 0 : -1));
  rows[index].focus();
  rows[index].scrollIntoView({ block: 'nearest' });
}
