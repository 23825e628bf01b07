// Keeps the index current: the first scan of every workspace folder (`initialized`), files
// created, changed or deleted on disk (`workspace/didChangeWatchedFiles`, watchers registered by
// the client), settings (`workspace/didChangeConfiguration`) and folders
// (`workspace/didChangeWorkspaceFolders`). Each change re-reads what it touches and revalidates.

import { stat } from 'node:fs/promises';
import { FileChangeType, type FileEvent, type WorkspaceFoldersChangeEvent } from 'vscode-languageserver/node';
import { canonicalUri, pathOf } from './diskWorkspace';
import type { ModelDiagnostics } from './modelDiagnostics';
import type { SettingsCache } from './settings';
import { errorText } from './logging';
import type { Validation } from './validation';
import { NO_FOLDER, type WorkspaceIndex } from './workspaceIndex';

export interface WorkspaceSyncDeps {
  index: WorkspaceIndex;
  settings: SettingsCache;
  validation: Validation;
  models: ModelDiagnostics;
  log: (message: string) => void;
}

export class WorkspaceSync {
  constructor(private readonly deps: WorkspaceSyncDeps) {}

  /** Scans every folder, publishes model diagnostics, then revalidates open buffers. */
  async scanAll(): Promise<void> {
    await Promise.all(this.deps.index.folderUris().map((folder) => this.scanFolder(folder)));
    this.deps.validation.scheduleAll();
  }

  async configurationChanged(pushed: unknown): Promise<void> {
    this.deps.settings.clear(pushed);
    // Excludes and include paths may have changed, and every finding depends on the board.
    await this.scanAll();
  }

  async foldersChanged(event: WorkspaceFoldersChangeEvent): Promise<void> {
    for (const folder of event.removed) {
      for (const model of this.deps.index.modelUris(canonicalUri(folder.uri).replace(/\/$/, ''))) this.deps.models.clear(model);
      this.deps.index.removeFolder(folder.uri);
    }
    for (const folder of event.added) this.deps.index.addFolder(folder.uri);
    await this.scanAll();
  }

  async filesChanged(changes: readonly FileEvent[]): Promise<void> {
    const rescan = new Set<string>();
    for (const change of changes) {
      const uri = canonicalUri(change.uri);
      const exists = change.type !== FileChangeType.Deleted;
      const kind = this.deps.index.fileEvent(uri, exists);
      if (kind === 'firmware') this.deps.validation.schedule(uri);
      else if (kind === 'model') void (exists ? this.deps.models.refresh(uri) : this.deps.models.clear(uri));
      else if (kind === 'folder' || (exists && (await isDirectory(uri)))) rescan.add(this.deps.index.folderOf(uri));
    }
    for (const folder of rescan) {
      await this.scanFolder(folder);
      this.deps.validation.schedule(`${folder}/`);
    }
  }

  private async scanFolder(folder: string): Promise<void> {
    if (folder === NO_FOLDER) return;
    try {
      const settings = await this.deps.settings.get(folder);
      const before = this.deps.index.modelUris(folder);
      const scan = this.deps.index.rescan(folder, settings);
      for (const skipped of scan.skipped) this.deps.log(`tinyml: skipped ${skipped.path}: ${skipped.reason}`);
      const now = new Set(this.deps.index.modelUris(folder));
      for (const model of before) if (!now.has(model)) this.deps.models.clear(model);
      await Promise.all([...now].map((model) => this.deps.models.refresh(model)));
    } catch (error) {
      this.deps.log(`tinyml: scanning ${folder} failed: ${errorText(error)}`);
    }
  }
}

async function isDirectory(uri: string): Promise<boolean> {
  const path = pathOf(uri);
  if (path === undefined) return false;
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
