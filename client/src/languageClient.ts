// The language server connection: starts the bundled server over IPC for C/C++ documents, sends it
// file events for models and firmware sources and the `tinyml` settings, and restarts it after a
// crash a bounded number of times (RestartPolicy) before giving up visibly.

import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
  type ProgressType,
  type RequestType,
} from 'vscode-languageclient/node';
import { BudgetRequest } from '../../server/src/lsp/protocol';
import { RestartPolicy } from './restartPolicy';

/** Models and firmware sources: the server reads model bytes itself and indexes sources on disk. */
export const WATCHED_FILES = '**/*.{tflite,onnx,c,cc,cpp,cxx,h,hh,hpp,ino}';

export class TinymlServer implements vscode.Disposable {
  private client?: LanguageClient;
  private readonly policy = new RestartPolicy();
  private readonly started = new vscode.EventEmitter<void>();
  /** Fires whenever the server is (again) ready for requests. */
  readonly onDidStart = this.started.event;

  constructor(
    private readonly context: vscode.ExtensionContext,
    readonly output: vscode.OutputChannel,
  ) {}

  async start(): Promise<void> {
    const module = this.context.asAbsolutePath('dist/server/server.js');
    const serverOptions: ServerOptions = {
      run: { module, transport: TransportKind.ipc },
      debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
    };
    const watcher = vscode.workspace.createFileSystemWatcher(WATCHED_FILES);
    this.context.subscriptions.push(watcher);
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'c' },
        { scheme: 'file', language: 'cpp' },
        { scheme: 'untitled', language: 'c' },
        { scheme: 'untitled', language: 'cpp' },
      ],
      synchronize: { configurationSection: 'tinyml', fileEvents: watcher },
      outputChannel: this.output,
      errorHandler: {
        // Transport errors: let the connection settle a few times; `closed` decides on restarts.
        error: (_error, _message, count) => ({ action: (count ?? 0) <= 3 ? ErrorAction.Continue : ErrorAction.Shutdown }),
        closed: () => this.onClosed(),
      },
    };
    const client = new LanguageClient('tinyml', 'TinyML Lens', serverOptions, clientOptions);
    this.client = client;
    this.context.subscriptions.push(
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) this.started.fire();
      }),
    );
    await client.start();
  }

  /** `TinyML: Restart Language Server`: a deliberate restart also resets the crash count. */
  async restart(): Promise<void> {
    this.policy.reset();
    if (this.client) await this.client.restart();
    else await this.start();
  }

  get running(): boolean {
    return this.client?.state === State.Running;
  }

  /** A custom request from protocol.ts; throws when the server is not running (callers report it). */
  async request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R> {
    if (!this.client || !this.running) throw new Error('the TinyML language server is not running (see the TinyML Lens output)');
    return this.client.sendRequest(type, params, token);
  }

  /** Progress the server reports under a token the caller created (e.g. a model action's workDoneToken). */
  onProgress<P>(type: ProgressType<P>, token: string | number, handler: (value: P) => void): vscode.Disposable {
    return this.client ? this.client.onProgress(type, token, handler) : new vscode.Disposable(() => undefined);
  }

  async requestBudget(params: BudgetRequest.Params, token?: vscode.CancellationToken): Promise<BudgetRequest.Result> {
    if (!this.client || !this.running) {
      return { ok: false, reason: 'unreadable', message: 'The TinyML language server is not running (see the TinyML Lens output).' };
    }
    return this.client.sendRequest(BudgetRequest.type, params, token);
  }

  private onClosed() {
    const decision = this.policy.onClosed();
    if (decision.action === 'restart') {
      this.output.appendLine(`[client] the language server stopped; restart ${decision.attempt} of ${this.policy.maxRestarts}`);
      return { action: CloseAction.Restart, handled: true };
    }
    const message = `The TinyML language server crashed ${decision.crashes} times in ${this.policy.windowMs / 60_000} minutes and will not be restarted.`;
    this.output.appendLine(`[client] ${message}`);
    void vscode.window.showErrorMessage(message, 'Show Output', 'Restart').then((choice) => {
      if (choice === 'Show Output') this.output.show(true);
      if (choice === 'Restart') void this.restart();
    });
    return { action: CloseAction.DoNotRestart, handled: true };
  }

  dispose(): void {
    this.started.dispose();
    void this.client?.stop();
  }
}
