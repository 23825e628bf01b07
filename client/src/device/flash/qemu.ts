// Flash method 'qemu' for the emulated MPS2 boards: starts
// `qemu-system-arm -M <machine> -nographic -monitor stdio -serial pty -S -kernel <elf>` halted,
// reads "char device redirected to /dev/pts/N" and hands that pty back as the board's serial
// port. The caller opens its monitor on it, then calls `emulator.resume()` (QEMU's `cont`, sent
// once QEMU has noticed the monitor: qemuPty.ts), so no line is printed before anyone listens and
// none loses bytes while the monitor catches up.

import { existsSync } from 'node:fs';
import { startTool, ToolError, type RunningTool } from '../spawnTool';
import { qemuPtyPolled } from './qemuPty';
import { displayCommand, type Board, type EmulatorHandle, type FlashContext, type FlashMethod, type FlashOptions, type FlashResult } from './types';

export function machineFor(board: Board, options: FlashOptions): string {
  if (options.machine) return options.machine;
  const m = /^qemu-(.+)$/.exec(board.id);
  if (!m) throw new ToolError('invalid', `${board.name} is not an emulated board; set the machine option (qemu-system-arm -M help).`);
  return m[1];
}

export function qemuArgs(machine: string, elf: string): string[] {
  return ['-M', machine, '-nographic', '-monitor', 'stdio', '-serial', 'pty', '-S', '-kernel', elf];
}

const PTY_LINE = /char device redirected to (\S+)/;
/** The monitor's banner comes after the machine (and the kernel) is set up. */
const MONITOR_LINE = /^QEMU [\d.]+.* monitor/;
const START_TIMEOUT_MS = 15000;

export const qemu: FlashMethod = {
  id: 'qemu',
  describe(board, options) {
    return displayCommand(options.toolPath ?? 'qemu-system-arm', qemuArgs(machineFor(board, options), '<firmware.elf>'));
  },
  async run(ctx: FlashContext): Promise<FlashResult> {
    const machine = machineFor(ctx.board, ctx.options);
    if (!existsSync(ctx.artifact)) throw new ToolError('invalid', `The firmware ${ctx.artifact} does not exist: build it first.`);
    ctx.onProgress(0, `starting QEMU (${machine})`);
    // Ready when both the pty and the monitor are up (the machine, kernel loaded, waits for
    // `cont`); their order differs between QEMU versions.
    let pty: string | undefined;
    let monitor = false;
    let resolveReady: (path: string) => void = () => undefined;
    const ptyFound = new Promise<string>((r) => (resolveReady = r));
    // The abort signal stays attached: cancelling it later stops the emulator too.
    const tool: RunningTool = startTool(
      { command: ctx.options.toolPath ?? 'qemu-system-arm', args: qemuArgs(machine, ctx.artifact), ...(ctx.cwd ? { cwd: ctx.cwd } : {}), ...(ctx.env ? { env: ctx.env } : {}) },
      {
        isTrusted: ctx.isTrusted,
        signal: ctx.signal,
        stdin: true,
        onLine: (line) => {
          ctx.onLine(line);
          const m = PTY_LINE.exec(line);
          if (m) pty = m[1];
          if (MONITOR_LINE.test(line)) monitor = true;
          if (pty && monitor) resolveReady(pty);
        },
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ToolError('failed', `QEMU did not report its serial pty within ${START_TIMEOUT_MS / 1000} s.`)), START_TIMEOUT_MS);
    });
    const endedEarly = tool.done.then((exit) => {
      throw new ToolError('failed', `QEMU exited (code ${exit.exitCode}) before it opened its serial pty.`, undefined, exit.exitCode);
    });
    let port: string;
    try {
      port = await Promise.race([ptyFound, endedEarly, timeout]);
    } catch (err) {
      tool.kill();
      throw err;
    } finally {
      clearTimeout(timer);
    }
    endedEarly.catch(() => undefined);

    const exited = tool.done.then(
      (e) => e.exitCode,
      () => null,
    );
    let resumed: Promise<void> | undefined;
    // Stopping or an exit ends the wait: `cont` is never written to a QEMU that is gone.
    const ended = new AbortController();
    void exited.then(() => ended.abort());
    const emulator: EmulatorHandle = {
      resume: (monitorOpenedAt = performance.now()) =>
        (resumed ??= qemuPtyPolled(monitorOpenedAt, ended.signal).then(() => {
          if (!ended.signal.aborted) tool.write('cont\n');
        })),
      stop: async () => {
        ended.abort();
        tool.write('quit\n');
        const quit = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 1000))]);
        if (!quit) {
          tool.kill();
          await exited;
        }
      },
      exited,
    };
    ctx.onProgress(1, `running halted, serial on ${port}`);
    return { method: 'qemu', message: `QEMU ${machine} started with ${ctx.artifact}; its UART is ${port}.`, port, emulator };
  },
};
