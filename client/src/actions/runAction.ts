// Sends `tinyml/modelAction` under a cancellable progress notification: the server's work-done
// progress moves the bar, Cancel cancels the request (the server stops its worker and writes
// nothing), and a failing connection is reported instead of thrown.

import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { WorkDoneProgress } from 'vscode-languageserver-protocol';
import { ModelActionRequest } from '../../../server/src/lsp/protocol';
import type { ActionServer } from './actionServer';
import { ProgressSteps } from './progressSteps';

export type ActionParams = Omit<ModelActionRequest.Params, 'workDoneToken'>;

/** The server's answer, or undefined when the request itself failed (already reported). */
export async function runWithProgress(server: ActionServer, title: string, params: ActionParams): Promise<ModelActionRequest.Result | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
      // A token only when something listens for it: otherwise the bar just shows that work goes on.
      const workDoneToken = server.onProgress ? randomUUID() : undefined;
      const steps = new ProgressSteps();
      const listening =
        workDoneToken !== undefined
          ? server.onProgress?.(WorkDoneProgress.type, workDoneToken, (value) => {
              const step = steps.next(value);
              if (step) progress.report(step);
            })
          : undefined;
      try {
        return await server.request(ModelActionRequest.type, { ...params, ...(workDoneToken !== undefined ? { workDoneToken } : {}) }, token);
      } catch (error) {
        // The client may reject a cancelled request instead of waiting for the server's answer.
        if (token.isCancellationRequested) return { ok: false, reason: 'cancelled', message: 'Cancelled.' } as const;
        throw error;
      } finally {
        listening?.dispose();
      }
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    server.output.appendLine(`[client] ${ModelActionRequest.method} failed: ${message}`);
    void vscode.window.showErrorMessage(`${title.replace(/…$/, '')} failed: ${message}`, 'Show Output').then((choice) => {
      if (choice === 'Show Output') server.output.show(true);
    });
    return undefined;
  }
}
