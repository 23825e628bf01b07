// The report view's figures, from real reports: MLPerf Tiny's KWS model pruned (by magnitude and
// by channels) and TFLM's hello_world float model quantized, each run through the core here.

import assert from 'node:assert/strict';
import { runModelAction, type ActionOptions, type ActionReport } from '../../../server/src/actions';
import { findBoard } from '../../../server/src/analysis/boards';
import { formatBytes, formatCount } from '../../../server/src/analysis/units';
import { layerDeltaRows, totalRows } from '../../../webview/src/report/budgetDelta';
import { nextSnrSort, snrRows, toneOf } from '../../../webview/src/report/layerSnr';
import { pruneDetail } from '../../../webview/src/report/pruneDetail';
import { formatChange, formatDb, formatError, formatShare } from '../../../webview/src/report/reportFormat';
import { restoreReportState } from '../../../webview/src/report/reportState';
import { actionText, summaryItems } from '../../../webview/src/report/summary';
import { sharedModel } from '../../helpers/shared';

function reportOf(model: string, options: ActionOptions): ActionReport {
  const result = runModelAction({ bytes: sharedModel(model), fileName: model.slice(model.indexOf('/') + 1) }, options, undefined, findBoard('nucleo-l4r5zi')!);
  // The view gets the report through JSON (the saved file, postMessage).
  return JSON.parse(JSON.stringify(result.report)) as ActionReport;
}

describe('report view figures (real reports)', () => {
  let quantized: ActionReport;
  let magnitude: ActionReport;
  let channels: ActionReport;
  before(() => {
    quantized = reportOf('tflm/hello_world_float.tflite', { kind: 'quantize' });
    magnitude = reportOf('mlperf-tiny/kws_ref_model.tflite', { kind: 'prune', sparsity: 0.5 });
    channels = reportOf('mlperf-tiny/kws_ref_model.tflite', { kind: 'prune', sparsity: 0.5, structured: true });
  });

  it('names what was done', () => {
    assert.equal(actionText(quantized.action), 'int8 quantization · min-max · per-channel · int8 I/O · → TFLite');
    assert.equal(actionText(magnitude.action), 'Magnitude pruning · 50 % · per layer');
    assert.equal(actionText(channels.action), 'Channel pruning · 50 %');
    assert.equal(actionText({ kind: 'quantize', method: 'percentile', percentile: 99.99, perChannel: false, io: 'float', format: 'onnx' }), 'int8 quantization · percentile 99.99 · per-tensor · float I/O · → ONNX');
  });

  it('summarizes accuracy, inputs and size from the report’s own figures', () => {
    const items = Object.fromEntries(summaryItems(quantized).map((i) => [i.id, i]));
    const a = quantized.accuracy;
    assert.equal(a.top1Agreement, null, 'hello_world regresses a sine: no classes');
    assert.deepEqual([items.top1.value, items.top1.detail], ['n/a', 'Output 0 is not a class score vector (no softmax)']);
    assert.equal(items.snr.value, `${a.outputSnrDb!.toFixed(1)} dB`);
    assert.equal(items.snr.tone, a.outputSnrDb! >= 30 ? 'good' : a.outputSnrDb! >= 15 ? 'fair' : 'poor');
    assert.equal(items.error.value, String(Number(a.maxAbsError.toPrecision(3))));
    assert.equal(items.inputs.value, `${quantized.evaluation.inputs} generated`);
    assert.equal(items.inputs.tone, 'fair', 'generated inputs are flagged');
    assert.equal(items.inputs.detail, quantized.evaluation.description);
    assert.equal(items.size.value, `${formatBytes(quantized.source.bytes)} → ${formatBytes(quantized.output.bytes)}`);
    assert.match(items.size.detail, /: hello_world_float\.tflite → hello_world_float\.int8\.tflite$/);

    const pruned = Object.fromEntries(summaryItems(channels).map((i) => [i.id, i]));
    const top1 = channels.accuracy.top1Agreement!;
    assert.equal(pruned.top1.value, formatShare(top1));
    assert.equal(pruned.top1.detail, `The same top class as ${channels.reference} on ${Math.round(top1 * channels.evaluation.inputs)} of ${channels.evaluation.inputs} inputs`);
  });

  it('lists every compared layer with its SNR, marks the worst one, and sorts worst-first', () => {
    const inOrder = snrRows(quantized, { key: 'index', direction: 'ascending' });
    assert.deepEqual(inOrder.map((r) => r.index), quantized.perLayer.map((l) => l.index));
    assert.deepEqual(inOrder.map((r) => r.text), quantized.perLayer.map((l) => (l.identical ? 'identical' : formatDb(l.snrDb))));
    const worst = inOrder.filter((r) => r.worst);
    assert.equal(worst.length, 1);
    assert.equal(worst[0].position, quantized.worstLayer);
    const lowest = Math.min(...quantized.perLayer.map((l) => l.snrDb!));
    assert.equal(quantized.perLayer[worst[0].position].snrDb, lowest);

    const worstFirst = snrRows(quantized, nextSnrSort({ key: 'index', direction: 'ascending' }, 'snr'));
    assert.equal(worstFirst[0].position, quantized.worstLayer);
    const snrs = worstFirst.map((r) => quantized.perLayer[r.position].snrDb!);
    assert.deepEqual(snrs, [...snrs].sort((x, y) => x - y));
    assert.deepEqual(nextSnrSort({ key: 'snr', direction: 'ascending' }, 'snr'), { key: 'snr', direction: 'descending' });
    // Bars share one scale: the best layer's SNR (at least 40 dB).
    const scale = Math.max(40, ...quantized.perLayer.map((l) => l.snrDb!));
    inOrder.forEach((r) => assert.equal(r.bar, Math.min(1, quantized.perLayer[r.position].snrDb! / scale)));
  });

  it('shows an identical layer as identical, with a full bar, last when sorted worst-first', () => {
    const report = { perLayer: [{ index: 0, op: 'CONV_2D', tensor: 'a', snrDb: null, identical: true }, { index: 1, op: 'FC', tensor: 'b', snrDb: 12, identical: false }], worstLayer: 1 };
    const rows = snrRows(report, { key: 'snr', direction: 'ascending' });
    assert.deepEqual(rows.map((r) => [r.index, r.text, r.bar, r.tone, r.worst]), [[1, '12.0 dB', 0.3, 'poor', true], [0, 'identical', 1, 'good', false]]);
    assert.deepEqual([toneOf(30, false), toneOf(29.9, false), toneOf(15, false), toneOf(14.9, false)], ['good', 'fair', 'fair', 'poor']);
  });

  it('compares the budget totals before and after, with signed changes', () => {
    const rows = Object.fromEntries(totalRows(channels.budget).map((r) => [r.id, r]));
    const { before, after } = channels.budget;
    assert.equal(rows.macs.before, formatCount(before.macs));
    assert.equal(rows.macs.after, formatCount(after.macs));
    assert.ok(after.macs < before.macs, 'removing channels removes MACs');
    assert.equal(rows.macs.direction, -1);
    assert.equal(rows.macs.change, `−${formatCount(before.macs - after.macs)} (−${Math.round((100 * (before.macs - after.macs)) / before.macs)} %)`);
    assert.equal(rows.flashBytes.change, formatChange(before.flashBytes, after.flashBytes, formatBytes));
    assert.equal(totalRows(magnitude.budget).find((r) => r.id === 'macs')!.change, '±0', 'zeroed weights still cost MACs');
    assert.equal(totalRows({ before: { ...before, energyUj: null }, after }).find((r) => r.id === 'energyUj')!.direction, null);
  });

  it('pairs the budget per layer, with before → after where a layer changed', () => {
    const rows = layerDeltaRows(channels.budget.layers);
    assert.equal(rows.length, channels.budget.layers.length);
    channels.budget.layers.forEach((layer, i) => {
      const row = rows[i];
      assert.equal(row.status, layer.before && layer.after ? 'kept' : layer.before ? 'removed' : 'added');
      if (layer.before && layer.after) {
        const b = layer.before.weightBytes;
        const a = layer.after.weightBytes;
        assert.equal(row.weights, b === a ? formatBytes(b) : `${formatBytes(b)} → ${formatBytes(a)}`);
        assert.equal(row.weightSaving, b - a);
      }
    });
    assert.ok(rows.some((r) => r.weightSaving > 0 && r.weights.includes(' → ')), 'some layer lost weights');
  });

  it('shows the sparsity reached per layer for magnitude pruning', () => {
    const detail = pruneDetail(magnitude.prune)!;
    assert.equal(detail.kind, 'magnitude');
    const prune = magnitude.prune as Extract<ActionReport['prune'], { kind: 'magnitude' }>;
    assert.deepEqual(detail.kind === 'magnitude' && detail.rows.map((r) => [r.index, r.sparsity, r.bar]), prune.layers.map((l) => [l.index, formatShare(l.sparsity), l.sparsity]));
    assert.ok(detail.heading.startsWith(`${formatShare(prune.achievedSparsity)} of the pruned layers' weights are zero (target 50.0 %, per layer)`), detail.heading);
    assert.equal(detail.skipped.length, prune.skipped.length);
    assert.equal(pruneDetail(quantized.prune), undefined);
  });

  it('shows the channels kept per layer for channel pruning', () => {
    const detail = pruneDetail(channels.prune)!;
    const prune = channels.prune as Extract<ActionReport['prune'], { kind: 'channels' }>;
    assert.equal(detail.kind, 'channels');
    if (detail.kind !== 'channels') return;
    prune.layers.forEach((l, i) => {
      const expected = l.outChannelsBefore === l.outChannelsAfter ? String(l.outChannelsBefore) : `${l.outChannelsBefore} → ${l.outChannelsAfter}`;
      assert.equal(detail.rows[i].outChannels, expected);
    });
    assert.ok(detail.rows.some((r) => r.outChannels === '64 → 32'), detail.rows.map((r) => r.outChannels).join(', '));
    assert.match(detail.heading, /^\d+ of \d+ channel groups pruned by 50\.0 %\.$/);
  });

  it('formats errors and changes', () => {
    assert.deepEqual([formatError(0), formatError(0.0210862), formatError(1.25e-5), formatError(123456)], ['0', '0.0211', '1.25e-5', '1.23e+5']);
    assert.equal(formatChange(2048, 1024, formatBytes), '−1.0 KiB (−50 %)');
    assert.equal(formatChange(0, 10, String), '+10');
  });

  it('restores a saved state, dropping what does not have the expected shape', () => {
    const source = { reportUri: 'file:///w/a.int8.tflite.report.json', outputUri: 'file:///w/a.int8.tflite', inputUri: 'file:///w/a.tflite' };
    const saved = restoreReportState(JSON.parse(JSON.stringify({ version: 1, source, report: quantized, sort: { key: 'snr', direction: 'descending' } })));
    assert.deepEqual(saved, { version: 1, source, report: quantized, sort: { key: 'snr', direction: 'descending' } });
    assert.deepEqual(restoreReportState({ version: 1, source: { reportUri: 3 }, report: { version: 2 }, sort: { key: 'op' } }), { version: 1, sort: { key: 'index', direction: 'ascending' } });
    assert.deepEqual(restoreReportState(undefined), { version: 1, sort: { key: 'index', direction: 'ascending' } });
  });
});
