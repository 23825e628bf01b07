// The model Generate Op Resolver and Insert Arena Size work on: an explicit argument (explorer
// menu, `{ uri, arrayName }` from a lens), else modelChoice.ts over the active editor, what the
// server says the active firmware runs (`tinyml/codegen/firmwareModels`) and the workspace's
// model files, with a quick pick only when that is ambiguous.

import * as vscode from 'vscode';
import { CodegenFirmwareModelsRequest, type CodegenModelTarget } from '../../../server/src/lsp/protocol';
import { activeResource } from '../config';
import { targetOf } from '../showBudget';
import { fileName, type CodegenServer } from './codegenServer';
import { activeKind, chooseModel, MODEL_FILE, type ActiveKind } from './modelChoice';

const NO_MODEL =
  'No model found: open a .tflite or .onnx file, or a C/C++ source that runs a model (GetModel(...) on an array in the workspace), then try again.';

export async function pickModel(server: CodegenServer, arg: unknown, title: string): Promise<CodegenModelTarget | undefined> {
  const explicit = targetOf(arg);
  if (explicit && (explicit.arrayName || MODEL_FILE.test(explicit.uri.path))) {
    return { uri: explicit.uri.toString(), ...(explicit.arrayName ? { arrayName: explicit.arrayName } : {}) };
  }

  // An editor/context menu passes the source's own Uri: it names the firmware, not the model.
  const resource = explicit?.uri ?? activeResource();
  const editor = vscode.window.activeTextEditor;
  const kind: ActiveKind | undefined = resource ? activeKind(resource.path, editor?.document.uri.toString() === resource.toString() ? editor.document.languageId : undefined) : undefined;
  const active = resource && kind ? { uri: resource.toString(), kind } : undefined;

  let firmware: CodegenFirmwareModelsRequest.Result['models'] = [];
  if (active?.kind === 'firmware' && resource?.scheme === 'file') {
    try {
      firmware = (await server.request(CodegenFirmwareModelsRequest.type, { uri: active.uri })).models;
    } catch (error) {
      server.output.appendLine(`[client] ${CodegenFirmwareModelsRequest.method} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const settled = active?.kind === 'model' || firmware.some((m) => m.via !== 'workspace');
  const workspaceFiles = settled ? [] : (await vscode.workspace.findFiles('**/*.{tflite,onnx}', '**/{node_modules,.git}/**', 500)).map((u) => u.toString());

  const choice = chooseModel({ active, firmware, workspaceFiles });
  if (choice.kind === 'use') return choice.target;
  if (choice.kind === 'none') {
    void vscode.window.showInformationMessage(NO_MODEL);
    return undefined;
  }
  const items = choice.candidates.map((target) => {
    const uri = vscode.Uri.parse(target.uri);
    return {
      label: target.arrayName ? `$(symbol-array) ${target.arrayName}` : `$(file-binary) ${fileName(uri)}`,
      description: vscode.workspace.asRelativePath(uri),
      target,
    };
  });
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Which model? (a model file, or a model array in C/C++ source)', matchOnDescription: true });
  return picked?.target;
}
