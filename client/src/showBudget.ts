// `TinyML: Show Model Budget`: asks the server for the active model's budget (tinyml/budget)
// and shows it as a read-only text document until the budget view lands (issue #3).

import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { BudgetRequest } from '../../server/src/lsp/protocol';

export function registerShowBudget(context: vscode.ExtensionContext, client: LanguageClient): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tinyml.showBudget', async (uri?: vscode.Uri) => {
      const target = uri ?? vscode.window.activeTextEditor?.document.uri;
      if (!target) {
        void vscode.window.showInformationMessage('Open or select a .tflite or .onnx model first.');
        return;
      }
      const config = vscode.workspace.getConfiguration('tinyml', target);
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Window, title: 'TinyML: computing budget' },
        () =>
          client.sendRequest(BudgetRequest.type, {
            uri: target.toString(),
            board: config.get<string>('board'),
            kernels: config.get<'optimized' | 'reference'>('kernels'),
          }),
      );
      if (!result.ok) {
        void vscode.window.showErrorMessage(result.message);
        return;
      }
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(result.report, null, 2) });
      await vscode.window.showTextDocument(doc, { preview: true });
    }),
  );
}
