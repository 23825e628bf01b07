// Firmware and model files on disk, for the server's initial scan and for `tinyml check`: one
// scanner (excludes, size bound) and one WorkspaceView over files on disk, so the editor and the
// CLI analyze exactly the same inputs.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FIRMWARE_EXTENSIONS, type SourceFile, type WorkspaceView } from '../analysis/firmware';
import { matcherOf } from './glob';

export const MODEL_EXTENSIONS: readonly string[] = ['.tflite', '.onnx'];
export const DEFAULT_EXCLUDE: readonly string[] = ['**/node_modules/**', '**/.git/**', '**/build/**', '**/.pio/**'];
/** Source files beyond this are generated dumps, not firmware; a 4 MB model as a C array is ~25 MB. */
export const MAX_SOURCE_BYTES = 32 * 1024 * 1024;
/** Models beyond this are not TinyML models; refusing them keeps the server's memory bounded. */
export const MAX_MODEL_BYTES = 64 * 1024 * 1024;
/** A scan stops here, so that opening a home directory cannot stall the server. */
const MAX_SCANNED_FILES = 50_000;

export type FileKind = 'firmware' | 'model';

export function kindOf(path: string): FileKind | undefined {
  const ext = extname(path).toLowerCase();
  if (FIRMWARE_EXTENSIONS.includes(ext)) return 'firmware';
  if (MODEL_EXTENSIONS.includes(ext)) return 'model';
  return undefined;
}

export function uriOf(path: string): string {
  return pathToFileURL(path).href;
}

/** The file system path of a `file:` uri, or undefined for other schemes (untitled:, git:, …). */
export function pathOf(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

/** One spelling per file: clients percent-encode differently than Node does. */
export function canonicalUri(uri: string): string {
  const path = pathOf(uri);
  return path === undefined ? uri : uriOf(path);
}

export interface ScanResult {
  firmware: string[];
  models: string[];
  /** Files left out for their size, with the reason, so callers can say so. */
  skipped: { path: string; reason: string }[];
}

export interface ScanOptions {
  exclude: readonly string[];
}

/** Every firmware and model file under `root` (a folder or a single file), excludes applied. */
export function scanFolder(root: string, options: ScanOptions): ScanResult {
  const excluded = matcherOf(options.exclude);
  const result: ScanResult = { firmware: [], models: [], skipped: [] };
  let seen = 0;
  const visit = (path: string): void => {
    if (seen >= MAX_SCANNED_FILES) return;
    const rel = relative(root, path).split(sep).join('/');
    if (rel !== '' && excluded(rel)) return;
    let entries;
    try {
      entries = readdirSync(path, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const child = join(path, entry.name);
      if (entry.isDirectory()) visit(child);
      else if (entry.isFile() && seen++ < MAX_SCANNED_FILES) {
        if (!excluded(relative(root, child).split(sep).join('/'))) classify(child, result);
      }
    }
  };
  visit(root);
  return result;
}

/** Sorts one file into the scan result, checking its size bound. */
export function classify(path: string, result: ScanResult): void {
  const kind = kindOf(path);
  if (!kind) return;
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    return;
  }
  const limit = kind === 'firmware' ? MAX_SOURCE_BYTES : MAX_MODEL_BYTES;
  if (size > limit) {
    result.skipped.push({ path, reason: `${size} bytes is more than the ${limit}-byte bound for a ${kind} file` });
    return;
  }
  (kind === 'firmware' ? result.firmware : result.models).push(path);
}

/** Where `#include "spec"` may point: next to the including file, then each include folder. */
export function includeCandidates(fromUri: string, spec: string, includeDirs: readonly string[]): string[] {
  const from = pathOf(fromUri);
  const dirs = from === undefined ? includeDirs : [dirname(from), ...includeDirs];
  return dirs.map((dir) => uriOf(resolve(dir, spec)));
}

/**
 * Firmware sources on disk, read lazily and cached until `invalidate`. Files that are not in the
 * scanned set (headers outside the folder, reached through include paths) are read on demand.
 */
export class DiskWorkspace implements WorkspaceView {
  private readonly known = new Set<string>();
  private readonly texts = new Map<string, SourceFile | null>();

  constructor(
    firmwarePaths: Iterable<string>,
    readonly includeDirs: readonly string[] = [],
  ) {
    for (const path of firmwarePaths) this.known.add(uriOf(path));
  }

  *files(): Iterable<SourceFile> {
    for (const uri of this.known) {
      const file = this.get(uri);
      if (file) yield file;
    }
  }

  uris(): Iterable<string> {
    return this.known;
  }

  has(uri: string): boolean {
    return this.known.has(uri) || this.get(uri) !== undefined;
  }

  get(uri: string): SourceFile | undefined {
    const cached = this.texts.get(uri);
    if (cached !== undefined) return cached ?? undefined;
    const file = readSource(uri);
    this.texts.set(uri, file ?? null);
    return file;
  }

  resolveInclude(fromUri: string, spec: string): string | undefined {
    return includeCandidates(fromUri, spec, this.includeDirs).find((uri) => this.has(uri));
  }

  /** A watched-file event: forget the cached text; `exists` adds or removes the file. */
  update(uri: string, exists: boolean): void {
    this.texts.delete(uri);
    if (exists) this.known.add(uri);
    else this.known.delete(uri);
  }

  /** Forget every file under a deleted folder. */
  removeUnder(folderUri: string): void {
    const prefix = folderUri.endsWith('/') ? folderUri : `${folderUri}/`;
    for (const uri of [...this.known]) if (uri.startsWith(prefix)) this.update(uri, false);
    for (const uri of [...this.texts.keys()]) if (uri.startsWith(prefix)) this.texts.delete(uri);
  }
}

function readSource(uri: string): SourceFile | undefined {
  const path = pathOf(uri);
  if (path === undefined || kindOf(path) !== 'firmware') return undefined;
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_SOURCE_BYTES) return undefined;
    return { uri, text: readFileSync(path, 'utf8') };
  } catch {
    return undefined;
  }
}
