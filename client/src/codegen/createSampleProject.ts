// `TinyML: Create Sample Project` (`tinyml.createSampleProject`, the walkthrough's diagnostic
// step): writes sampleProject.ts's files into a new folder under one the user picks, never over
// anything; the model's C array comes from the server's `tinyml/codegen/exportCArray`.

import * as vscode from 'vscode';
import { CodegenExportRequest } from '../../../server/src/lsp/protocol';
import { requestWithProgress, type CodegenServer } from './codegenServer';
import { copyOrder, keepInTree, SAMPLE_HEADER, sampleFiles, sampleFolderName, type SampleFile } from './sampleProject';

export function registerCreateSampleProject(context: vscode.ExtensionContext, server: CodegenServer): void {
  context.subscriptions.push(vscode.commands.registerCommand('tinyml.createSampleProject', () => createSample(context, server)));
}

async function createSample(context: vscode.ExtensionContext, server: CodegenServer): Promise<void> {
  const parent = (
    await vscode.window.showOpenDialog({
      title: 'TinyML: Create Sample Project: the folder to create it in',
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Create Sample Here',
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    })
  )?.[0];
  if (!parent) return;
  const taken = new Set((await vscode.workspace.fs.readDirectory(parent)).map(([name]) => name));
  const folder = vscode.Uri.joinPath(parent, sampleFolderName(taken));
  const extension = (path: string) => vscode.Uri.joinPath(context.extensionUri, path);
  const files = sampleFiles();

  // The C array first: it is the one step that can fail for a reason worth showing.
  const exported = files.find((f): f is Extract<SampleFile, { kind: 'export' }> => f.kind === 'export')!;
  const array = await requestWithProgress(server, 'Creating the TinyML sample project…', CodegenExportRequest.type, {
    uri: extension(exported.from).toString(),
    name: exported.arrayName,
    headerName: exported.headerName,
    progmem: false,
  });
  if (!array) return;
  if (!array.ok) {
    void vscode.window.showErrorMessage(`Cannot create the sample project: ${array.message}`);
    return;
  }

  try {
    await vscode.workspace.fs.createDirectory(folder);
    for (const file of files) {
      const target = vscode.Uri.joinPath(folder, file.path);
      if (file.kind === 'text') await writeNew(target, file.text);
      else if (file.kind === 'copy') await vscode.workspace.fs.copy(extension(file.from), target, { overwrite: false });
      else if (file.kind === 'tree') await copyTree(extension(file.from), target, '');
      else {
        await writeNew(vscode.Uri.joinPath(folder, SAMPLE_HEADER), array.header);
        await writeNew(target, array.source);
      }
    }
  } catch (error) {
    void vscode.window.showErrorMessage(`Creating the sample project in ${folder.fsPath} failed: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }

  const main = vscode.Uri.joinPath(folder, 'main.cc');
  const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
  if (inWorkspace) {
    await vscode.window.showTextDocument(main, { preview: false });
    return;
  }
  // Outside the workspace the server would not see the model array main.cc runs: add the folder.
  const choice = await vscode.window.showInformationMessage(`Sample project created in ${folder.fsPath}.`, 'Add to Workspace', 'Open in New Window');
  if (choice === 'Add to Workspace') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: folder });
    await vscode.window.showTextDocument(main, { preview: false });
  } else if (choice === 'Open in New Window') {
    await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: true });
  }
}

async function writeNew(uri: vscode.Uri, text: string): Promise<void> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
    return;
  }
  throw new Error(`${uri.fsPath} exists; the sample never replaces a file`);
}

async function copyTree(from: vscode.Uri, to: vscode.Uri, relative: string): Promise<void> {
  await vscode.workspace.fs.createDirectory(to);
  const entries = new Map(await vscode.workspace.fs.readDirectory(from));
  for (const name of copyOrder([...entries.keys()])) {
    const path = relative === '' ? name : `${relative}/${name}`;
    if (!keepInTree(path)) continue;
    if (entries.get(name) === vscode.FileType.Directory) await copyTree(vscode.Uri.joinPath(from, name), vscode.Uri.joinPath(to, name), path);
    else await vscode.workspace.fs.copy(vscode.Uri.joinPath(from, name), vscode.Uri.joinPath(to, name), { overwrite: false });
  }
}
