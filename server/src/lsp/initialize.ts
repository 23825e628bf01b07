// `initialize`: what the server offers, which folders it looks at and whether it may ask the
// client for settings (`workspace/configuration`) per folder.

import {
  CodeActionKind,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
  type WorkspaceFoldersChangeEvent,
} from 'vscode-languageserver/node';
import type { SettingsCache } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';

export function initializeHandler(connection: Connection, index: WorkspaceIndex, settings: SettingsCache) {
  return (params: InitializeParams): InitializeResult => {
    const folders = params.workspaceFolders ?? (params.rootUri ? [{ uri: params.rootUri, name: 'root' }] : []);
    for (const folder of folders) index.addFolder(folder.uri);
    const canAsk = params.capabilities.workspace?.configuration === true;
    settings.useClient(canAsk ? (scopeUri) => connection.workspace.getConfiguration({ scopeUri, section: 'tinyml' }) : undefined);
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        codeLensProvider: { resolveProvider: false },
        hoverProvider: true,
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'tinyml-lens' },
    };
  };
}

/** After `initialized`: folder changes, when the client can send them. */
export function onFolderChanges(connection: Connection, handler: (event: WorkspaceFoldersChangeEvent) => void): void {
  try {
    connection.workspace.onDidChangeWorkspaceFolders(handler);
  } catch {
    // The client has a fixed set of folders (it said so in its capabilities): nothing to watch.
  }
}
