// Whether a file is there, through the workspace file system (so remote and virtual folders work
// too); asked before anything is written beside a user's files.

import * as vscode from 'vscode';

export async function fileExists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
