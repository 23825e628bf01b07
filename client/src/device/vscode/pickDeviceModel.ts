// The device panel's model picker: the model arrays the workspace firmware runs (asked of the
// language server, for the C/C++ file in view or else the whole workspace), then the model files
// in the workspace, then "Browse…" for a file anywhere.

import * as vscode from 'vscode';
import type { FirmwareModel } from '../../../../server/src/codegen/firmwareModels';
import { FIRMWARE_FILE } from '../../codegen/modelChoice';
import { modelCandidates, type ModelCandidate, type ModelSource } from '../inference/modelCandidates';

/** `tinyml/codegen/firmwareModels` for a uri (a firmware source, or the workspace folder). */
export type FirmwareModelsQuery = (uri: string) => Promise<FirmwareModel[]>;

type Item = vscode.QuickPickItem & { candidate?: ModelCandidate };

export async function pickDeviceModel(firmwareModels: FirmwareModelsQuery | undefined, output: vscode.OutputChannel): Promise<ModelSource | undefined> {
  const [firmware, files] = await Promise.all([askServer(firmwareModels, output), vscode.workspace.findFiles('**/*.{tflite,onnx}', '**/{node_modules,.git}/**', 200)]);
  const candidates = modelCandidates(
    firmware,
    files.map((u) => u.fsPath),
    (path) => vscode.workspace.asRelativePath(path),
  );
  if (candidates.length === 0) return browse();
  const items: Item[] = [];
  for (const group of ['firmware', 'files'] as const) {
    const inGroup = candidates.filter((c) => c.group === group);
    if (inGroup.length === 0) continue;
    items.push({ label: group === 'firmware' ? 'In the firmware' : 'Model files', kind: vscode.QuickPickItemKind.Separator });
    for (const c of inGroup) items.push({ label: `${c.source.kind === 'array' ? '$(symbol-array)' : '$(file-binary)'} ${c.label}`, description: c.description, candidate: c });
  }
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, { label: '$(folder-opened) Browse…', description: 'a .tflite or .onnx file anywhere' });
  const picked = await vscode.window.showQuickPick(items, { title: 'Model for live inference', placeHolder: 'What the firmware runs, or a model file', matchOnDescription: true });
  if (!picked) return undefined;
  return picked.candidate ? picked.candidate.source : browse();
}

async function askServer(firmwareModels: FirmwareModelsQuery | undefined, output: vscode.OutputChannel): Promise<FirmwareModel[]> {
  if (!firmwareModels) return [];
  // The panel has the focus: the firmware is the C/C++ file in view, else the whole workspace.
  const inView = [vscode.window.activeTextEditor, ...vscode.window.visibleTextEditors].map((e) => e?.document.uri).find((u) => u?.scheme === 'file' && FIRMWARE_FILE.test(u.path));
  const uri = inView ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  if (!uri) return [];
  try {
    return await firmwareModels(uri.toString());
  } catch (err) {
    output.appendLine(`[device] the firmware's models could not be asked for: ${err instanceof Error ? err.message : String(err)}`);
    return [];
  }
}

async function browse(): Promise<ModelSource | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: 'Use for live inference',
    filters: { Models: ['tflite', 'onnx'], 'All files': ['*'] },
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  const path = picked?.[0]?.fsPath;
  return path ? { kind: 'file', path } : undefined;
}
