// The model action report for the terminal: a summary, the per-layer agreement with the worst
// layer marked, the budget before and after (totals and per layer), the pruning detail, then
// warnings and notes. The --json output is the ActionReport itself.

import type { ActionReport, BudgetFigures, LayerFigures } from '../actions';
import { formatBytes, formatCount, formatMs } from '../analysis/units';
import { renderTable } from './table';

function optionsText(r: ActionReport): string {
  const a = r.action;
  switch (a.kind) {
    case 'quantize':
      return `${a.method}${a.percentile !== null ? ` ${a.percentile}%` : ''} calibration, ${a.perChannel ? 'per-channel' : 'per-tensor'} weights, ${a.io} inputs and outputs, written as ${a.format === 'onnx' ? 'QDQ ONNX' : 'TFLite'}`;
    case 'prune':
      return a.structured
        ? `structured: ${pct(a.sparsity)} of each prunable layer's channels${a.includeFirstAndLast ? ', first and last layer included' : ''}`
        : `magnitude: ${pct(a.sparsity)} of the weights, ${a.scope}${a.includeFirstAndLast ? ', first and last layer included' : ''}`;
    case 'convert':
      return `to ${a.to === 'onnx' ? 'ONNX' : 'TFLite'}`;
  }
}

function pct(x: number): string {
  return `${(100 * x).toFixed(1)}%`;
}

function db(x: number | null, identical: boolean): string {
  if (identical) return 'identical';
  return x === null ? 'n/a' : `${x.toFixed(1)} dB`;
}

function ms(x: number | null): string {
  return x === null ? 'n/a' : formatMs(x);
}

function change(before: number | null, after: number | null): string {
  if (before === null || after === null) return '';
  if (before === 0) return after === 0 ? '0%' : 'new';
  const c = (100 * (after - before)) / before;
  return `${c > 0 ? '+' : ''}${c.toFixed(1)}%`;
}

function accuracyLines(r: ActionReport): string[] {
  const a = r.accuracy;
  return [
    'accuracy (output 0)',
    `  top-1 agreement  ${a.top1Agreement === null ? 'n/a (output 0 is not a softmax over classes)' : pct(a.top1Agreement)}`,
    `  output SNR       ${db(a.outputSnrDb, a.identicalOutputs)}`,
    `  max |error|      ${a.maxAbsError.toPrecision(4)}`,
    `  mean |error|     ${a.meanAbsError.toPrecision(4)}`,
  ];
}

function shortName(name: string): string {
  return name.length > 48 ? `…${name.slice(-47)}` : name;
}

function layerLines(r: ActionReport): string[] {
  if (r.perLayer.length === 0 && r.layersNotCompared.length === 0) return [];
  const out = ['per-layer SNR (each activation against the reference)'];
  if (r.perLayer.length > 0) {
    out.push(
      renderTable(
        [{ title: '#', align: 'right' }, { title: 'op' }, { title: 'tensor' }, { title: 'SNR', align: 'right' }, { title: '' }],
        r.perLayer.map((l, i) => [String(l.index), l.op, shortName(l.tensor), db(l.snrDb, l.identical), i === r.worstLayer ? '<- worst' : '']),
      ),
    );
  }
  for (const l of r.layersNotCompared) out.push(`  not compared: op ${l.index} (${l.op}) ${shortName(l.tensor)}: ${l.reason}`);
  return out;
}

function budgetLines(r: ActionReport): string[] {
  const b = r.budget;
  const row = (name: string, key: keyof BudgetFigures, format: (x: number) => string): string[] => {
    const x = b.before[key];
    const y = b.after[key];
    return [name, x === null ? 'n/a' : format(x), y === null ? 'n/a' : format(y), change(x, y)];
  };
  const totals = renderTable(
    [{ title: `budget on ${b.board}` }, { title: 'before', align: 'right' }, { title: 'after', align: 'right' }, { title: 'change', align: 'right' }],
    [
      row('flash (model)', 'flashBytes', formatBytes),
      row('weights', 'weightBytes', formatBytes),
      row('arena (reference)', 'arenaBytes', formatBytes),
      row('arena (optimized)', 'arenaBytesOptimized', formatBytes),
      row('MACs', 'macs', formatCount),
      row('latency', 'latencyMs', formatMs),
      row('energy (µJ)', 'energyUj', (x) => x.toFixed(1)),
    ],
  );
  const side = (l: LayerFigures | null) => (l ? `${l.index} ${l.op}` : '-');
  const num = (l: LayerFigures | null, f: (x: number) => string, key: 'macs' | 'weightBytes') => (l ? f(l[key]) : '-');
  const layers = renderTable(
    [
      { title: 'before' },
      { title: 'after' },
      { title: 'MACs before', align: 'right' },
      { title: 'MACs after', align: 'right' },
      { title: 'weights before', align: 'right' },
      { title: 'weights after', align: 'right' },
      { title: 'latency before', align: 'right' },
      { title: 'latency after', align: 'right' },
    ],
    b.layers.map((l) => [
      side(l.before),
      side(l.after),
      num(l.before, formatCount, 'macs'),
      num(l.after, formatCount, 'macs'),
      num(l.before, formatBytes, 'weightBytes'),
      num(l.after, formatBytes, 'weightBytes'),
      l.before ? ms(l.before.latencyMs) : '-',
      l.after ? ms(l.after.latencyMs) : '-',
    ]),
  );
  return [totals, '', 'budget per layer (paired by output tensor, else by order; "-": no partner)', layers, ...b.notes.map((n) => `  note: ${n}`)];
}

function pruneLines(r: ActionReport): string[] {
  const p = r.prune;
  if (!p) return [];
  if (p.kind === 'magnitude') {
    return [
      `pruning: ${formatCount(p.weightsZeroed)} weights zeroed, sparsity ${pct(p.achievedSparsity)} of the pruned layers (target ${pct(p.targetSparsity)}, ${p.scope})`,
      renderTable(
        [{ title: '#', align: 'right' }, { title: 'op' }, { title: 'weights', align: 'right' }, { title: 'zeroed', align: 'right' }, { title: 'sparsity', align: 'right' }],
        p.layers.map((l) => [String(l.index), l.op, formatCount(l.weights), formatCount(l.zeroed), pct(l.sparsity)]),
      ),
      ...p.skipped.map((s) => `  kept dense: op ${s.index} (${s.op}): ${s.reason}`),
      `  bitmask encoding of the pruned weights: ${formatBytes(p.bitmaskEncoding.encodedBytes)} instead of ${formatBytes(p.bitmaskEncoding.denseBytes)}`,
    ];
  }
  const ch = (a: number | null, b: number | null) => (a === null || b === null ? '' : `${a} -> ${b}`);
  return [
    `pruning: channels removed (ratio ${pct(p.ratio)})`,
    renderTable(
      [{ title: '#', align: 'right' }, { title: 'op' }, { title: 'in channels' }, { title: 'out channels' }, { title: 'MACs', align: 'right' }, { title: 'weights', align: 'right' }],
      p.layers.map((l) => [String(l.index), l.op, ch(l.inChannelsBefore, l.inChannelsAfter), ch(l.outChannelsBefore, l.outChannelsAfter), `${formatCount(l.macsBefore)} -> ${formatCount(l.macsAfter)}`, `${formatBytes(l.weightBytesBefore)} -> ${formatBytes(l.weightBytesAfter)}`]),
    ),
  ];
}

export function actionReportText(r: ActionReport, outputPath: string, reportPath: string): string {
  const sections: string[][] = [
    [
      `${r.action.kind} ${r.source.fileName} (${r.source.format}, ${formatBytes(r.source.bytes)}) -> ${r.output.fileName} (${r.output.format}, ${formatBytes(r.output.bytes)})`,
      `  ${optionsText(r)}`,
      `  inputs: ${r.evaluation.description}`,
      `  compared with ${r.reference} on ${r.evaluation.inputs} input(s)`,
    ],
    accuracyLines(r),
    layerLines(r),
    budgetLines(r),
    pruneLines(r),
    r.warnings.map((w) => `warning: ${w}`),
    r.notes.map((n) => `note: ${n}`),
    [`wrote ${outputPath}`, `wrote ${reportPath}`],
  ];
  return sections.filter((s) => s.length > 0).map((s) => s.join('\n')).join('\n\n');
}
