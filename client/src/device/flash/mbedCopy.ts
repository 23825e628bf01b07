// Flash method 'mbed-copy': drag-and-drop programming through a DAPLink or ST-LINK/V2-1 probe
// drive (MBED.HTM or DETAILS.TXT on it): the .bin/.hex is copied, the probe programs the
// target and remounts; a FAIL.TXT it writes afterwards says why it refused.

import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { ToolError } from '../spawnTool';
import { chooseDrive, copyWithProgress, findDrives } from './massStorage';
import type { Board, FlashContext, FlashMethod, FlashResult } from './types';

/** Volume names the probes give themselves: NOD_L4R5ZI, DIS_F746NG, MICROBIT, ... */
function hints(board: Board): string[] {
  const mcu = board.mcu.toUpperCase();
  const st = /^STM32(\w{6})/.exec(mcu);
  return [...(st ? [st[1]] : []), ...(board.id.startsWith('microbit') ? ['MICROBIT'] : []), board.name];
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const mbedCopy: FlashMethod = {
  id: 'mbed-copy',
  describe(_board, options) {
    return `Copy the firmware (.bin or .hex) to ${options.drive ?? 'the mounted DAPLink / ST-LINK drive (MBED.HTM, DETAILS.TXT)'}`;
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    if (!ctx.isTrusted()) throw new ToolError('untrusted', 'Not copying firmware: the workspace is not trusted.', 'Trust the workspace to flash from it.');
    const ext = extname(ctx.artifact).toLowerCase();
    if (ext !== '.bin' && ext !== '.hex') throw new ToolError('invalid', `A DAPLink drive programs .bin or .hex files, not '${ext || basename(ctx.artifact)}'.`);
    const drives = findDrives(['MBED.HTM', 'DETAILS.TXT'], ctx.options.mountRoots);
    const drive = chooseDrive(drives, hints(ctx.board), 'DAPLink / ST-LINK drive', ctx.options.drive);
    const bytes = new Uint8Array(await readFile(ctx.artifact));
    const dest = join(drive.path, basename(ctx.artifact));
    ctx.onLine(`Copying ${bytes.length} bytes to ${dest}`);
    ctx.onProgress(0, 'copying');
    await copyWithProgress(bytes, dest, ctx.signal, (f) => ctx.onProgress(0.95 * f, 'copying'));
    if (ctx.options.settleMs) {
      ctx.onProgress(0.95, 'programming');
      await delay(ctx.options.settleMs);
      const fail = join(drive.path, 'FAIL.TXT');
      if (existsSync(fail)) throw new ToolError('failed', `The probe reported a failure: ${readFileSync(fail, 'utf8').trim()}`);
    }
    ctx.onProgress(1, 'done');
    return { method: 'mbed-copy', message: `Copied ${basename(dest)} to ${drive.label}; the probe programs the board and remounts.`, copiedTo: dest };
  },
};
