// Bootloader and probe drives (UF2 bootloaders with INFO_UF2.TXT, DAPLink/ST-LINK with
// MBED.HTM or DETAILS.TXT): finding them among the mounted volumes, and copying a file onto
// one in chunks with progress. Shared by the 'uf2' and 'mbed-copy' methods.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ToolError } from '../spawnTool';

export const DEFAULT_MOUNT_ROOTS = ['/media', '/run/media', '/Volumes'];

export interface Drive {
  path: string;
  /** The volume's name (its directory name), e.g. RPI-RP2, NOD_L4R5ZI, MICROBIT. */
  label: string;
  /** Key: value lines of INFO_UF2.TXT or DETAILS.TXT. */
  info: Record<string, string>;
}

function subdirs(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((d) => d.isDirectory() || d.isSymbolicLink())
      .map((d) => join(dir, d.name));
  } catch {
    return [];
  }
}

function parseInfo(text: string): Record<string, string> {
  const info: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const m = /^([^:]+):\s*(.*)$/.exec(line.trim());
    if (m) info[m[1].trim()] = m[2].trim();
  }
  return info;
}

/**
 * Volumes under the roots (one or two levels down: /Volumes/X, /media/X, /media/<user>/X,
 * /run/media/<user>/X) that contain one of the marker files.
 */
export function findDrives(markers: readonly string[], roots: readonly string[] = DEFAULT_MOUNT_ROOTS): Drive[] {
  const found: Drive[] = [];
  const seen = new Set<string>();
  const consider = (dir: string): boolean => {
    const marker = markers.find((m) => existsSync(join(dir, m)));
    if (!marker || seen.has(dir)) return marker !== undefined;
    seen.add(dir);
    let info: Record<string, string> = {};
    for (const f of ['INFO_UF2.TXT', 'DETAILS.TXT']) {
      try {
        info = { ...info, ...parseInfo(readFileSync(join(dir, f), 'utf8')) };
      } catch {
        // Not there on this kind of drive.
      }
    }
    found.push({ path: dir, label: basename(dir), info });
    return true;
  };
  for (const root of roots) {
    for (const dir of subdirs(root)) {
      if (!consider(dir)) for (const inner of subdirs(dir)) consider(inner);
    }
  }
  return found.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * The drive to use: the configured one, else the only one found, else the only one whose
 * label or info mentions one of `hints` (e.g. RP2040, L4R5ZI, MICROBIT).
 */
export function chooseDrive(drives: readonly Drive[], hints: readonly string[], what: string, configured?: string): Drive {
  if (configured) {
    const d = drives.find((x) => x.path === configured);
    if (d) return d;
    if (existsSync(configured) && statSync(configured).isDirectory()) return { path: configured, label: basename(configured), info: {} };
    throw new ToolError('invalid', `The configured drive ${configured} is not mounted.`);
  }
  if (drives.length === 0) throw new ToolError('invalid', `No ${what} is mounted.`);
  if (drives.length === 1) return drives[0];
  const lower = hints.map((h) => h.toLowerCase());
  const matching = drives.filter((d) => {
    const text = `${d.label} ${Object.values(d.info).join(' ')}`.toLowerCase();
    return lower.some((h) => text.includes(h));
  });
  if (matching.length === 1) return matching[0];
  throw new ToolError('invalid', `Several ${what}s are mounted (${drives.map((d) => d.path).join(', ')}); choose one in the flash options.`);
}

/** Writes `bytes` to `dest` in 64 KiB pieces (a multiple of the 512-byte UF2 block), synced. */
export async function copyWithProgress(
  bytes: Uint8Array,
  dest: string,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<void> {
  const CHUNK = 64 * 1024;
  const fh = await open(dest, 'w');
  try {
    for (let off = 0; off < bytes.length; off += CHUNK) {
      if (signal.aborted) throw new ToolError('cancelled', `Copy to ${dest} was cancelled.`);
      const piece = bytes.subarray(off, Math.min(off + CHUNK, bytes.length));
      let written = 0;
      while (written < piece.length) written += (await fh.write(piece, written, piece.length - written)).bytesWritten;
      onProgress(Math.min(off + CHUNK, bytes.length) / bytes.length);
    }
    await fh.sync();
  } finally {
    // A bootloader may reboot (and unmount) as soon as the last block lands: a failing close
    // after a complete write is not a failed flash.
    await fh.close().catch(() => undefined);
  }
}
