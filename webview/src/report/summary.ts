// The report's summary: what was done to which file, and the headline figures (top-1 agreement,
// output SNR, largest error, where the inputs came from, the file size before and after). Pure.

import type { ActionReport, ResolvedActionOptions } from '../../../server/src/actions';
import { toneOf, type Tone } from './layerSnr';
import { formatBytes, formatChange, formatDb, formatError, formatShare } from './reportFormat';

export interface SummaryItem {
  id: 'top1' | 'snr' | 'error' | 'inputs' | 'size';
  label: string;
  value: string;
  detail: string;
  tone?: Tone;
}

const FORMAT_NAMES = { tflite: 'TFLite', onnx: 'ONNX' } as const;

/** `int8 quantization · min-max · per-channel · int8 I/O → TFLite`. */
export function actionText(action: ResolvedActionOptions): string {
  switch (action.kind) {
    case 'quantize': {
      const method = action.method === 'minmax' ? 'min-max' : action.method === 'percentile' ? `percentile ${action.percentile ?? ''}`.trim() : 'entropy';
      return ['int8 quantization', method, action.perChannel ? 'per-channel' : 'per-tensor', `${action.io} I/O`, `→ ${FORMAT_NAMES[action.format]}`].join(' · ');
    }
    case 'prune':
      return [
        `${action.structured ? 'Channel' : 'Magnitude'} pruning`,
        `${Math.round(action.sparsity * 100)} %`,
        ...(action.structured ? [] : [action.scope === 'global' ? 'global threshold' : 'per layer']),
        ...(action.includeFirstAndLast ? ['first and last layers included'] : []),
      ].join(' · ');
    case 'convert':
      return `Conversion → ${FORMAT_NAMES[action.to]}`;
  }
}

export function summaryItems(report: ActionReport): SummaryItem[] {
  const a = report.accuracy;
  const n = report.evaluation.inputs;
  const items: SummaryItem[] = [];
  items.push(
    a.top1Agreement === null
      ? { id: 'top1', label: 'Top-1 agreement', value: 'n/a', detail: 'Output 0 is not a class score vector (no softmax)' }
      : {
          id: 'top1',
          label: 'Top-1 agreement',
          value: formatShare(a.top1Agreement),
          detail: `The same top class as ${report.reference} on ${Math.round(a.top1Agreement * n)} of ${n} inputs`,
          tone: a.top1Agreement >= 0.99 ? 'good' : a.top1Agreement >= 0.9 ? 'fair' : 'poor',
        },
  );
  items.push({
    id: 'snr',
    label: 'Output SNR',
    value: a.identicalOutputs ? 'identical' : formatDb(a.outputSnrDb),
    detail: a.identicalOutputs ? 'Output 0 equals the reference on every input' : 'Signal-to-noise ratio of output 0 against the reference, over all inputs',
    tone: toneOf(a.outputSnrDb, a.identicalOutputs),
  });
  items.push({ id: 'error', label: 'Max abs error', value: formatError(a.maxAbsError), detail: `Mean abs error ${formatError(a.meanAbsError)}, in output units` });
  items.push({
    id: 'inputs',
    label: 'Inputs',
    value: report.evaluation.generated ? `${n} generated` : `${n} from data`,
    detail: report.evaluation.description,
    ...(report.evaluation.generated ? { tone: 'fair' as const } : {}),
  });
  items.push({
    id: 'size',
    label: 'File size',
    value: `${formatBytes(report.source.bytes)} → ${formatBytes(report.output.bytes)}`,
    detail: `${formatChange(report.source.bytes, report.output.bytes, formatBytes)}: ${report.source.fileName} → ${report.output.fileName}`,
  });
  return items;
}
