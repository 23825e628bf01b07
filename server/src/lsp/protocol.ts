// Custom LSP messages between the extension (client/) and the language server (server/).
// Both sides import this file; nothing here is declared twice.

import { RequestType } from 'vscode-languageserver-protocol';
import type { budgetJson } from '../cli/budgetCommand';
import type { Budget } from '../analysis/budget';
import type { KernelSupport } from '../analysis/tflmKernels';

export type BudgetReport = ReturnType<typeof budgetJson>;

/**
 * client → server: the budget of a model, from a model file or from a byte array embedded in a
 * C/C++ source (`arrayName`, or the array that holds a model when omitted). The server reads the
 * bytes itself; for a source open in the editor the client passes its `text`, unsaved edits included.
 */
export namespace BudgetRequest {
  export const method = 'tinyml/budget';
  export interface Params {
    uri: string;
    arrayName?: string;
    text?: string;
    board?: string;
    kernels?: 'optimized' | 'reference';
  }
  /** Everything the budget view shows beyond the stable CLI JSON (`report`). */
  export interface Detail {
    /** The core budget: layers, totals, both arena plans with their buffers, fit, notes, latency basis. */
    budget: Budget;
    /** TFLM kernel availability of each layer's op, in layer order. */
    kernels: KernelSupport[];
    /** Tensor names by subgraph and tensor index, to label the arena's planned buffers. */
    tensorNames: string[][];
    /** The embedded array actually read, for a C/C++ source. */
    arrayName?: string;
  }
  export type FailureReason = 'unknown-board' | 'unreadable' | 'corrupt' | 'no-model-array';
  export type Result = { ok: true; report: BudgetReport; detail: Detail } | { ok: false; reason: FailureReason; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}
