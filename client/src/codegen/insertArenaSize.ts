// `TinyML: Insert Arena Size` (`tinyml.insertArenaSize`): in a C/C++ editor, finds the model this
// firmware runs (pickModel.ts, `tinyml/codegen/firmwareModels`), asks the server for the arena
// declaration (`tinyml/codegen/arenaSize`: need + tinyml.arenaMarginPercent, rounded up to 16)
// and replaces the kTensorArenaSize definition, or inserts one at the cursor.

import * as vscode from 'vscode';
import { CodegenArenaSizeRequest } from '../../../server/src/lsp/protocol';
import { requestWithProgress, type CodegenServer } from './codegenServer';
import { arenaAtCursor } from './editorInsertion';
import { pickModel } from './pickModel';

const TITLE = 'TinyML: Insert Arena Size';

export function registerInsertArenaSize(context: vscode.ExtensionContext, server: CodegenServer): void {
  context.subscriptions.push(vscode.commands.registerCommand('tinyml.insertArenaSize', (arg?: unknown) => insertArenaSize(server, arg)));
}

async function insertArenaSize(server: CodegenServer, arg: unknown): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || (editor.document.languageId !== 'c' && editor.document.languageId !== 'cpp')) {
    void vscode.window.showInformationMessage('Open the C/C++ source that declares the tensor arena, put the cursor where kTensorArenaSize belongs, and run this again.');
    return;
  }
  const model = await pickModel(server, arg, TITLE);
  if (!model) return;
  const result = await requestWithProgress(server, 'Computing the tensor arena…', CodegenArenaSizeRequest.type, { model, firmwareUri: editor.document.uri.toString() });
  if (!result) return;
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Cannot size the arena: ${result.message}`);
    return;
  }
  const { document } = editor;
  const edit = arenaAtCursor(result, document.getText(), document.offsetAt(editor.selection.active), document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
  const range = new vscode.Range(document.positionAt(edit.start), document.positionAt(edit.end));
  if (!(await editor.edit((b) => b.replace(range, edit.newText)))) {
    void vscode.window.showErrorMessage('The editor changed while the arena was computed; run the command again.');
    return;
  }
  void vscode.window.setStatusBarMessage(
    `kTensorArenaSize ${edit.replaced ? 'set' : 'inserted'}: ${edit.value} (${result.modelName} needs ${result.needBytes} bytes + ${result.marginPercent}%)`,
    8000,
  );
}
