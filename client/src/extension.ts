// Extension entry: creates the output channel and the server connection, registers the commands,
// views and status bar, and starts the language client; no logic here.

import * as vscode from 'vscode';
import { registerBudgetEditor } from './budget/budgetEditor';
import { registerBudgetPanels } from './budget/budgetPanels';
import { registerBoardStatusBar } from './boardStatusBar';
import { registerCodegen } from './codegen/registerCodegen';
import { registerModelActions } from './actions/registerModelActions';
import { registerSettingsCache } from './config';
import { TinymlServer } from './languageClient';
import { CodegenFirmwareModelsRequest } from '../../server/src/lsp/protocol';
import { registerDevicePanel } from './panels/devicePanel';
import { registerSelectBoard } from './selectBoard';
import { registerShowBudget } from './showBudget';

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const output = vscode.window.createOutputChannel('TinyML Lens');
  const server = new TinymlServer(context, output);
  context.subscriptions.push(output, server);
  try {
    // The settings cache first: later configuration listeners must read fresh values.
    registerSettingsCache(context);
    registerSelectBoard(context, output);
    registerBoardStatusBar(context);
    registerBudgetEditor(context, server);
    registerShowBudget(context, registerBudgetPanels(context, server));
    registerCodegen(context, server);
    registerModelActions(context, server);
    registerDevicePanel(context, output, async (uri) => (await server.request(CodegenFirmwareModelsRequest.type, { uri })).models);
    context.subscriptions.push(
      vscode.commands.registerCommand('tinyml.restartServer', () => server.restart()),
      vscode.commands.registerCommand('tinyml.showOutput', () => output.show(true)),
    );
  } catch (error) {
    showActivationError(output, 'TinyML Lens failed to activate', error);
    return;
  }
  try {
    await server.start();
  } catch (error) {
    showActivationError(output, 'TinyML Lens could not start its language server', error);
  }
}

function showActivationError(output: vscode.OutputChannel, what: string, error: unknown): void {
  output.appendLine(`[client] ${what}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  void vscode.window.showErrorMessage(`${what}: ${error instanceof Error ? error.message : String(error)}`, 'Show Output').then((choice) => {
    if (choice === 'Show Output') output.show(true);
  });
}

export function deactivate(): void {}
