// The code-generation commands' one channel to the language server: a custom request from
// protocol.ts (`tinyml/codegen/*`), under a cancellable progress notification, with request
// failures (server not running, crashed) shown to the user instead of thrown.

import * as vscode from 'vscode';
import type { RequestType } from 'vscode-languageserver-protocol';

/** What the commands need of TinymlServer (languageClient.ts). */
export interface CodegenServer {
  request<P, R>(type: RequestType<P, R, void>, params: P, token?: vscode.CancellationToken): Promise<R>;
  readonly output: vscode.OutputChannel;
}

/** The request's result, or undefined when the user cancelled or the request failed (already reported). */
export async function requestWithProgress<P, R>(server: CodegenServer, title: string, type: RequestType<P, R, void>, params: P): Promise<R | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_progress, token) => {
      const result = await server.request(type, params, token);
      return token.isCancellationRequested ? undefined : result;
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    server.output.appendLine(`[client] ${type.method} failed: ${message}`);
    void vscode.window.showErrorMessage(`${title.replace(/…$/, '')} failed: ${message}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') server.output.show(true);
    });
    return undefined;
  }
}

export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
