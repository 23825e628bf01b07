// Flash method 'esptool': writes ESP32 images over the serial bootloader with
// `esptool.py --chip <chip> --port <port> --baud 921600 write_flash <offset> <file>...` and
// parses its "Writing at 0x... (NN %)" lines (v4; v5 draws a bar with "NN.N%").

import { ToolError } from '../spawnTool';
import { runFlashTool, type ProgressParser } from './runner';
import { displayCommand, type Board, type FlashContext, type FlashMethod, type FlashOptions, type FlashResult } from './types';

export function chipForBoard(board: Board): string | undefined {
  const m = board.mcu.toUpperCase();
  for (const [prefix, chip] of [
    ['ESP32-S3', 'esp32s3'],
    ['ESP32-S2', 'esp32s2'],
    ['ESP32-C3', 'esp32c3'],
    ['ESP32-C6', 'esp32c6'],
    ['ESP32-H2', 'esp32h2'],
    ['ESP32', 'esp32'],
  ] as const) {
    if (m.startsWith(prefix)) return chip;
  }
  return undefined;
}

function images(artifact: string, options: FlashOptions): { offset: string; file: string }[] {
  return options.images && options.images.length > 0 ? options.images : [{ offset: options.offset ?? '0x10000', file: artifact }];
}

export function esptoolArgs(board: Board, artifact: string, port: string, options: FlashOptions): string[] {
  const chip = options.chip ?? chipForBoard(board);
  if (!chip) throw new ToolError('invalid', `esptool cannot flash ${board.name} (${board.mcu}): not an Espressif chip; set the chip option to override.`);
  return ['--chip', chip, '--port', port, '--baud', String(options.baud ?? 921600), 'write_flash', ...images(artifact, options).flatMap((i) => [i.offset, i.file])];
}

/** Progress over all images: each restarts at 0 %, and "Wrote N bytes" closes one. */
export function esptoolProgress(imageCount: number): ProgressParser {
  let done = 0;
  return (line) => {
    if (/^Wrote \d+ bytes/.test(line)) {
      done = Math.min(imageCount, done + 1);
      return { fraction: done / imageCount, label: `wrote image ${done} of ${imageCount}` };
    }
    const m = /^Writing at (0x[0-9a-fA-F]+)(?:\.\.\.)?\s*(?:\((\d+) ?%\)|\[[^\]]*\]\s*([\d.]+)%)/.exec(line);
    if (!m) return undefined;
    const pct = Number(m[2] ?? m[3]) / 100;
    return { fraction: (done + pct) / imageCount, label: `writing at ${m[1]}` };
  };
}

export const esptool: FlashMethod = {
  id: 'esptool',
  describe(board, options) {
    return displayCommand(options.toolPath ?? 'esptool.py', esptoolArgs(board, '<app.bin>', '<port>', options));
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    if (!ctx.port) throw new ToolError('invalid', 'esptool needs the serial port of the board: choose one (or type its path).');
    const args = esptoolArgs(ctx.board, ctx.artifact, ctx.port, ctx.options);
    ctx.onProgress(0, 'connecting');
    await runFlashTool(ctx, ctx.options.toolPath ?? 'esptool.py', args, esptoolProgress(images(ctx.artifact, ctx.options).length));
    ctx.onProgress(1, 'done');
    return { method: 'esptool', message: `Flashed ${ctx.board.name} on ${ctx.port} with esptool.`, port: ctx.port };
  },
};
