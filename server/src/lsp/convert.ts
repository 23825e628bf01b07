// The one place where the core's plain data becomes LSP: Finding → Diagnostic, Fix → CodeAction,
// Lens → CodeLens, HoverInfo → Hover. `clientUri` maps the core's uris back to the spelling the
// client used for its documents.

import {
  CodeActionKind,
  DiagnosticSeverity,
  MarkupKind,
  type CodeAction,
  type CodeLens,
  type Diagnostic,
  type Hover,
  type TextEdit,
} from 'vscode-languageserver/node';
import type { Finding, HoverInfo, Lens, Range, Severity } from '../analysis/findings';

export type UriMap = (uri: string) => string;
const sameUri: UriMap = (uri) => uri;

export const DIAGNOSTIC_SOURCE = 'tinyml';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(finding: Finding, clientUri: UriMap = sameUri): Diagnostic {
  const diagnostic: Diagnostic = {
    range: copyRange(finding.range),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related && finding.related.length > 0) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: clientUri(r.uri), range: copyRange(r.range) },
      message: r.message,
    }));
  }
  return diagnostic;
}

/** Quick fixes of the findings whose range touches `range` (the cursor or selection). */
export function toCodeActions(findings: readonly Finding[], range: Range, clientUri: UriMap = sameUri): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const finding of findings) {
    if (!finding.fixes || !touches(finding.range, range)) continue;
    const diagnostic = toDiagnostic(finding, clientUri);
    for (const fix of finding.fixes) {
      const changes: Record<string, TextEdit[]> = {};
      for (const edit of fix.edits) {
        (changes[clientUri(edit.uri)] ??= []).push({ range: copyRange(edit.range), newText: edit.newText });
      }
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: fix.isPreferred === true,
        edit: { changes },
      });
    }
  }
  return actions;
}

export function toCodeLens(lens: Lens): CodeLens {
  // An empty command id shows the title as plain text: the figures are the point, not a click.
  return {
    range: copyRange(lens.range),
    command: { title: lens.title, command: lens.command?.name ?? '', arguments: lens.command?.args },
  };
}

/** One hover for all the infos under the cursor (a line can hold an array and its size). */
export function toHover(infos: readonly HoverInfo[]): Hover | null {
  if (infos.length === 0) return null;
  return {
    contents: { kind: MarkupKind.Markdown, value: infos.map((h) => h.markdown).join('\n\n---\n\n') },
    range: copyRange(infos[0].range),
  };
}

export function contains(range: Range, position: Range['start']): boolean {
  return !before(position, range.start) && !before(range.end, position);
}

function touches(a: Range, b: Range): boolean {
  return !before(a.end, b.start) && !before(b.end, a.start);
}

function before(a: Range['start'], b: Range['start']): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function copyRange(range: Range): Range {
  return { start: { ...range.start }, end: { ...range.end } };
}
