// Hovers (`textDocument/hover`): the budget behind a model array, an arena size or a resolver
// call, in markdown, from the latest analysis of the buffer.

import type { Hover, HoverParams } from 'vscode-languageserver/node';
import { contains, toHover } from './convert';
import { canonicalUri } from './diskWorkspace';
import type { Validation } from './validation';

export function hoverHandler(validation: Validation) {
  return async (params: HoverParams): Promise<Hover | null> => {
    const uri = canonicalUri(params.textDocument.uri);
    await validation.settled(uri);
    return toHover(validation.hovers(uri).filter((h) => contains(h.range, params.position)));
  };
}
