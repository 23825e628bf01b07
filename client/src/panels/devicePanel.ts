// The device panel (command `tinyml.openDevicePanel`, view type `tinyml.devicePanel`): one
// WebviewPanel hosting the monitor, plotter, live inference and one-click run. Messages follow
// webview/src/device/messages.ts. The controller (and its serial session) lives as long as the
// panel, so hiding it loses nothing: the view re-syncs with `ready` -> `init`. No
// retainContextWhenHidden: the view is rebuilt from setState plus the host's history, which costs
// less memory than keeping a hidden canvas and 5,000 DOM rows alive.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { DeviceToHost, HostToDevice } from '../../../webview/src/device/messages';
import { registerDeviceSettingsCache } from '../device/vscode/deviceSettings';
import type { FirmwareModelsQuery } from '../device/vscode/pickDeviceModel';
import { VscodeDeviceHost } from '../device/vscode/vscodeDeviceHost';
import { DeviceController } from './device/deviceController';
import { deviceHtml } from './device/deviceHtml';

export const DEVICE_PANEL_VIEW_TYPE = 'tinyml.devicePanel';

export class DevicePanels implements vscode.WebviewPanelSerializer {
  private current: { panel: vscode.WebviewPanel; controller: DeviceController } | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly output: vscode.OutputChannel,
    private readonly firmwareModels?: FirmwareModelsQuery,
  ) {}

  /** Opens (or reveals) the panel; `modelUri` preselects a model for live inference. */
  async open(modelUri?: vscode.Uri): Promise<void> {
    if (!this.current) {
      const panel = vscode.window.createWebviewPanel(DEVICE_PANEL_VIEW_TYPE, 'TinyML Device', { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, this.webviewOptions());
      this.attach(panel);
    } else this.current.panel.reveal();
    if (modelUri && this.current) await this.current.controller.setModel(modelUri.fsPath);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    panel.webview.options = this.webviewOptions();
    this.attach(panel);
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview')],
      // The view's own search (Ctrl+F) covers the monitor; VS Code's find widget would only see the rendered rows.
      enableFindWidget: false,
    };
  }

  private attach(panel: vscode.WebviewPanel): void {
    const webview = panel.webview;
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview');
    webview.html = deviceHtml({
      cspSource: webview.cspSource,
      nonce: randomBytes(16).toString('base64'),
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'device.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(dist, 'device.css')).toString(),
    });
    const post = (m: HostToDevice) => {
      // A hidden view has no script to receive; it asks for everything again with `ready`.
      if (panel.visible) void webview.postMessage(m);
    };
    const controller = new DeviceController(new VscodeDeviceHost(this.context, this.output, this.firmwareModels), post);
    this.current = { panel, controller };
    const subscriptions = [
      webview.onDidReceiveMessage((m: DeviceToHost) => void controller.receive(m)),
      vscode.workspace.onDidGrantWorkspaceTrust(() => void controller.receive({ type: 'ready' })),
    ];
    panel.onDidDispose(() => {
      for (const s of subscriptions) s.dispose();
      if (this.current?.panel === panel) this.current = undefined;
      void controller.dispose();
    });
  }
}

/** `firmwareModels` lets the model picker offer what the workspace firmware runs first. */
export function registerDevicePanel(context: vscode.ExtensionContext, output: vscode.OutputChannel, firmwareModels?: FirmwareModelsQuery): DevicePanels {
  registerDeviceSettingsCache(context);
  const panels = new DevicePanels(context, output, firmwareModels);
  context.subscriptions.push(
    vscode.window.registerWebviewPanelSerializer(DEVICE_PANEL_VIEW_TYPE, panels),
    vscode.commands.registerCommand('tinyml.openDevicePanel', (uri?: vscode.Uri) => panels.open(uri instanceof vscode.Uri ? uri : undefined)),
  );
  return panels;
}
