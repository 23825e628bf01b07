// Budget view entry: acquires the VS Code API once, restores state and routes host messages to the
// view; UI only (no Node, no I/O). Styles are bundled beside it as main.css.

import './budget/budget.css';
import type { BudgetViewState, HostToView, ViewToHost } from './messages';
import { registerToolkit } from './ui';
import { BudgetView } from './budget/budgetView';

declare function acquireVsCodeApi(): {
  postMessage(message: ViewToHost): void;
  getState(): unknown;
  setState(state: BudgetViewState): void;
};

registerToolkit();
const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const view = new BudgetView(root, vscode);

window.addEventListener('message', (event: MessageEvent<HostToView>) => view.receive(event.data));
vscode.postMessage({ type: 'ready' });
