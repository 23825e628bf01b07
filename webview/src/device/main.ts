// Device panel entry (bundled as dist/webview/device.js): acquires the VS Code API once, builds
// the view from the saved state and routes host messages to it; UI only (no Node, no serial).

import './devicePanel.css';
import { DevicePanelView, type VsCodeApi } from './devicePanelView';
import type { HostToDevice } from './messages';

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('app') ?? document.body;
const view = new DevicePanelView(root, vscode);
window.addEventListener('message', (event: MessageEvent<HostToDevice>) => view.receive(event.data));
vscode.postMessage({ type: 'ready' });
