// Runs the reference and the output model side by side on the evaluation inputs (quantize/report.ts
// validate), with progress and cancellation between inputs, and with the layout alignment when
// a conversion lies between the two models.

import { EngineError, prepareEngine } from '../engine/engine';
import type { Graph } from '../model/graph';
import { validate, type ValidationReport } from '../quantize/report';
import { convertedTensorFinder } from './convertedNames';
import { ActionError } from './errors';
import { withInterfaceQuantization } from './interfaceQuantization';
import { type InputAdapter, layoutAlignment } from './layout';
import type { PhaseProgress } from './progress';

export interface Comparison {
  /** The model compared against, in its own layout (the evaluation samples are in it). */
  original: Graph;
  /** The output model as read back from its bytes. */
  candidate: Graph;
  /** 'float': the original's float form (quantization); 'original': as it is. */
  reference: 'float' | 'original';
  samples: Float32Array[][];
  /** The candidate's inputs from the original's, when a conversion moved their layout. */
  candidateInputs?: InputAdapter;
  /** A conversion lies between the two: activations line up by layout, not by count alone. */
  layoutsMayDiffer: boolean;
  /** The TFLite model an ONNX candidate was converted from: the source of its int8 interface's parameters. */
  convertedFrom?: Graph;
}

/** Throws an ActionError naming `what` when the engine cannot run `graph`. */
function checkRuns(graph: Graph, what: string): void {
  try {
    prepareEngine(graph);
  } catch (e) {
    if (e instanceof EngineError) throw new ActionError(`the engine cannot run ${what}, so it cannot be validated: ${e.message}`);
    throw e;
  }
}

export function compareModels(c: Comparison, progress: PhaseProgress): ValidationReport {
  if (c.reference === 'original') checkRuns(c.original, 'the source model');
  checkRuns(c.candidate, 'the resulting model');
  try {
    const candidate = c.convertedFrom ? withInterfaceQuantization(c.candidate, c.convertedFrom) : c.candidate;
    return validate(c.original, candidate, c.samples, {
      reference: c.reference,
      candidateInputs: c.candidateInputs,
      findCandidate: c.layoutsMayDiffer ? convertedTensorFinder(c.original, candidate) : undefined,
      alignLayer: c.layoutsMayDiffer ? layoutAlignment(c.original, candidate) : undefined,
      alignOutput: c.layoutsMayDiffer ? layoutAlignment(c.original, candidate, false) : undefined,
      onSample: (done, total) => progress.step(done, total),
    });
  } catch (e) {
    if (e instanceof EngineError) throw new ActionError(`the engine cannot run the models to validate them: ${e.message}`);
    throw e;
  }
}
