// One budget view bound to one model source: asks the server for the budget (tinyml/budget),
// posts it to the webview (HostToView), answers the view's intents (ViewToHost), and recomputes
// when the board or kernel setting, the model file or the embedding source changes.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { BudgetSource, HostToView, ViewToHost } from '../../../webview/src/messages';
import { settingsFor } from '../config';
import type { TinymlServer } from '../languageClient';
import { budgetHtml, makeNonce } from './budgetHtml';
import { budgetMessage, budgetTitle } from './budgetMessages';

const MODEL_FILE = /\.(tflite|onnx)$/i;

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

export class BudgetSession implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private sequence = 0;
  private debounce?: NodeJS.Timeout;
  private cancel?: vscode.CancellationTokenSource;

  constructor(
    private readonly panel: vscode.WebviewPanel,
    readonly source: BudgetSource,
    private readonly server: TinymlServer,
    extensionUri: vscode.Uri,
  ) {
    const uri = vscode.Uri.parse(source.uri);
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', name)).toString();
    webview.html = budgetHtml({
      cspSource: webview.cspSource,
      nonce: makeNonce((n) => randomBytes(n)),
      scriptUri: asset('main.js'),
      styleUri: asset('main.css'),
      title: this.title(),
    });

    this.disposables.push(
      webview.onDidReceiveMessage((message: ViewToHost) => this.onMessage(message)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('tinyml.board', uri) || e.affectsConfiguration('tinyml.kernels', uri)) this.schedule(0);
      }),
      server.onDidStart(() => this.schedule(0)),
    );
    if (MODEL_FILE.test(uri.path)) {
      const folder = vscode.Uri.joinPath(uri, '..');
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(folder, uri.path.split('/').pop() ?? '*'));
      this.disposables.push(watcher, watcher.onDidChange(() => this.schedule(300)), watcher.onDidCreate(() => this.schedule(300)));
    } else {
      this.disposables.push(
        vscode.workspace.onDidChangeTextDocument((e) => {
          if (e.document.uri.toString() === uri.toString() && e.contentChanges.length > 0) this.schedule(600);
        }),
      );
    }
    panel.onDidDispose(() => this.dispose(), undefined, this.disposables);
  }

  private title(): string {
    return budgetTitle(vscode.Uri.parse(this.source.uri).path.split('/').pop() ?? this.source.uri, this.source.arrayName);
  }

  private onMessage(message: ViewToHost): void {
    switch (message.type) {
      case 'ready':
      case 'refresh':
        this.schedule(0);
        return;
      case 'selectBoard':
        void vscode.commands.executeCommand('tinyml.selectBoard', vscode.Uri.parse(this.source.uri));
        return;
      case 'openSource':
        void this.openSource();
        return;
    }
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => void this.refresh(), delayMs);
  }

  private post(message: HostToView): void {
    void this.panel.webview.postMessage(message);
  }

  async refresh(): Promise<void> {
    const seq = ++this.sequence;
    this.cancel?.cancel();
    const cancel = new vscode.CancellationTokenSource();
    this.cancel = cancel;
    const uri = vscode.Uri.parse(this.source.uri);
    const fileName = uri.path.split('/').pop() ?? this.source.uri;
    this.post({ type: 'loading', title: this.title(), source: this.source });
    const settings = settingsFor(uri);
    // An open source may hold unsaved edits: send its text; model files are read from disk.
    const open = MODEL_FILE.test(uri.path) ? undefined : vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    try {
      const result = await this.server.requestBudget(
        {
          uri: this.source.uri,
          ...(this.source.arrayName !== undefined ? { arrayName: this.source.arrayName } : {}),
          ...(open ? { text: open.getText() } : {}),
          board: settings.board,
          kernels: settings.kernels,
        },
        cancel.token,
      );
      if (seq !== this.sequence) return;
      const noServer = !result.ok && !this.server.running;
      const message = budgetMessage(result, this.source, fileName);
      this.post(noServer && message.type === 'error' ? { ...message, reason: 'no-server' } : message);
      this.panel.title = message.type === 'budget' ? message.model.title : this.title();
    } catch (error) {
      if (seq !== this.sequence) return;
      this.server.output.appendLine(`[budget] ${this.source.uri}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      this.post({ type: 'error', title: this.title(), source: this.source, reason: 'unreadable', message: error instanceof Error ? error.message : String(error) });
    }
  }

  private async openSource(): Promise<void> {
    const uri = vscode.Uri.parse(this.source.uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    const at = this.source.arrayName ? doc.getText().search(new RegExp(`\\b${this.source.arrayName.replace(/[^\w]/g, '')}\\s*\\[`)) : -1;
    const position = at >= 0 ? doc.positionAt(at) : new vscode.Position(0, 0);
    await vscode.window.showTextDocument(doc, { selection: new vscode.Range(position, position), viewColumn: vscode.ViewColumn.One });
  }

  dispose(): void {
    clearTimeout(this.debounce);
    this.cancel?.cancel();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
