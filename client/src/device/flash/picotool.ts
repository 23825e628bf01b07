// Flash method 'picotool': `picotool load -x <uf2|elf>` loads over PICOBOOT (the board in
// BOOTSEL mode) and starts the program; its bars read "Loading into Flash: [===]  100%".

import { runFlashTool, percentOf, type ProgressParser } from './runner';
import { displayCommand, type FlashContext, type FlashMethod, type FlashResult } from './types';

export function picotoolArgs(artifact: string): string[] {
  return ['load', '-x', artifact];
}

/** Loading is 0-90 %, the optional verify pass 90-100 %. */
export function picotoolProgress(): ProgressParser {
  return (line) => {
    const m = /^(Loading into|Verifying) ([\w ]+?):\s*\[/.exec(line);
    if (!m) return undefined;
    const f = percentOf(line.slice(line.indexOf(']')));
    if (f === undefined) return undefined;
    return m[1] === 'Loading into' ? { fraction: 0.9 * f, label: `loading into ${m[2].toLowerCase()}` } : { fraction: 0.9 + 0.1 * f, label: 'verifying' };
  };
}

export const picotool: FlashMethod = {
  id: 'picotool',
  describe(_board, options) {
    return displayCommand(options.toolPath ?? 'picotool', picotoolArgs('<firmware.uf2>'));
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    ctx.onProgress(0, 'looking for a device in BOOTSEL mode');
    await runFlashTool(ctx, ctx.options.toolPath ?? 'picotool', picotoolArgs(ctx.artifact), picotoolProgress());
    ctx.onProgress(1, 'done');
    return { method: 'picotool', message: `Loaded and started the program on ${ctx.board.name} with picotool.` };
  },
};
