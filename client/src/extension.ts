// Extension entry: starts the language client and registers commands; no logic here.

import * as vscode from 'vscode';
import { startLanguageClient } from './languageClient';
import { registerShowBudget } from './showBudget';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  try {
    const client = await startLanguageClient(context);
    registerShowBudget(context, client);
  } catch (error) {
    void vscode.window.showErrorMessage(`TinyML Lens could not start its language server: ${String(error)}`);
  }
}

export function deactivate(): void {}
