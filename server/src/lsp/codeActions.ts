// Quick fixes (`textDocument/codeAction`, kind quickfix): the fixes the core attached to the
// findings under the cursor, as WorkspaceEdits (e.g. set kTensorArenaSize to the computed need).

import { CodeActionKind, type CodeAction, type CodeActionParams } from 'vscode-languageserver/node';
import { toCodeActions } from './convert';
import { canonicalUri } from './diskWorkspace';
import type { Documents } from './documents';
import type { Validation } from './validation';

export function codeActionHandler(validation: Validation, documents: Documents) {
  return async (params: CodeActionParams): Promise<CodeAction[]> => {
    const only = params.context.only;
    if (only && !only.some((kind) => kind === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${kind}.`))) return [];
    const uri = canonicalUri(params.textDocument.uri);
    await validation.settled(uri);
    return toCodeActions(validation.findings(uri), params.range, documents.clientUri);
  };
}
