// The model-action report view (`tinyml.modelReport`): one WebviewPanel per report, restored
// after a reload by a serializer that re-reads the saved report JSON (the view draws its saved
// copy at once). No retainContextWhenHidden: the view restores itself from its webview state.

import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { ActionReport } from '../../../server/src/actions';
import type { HostToReport, ReportSource, ReportToHost } from '../../../webview/src/report/messages';
import { restoreReportState } from '../../../webview/src/report/reportState';
import { BUDGET_EDITOR_VIEW_TYPE } from '../budget/budgetEditor';
import { budgetHtml, makeNonce } from '../budget/budgetHtml';
import { webviewOptions } from '../budget/budgetSession';
import { recentReports, rememberReport, reportTitled } from './recentReports';
import { parseSavedReport } from './savedReport';

export const REPORT_VIEW_TYPE = 'tinyml.modelReport';
const RECENT_KEY = 'tinyml.modelActions.recentReports';

interface OpenReport {
  panel: vscode.WebviewPanel;
  /** The last report shown, drawn when the saved JSON cannot be read. */
  copy?: ActionReport;
}

export class ReportPanels implements vscode.WebviewPanelSerializer {
  /** By report uri: a new run on the same output reuses the panel. */
  private readonly open = new Map<string, OpenReport>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly workspaceState: vscode.Memento,
  ) {}

  /** Shows `report` (just written) in its own panel, replacing what an open panel on the same file shows. */
  show(source: ReportSource, report: ActionReport): void {
    void this.workspaceState.update(RECENT_KEY, rememberReport(recentReports(this.workspaceState.get(RECENT_KEY)), { title: title(report), source }));
    const existing = this.open.get(source.reportUri);
    if (existing) {
      existing.copy = report;
      existing.panel.title = title(report);
      // A visible view takes the report now; a hidden one asks again with `ready` when revealed.
      if (existing.panel.visible) void existing.panel.webview.postMessage({ type: 'report', source, report } satisfies HostToReport);
      existing.panel.reveal(undefined, false);
      return;
    }
    const panel = vscode.window.createWebviewPanel(REPORT_VIEW_TYPE, title(report), { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false }, webviewOptions(this.extensionUri));
    this.attach(panel, source, report);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = restoreReportState(state);
    // Without the view's state (not saved before the window closed), the title still names the report.
    const source = saved.source ?? reportTitled(this.workspaceState.get(RECENT_KEY), panel.title);
    if (!source || this.open.has(source.reportUri)) {
      panel.dispose();
      return;
    }
    this.attach(panel, source, saved.report);
  }

  private attach(panel: vscode.WebviewPanel, source: ReportSource, copy: ActionReport | undefined): void {
    const entry: OpenReport = { panel, copy };
    this.open.set(source.reportUri, entry);
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview', name)).toString();
    webview.html = budgetHtml({ cspSource: webview.cspSource, nonce: makeNonce((n) => randomBytes(n)), scriptUri: asset('report.js'), styleUri: asset('report.css'), title: panel.title });
    const subscription = webview.onDidReceiveMessage((message: ReportToHost) => void this.onMessage(message, source, entry));
    panel.onDidDispose(() => {
      subscription.dispose();
      if (this.open.get(source.reportUri) === entry) this.open.delete(source.reportUri);
    });
  }

  private async onMessage(message: ReportToHost, source: ReportSource, entry: OpenReport): Promise<void> {
    const { panel } = entry;
    switch (message.type) {
      case 'ready': {
        // The saved JSON is the report's truth; the copy covers a file that is gone.
        const { report, notice } = await readReport(source, entry.copy);
        if (report) {
          entry.copy = report;
          panel.title = title(report);
          void panel.webview.postMessage({ type: 'report', source, report, ...(notice ? { notice } : {}) } satisfies HostToReport);
        } else {
          void vscode.window.showWarningMessage(notice ?? 'The report is gone.');
          panel.dispose();
        }
        return;
      }
      case 'openJson':
        await openIfPresent(vscode.Uri.parse(source.reportUri), (uri) => vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.Beside, preview: true }));
        return;
      case 'openBudget':
        await openIfPresent(vscode.Uri.parse(source.outputUri), (uri) => vscode.commands.executeCommand('vscode.openWith', uri, BUDGET_EDITOR_VIEW_TYPE));
        return;
      case 'revealOutput':
        await openIfPresent(vscode.Uri.parse(source.outputUri), (uri) => vscode.commands.executeCommand('revealInExplorer', uri));
        return;
    }
  }
}

/** The saved report JSON; the view's own copy (with a notice) when the file is gone or unreadable. */
async function readReport(source: ReportSource, copy: ActionReport | undefined): Promise<{ report?: ActionReport; notice?: string }> {
  const uri = vscode.Uri.parse(source.reportUri);
  let text: string;
  try {
    text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return { report: copy, notice: `${fileName(uri)} is gone; this is the copy the view kept.` };
  }
  const parsed = parseSavedReport(text);
  if (parsed.report) return { report: parsed.report };
  return { report: copy, notice: `${fileName(uri)} ${parsed.problem}; this is the copy the view kept.` };
}

async function openIfPresent(uri: vscode.Uri, open: (uri: vscode.Uri) => Thenable<unknown>): Promise<void> {
  try {
    await vscode.workspace.fs.stat(uri);
  } catch {
    void vscode.window.showWarningMessage(`${fileName(uri)} no longer exists.`);
    return;
  }
  await open(uri);
}

function title(report: ActionReport): string {
  return `Report: ${report.output.fileName}`;
}

function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}

export function registerReportPanels(context: vscode.ExtensionContext): ReportPanels {
  const panels = new ReportPanels(context.extensionUri, context.workspaceState);
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(REPORT_VIEW_TYPE, panels));
  return panels;
}
