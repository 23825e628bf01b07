// Flash method 'uf2': copies firmware onto a UF2 bootloader drive (a drive with INFO_UF2.TXT:
// RPI-RP2, RP2350, the Adafruit nRF52 bootloader). A .uf2 is copied as is; a .bin or .hex is
// converted first with the board's family id (see uf2Format.ts).

import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ToolError } from '../spawnTool';
import { chooseDrive, copyWithProgress, findDrives } from './massStorage';
import { binToUf2, defaultBaseForMcu, familyForMcu, parseIntelHex, toUf2 } from './uf2Format';
import type { Board, FlashContext, FlashMethod, FlashOptions, FlashResult } from './types';

/** The UF2 bytes for an artifact, converting .bin and .hex. */
export function uf2ForArtifact(board: Board, artifact: string, bytes: Uint8Array, options: FlashOptions): Uint8Array {
  const ext = extname(artifact).toLowerCase();
  if (ext === '.uf2') return bytes;
  const family = options.familyId ?? familyForMcu(board.mcu);
  if (family === undefined) throw new ToolError('invalid', `No UF2 family id is known for ${board.mcu}; set the familyId option.`);
  if (ext === '.hex') return toUf2(parseIntelHex(Buffer.from(bytes).toString('latin1')), family);
  if (ext === '.bin') {
    const base = options.baseAddress ?? defaultBaseForMcu(board.mcu);
    if (base === undefined) throw new ToolError('invalid', `No load address is known for a .bin on ${board.mcu}; set the baseAddress option.`);
    return binToUf2(bytes, base, family);
  }
  throw new ToolError('invalid', `A UF2 bootloader takes .uf2 files (or .bin/.hex to convert), not '${ext || basename(artifact)}'; use picotool for an ELF.`);
}

/** Words a board's bootloader drive shows in its label or INFO_UF2.TXT (RP2040: "RPI-RP2"). */
function hints(board: Board): string[] {
  const mcu = board.mcu.replace(/A$/, '');
  return [mcu, board.name, ...(mcu.startsWith('RP2040') ? ['RPI-RP2'] : [])];
}

export const uf2: FlashMethod = {
  id: 'uf2',
  describe(board, options) {
    const family = options.familyId ?? familyForMcu(board.mcu);
    const where = options.drive ?? 'the mounted UF2 bootloader drive (INFO_UF2.TXT)';
    return `Copy the firmware as UF2${family !== undefined ? ` (family 0x${family.toString(16)})` : ''} to ${where}`;
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    if (!ctx.isTrusted()) throw new ToolError('untrusted', 'Not copying firmware: the workspace is not trusted.', 'Trust the workspace to flash from it.');
    const drives = findDrives(['INFO_UF2.TXT'], ctx.options.mountRoots);
    const drive = chooseDrive(drives, hints(ctx.board), 'UF2 bootloader drive (hold BOOTSEL or double-tap reset)', ctx.options.drive);
    const bytes = uf2ForArtifact(ctx.board, ctx.artifact, new Uint8Array(await readFile(ctx.artifact)), ctx.options);
    const dest = join(drive.path, `${basename(ctx.artifact, extname(ctx.artifact))}.uf2`);
    const model = drive.info['Model'] ?? drive.info['Board-ID'] ?? drive.label;
    ctx.onLine(`Copying ${bytes.length} bytes (${bytes.length / 512} UF2 blocks) to ${dest} (${model})`);
    ctx.onProgress(0, 'copying');
    await copyWithProgress(bytes, dest, ctx.signal, (f) => ctx.onProgress(f, 'copying'));
    ctx.onProgress(1, 'done');
    return { method: 'uf2', message: `Copied ${basename(dest)} to ${drive.label}; the board restarts into the new firmware.`, copiedTo: dest };
  },
};

