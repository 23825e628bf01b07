// Converts the server's `tinyml/budget` answer into the budget view's message (HostToView):
// the edge between the LSP channel and the webview channel. Pure.

import type { BudgetRequest } from '../../../server/src/lsp/protocol';
import type { BudgetSource, HostToView } from '../../../webview/src/messages';

/** `kws.tflite`, or `model_data.cc › g_model` for an embedded array. */
export function budgetTitle(fileName: string, arrayName: string | undefined): string {
  return arrayName ? `${fileName} › ${arrayName}` : fileName;
}

export function budgetMessage(result: BudgetRequest.Result, source: BudgetSource, fileName: string): HostToView {
  if (!result.ok) {
    return { type: 'error', title: budgetTitle(fileName, source.arrayName), source, reason: result.reason, message: result.message };
  }
  const { detail } = result;
  const arrayName = source.arrayName ?? detail.arrayName;
  return {
    type: 'budget',
    model: {
      title: budgetTitle(fileName, arrayName),
      // Keep the source as asked: a view opened without an array name follows whichever array holds the model.
      source,
      budget: detail.budget,
      kernels: detail.kernels,
      tensorNames: detail.tensorNames,
    },
  };
}
