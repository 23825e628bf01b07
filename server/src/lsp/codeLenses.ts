// Code lenses (`textDocument/codeLens`): a line of figures above a model array, the arena and
// the op resolver (arena need, flash, MACs, latency), from the latest analysis of the buffer.

import type { CodeLens, CodeLensParams } from 'vscode-languageserver/node';
import { toCodeLens } from './convert';
import { canonicalUri } from './diskWorkspace';
import type { Validation } from './validation';

export function codeLensHandler(validation: Validation) {
  return async (params: CodeLensParams): Promise<CodeLens[]> => {
    const uri = canonicalUri(params.textDocument.uri);
    await validation.settled(uri);
    return validation.lenses(uri).map(toCodeLens);
  };
}
