// `TinyML: Select Board`: a quick pick over the known boards, those seen on a USB serial port
// first, stored as `tinyml.board` for the workspace (or the folder, in a multi-root workspace).
// The server re-validates on the configuration change; the status bar and views follow it.

import * as vscode from 'vscode';
import { listBoards } from '../../server/src/analysis/boards';
import { boardPicks, boardSettingTarget, type BoardPick } from './boardChoice';
import { activeResource, settingsFor } from './config';
import { listSerialPorts } from './serialPorts';

interface Item extends vscode.QuickPickItem {
  id?: string;
}

export function registerSelectBoard(context: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('tinyml.selectBoard', async (arg?: vscode.Uri | string) => {
      const resource = typeof arg === 'string' ? vscode.Uri.parse(arg) : arg instanceof vscode.Uri ? arg : activeResource();
      const id = await pickBoard(resource, output);
      if (id) await storeBoard(id, resource);
    }),
  );
}

async function pickBoard(resource: vscode.Uri | undefined, output: vscode.OutputChannel): Promise<string | undefined> {
  const current = settingsFor(resource).board;
  const quickPick = vscode.window.createQuickPick<Item>();
  quickPick.title = 'TinyML: Select Board';
  quickPick.placeholder = 'Board the budget and diagnostics are computed for';
  quickPick.matchOnDescription = true;
  quickPick.matchOnDetail = true;
  quickPick.busy = true;
  const boards = listBoards();
  const fill = (picks: ReturnType<typeof boardPicks>) => {
    const toItem = (p: BoardPick): Item => ({
      id: p.id,
      label: p.current ? `$(check) ${p.label}` : p.label,
      description: p.description,
      detail: p.detail,
    });
    const items: Item[] = [];
    if (picks.detected.length > 0) items.push({ label: 'detected', kind: vscode.QuickPickItemKind.Separator }, ...picks.detected.map(toItem));
    items.push({ label: picks.detected.length > 0 ? 'all boards' : 'boards', kind: vscode.QuickPickItemKind.Separator }, ...picks.others.map(toItem));
    quickPick.items = items;
    const active = items.find((i) => i.id !== undefined && i.id === picks.active);
    if (active) quickPick.activeItems = [active];
  };
  fill(boardPicks(boards, [], current));
  quickPick.show();
  // Listing ports can take a moment (or fail without udev): show the list at once, reorder after.
  void listSerialPorts((line) => output.appendLine(line)).then((ports) => {
    quickPick.busy = false;
    if (ports.length > 0) fill(boardPicks(boards, ports, current));
  });
  return new Promise((resolve) => {
    quickPick.onDidAccept(() => {
      resolve(quickPick.selectedItems[0]?.id);
      quickPick.hide();
    });
    quickPick.onDidHide(() => {
      resolve(undefined);
      quickPick.dispose();
    });
  });
}

async function storeBoard(id: string, resource: vscode.Uri | undefined): Promise<void> {
  const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
  const target = boardSettingTarget(vscode.workspace.workspaceFolders?.length ?? 0, folder !== undefined);
  const config = vscode.workspace.getConfiguration('tinyml', folder?.uri ?? resource);
  await config.update(
    'board',
    id,
    target === 'workspaceFolder' ? vscode.ConfigurationTarget.WorkspaceFolder : target === 'workspace' ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global,
  );
}
