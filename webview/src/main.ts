// Budget webview: renders the per-layer table the host posts; UI only, no Node, no I/O.

import { registerToolkit, type GridElement } from './ui';
import type { HostToView, ViewToHost } from './messages';

declare function acquireVsCodeApi(): { postMessage(message: ViewToHost): void };

registerToolkit();
const vscode = acquireVsCodeApi();

window.addEventListener('message', (event: MessageEvent<HostToView>) => {
  const message = event.data;
  if (message.type !== 'budget') return;
  document.title = message.title;
  const grid = document.getElementById('layers') as GridElement | null;
  if (!grid) return;
  grid.columnDefinitions = [
    { columnDataKey: 'index', title: '#' },
    { columnDataKey: 'op', title: 'Op' },
    { columnDataKey: 'output', title: 'Output' },
    { columnDataKey: 'weights', title: 'Weights (B)' },
    { columnDataKey: 'macs', title: 'MACs' },
    { columnDataKey: 'latency', title: 'Latency (ms)' },
  ];
  grid.rowsData = message.layers.map((l) => ({
    index: String(l.index),
    op: l.op,
    output: `[${l.outputShape.join(',')}]`,
    weights: String(l.weightBytes),
    macs: String(l.macs),
    latency: l.latencyMs.toFixed(3),
  }));
});

vscode.postMessage({ type: 'ready' });
