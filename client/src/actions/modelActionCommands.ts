// `TinyML: Quantize Model`, `TinyML: Prune Model`, `TinyML: Convert Model`
// (`tinyml.quantizeModel`, `tinyml.pruneModel`, `tinyml.convertModel`): on the explorer's,
// editor title's or active model file, asks the settings (actionFlow.ts), picks the output beside
// the input (asking before replacing), runs the server's `tinyml/modelAction` under progress, then
// opens the report and offers the budget of the result.

import * as vscode from 'vscode';
import { fileExists } from '../fileExists';
import { requestOptions, type ActionKind, type ModelFormat } from './actionChoices';
import { chooseSettings, COMMAND_TITLES } from './actionFlow';
import type { ActionServer } from './actionServer';
import { modelFileFor } from './actionTarget';
import { collisionDecision, collisionQuestion, outputPathBeside, REPLACE, resultFormat, SAVE_AS, saveAsProblem, saveFilters, type CollisionAnswer } from './outputNaming';
import type { ReportPanels } from './reportPanels';
import { failureMessage, successMessage } from './resultMessages';
import { runWithProgress } from './runAction';
import { BUDGET_EDITOR_VIEW_TYPE } from '../budget/budgetEditor';

const VERBS: Record<ActionKind, string> = { quantize: 'Quantizing', prune: 'Pruning', convert: 'Converting' };

export function registerModelActionCommands(context: vscode.ExtensionContext, server: ActionServer, reports: ReportPanels): void {
  const register = (command: string, kind: ActionKind) =>
    vscode.commands.registerCommand(command, async (arg?: unknown) => {
      try {
        await runCommand(context, server, reports, kind, arg);
      } catch (error) {
        // Nothing may escape into the extension host: say what went wrong instead.
        const message = error instanceof Error ? error.message : String(error);
        server.output.appendLine(`[client] ${command} failed: ${error instanceof Error ? (error.stack ?? message) : message}`);
        void vscode.window.showErrorMessage(`${COMMAND_TITLES[kind]} failed: ${message}`);
      }
    });
  context.subscriptions.push(register('tinyml.quantizeModel', 'quantize'), register('tinyml.pruneModel', 'prune'), register('tinyml.convertModel', 'convert'));
}

async function runCommand(context: vscode.ExtensionContext, server: ActionServer, reports: ReportPanels, kind: ActionKind, arg: unknown): Promise<void> {
  const model = await modelFileFor(arg, kind === 'quantize' ? 'Quantize' : kind === 'prune' ? 'Prune' : 'Convert');
  if (!model) return;
  const name = fileName(model);
  const choices = await chooseSettings(context.workspaceState, kind, model);
  if (!choices) return;
  const { options, calibrationFolder } = requestOptions(choices, name);
  const format = resultFormat(name, options);

  let output = model.with({ path: outputPathBeside(model.path, options) });
  let overwrite = false;
  if (await fileExists(output)) {
    const answer = await vscode.window.showWarningMessage(collisionQuestion(fileName(output)), { modal: true }, REPLACE, SAVE_AS);
    const decision = collisionDecision(answer as CollisionAnswer);
    if (decision === 'cancel') return;
    if (decision === 'save-as') {
      const chosen = await saveAs(output, model, format);
      if (!chosen) return;
      output = chosen;
    }
    // The save dialog has asked about replacing the file it returns.
    overwrite = true;
  }

  const result = await runWithProgress(server, `${VERBS[kind]} ${name}…`, {
    uri: model.toString(),
    options,
    ...(calibrationFolder !== undefined ? { calibrationFolder } : {}),
    outputUri: output.toString(),
    overwrite,
  });
  if (!result) return;
  if (!result.ok) {
    const message = failureMessage(kind, name, result);
    if (message) void vscode.window.showErrorMessage(message);
    return;
  }

  const outputUri = vscode.Uri.parse(result.outputUri);
  reports.show({ reportUri: result.reportUri, outputUri: result.outputUri, inputUri: model.toString() }, result.report);
  const choice = await vscode.window.showInformationMessage(successMessage(result.report), 'Open Budget', 'Reveal in Explorer');
  if (choice === 'Open Budget') await vscode.commands.executeCommand('vscode.openWith', outputUri, BUDGET_EDITOR_VIEW_TYPE);
  if (choice === 'Reveal in Explorer') await vscode.commands.executeCommand('revealInExplorer', outputUri);
}

/** A name from the save dialog that can take the output; asks again after a name that cannot. */
async function saveAs(proposed: vscode.Uri, model: vscode.Uri, format: ModelFormat): Promise<vscode.Uri | undefined> {
  let defaultUri = proposed;
  for (;;) {
    const chosen = await vscode.window.showSaveDialog({ defaultUri, filters: saveFilters(format), saveLabel: 'Save Model', title: `Save the ${format === 'tflite' ? 'TFLite' : 'ONNX'} model as` });
    if (!chosen) return undefined;
    const problem = chosen.scheme !== 'file' ? 'The output must be a file on disk.' : saveAsProblem(chosen.path, model.path, format);
    if (!problem) return chosen;
    await vscode.window.showWarningMessage(problem, { modal: true });
    defaultUri = chosen;
  }
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
