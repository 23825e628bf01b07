// Model actions (#5): Quantize, Prune and Convert Model, and the report view they open. Wiring only.

import type * as vscode from 'vscode';
import type { ActionServer } from './actionServer';
import { registerModelActionCommands } from './modelActionCommands';
import { registerReportPanels } from './reportPanels';

export function registerModelActions(context: vscode.ExtensionContext, server: ActionServer): void {
  registerModelActionCommands(context, server, registerReportPanels(context));
}
