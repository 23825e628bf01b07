// `TinyML: Export Model as C Array` (`tinyml.exportModelAsCArray`): on the active or right-clicked
// .tflite/.onnx, asks the array name, PROGMEM (remembered) and the folder, then writes
// `<stem>_model_data.h/.cc` from the server's `tinyml/codegen/exportCArray`, asking before it
// replaces a file, and opens the header.

import * as vscode from 'vscode';
import { fileExists } from '../fileExists';
import { CodegenExportRequest } from '../../../server/src/lsp/protocol';
import { activeResource } from '../config';
import { targetOf } from '../showBudget';
import { fileName, requestWithProgress, type CodegenServer } from './codegenServer';
import { arrayNameProblem, exportNames, mayWrite, progmemChoices, replaceQuestion, type ReplaceAnswer } from './exportNaming';
import { MODEL_FILE } from './modelChoice';

const PROGMEM_KEY = 'tinyml.export.progmem';
const TITLE = 'TinyML: Export Model as C Array';

export function registerExportModel(context: vscode.ExtensionContext, server: CodegenServer): void {
  context.subscriptions.push(vscode.commands.registerCommand('tinyml.exportModelAsCArray', (arg?: unknown) => exportModel(context, server, arg)));
}

async function exportModel(context: vscode.ExtensionContext, server: CodegenServer, arg: unknown): Promise<void> {
  const model = targetOf(arg)?.uri ?? activeResource();
  if (!model || !MODEL_FILE.test(model.path)) {
    void vscode.window.showInformationMessage('Open a .tflite or .onnx model, or right-click one in the Explorer, to export it as a C array.');
    return;
  }
  const names = exportNames(fileName(model));

  const name = await vscode.window.showInputBox({
    title: `${TITLE} (1/3)`,
    prompt: 'Name of the C array (the default is what xxd -i would call it)',
    value: names.defaultArrayName,
    validateInput: arrayNameProblem,
  });
  if (name === undefined) return;

  const choices = progmemChoices(context.globalState.get<boolean>(PROGMEM_KEY));
  const progmem = await vscode.window.showQuickPick(
    choices.map((c) => ({ label: c.label, detail: c.detail, progmem: c.progmem })),
    { title: `${TITLE} (2/3)`, placeHolder: 'Keep the array in flash with PROGMEM?' },
  );
  if (!progmem) return;
  await context.globalState.update(PROGMEM_KEY, progmem.progmem);

  const folder = await pickFolder(model);
  if (!folder) return;
  const headerUri = vscode.Uri.joinPath(folder, names.headerName);
  const sourceUri = vscode.Uri.joinPath(folder, names.sourceName);

  const existing: string[] = [];
  for (const uri of [headerUri, sourceUri]) if (await fileExists(uri)) existing.push(fileName(uri));
  const question = replaceQuestion(existing);
  let answer: ReplaceAnswer;
  if (question) {
    const choice = await vscode.window.showWarningMessage(question, { modal: true }, { title: 'Replace' as const }, { title: 'Cancel' as const, isCloseAffordance: true });
    answer = choice?.title;
  }
  if (!mayWrite(existing, answer)) return;

  const result = await requestWithProgress(server, `Exporting ${fileName(model)} as a C array…`, CodegenExportRequest.type, {
    uri: model.toString(),
    name,
    headerName: names.headerName,
    progmem: progmem.progmem,
  });
  if (!result) return;
  if (!result.ok) {
    void vscode.window.showErrorMessage(`Cannot export ${fileName(model)}: ${result.message}`);
    return;
  }
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(headerUri, new TextEncoder().encode(result.header));
  await vscode.workspace.fs.writeFile(sourceUri, new TextEncoder().encode(result.source));
  await vscode.window.showTextDocument(headerUri, { preview: false });
  void vscode.window.showInformationMessage(
    `Wrote ${names.headerName} and ${names.sourceName}: ${name}[${result.byteLength}], alignas(16)${progmem.progmem ? ', PROGMEM' : ''}.`,
  );
}

async function pickFolder(model: vscode.Uri): Promise<vscode.Uri | undefined> {
  const beside = vscode.Uri.joinPath(model, '..');
  const items = [
    { label: '$(folder) Beside the model', description: vscode.workspace.asRelativePath(beside), folder: beside as vscode.Uri | undefined },
    { label: '$(folder-opened) Choose a folder…', folder: undefined },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: `${TITLE} (3/3)`, placeHolder: 'Where should the header and source go?' });
  if (!picked) return undefined;
  if (picked.folder) return picked.folder;
  const chosen = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: beside, openLabel: 'Export Here' });
  return chosen?.[0];
}

