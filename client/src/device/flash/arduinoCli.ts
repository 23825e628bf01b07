// Flash method 'arduino-cli': compiles the sketch for the board's FQBN and uploads it with
// `arduino-cli compile --fqbn <fqbn> <sketchDir>` then `arduino-cli upload -p <port> --fqbn
// <fqbn> <sketchDir>`. The upload tool underneath prints the progress: bossac (Nano 33 BLE),
// avrdude, esptool (ESP32 cores), picotool (arduino-pico); all are recognised.

import { ToolError } from '../spawnTool';
import { esptoolProgress } from './esptool';
import { runFlashTool, percentOf, type ProgressParser } from './runner';
import { displayCommand, type Board, type FlashContext, type FlashMethod, type FlashOptions, type FlashResult } from './types';

function fqbnOf(board: Board, options: FlashOptions): string {
  const fqbn = options.fqbn ?? board.fqbn;
  if (!fqbn) throw new ToolError('invalid', `${board.name} has no Arduino FQBN; set one in the flash options.`);
  return fqbn;
}

export function compileArgs(fqbn: string, sketchDir: string): string[] {
  return ['compile', '--fqbn', fqbn, sketchDir];
}

export function uploadArgs(fqbn: string, sketchDir: string, port: string): string[] {
  return ['upload', '-p', port, '--fqbn', fqbn, sketchDir];
}

/** Progress lines of the upload tools arduino-cli runs. */
export function uploadProgress(): ProgressParser {
  const esp = esptoolProgress(1);
  return (line, partial) => {
    // avrdude piped: "Writing | " then one "#" per 2 % without a newline.
    if (partial) {
      const a = /^(Writing|Reading) \| (#*)$/.exec(line);
      return a ? { fraction: a[2].length / 50, label: a[1] === 'Writing' ? 'writing' : 'verifying' } : undefined;
    }
    // bossac: "[==============                ] 46% (128/276 pages)"
    let m = /^\[[= ]*\]\s*(\d+)% \((\d+)\/(\d+) pages\)/.exec(line);
    if (m) return { fraction: Number(m[2]) / Number(m[3]), label: `writing page ${m[2]}/${m[3]}` };
    // avrdude: "Writing | ################################################## | 100% 0.52s"
    m = /^(Writing|Reading) \| #* *\| (\d+)%/.exec(line);
    if (m) return { fraction: Number(m[2]) / 100, label: m[1] === 'Writing' ? 'writing' : 'verifying' };
    const e = esp(line, false);
    if (e) return e;
    // picotool: "Loading into Flash: [==============================]  100%"
    if (/^Loading into \w+:/.test(line)) {
      const f = percentOf(line);
      if (f !== undefined) return { fraction: f, label: 'loading' };
    }
    return undefined;
  };
}

export const arduinoCli: FlashMethod = {
  id: 'arduino-cli',
  describe(board, options) {
    const fqbn = fqbnOf(board, options);
    const tool = options.toolPath ?? 'arduino-cli';
    const upload = displayCommand(tool, uploadArgs(fqbn, '<sketch>', '<port>'));
    return options.skipCompile ? upload : `${displayCommand(tool, compileArgs(fqbn, '<sketch>'))} && ${upload}`;
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    const fqbn = fqbnOf(ctx.board, ctx.options);
    if (!ctx.port) throw new ToolError('invalid', 'arduino-cli upload needs the serial port of the board: choose one (or type its path).');
    const tool = ctx.options.toolPath ?? 'arduino-cli';
    // Compiling has no progress output: it is the first 40 %.
    const split = ctx.options.skipCompile ? 0 : 0.4;
    if (!ctx.options.skipCompile) {
      ctx.onProgress(0, 'compiling');
      await runFlashTool(ctx, tool, compileArgs(fqbn, ctx.artifact), undefined);
      ctx.onProgress(split, 'compiled');
    }
    ctx.onProgress(split, 'uploading');
    await runFlashTool(ctx, tool, uploadArgs(fqbn, ctx.artifact, ctx.port), uploadProgress(), { from: split, to: 1 });
    ctx.onProgress(1, 'done');
    return { method: 'arduino-cli', message: `Uploaded to ${ctx.board.name} on ${ctx.port} with arduino-cli.`, port: ctx.port };
  },
};
