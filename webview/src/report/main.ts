// Report view entry (bundled as dist/webview/report.js): acquires the VS Code API once, restores
// the saved report and routes host messages to the view; UI only (no Node, no I/O).

import '../budget/budget.css';
import './report.css';
import type { HostToReport } from './messages';
import { ReportView, type ReportHost } from './reportView';
import { registerToolkit } from '../ui';

declare function acquireVsCodeApi(): ReportHost;

registerToolkit();
const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const view = new ReportView(root, vscode);
window.addEventListener('message', (event: MessageEvent<HostToReport>) => view.receive(event.data));
vscode.postMessage({ type: 'ready' });
