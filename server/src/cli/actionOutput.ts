// Where a model action's files land, and how they are written: never over the input (compared by
// resolved real path and by file identity, so links and relative paths cannot sneak past), never
// over another existing file without --force, and always through a temporary file in the same
// folder renamed into place, so that an interrupted run leaves the old file or the new one whole.

import { existsSync, realpathSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from './args';

/** The report's file beside the output: `<output file name>.report.json`. */
export function reportPathFor(outputPath: string): string {
  return `${outputPath}.report.json`;
}

/** An absolute path with every existing folder link resolved (the file itself when it exists). */
function realPath(path: string): string {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpathSync(absolute);
  const folder = dirname(absolute);
  if (!existsSync(folder)) throw new UsageError(`${dirname(path)}: no such folder for ${basename(path)}`);
  return join(realpathSync(folder), basename(absolute));
}

function sameFile(a: string, b: string): boolean {
  if (realPath(a) === realPath(b)) return true;
  if (!existsSync(a) || !existsSync(b)) return false;
  const sa = statSync(a);
  const sb = statSync(b);
  return sa.dev === sb.dev && sa.ino === sb.ino;
}

/** Refuses targets that are the input, or that exist without `force`; throws UsageError (exit 2). */
export function checkTargets(inputPath: string, targets: readonly string[], force: boolean): void {
  for (const target of targets) {
    if (sameFile(inputPath, target)) throw new UsageError(`${target} is the input model; choose another output with -o (the input is never overwritten, even with --force)`);
    if (existsSync(target)) {
      if (statSync(target).isDirectory()) throw new UsageError(`${target} is a folder; give a file name with -o`);
      if (!force) throw new UsageError(`${target} exists; pass --force to replace it`);
    }
  }
}

/** Writes `bytes` to `path` by a temporary file in the same folder, renamed into place. */
export function writeAtomically(path: string, bytes: Uint8Array | string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    writeFileSync(temp, bytes, { flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was left behind
    }
    throw new UsageError(`${path}: cannot write (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}
