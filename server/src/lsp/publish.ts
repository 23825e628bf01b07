// Sends findings as `textDocument/publishDiagnostics`, on the uri the client knows the file by,
// tagged with the buffer version they were computed from.

import type { Connection } from 'vscode-languageserver/node';
import type { Finding } from '../analysis/findings';
import { toDiagnostic } from './convert';
import type { Documents } from './documents';

export function diagnosticsPublisher(connection: Connection, documents: Documents) {
  return (uri: string, findings: readonly Finding[]): void => {
    void connection.sendDiagnostics({
      uri: documents.clientUri(uri),
      version: documents.get(uri)?.version,
      diagnostics: findings.map((finding) => toDiagnostic(finding, documents.clientUri)),
    });
  };
}
