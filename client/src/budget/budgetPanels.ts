// The budget view of a model embedded in a C/C++ source (a code lens or `TinyML: Show Model
// Budget` on a source): one WebviewPanel per source and array, restored after a reload by a
// serializer from the source the view saved in its state.

import * as vscode from 'vscode';
import type { BudgetSource } from '../../../webview/src/messages';
import { restoreState } from '../../../webview/src/budget/viewState';
import type { TinymlServer } from '../languageClient';
import { BudgetSession, webviewOptions } from './budgetSession';

export const BUDGET_PANEL_VIEW_TYPE = 'tinyml.budgetPanel';

export class BudgetPanels implements vscode.WebviewPanelSerializer {
  private readonly open = new Map<string, vscode.WebviewPanel>();

  constructor(
    private readonly server: TinymlServer,
    private readonly extensionUri: vscode.Uri,
  ) {}

  show(source: BudgetSource): void {
    const key = keyOf(source);
    const existing = this.open.get(key);
    if (existing) {
      existing.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(BUDGET_PANEL_VIEW_TYPE, 'TinyML budget', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, webviewOptions(this.extensionUri));
    this.attach(panel, source);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const source = restoreState(state).source;
    if (!source) {
      panel.dispose();
      return;
    }
    this.attach(panel, source);
  }

  private attach(panel: vscode.WebviewPanel, source: BudgetSource): void {
    const key = keyOf(source);
    this.open.set(key, panel);
    panel.iconPath = {
      light: vscode.Uri.joinPath(this.extensionUri, 'media', 'budget-light.svg'),
      dark: vscode.Uri.joinPath(this.extensionUri, 'media', 'budget-dark.svg'),
    };
    const session = new BudgetSession(panel, source, this.server, this.extensionUri);
    panel.onDidDispose(() => {
      if (this.open.get(key) === panel) this.open.delete(key);
      session.dispose();
    });
  }
}

function keyOf(source: BudgetSource): string {
  return `${source.uri}#${source.arrayName ?? ''}`;
}

export function registerBudgetPanels(context: vscode.ExtensionContext, server: TinymlServer): BudgetPanels {
  const panels = new BudgetPanels(server, context.extensionUri);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(BUDGET_PANEL_VIEW_TYPE, panels));
  return panels;
}
