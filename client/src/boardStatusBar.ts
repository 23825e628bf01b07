// The status bar item naming the board of the active file's folder (`$(circuit-board) NUCLEO-L4R5ZI`);
// a click runs `TinyML: Select Board`. Follows configuration, editor and tab changes.

import * as vscode from 'vscode';
import { findBoard } from '../../server/src/analysis/boards';
import { boardStatusText } from './boardChoice';
import { activeResource, settingsFor } from './config';

export function registerBoardStatusBar(context: vscode.ExtensionContext): void {
  const item = vscode.window.createStatusBarItem('tinyml.board', vscode.StatusBarAlignment.Right, 100);
  item.name = 'TinyML Board';
  const update = () => {
    const resource = activeResource();
    const id = settingsFor(resource).board;
    const board = findBoard(id);
    item.text = boardStatusText(board, id);
    const folder = resource ? vscode.workspace.getWorkspaceFolder(resource) : undefined;
    item.tooltip = board
      ? `TinyML board${folder ? ` for ${folder.name}` : ''}: ${board.name} (${board.mcu}, ${board.core} @ ${board.clockMhz} MHz). Click to change.`
      : `Unknown TinyML board '${id}'. Click to select one.`;
    item.backgroundColor = board ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    item.command = { title: 'Select Board', command: 'tinyml.selectBoard', arguments: resource ? [resource] : [] };
    item.show();
  };
  context.subscriptions.push(
    item,
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('tinyml.board')) update();
    }),
    vscode.window.onDidChangeActiveTextEditor(update),
    vscode.window.tabGroups.onDidChangeTabs(update),
    vscode.workspace.onDidChangeWorkspaceFolders(update),
  );
  update();
}
