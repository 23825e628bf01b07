// A minimal LSP client for tests and the benchmark: starts the REAL server bundle as a child
// process over stdio and speaks JSON-RPC to it with vscode-jsonrpc, as an editor does: it answers
// `workspace/configuration`, collects `textDocument/publishDiagnostics` and log messages.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';

export const repoRoot = resolve(__dirname, '..', '..');
const SERVER_OUT = join(repoRoot, '.tmp', 'lsp-test', 'server.js');
let built: Promise<string> | undefined;

/** Bundles server/src/lsp/server.ts exactly as esbuild.mjs does (only that bundle, into .tmp). */
export function buildServer(): Promise<string> {
  built ??= (async () => {
    mkdirSync(join(repoRoot, '.tmp', 'lsp-test'), { recursive: true });
    const { build } = await import('esbuild');
    await build({
      entryPoints: [join(repoRoot, 'server/src/lsp/server.ts')],
      outfile: SERVER_OUT,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      sourcemap: true,
      logLevel: 'warning',
    });
    return SERVER_OUT;
  })();
  return built;
}

export interface ClientOptions {
  folders: string[];
  /** Folder uris exactly as given (to test a client's own escaping); added after `folders`. */
  folderUris?: string[];
  /** The `tinyml` section per folder uri (undefined scope: the global one). */
  settings?: (scopeUri: string | undefined) => unknown;
  /** Whether the client advertises `workspace/configuration`; default true. */
  configuration?: boolean;
}

type Waiter = { uri: string; test: (d: Diagnostic[]) => boolean; done: (p: PublishDiagnosticsParams) => void };

export class LspClient {
  readonly logs: string[] = [];
  readonly shownMessages: string[] = [];
  readonly latest = new Map<string, PublishDiagnosticsParams>();
  readonly publishCount = new Map<string, number>();
  /** Every publish in arrival order, with when it arrived (performance.now()). */
  readonly published: { at: number; params: PublishDiagnosticsParams }[] = [];
  private waiters: Waiter[] = [];
  exitCode: number | null = null;

  private constructor(
    readonly child: ChildProcessWithoutNullStreams,
    readonly connection: MessageConnection,
  ) {}

  static async start(options: ClientOptions): Promise<LspClient> {
    const server = await buildServer();
    const child = spawn(process.execPath, [server, '--stdio'], { stdio: 'pipe' });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
    const client = new LspClient(child, connection);
    child.stderr.on('data', (chunk: Buffer) => client.logs.push(`stderr: ${chunk.toString()}`));
    child.on('exit', (code) => (client.exitCode = code));
    connection.onRequest('workspace/configuration', (params: { items: { scopeUri?: string; section?: string }[] }) =>
      params.items.map((item) => (item.section === 'tinyml' ? (options.settings?.(item.scopeUri) ?? null) : null)),
    );
    connection.onRequest('client/registerCapability', () => null);
    connection.onRequest('window/workDoneProgress/create', () => null);
    connection.onNotification('window/logMessage', (p: { message: string }) => client.logs.push(p.message));
    connection.onNotification('window/showMessage', (p: { message: string }) => client.shownMessages.push(p.message));
    connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => client.onPublish(p));
    connection.listen();

    const uris = [...options.folders.map((path) => pathToFileURL(path).href), ...(options.folderUris ?? [])];
    const folders = uris.map((uri, i) => ({ uri, name: `folder${i}` }));
    const result: InitializeResult = await connection.sendRequest('initialize', {
      processId: process.pid,
      rootUri: folders[0]?.uri ?? null,
      workspaceFolders: folders,
      capabilities: {
        workspace: { configuration: options.configuration ?? true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: false } },
        textDocument: {
          synchronization: { didSave: false },
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } }, isPreferredSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
    });
    client.capabilities = result.capabilities;
    await connection.sendNotification('initialized', {});
    return client;
  }

  capabilities: InitializeResult['capabilities'] = {};

  private onPublish(params: PublishDiagnosticsParams): void {
    this.latest.set(params.uri, params);
    this.publishCount.set(params.uri, (this.publishCount.get(params.uri) ?? 0) + 1);
    this.published.push({ at: performance.now(), params });
    const ready = this.waiters.filter((w) => w.uri === params.uri && w.test(params.diagnostics));
    this.waiters = this.waiters.filter((w) => !ready.includes(w));
    for (const w of ready) w.done(params);
  }

  /**
   * The first publish for `uri` whose diagnostics pass `test`, counting the latest one already
   * received unless `onlyNew`.
   */
  diagnostics(uri: string, test: (d: Diagnostic[]) => boolean = () => true, options: { onlyNew?: boolean; timeoutMs?: number } = {}): Promise<PublishDiagnosticsParams> {
    const latest = this.latest.get(uri);
    if (!options.onlyNew && latest && test(latest.diagnostics)) return Promise.resolve(latest);
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no matching publishDiagnostics for ${uri} (latest: ${JSON.stringify(this.latest.get(uri)?.diagnostics)})\nserver log:\n${this.logs.join('\n')}`));
      }, options.timeoutMs ?? 10_000);
      const waiter: Waiter = {
        uri,
        test,
        done: (p) => {
          clearTimeout(timer);
          resolvePromise(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  notify(method: string, params: unknown): Promise<void> {
    return this.connection.sendNotification(method, params);
  }

  open(uri: string, text: string, languageId = 'cpp', version = 1): Promise<void> {
    return this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  async stop(): Promise<void> {
    if (this.exitCode === null) {
      try {
        await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
        await this.notify('exit', null);
      } catch {
        // The server is already gone; the kill below is enough.
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    this.connection.dispose();
    if (this.exitCode === null) this.child.kill();
  }
}
