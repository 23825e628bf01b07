// Custom LSP messages between the extension (client/) and the language server (server/).
// Both sides import this file; nothing here is declared twice.

import { RequestType } from 'vscode-languageserver-protocol';
import type { budgetJson } from '../cli/budgetCommand';

export type BudgetReport = ReturnType<typeof budgetJson>;

/** client → server: the budget of a model file (its bytes are read by the server). */
export namespace BudgetRequest {
  export const method = 'tinyml/budget';
  export interface Params {
    uri: string;
    board?: string;
    kernels?: 'optimized' | 'reference';
  }
  export type Result = { ok: true; report: BudgetReport } | { ok: false; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}
