// The model file Quantize, Prune and Convert Model work on: the explorer's or editor title's
// Uri, else the active editor's model file (a text tab, or the budget view that opens .tflite
// files as a custom editor), else one the user picks in a file dialog.

import * as vscode from 'vscode';
import { activeResource } from '../config';
import { MODEL_FILE } from '../codegen/modelChoice';
import { targetOf } from '../showBudget';

export async function modelFileFor(arg: unknown, openLabel: string): Promise<vscode.Uri | undefined> {
  const explicit = targetOf(arg)?.uri;
  const active = activeResource();
  const known = [explicit, active].find((uri) => uri !== undefined && MODEL_FILE.test(uri.path));
  if (known) {
    if (known.scheme === 'file') return known;
    void vscode.window.showInformationMessage(`Only model files on disk can be worked on; ${known.toString()} is not one.`);
    return undefined;
  }
  const picked = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: false,
    canSelectMany: false,
    filters: { 'Models (.tflite, .onnx)': ['tflite', 'onnx'] },
    openLabel,
    defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
  });
  return picked?.[0];
}
