// The quick-pick flow of Quantize, Prune and Convert Model: "Run with the last settings" first
// when there are some, else one short step per choice (items from actionChoices.ts, the last
// choice first). Choices are remembered per workspace (workspaceState), per action.

import * as vscode from 'vscode';
import {
  firstStepItems,
  formatItems,
  formatOf,
  ioItems,
  methodItems,
  parseSparsity,
  restoreChoices,
  sparsityItems,
  sparsityProblem,
  structureItems,
  type ActionChoices,
  type ActionKind,
  type ChoiceItem,
  type DataSource,
} from './actionChoices';

export const COMMAND_TITLES: Record<ActionKind, string> = {
  quantize: 'TinyML: Quantize Model',
  prune: 'TinyML: Prune Model',
  convert: 'TinyML: Convert Model',
};

const STEPS: Record<ActionKind, number> = { quantize: 4, prune: 3, convert: 1 };

function stateKey(kind: ActionKind): string {
  return `tinyml.modelActions.${kind}`;
}

/** The choices for `kind` on `model`, remembered for next time; undefined when the user stops. */
export async function chooseSettings(state: vscode.Memento, kind: ActionKind, model: vscode.Uri): Promise<ActionChoices | undefined> {
  const name = model.path.slice(model.path.lastIndexOf('/') + 1);
  const last = restoreChoices(kind, state.get(stateKey(kind)));
  const title = (step: number) => `${COMMAND_TITLES[kind]}: ${name} (${step}/${STEPS[kind]})`;

  const purpose = kind === 'quantize' ? 'calibration and the accuracy check' : 'the accuracy check';
  const first = await pick(
    firstStepItems(last, name, purpose),
    title(1),
    kind === 'quantize' ? 'Calibration data: inputs like the ones the model will see' : 'Evaluation data for the accuracy check',
  );
  if (first === undefined) return undefined;
  if (first === 'last') return last;
  const data = first === 'choose' ? await chooseFolder(last?.data, title(1), model) : first;
  if (!data) return undefined;

  let choices: ActionChoices;
  if (kind === 'quantize') {
    const previous = last?.kind === 'quantize' ? last : undefined;
    const method = await pick(methodItems(previous?.method), title(2), 'Calibration method: how activation ranges are chosen');
    if (!method) return undefined;
    const io = await pick(ioItems(previous?.io), title(3), 'Model inputs and outputs');
    if (!io) return undefined;
    const format = await pick(formatItems(previous?.format, formatOf(name)), title(4), 'Output format');
    if (!format) return undefined;
    choices = { kind, data, method, io, format };
  } else if (kind === 'prune') {
    const previous = last?.kind === 'prune' ? last : undefined;
    const sparsity = await chooseSparsity(previous?.sparsityPercent, title(2));
    if (sparsity === undefined) return undefined;
    const structured = await pick(structureItems(previous?.structured), title(3), 'What is removed');
    if (structured === undefined) return undefined;
    choices = { kind, data, sparsityPercent: sparsity, structured };
  } else choices = { kind, data };

  await state.update(stateKey(kind), choices);
  return choices;
}

async function chooseFolder(last: DataSource | undefined, title: string, model: vscode.Uri): Promise<DataSource | undefined> {
  const chosen = await vscode.window.showOpenDialog({
    canSelectFiles: false,
    canSelectFolders: true,
    canSelectMany: false,
    defaultUri: last?.kind === 'folder' ? vscode.Uri.file(last.path) : vscode.Uri.joinPath(model, '..'),
    openLabel: 'Use This Folder',
    title,
  });
  return chosen?.[0] ? { kind: 'folder', path: chosen[0].fsPath } : undefined;
}

async function chooseSparsity(last: number | undefined, title: string): Promise<number | undefined> {
  const choice = await pick(sparsityItems(last), title, 'Share of the weights (or channels) to remove');
  if (choice !== 'custom') return choice;
  const text = await vscode.window.showInputBox({
    title,
    prompt: 'Sparsity in percent, from 1 to 99',
    value: last !== undefined ? String(last) : '',
    validateInput: sparsityProblem,
  });
  return text === undefined ? undefined : parseSparsity(text);
}

async function pick<T>(items: ChoiceItem<T>[], title: string, placeHolder: string): Promise<T | undefined> {
  const picked = await vscode.window.showQuickPick(
    items.map((item) => ({ label: item.label, description: item.description, detail: item.detail, value: item.value })),
    { title, placeHolder, ignoreFocusOut: true },
  );
  return picked?.value;
}
