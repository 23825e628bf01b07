// `TinyML: Generate Op Resolver` (`tinyml.generateOpResolver`): the exact MicroMutableOpResolver<N>
// for the active model file, or for the model the active firmware runs (pickModel.ts), from the
// server's `tinyml/codegen/resolver`; inserted at the cursor in a C/C++ editor, else opened as an
// untitled C++ document.

import * as vscode from 'vscode';
import { CodegenResolverRequest } from '../../../server/src/lsp/protocol';
import { requestWithProgress, type CodegenServer } from './codegenServer';
import { blockAtCursor } from './editorInsertion';
import { pickModel } from './pickModel';

const TITLE = 'TinyML: Generate Op Resolver';

export function registerGenerateResolver(context: vscode.ExtensionContext, server: CodegenServer): void {
  context.subscriptions.push(vscode.commands.registerCommand('tinyml.generateOpResolver', (arg?: unknown) => generate(server, arg)));
}

async function generate(server: CodegenServer, arg: unknown): Promise<void> {
  const target = await pickModel(server, arg, TITLE);
  if (!target) return;
  const style = typeof arg === 'object' && arg !== null && (arg as { style?: unknown }).style === 'checked' ? 'checked' : 'plain';
  const result = await requestWithProgress(server, 'Reading the model’s ops…', CodegenResolverRequest.type, { ...target, style });
  if (!result) return;
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Cannot generate an op resolver: ${result.message}`);
    return;
  }

  const editor = vscode.window.activeTextEditor;
  if (editor && (editor.document.languageId === 'c' || editor.document.languageId === 'cpp')) {
    const { document } = editor;
    const edit = blockAtCursor(result.code, document.getText(), document.offsetAt(editor.selection.active), document.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n');
    const at = document.positionAt(edit.start);
    await editor.edit((b) => b.replace(new vscode.Range(at, document.positionAt(edit.end)), edit.newText));
  } else {
    const document = await vscode.workspace.openTextDocument({ language: 'cpp', content: result.code });
    await vscode.window.showTextDocument(document, { preview: false });
  }

  const missing = result.ops.filter((op) => !op.method).map((op) => op.op);
  if (missing.length > 0) {
    void vscode.window.showWarningMessage(
      `${result.modelName} uses ${missing.join(', ')}, which TFLM has no kernel for: register your own (see the comment in the generated code).`,
    );
  } else {
    void vscode.window.setStatusBarMessage(`MicroMutableOpResolver<${result.n}> for ${result.modelName}`, 5000);
  }
}
