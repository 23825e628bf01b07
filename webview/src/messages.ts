// Messages between the webviews and their hosts in the extension, as one discriminated union per
// direction, plus the state a view keeps with setState. Types only; both sides import this file.

import type { Budget } from '../../server/src/analysis/budget';
import type { KernelSupport } from '../../server/src/analysis/tflmKernels';
import type { SortState } from './budget/layerSort';

/** What a budget view shows: a model file, or a byte array in a C/C++ source. */
export interface BudgetSource {
  uri: string;
  arrayName?: string;
}

export interface BudgetViewModel {
  /** e.g. `kws_ref_model.tflite` or `model_data.cc › g_model`. */
  title: string;
  source: BudgetSource;
  budget: Budget;
  /** TFLM kernel availability per layer, in layer order. */
  kernels: KernelSupport[];
  /** Tensor names by subgraph and tensor index. */
  tensorNames: string[][];
}

export type BudgetFailure = 'unknown-board' | 'unreadable' | 'corrupt' | 'no-model-array' | 'no-server';

/** host → budget view */
export type HostToView =
  | { type: 'loading'; title: string; source: BudgetSource }
  | { type: 'budget'; model: BudgetViewModel }
  | { type: 'error'; title: string; source: BudgetSource; reason: BudgetFailure; message: string };

/** budget view → host */
export type ViewToHost =
  /** The script runs and listens: send the budget. */
  | { type: 'ready' }
  | { type: 'selectBoard' }
  | { type: 'refresh' }
  /** Reveal the model's source (the C/C++ array) in a text editor. */
  | { type: 'openSource' };

export type ArenaChoice = 'reference' | 'optimized';

/** Kept with setState: survives hiding the view and reloading the window. */
export interface BudgetViewState {
  version: 1;
  source?: BudgetSource;
  sort: SortState;
  arena: ArenaChoice;
  /** The last budget shown, drawn at once on restore while the host computes a fresh one. */
  model?: BudgetViewModel;
}
