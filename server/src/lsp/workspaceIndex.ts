// The server's picture of the workspace: per workspace folder, the firmware and model files on
// disk (scanned at start, kept current by `workspace/didChangeWatchedFiles`), with open editor
// buffers (`textDocument/did*`) overriding disk. Files outside every folder belong to folder ''.

import { relative, resolve, sep } from 'node:path';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { SourceFile, WorkspaceView } from '../analysis/firmware';
import {
  canonicalUri,
  DiskWorkspace,
  includeCandidates,
  kindOf,
  pathOf,
  scanFolder,
  uriOf,
  type FileKind,
  type ScanResult,
} from './diskWorkspace';
import { matcherOf, type PathMatcher } from './glob';
import type { Settings } from './settings';

export const NO_FOLDER = '';

interface Folder {
  uri: string;
  path: string | undefined;
  disk: DiskWorkspace;
  models: Set<string>;
  excluded: PathMatcher;
  /** Settles when the first scan is done, so that validation never runs on an empty picture. */
  scanned: Promise<void>;
  markScanned: () => void;
}

/** Open documents by canonical uri, with the uri the client spells them with. */
export interface OpenDocuments {
  get(canonical: string): TextDocument | undefined;
  canonicalUris(): Iterable<string>;
}

export class WorkspaceIndex {
  private readonly folders = new Map<string, Folder>();

  constructor(private readonly open: OpenDocuments) {
    this.addFolder(NO_FOLDER);
  }

  addFolder(uri: string): void {
    const key = uri === NO_FOLDER ? NO_FOLDER : canonicalUri(uri).replace(/\/$/, '');
    if (this.folders.has(key)) return;
    let markScanned = () => {};
    const scanned = new Promise<void>((done) => (markScanned = done));
    this.folders.set(key, { uri: key, path: pathOf(key), disk: new DiskWorkspace([]), models: new Set(), excluded: () => false, scanned, markScanned });
    if (key === NO_FOLDER) markScanned();
  }

  removeFolder(uri: string): void {
    this.folders.delete(canonicalUri(uri).replace(/\/$/, ''));
  }

  folderUris(): string[] {
    return [...this.folders.keys()];
  }

  /** The innermost workspace folder holding `uri`, or NO_FOLDER. */
  folderOf(uri: string): string {
    const canonical = canonicalUri(uri);
    let best = NO_FOLDER;
    for (const key of this.folders.keys()) {
      if (key !== NO_FOLDER && canonical.startsWith(`${key}/`) && key.length > best.length) best = key;
    }
    return best;
  }

  /** Rescans a folder from disk with its (possibly changed) excludes and include paths. */
  rescan(folderUri: string, settings: Settings): ScanResult {
    const folder = this.folders.get(folderUri);
    if (!folder) return { firmware: [], models: [], skipped: [] };
    const base = folder.path;
    const includeDirs = settings.includePaths.map((p) => (base ? resolve(base, p) : resolve(p)));
    const scan = base ? scanFolder(base, { exclude: settings.exclude }) : { firmware: [], models: [], skipped: [] };
    folder.disk = new DiskWorkspace(scan.firmware, includeDirs);
    folder.models = new Set(scan.models.map(uriOf));
    folder.excluded = matcherOf(settings.exclude);
    folder.markScanned();
    return scan;
  }

  scanned(folderUri: string): Promise<void> {
    return this.folders.get(folderUri)?.scanned ?? Promise.resolve();
  }

  modelUris(folderUri: string): string[] {
    return [...(this.folders.get(folderUri)?.models ?? [])];
  }

  /** A watched-file event; returns what kind of file it was, for the caller to refresh. */
  fileEvent(uri: string, exists: boolean): FileKind | 'folder' | undefined {
    const canonical = canonicalUri(uri);
    const folder = this.folders.get(this.folderOf(canonical));
    if (!folder) return undefined;
    const path = pathOf(canonical);
    if (path !== undefined && folder.path !== undefined && folder.excluded(relative(folder.path, path).split(sep).join('/'))) return undefined;
    const kind = path === undefined ? undefined : kindOf(path);
    if (kind === 'firmware') folder.disk.update(canonical, exists);
    else if (kind === 'model') {
      if (exists) folder.models.add(canonical);
      else folder.models.delete(canonical);
    } else if (!exists) {
      // A deleted folder arrives as one event for the folder itself.
      folder.disk.removeUnder(canonical);
      for (const model of [...folder.models]) if (model.startsWith(`${canonical}/`)) folder.models.delete(model);
      return 'folder';
    }
    return kind;
  }

  /** Open firmware documents in a folder, by canonical uri. */
  openFirmware(folderUri: string): string[] {
    const out: string[] = [];
    for (const uri of this.open.canonicalUris()) {
      const doc = this.open.get(uri);
      if (doc && isFirmwareDocument(doc) && this.folderOf(uri) === folderUri) out.push(uri);
    }
    return out;
  }

  /** The analysis input for one folder: its files on disk, open buffers first. */
  view(folderUri: string): WorkspaceView {
    const folder = this.folders.get(folderUri) ?? this.folders.get(NO_FOLDER)!;
    const open = this.open;
    const fromOpen = (uri: string): SourceFile | undefined => {
      const doc = open.get(uri);
      return doc ? { uri, text: doc.getText(), version: doc.version } : undefined;
    };
    const openHere = this.openFirmware(folderUri);
    return {
      *files() {
        for (const uri of openHere) yield fromOpen(uri)!;
        const seen = new Set(openHere);
        for (const file of folder.disk.files()) if (!seen.has(file.uri)) yield file;
      },
      get: (uri) => fromOpen(canonicalUri(uri)) ?? folder.disk.get(canonicalUri(uri)),
      resolveInclude: (fromUri, spec) =>
        includeCandidates(fromUri, spec, folder.disk.includeDirs).find((uri) => open.get(uri) !== undefined || folder.disk.has(uri)),
    };
  }
}

/** C and C++ buffers (the client maps Arduino's .ino to cpp), or any buffer with a firmware extension. */
export function isFirmwareDocument(doc: TextDocument): boolean {
  if (doc.languageId === 'c' || doc.languageId === 'cpp') return true;
  const path = pathOf(doc.uri);
  return path !== undefined && kindOf(path) === 'firmware';
}
