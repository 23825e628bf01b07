// The device panel's editor side: workspace trust (nothing is spawned in an untrusted
// workspace), cancellable progress notifications for build and flash, log files under the
// extension's global storage, the model picker, save dialogs, and the output channel.

import { copyFileSync, writeFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { DeviceHost, ProgressReporter } from '../../panels/device/deviceHost';
import type { ModelSource } from '../inference/modelCandidates';
import { deviceSettings } from './deviceSettings';
import { pickDeviceModel, type FirmwareModelsQuery } from './pickDeviceModel';

export class VscodeDeviceHost implements DeviceHost {
  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    /** The language server's answer to which models the firmware runs (none when not given). */
    private readonly firmwareModels?: FirmwareModelsQuery,
  ) {}

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  settings() {
    return deviceSettings();
  }

  workspaceRoot(): string | undefined {
    return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  }

  /** Under globalStorage, not logUri: VS Code deletes old session log folders, and the user may want yesterday's log. */
  logDirectory(): string {
    return vscode.Uri.joinPath(this.context.globalStorageUri, 'serial-logs').fsPath;
  }

  workerFile(): string {
    return vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'client', 'inferenceWorker.js').fsPath;
  }

  withProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T> {
    return Promise.resolve(
      vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let last = 0;
        const reporter: ProgressReporter = {
          report: (message, fraction) => {
            // withProgress takes increments in percent.
            const increment = fraction === undefined ? undefined : Math.max(0, fraction * 100 - last);
            if (fraction !== undefined) last = Math.max(last, fraction * 100);
            progress.report({ message, ...(increment !== undefined ? { increment } : {}) });
          },
        };
        return task(reporter, controller.signal);
      }),
    );
  }

  pickModel(): Promise<ModelSource | undefined> {
    return pickDeviceModel(this.firmwareModels, this.output);
  }

  async saveAs(suggestedName: string, content: { text: string } | { copyFrom: string }): Promise<string | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const target = await vscode.window.showSaveDialog({ ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, suggestedName) } : {}), saveLabel: 'Save' });
    if (!target) return undefined;
    if ('text' in content) writeFileSync(target.fsPath, content.text);
    else copyFileSync(content.copyFrom, target.fsPath);
    return target.fsPath;
  }

  openFile(path: string): void {
    void vscode.window.showTextDocument(vscode.Uri.file(path), { preview: true, preserveFocus: true });
  }

  log(line: string): void {
    this.output.appendLine(line);
  }

  showError(message: string, hint?: string): void {
    void vscode.window.showErrorMessage(hint ? `${message} ${hint}` : message, 'Show Output').then((choice) => {
      if (choice === 'Show Output') this.output.show(true);
    });
  }
}
