// The report of a model action: plain JSON (no Infinity, NaN or undefined anywhere; null where a
// figure does not exist), so that JSON.stringify round-trips it exactly for the CLI's --json, the
// report file beside the output, and the editor's view.

import type { ChannelLayerReport, ChannelSpaceReport, MagnitudeLayerReport, SkippedLayer } from '../prune';
import type { ValidationReport } from '../quantize/report';
import type { BudgetChange } from './budgetChange';
import type { ModelFileFormat, ResolvedActionOptions } from './options';

export const ACTION_REPORT_VERSION = 1;

export interface ModelFileSummary {
  /** As the caller named the source; for the output, the default name (outputFileName) unless the edge that wrote it put its own. */
  fileName: string;
  format: ModelFileFormat;
  /** Size of the file. */
  bytes: number;
}

export interface AccuracySummary {
  /** Share of inputs whose arg-max of output 0 agrees (0..1); null when output 0 is not a class score vector (no softmax). */
  top1Agreement: number | null;
  /** 10 log10(sum ref^2 / sum (ref - out)^2) over output 0 of all inputs; null when infinite (identical outputs) or undefined (all-zero reference). */
  outputSnrDb: number | null;
  /** Output 0 equal to the reference's on every input. */
  identicalOutputs: boolean;
  /** Largest |ref - out| over output 0, in real (dequantized) units. */
  maxAbsError: number;
  meanAbsError: number;
}

export interface LayerAgreementRow {
  /** Operator index in the reference model. */
  index: number;
  op: string;
  /** The reference's output tensor name, matched by name in the output model (else by position). */
  tensor: string;
  /** SNR of this activation over all inputs, dequantized; null when identical (or an all-zero reference). */
  snrDb: number | null;
  /** Equal to the reference on every input. */
  identical: boolean;
}

export interface LayerNotComparedRow {
  index: number;
  op: string;
  tensor: string;
  reason: string;
}

/** Unstructured pruning: what was zeroed where (figures from prune/magnitude.ts). */
export interface MagnitudePruneSummary {
  kind: 'magnitude';
  scope: 'global' | 'per-layer';
  targetSparsity: number;
  /** Zeros after / weights over the pruned layers. */
  achievedSparsity: number;
  weightsZeroed: number;
  layers: MagnitudeLayerReport[];
  skipped: SkippedLayer[];
  /** Dense bytes of the pruned layers' weights against a bitmask encoding of them (what compression could gain). */
  bitmaskEncoding: { denseBytes: number; encodedBytes: number };
}

export interface ChannelLayerRow {
  index: number;
  op: string;
  inChannelsBefore: number | null;
  inChannelsAfter: number | null;
  outChannelsBefore: number | null;
  outChannelsAfter: number | null;
  macsBefore: number;
  macsAfter: number;
  weightBytesBefore: number;
  weightBytesAfter: number;
}

/** Structured pruning: channels removed per layer and per channel space (prune/channels.ts). */
export interface ChannelPruneSummary {
  kind: 'channels';
  ratio: number;
  layers: ChannelLayerRow[];
  spaces: ChannelSpaceReport[];
}

export interface ActionReport {
  /** Report format version; bumped when a field changes meaning. */
  version: typeof ACTION_REPORT_VERSION;
  /** The options as applied, every default filled in. */
  action: ResolvedActionOptions;
  /** Board id the budgets are for. */
  board: string;
  source: ModelFileSummary;
  output: ModelFileSummary;
  /** The inputs the figures (and a quantization's calibration) come from. */
  evaluation: { inputs: number; description: string; generated: boolean };
  /** What the output model was compared with (e.g. the original's float form). */
  reference: string;
  accuracy: AccuracySummary;
  /** Every activation compared, in the reference's execution order: where accuracy is lost. */
  perLayer: LayerAgreementRow[];
  /** Index into perLayer of the lowest SNR; null when no layer lost anything. */
  worstLayer: number | null;
  /** Activations matched but not comparable (pruned shapes, element orders that differ), with the reason. */
  layersNotCompared: LayerNotComparedRow[];
  budget: BudgetChange;
  /** Pruning only: the per-layer sparsity or channel report; null for other actions. */
  prune: MagnitudePruneSummary | ChannelPruneSummary | null;
  /** What the user must know (generated calibration data, clamped values). */
  warnings: string[];
  /** What was done on the way (conversions, folds, choices). */
  notes: string[];
}

function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/** The accuracy, per-layer and not-compared parts of a report from a validation run. */
export function agreementOf(v: ValidationReport, classScores: boolean): Pick<ActionReport, 'accuracy' | 'perLayer' | 'worstLayer' | 'layersNotCompared'> {
  const perLayer = v.perLayer.map((l) => ({ index: l.index, op: l.op, tensor: l.tensor, snrDb: finiteOrNull(l.snrDb), identical: l.snrDb === Infinity }));
  let worstLayer: number | null = null;
  perLayer.forEach((l, i) => {
    if (l.snrDb !== null && (worstLayer === null || l.snrDb < (perLayer[worstLayer].snrDb as number))) worstLayer = i;
  });
  return {
    accuracy: {
      top1Agreement: classScores ? v.top1Agreement : null,
      outputSnrDb: finiteOrNull(v.outputSnrDb),
      identicalOutputs: v.outputSnrDb === Infinity,
      maxAbsError: v.maxAbsError,
      meanAbsError: v.meanAbsError,
    },
    perLayer,
    worstLayer,
    layersNotCompared: v.notComparable.map((l) => ({ ...l })),
  };
}

export function channelLayerRows(layers: readonly ChannelLayerReport[]): ChannelLayerRow[] {
  return layers.map((l) => ({
    index: l.index,
    op: l.op,
    inChannelsBefore: l.inChannelsBefore ?? null,
    inChannelsAfter: l.inChannelsAfter ?? null,
    outChannelsBefore: l.outChannelsBefore ?? null,
    outChannelsAfter: l.outChannelsAfter ?? null,
    macsBefore: l.macsBefore,
    macsAfter: l.macsAfter,
    weightBytesBefore: l.weightBytesBefore,
    weightBytesAfter: l.weightBytesAfter,
  }));
}
