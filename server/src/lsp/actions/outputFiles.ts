// Writes a model action's result beside its input: the model and its report go to temporary
// files in the output's own folder first and are renamed into place, so a failed or cancelled
// run leaves nothing behind and a reader never sees half a model. Without `overwrite`, the
// output is claimed with a hard link, which fails atomically when the file appeared meanwhile.

import { randomBytes } from 'node:crypto';
import { link, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** `<output file name>.report.json`, beside the output. */
export function reportPathFor(outputPath: string): string {
  return `${outputPath}.report.json`;
}

/** Whether both paths name one file (symbolic and hard links, case-insensitive file systems). */
export async function sameFile(a: string, b: string): Promise<boolean> {
  const [sa, sb] = await Promise.all([statOrUndefined(a), statOrUndefined(b)]);
  return sa !== undefined && sb !== undefined && sa.dev === sb.dev && sa.ino === sb.ino;
}

export async function fileExists(path: string): Promise<boolean> {
  return (await statOrUndefined(path)) !== undefined;
}

export type WriteOutcome = { written: true } | { written: false; why: 'exists' | 'cancelled' };

/**
 * Writes `bytes` to `outputPath` and `reportJson` to its report path. `cancelled` is asked last,
 * before anything is renamed into place. File system errors are thrown, with no temp file left.
 */
export async function writeOutputs(outputPath: string, bytes: Uint8Array, reportJson: string, overwrite: boolean, cancelled: () => boolean): Promise<WriteOutcome> {
  const reportPath = reportPathFor(outputPath);
  const tempModel = tempPathFor(outputPath);
  const tempReport = tempPathFor(reportPath);
  try {
    await writeFile(tempModel, bytes, { flag: 'wx' });
    await writeFile(tempReport, reportJson, { encoding: 'utf8', flag: 'wx' });
    if (cancelled()) return { written: false, why: 'cancelled' };
    if (overwrite) await rename(tempModel, outputPath);
    else if (!(await claim(tempModel, outputPath))) return { written: false, why: 'exists' };
    // The report belongs to the output just written: an older one is replaced.
    await rename(tempReport, reportPath);
    return { written: true };
  } finally {
    await Promise.all([rm(tempModel, { force: true }), rm(tempReport, { force: true })]);
  }
}

/** Puts `temp` at `target` unless `target` exists; false when it does. */
async function claim(temp: string, target: string): Promise<boolean> {
  try {
    await link(temp, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // File systems without hard links (some network and FAT drives): check, then rename.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    if (await fileExists(target)) return false;
    await rename(temp, target);
    return true;
  }
}

/** A hidden, unique name in the same folder, so that the final rename never crosses devices. */
function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}
