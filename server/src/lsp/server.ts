// Language server entry: creates the connection and the parts, registers handlers; no logic here.

import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { codeActionHandler } from './codeActions';
import { codeLensHandler } from './codeLenses';
import { canonicalUri } from './diskWorkspace';
import { Documents } from './documents';
import { hoverHandler } from './hovers';
import { initializeHandler, onFolderChanges } from './initialize';
import { routeLogsTo, warnUser } from './logging';
import { ModelDiagnostics } from './modelDiagnostics';
import { BudgetRequest, CodegenArenaSizeRequest, CodegenExportRequest, CodegenFirmwareModelsRequest, CodegenResolverRequest, ModelActionRequest } from './protocol';
import { codegenHandlers } from './codegenHandler';
import { handleBudgetRequest } from './budgetHandler';
import { modelActionHandler } from './actions/modelActionHandler';
import { diagnosticsPublisher } from './publish';
import { SettingsCache } from './settings';
import { Validation } from './validation';
import { WorkspaceIndex } from './workspaceIndex';
import { WorkspaceSync } from './workspaceSync';

const connection = createConnection(ProposedFeatures.all);
routeLogsTo(connection);
const log = (message: string) => connection.console.error(message);

const documents = new Documents();
const index = new WorkspaceIndex(documents);
const settings = new SettingsCache(warnUser(connection));
const publish = diagnosticsPublisher(connection, documents);
const validation = new Validation({ index, settings: (folder) => settings.get(folder), publish, log });
const models = new ModelDiagnostics({ settings: (uri) => settings.get(index.folderOf(uri)), publish, log });
const sync = new WorkspaceSync({ index, settings, validation, models, log });

connection.onInitialize(initializeHandler(connection, index, settings));
connection.onInitialized(() => {
  onFolderChanges(connection, (event) => void sync.foldersChanged(event));
  void sync.scanAll();
});
documents.documents.onDidOpen(({ document }) => validation.schedule(canonicalUri(document.uri), 0));
documents.documents.onDidChangeContent(({ document }) => validation.schedule(canonicalUri(document.uri)));
documents.documents.onDidClose(({ document }) => validation.closed(canonicalUri(document.uri)));
connection.onDidChangeWatchedFiles(({ changes }) => void sync.filesChanged(changes));
connection.onDidChangeConfiguration(({ settings: pushed }) => void sync.configurationChanged(pushed));
connection.onCodeAction(codeActionHandler(validation, documents));
connection.onCodeLens(codeLensHandler(validation));
connection.onHover(hoverHandler(validation));
connection.onRequest(BudgetRequest.type, handleBudgetRequest);
const codegen = codegenHandlers({ index, settings: (uri) => settings.get(index.folderOf(uri)), textOf: (uri) => documents.get(uri)?.getText() });
connection.onRequest(CodegenFirmwareModelsRequest.type, codegen.firmwareModels);
connection.onRequest(CodegenResolverRequest.type, codegen.resolver);
connection.onRequest(CodegenArenaSizeRequest.type, codegen.arenaSize);
connection.onRequest(CodegenExportRequest.type, codegen.exportCArray);
connection.onRequest(
  ModelActionRequest.type,
  modelActionHandler({ settings: (uri) => settings.get(index.folderOf(uri)), workDone: (token) => connection.window.attachWorkDoneProgress(token), log }),
);

documents.listen(connection);
connection.listen();
