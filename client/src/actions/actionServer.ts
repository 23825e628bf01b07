// What the model-action commands need of the language server connection (TinymlServer in
// languageClient.ts): custom requests, the output channel, and, when the connection offers it,
// LSP progress for a token the client made, to show the server's percentages.

import type * as vscode from 'vscode';
import type { ProgressType, RequestType } from 'vscode-languageserver-protocol';

export interface ActionServer {
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  readonly output: vscode.OutputChannel;
  /** LanguageClient.onProgress; without it the notification shows no percentage, only that work goes on. */
  onProgress?<P>(type: ProgressType<P>, token: string | number, handler: (value: P) => void): vscode.Disposable;
}
