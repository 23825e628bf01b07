// Language server entry: creates the connection and registers handlers; no logic here.

import { createConnection, ProposedFeatures, TextDocumentSyncKind } from 'vscode-languageserver/node';
import { BudgetRequest } from './protocol';
import { handleBudgetRequest } from './budgetHandler';

const connection = createConnection(ProposedFeatures.all);

// Route stray output and crashes to the client's output channel instead of losing them.
console.log = connection.console.log.bind(connection.console);
console.error = connection.console.error.bind(connection.console);
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error}`));

connection.onInitialize(() => ({
  capabilities: { textDocumentSync: TextDocumentSyncKind.Incremental },
  serverInfo: { name: 'tinyml-lens' },
}));
connection.onRequest(BudgetRequest.type, handleBudgetRequest);
connection.listen();
