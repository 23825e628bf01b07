// The `tinyml.*` settings the client reads, in one place: checked as read (a hand-edited
// settings.json may hold anything), cached per resource and cleared when they change.

import * as vscode from 'vscode';

export interface ClientSettings {
  board: string;
  kernels: 'optimized' | 'reference';
}

const cache = new Map<string, ClientSettings>();

export function settingsFor(resource: vscode.Uri | undefined): ClientSettings {
  const key = resource?.toString() ?? '';
  let settings = cache.get(key);
  if (!settings) {
    const config = vscode.workspace.getConfiguration('tinyml', resource);
    const board = config.get<unknown>('board');
    const kernels = config.get<unknown>('kernels');
    settings = {
      // An empty board falls back to the manifest's default, the one place it is declared.
      board: typeof board === 'string' && board.trim() !== '' ? board.trim() : String(config.inspect('board')?.defaultValue ?? ''),
      kernels: kernels === 'reference' ? 'reference' : 'optimized',
    };
    cache.set(key, settings);
  }
  return settings;
}

export function registerSettingsCache(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tinyml')) cache.clear();
    }),
  );
}

/** The resource the user is looking at: the active text editor's document or the active custom editor's (model) file. */
export function activeResource(): vscode.Uri | undefined {
  const editor = vscode.window.activeTextEditor;
  if (editor) return editor.document.uri;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText) return input.uri;
  return undefined;
}
