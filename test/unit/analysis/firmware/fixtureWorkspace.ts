// Test builders for firmware analysis: xxd-style arrays of real models, and a WorkspaceView over
// a fixture folder whose `@MODEL_BYTES(path)` / `@MODEL_LEN(path)` placeholders are filled with
// the bytes of ../shared/models/<path> (see test/fixtures/firmware/README.md).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceFile, WorkspaceView } from '../../../../server/src/analysis/firmware';
import type { TextEdit } from '../../../../server/src/analysis/findings';
import { repoRoot, sharedModel } from '../../../helpers/shared';

export const fixturesDir = join(repoRoot, 'test', 'fixtures', 'firmware');

/** `0x1c, 0x00, ...`, twelve to a line as `xxd -i` writes them. */
export function xxdBytes(bytes: Uint8Array, indent = '  '): string {
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i += 12) {
    lines.push(Array.from(bytes.subarray(i, i + 12), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(', '));
  }
  return lines.join(`,\n${indent}`);
}

/** A whole `xxd -i` file for `bytes`. */
export function xxdFile(name: string, bytes: Uint8Array, declaration = `unsigned char ${name}[]`): string {
  return `${declaration} = {\n  ${xxdBytes(bytes)}\n};\nunsigned int ${name}_len = ${bytes.length};\n`;
}

export function fillPlaceholders(text: string): string {
  return text
    .replace(/@MODEL_BYTES\(([^)]+)\)/g, (_m, path: string) => xxdBytes(sharedModel(path)))
    .replace(/@MODEL_LEN\(([^)]+)\)/g, (_m, path: string) => String(sharedModel(path).length));
}

export class MemoryWorkspace implements WorkspaceView {
  readonly byUri = new Map<string, SourceFile>();

  constructor(files: SourceFile[] = []) {
    for (const f of files) this.byUri.set(f.uri, f);
  }

  set(uri: string, text: string, version?: number): void {
    this.byUri.set(uri, { uri, text, version });
  }

  files(): Iterable<SourceFile> {
    return this.byUri.values();
  }

  get(uri: string): SourceFile | undefined {
    return this.byUri.get(uri);
  }

  resolveInclude(fromUri: string, spec: string): string | undefined {
    const uri = fromUri.slice(0, fromUri.lastIndexOf('/') + 1) + spec;
    return this.byUri.has(uri) ? uri : undefined;
  }
}

export function fixtureUri(project: string, file: string): string {
  return `file:///fixtures/${project}/${file}`;
}

/** A fixture project as a workspace, placeholders filled. */
export function fixtureWorkspace(project: string): MemoryWorkspace {
  const ws = new MemoryWorkspace();
  const root = join(fixturesDir, project);
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else ws.set(fixtureUri(project, relative(root, path)), fillPlaceholders(readFileSync(path, 'utf8')), 1);
    }
  };
  walk(root);
  return ws;
}

/** Applies edits to one file's text (edits must not overlap). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const offset = (p: { line: number; character: number }) => lineStarts[p.line] + p.character;
  const sorted = [...edits].sort((a, b) => offset(b.range.start) - offset(a.range.start));
  let out = text;
  for (const e of sorted) out = out.slice(0, offset(e.range.start)) + e.newText + out.slice(offset(e.range.end));
  return out;
}
