// What the user reads after a model action: the size change on success, and a sentence for
// each failure the server reports. Pure.

import type { ActionReport } from '../../../server/src/actions';
import { formatBytes } from '../../../server/src/analysis/units';
import type { ModelActionRequest } from '../../../server/src/lsp/protocol';
import type { ActionKind } from './actionChoices';

const DONE: Record<ActionKind, string> = { quantize: 'Quantized', prune: 'Pruned', convert: 'Converted' };

/** `68.2 KiB → 19.5 KiB (−71 %)`; a change under 1 % keeps a decimal (`−0.3 %`). */
export function sizeChange(inputBytes: number, outputBytes: number): string {
  const diff = outputBytes - inputBytes;
  const pct = inputBytes > 0 ? Math.abs((100 * diff) / inputBytes) : 0;
  const sign = diff > 0 ? '+' : diff < 0 ? '−' : '±';
  const figure = diff === 0 ? '0' : pct < 1 ? pct.toFixed(1) : String(Math.round(pct));
  return `${formatBytes(inputBytes)} → ${formatBytes(outputBytes)} (${sign}${figure} %)`;
}

/** `Quantized kws.tflite into kws.int8.tflite: 68.2 KiB → 19.5 KiB (−71 %).` */
export function successMessage(report: Pick<ActionReport, 'action' | 'source' | 'output'>): string {
  return `${DONE[report.action.kind]} ${report.source.fileName} into ${report.output.fileName}: ${sizeChange(report.source.bytes, report.output.bytes)}.`;
}

/** The error message for a failed request; undefined for a cancellation (the user knows). */
export function failureMessage(kind: ActionKind, inputName: string, failure: { reason: ModelActionRequest.FailureReason; message: string }): string | undefined {
  const what = `Cannot ${kind} ${inputName}`;
  switch (failure.reason) {
    case 'cancelled':
      return undefined;
    case 'calibration':
      return `${what}: the calibration data does not fit the model. ${failure.message}`;
    default:
      return `${what}: ${failure.message}`;
  }
}
