// Flash method 'pyocd': `pyocd flash -t <target> <file>` through a CMSIS-DAP or ST-LINK
// probe. On a terminal its bar is redrawn as "[====                ]  20%"; piped (as here) it
// prints a 40-column ruler "[---|---|...----]", then "[" and one "=" per 2.5 % without a
// newline until the closing "]".

import { ToolError } from '../spawnTool';
import { runFlashTool, type ProgressParser } from './runner';
import { displayCommand, type Board, type FlashContext, type FlashMethod, type FlashOptions, type FlashResult } from './types';

/** pyOCD target names (`pyocd list --targets`; the STM32 ones come from CMSIS packs). */
const TARGETS: [RegExp, string][] = [
  [/^NRF52840/i, 'nrf52840'],
  [/^NRF52833/i, 'nrf52833'],
  [/^NRF5340/i, 'nrf5340_xxaa'],
  [/^STM32L4R5ZI/i, 'stm32l4r5zitx'],
  [/^STM32H743ZI/i, 'stm32h743zitx'],
  [/^STM32H7A3ZI/i, 'stm32h7a3zitxq'],
  [/^STM32F746NG/i, 'stm32f746nghx'],
  [/^STM32U575ZI/i, 'stm32u575zitxq'],
];

export function pyocdTargetFor(board: Board): string | undefined {
  return TARGETS.find(([re]) => re.test(board.mcu))?.[1];
}

export function pyocdArgs(board: Board, artifact: string, options: FlashOptions): string[] {
  const target = options.target ?? pyocdTargetFor(board);
  if (!target) throw new ToolError('invalid', `No pyOCD target is known for ${board.name} (${board.mcu}); set the target option.`);
  const base = /\.bin$/i.test(artifact) && options.baseAddress !== undefined ? ['--base-address', `0x${options.baseAddress.toString(16)}`] : [];
  return ['flash', '-t', target, ...base, artifact];
}

export function pyocdProgress(): ProgressParser {
  return (text, partial) => {
    const tty = /\[(=*)\s*\]\s*(\d{1,3})%/.exec(text);
    if (tty) return { fraction: Number(tty[2]) / 100, label: 'programming' };
    const piped = partial ? /^\[(=*)$/.exec(text) : /^\[(=+)\]$/.exec(text);
    return piped ? { fraction: piped[1].length / 40, label: 'programming' } : undefined;
  };
}

export const pyocd: FlashMethod = {
  id: 'pyocd',
  describe(board, options) {
    return displayCommand(options.toolPath ?? 'pyocd', pyocdArgs(board, '<firmware>', options));
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    const args = pyocdArgs(ctx.board, ctx.artifact, ctx.options);
    ctx.onProgress(0, 'connecting to the probe');
    await runFlashTool(ctx, ctx.options.toolPath ?? 'pyocd', args, pyocdProgress());
    ctx.onProgress(1, 'done');
    return { method: 'pyocd', message: `Programmed ${ctx.board.name} with pyOCD.` };
  },
};
