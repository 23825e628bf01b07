// Open editor buffers (`textDocument/didOpen|didChange|didClose`, incremental sync), keyed by a
// canonical uri so that the core sees one spelling per file, and mapped back to the client's
// spelling whenever something is sent to the client.

import { TextDocuments, type Connection } from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { canonicalUri } from './diskWorkspace';
import type { OpenDocuments } from './workspaceIndex';

export class Documents implements OpenDocuments {
  readonly documents = new TextDocuments(TextDocument);
  private readonly clientUris = new Map<string, string>();

  constructor() {
    this.documents.onDidOpen(({ document }) => this.clientUris.set(canonicalUri(document.uri), document.uri));
    this.documents.onDidClose(({ document }) => this.clientUris.delete(canonicalUri(document.uri)));
  }

  listen(connection: Connection): void {
    this.documents.listen(connection);
  }

  get(canonical: string): TextDocument | undefined {
    const uri = this.clientUris.get(canonical);
    return uri === undefined ? undefined : this.documents.get(uri);
  }

  canonicalUris(): Iterable<string> {
    return this.clientUris.keys();
  }

  /** The uri as the client spells it (for open buffers), else the canonical one. */
  readonly clientUri = (canonical: string): string => this.clientUris.get(canonical) ?? canonical;
}
