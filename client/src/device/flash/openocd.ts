// Flash method 'openocd': `openocd -f interface/<probe>.cfg -f target/<chip>.cfg -c "program
// <elf> verify reset exit"`. OpenOCD prints no percentage, only its "** Programming Started
// **" ... "** Verified OK **" milestones (on stderr), which become the progress steps.

import { ToolError } from '../spawnTool';
import { runFlashTool, type ProgressParser } from './runner';
import { displayCommand, type Board, type FlashContext, type FlashMethod, type FlashOptions, type FlashResult } from './types';

/**
 * Default configuration files per chip: the probe each board carries (ST-LINK on Nucleo and
 * Discovery boards, CMSIS-DAP on the rest), from OpenOCD 0.12's scripts. Boards without an
 * on-board probe assume a CMSIS-DAP one (a Raspberry Pi Debug Probe, a DAPLink).
 */
export function openocdConfigsFor(board: Board): string[] | undefined {
  const m = board.mcu.toUpperCase();
  const stlink = board.id.startsWith('nucleo-') || board.id.includes('disco');
  const iface = stlink ? 'interface/stlink.cfg' : 'interface/cmsis-dap.cfg';
  if (m.startsWith('NRF52')) return [iface, 'target/nrf52.cfg'];
  if (m.startsWith('RP2040')) return [iface, 'target/rp2040.cfg'];
  if (m.startsWith('RP2350')) return [iface, 'target/rp2350.cfg'];
  if (m.startsWith('STM32L4')) return [iface, 'target/stm32l4x.cfg'];
  if (m.startsWith('STM32H747')) return [iface, 'target/stm32h7x_dual_bank.cfg'];
  if (m.startsWith('STM32H7')) return [iface, 'target/stm32h7x.cfg'];
  if (m.startsWith('STM32F7')) return [iface, 'target/stm32f7x.cfg'];
  if (m.startsWith('STM32U5')) return [iface, 'target/stm32u5x.cfg'];
  if (m.startsWith('ESP32-S3')) return ['board/esp32s3-builtin.cfg'];
  if (m.startsWith('ESP32-C3')) return ['board/esp32c3-builtin.cfg'];
  if (m.startsWith('ESP32')) return ['interface/ftdi/esp32_devkitj_v1.cfg', 'target/esp32.cfg'];
  return undefined;
}

/** A Tcl word for the file name: braces when it has spaces or Tcl specials. */
function tclWord(path: string): string {
  return /^[^\s{}[\]$"\\;]+$/.test(path) ? path : `{${path}}`;
}

export function openocdArgs(board: Board, artifact: string, options: FlashOptions): string[] {
  const configs = options.openocdConfigs ?? openocdConfigsFor(board);
  if (!configs) throw new ToolError('invalid', `No OpenOCD configuration is known for ${board.name} (${board.mcu}); set the openocdConfigs option (e.g. interface/jlink.cfg, target/...).`);
  const address = /\.bin$/i.test(artifact) ? ` 0x${(options.baseAddress ?? 0x08000000).toString(16)}` : '';
  return [...configs.flatMap((c) => ['-f', c]), '-c', `program ${tclWord(artifact)}${address} verify reset exit`];
}

export function openocdProgress(): ProgressParser {
  const steps: [RegExp, number, string][] = [
    [/\*\* Programming Started \*\*/, 0.1, 'programming'],
    [/\*\* Programming Finished \*\*/, 0.7, 'programmed'],
    [/\*\* Verify Started \*\*/, 0.75, 'verifying'],
    [/\*\* Verified OK \*\*/, 0.95, 'verified'],
    [/\*\* Resetting Target \*\*/, 1, 'resetting'],
  ];
  return (line) => {
    for (const [re, fraction, label] of steps) if (re.test(line)) return { fraction, label };
    return undefined;
  };
}

export const openocd: FlashMethod = {
  id: 'openocd',
  describe(board, options) {
    return displayCommand(options.toolPath ?? 'openocd', openocdArgs(board, '<firmware.elf>', options));
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    const args = openocdArgs(ctx.board, ctx.artifact, ctx.options);
    ctx.onProgress(0, 'connecting to the probe');
    await runFlashTool(ctx, ctx.options.toolPath ?? 'openocd', args, openocdProgress());
    ctx.onProgress(1, 'done');
    return { method: 'openocd', message: `Programmed ${ctx.board.name} with OpenOCD.` };
  },
};
