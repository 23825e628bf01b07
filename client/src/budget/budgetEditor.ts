// The budget view as the default editor of `.tflite` and `.onnx` files (custom editor
// `tinyml.budgetView`): opening a model shows what it costs on the selected board.

import * as vscode from 'vscode';
import type { TinymlServer } from '../languageClient';
import { BudgetSession } from './budgetSession';

export const BUDGET_EDITOR_VIEW_TYPE = 'tinyml.budgetView';

class BudgetEditorProvider implements vscode.CustomReadonlyEditorProvider {
  constructor(
    private readonly server: TinymlServer,
    private readonly extensionUri: vscode.Uri,
  ) {}

  openCustomDocument(uri: vscode.Uri): vscode.CustomDocument {
    return { uri, dispose: () => undefined };
  }

  resolveCustomEditor(document: vscode.CustomDocument, panel: vscode.WebviewPanel): void {
    new BudgetSession(panel, { uri: document.uri.toString() }, this.server, this.extensionUri);
  }
}

export function registerBudgetEditor(context: vscode.ExtensionContext, server: TinymlServer): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(BUDGET_EDITOR_VIEW_TYPE, new BudgetEditorProvider(server, context.extensionUri), {
      // No retainContextWhenHidden: the view restores itself from its webview state.
      supportsMultipleEditorsPerDocument: true,
    }),
  );
}
