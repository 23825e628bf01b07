// `TinyML: Show Model Budget` (`tinyml.showBudget`): a model file opens in the budget editor; a
// C/C++ source opens the budget panel of its embedded model array. Code lenses from the server
// call it with `[{ uri, arrayName? }]`; menus call it with the file's Uri.

import * as vscode from 'vscode';
import { activeResource } from './config';
import { BUDGET_EDITOR_VIEW_TYPE } from './budget/budgetEditor';
import type { BudgetPanels } from './budget/budgetPanels';

const MODEL_FILE = /\.(tflite|onnx)$/i;

type Target = { uri: vscode.Uri; arrayName?: string };

/** The argument shapes the command is called with: a Uri, `{ uri, arrayName? }` from a lens, or nothing. */
export function targetOf(arg: unknown): Target | undefined {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg === 'string') return { uri: vscode.Uri.parse(arg) };
  if (typeof arg === 'object' && arg !== null && 'uri' in arg) {
    const { uri, arrayName } = arg as { uri: unknown; arrayName?: unknown };
    const parsed = uri instanceof vscode.Uri ? uri : typeof uri === 'string' ? vscode.Uri.parse(uri) : undefined;
    if (parsed) return { uri: parsed, ...(typeof arrayName === 'string' && arrayName !== '' ? { arrayName } : {}) };
  }
  return undefined;
}

export function registerShowBudget(context: vscode.ExtensionContext, panels: BudgetPanels): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tinyml.showBudget', async (arg?: unknown) => {
      const target = targetOf(arg) ?? (activeResource() ? { uri: activeResource() as vscode.Uri } : undefined);
      if (!target) {
        void vscode.window.showInformationMessage('Open a .tflite or .onnx model, or a C/C++ source with a model array, first.');
        return;
      }
      if (MODEL_FILE.test(target.uri.path)) {
        await vscode.commands.executeCommand('vscode.openWith', target.uri, BUDGET_EDITOR_VIEW_TYPE);
        return;
      }
      panels.show({ uri: target.uri.toString(), ...(target.arrayName ? { arrayName: target.arrayName } : {}) });
    }),
  );
}
