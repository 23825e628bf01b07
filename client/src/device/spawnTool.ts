// Runs an external tool (arduino-cli, esptool, openocd, QEMU, a build command) for the device
// features: never through a shell, only when the workspace is trusted, output streamed line by
// line (progress bars redraw with \r, so \r ends a line too), cancellable by killing the
// whole process tree, and a missing executable explained with an install hint.

import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { LineFramer } from './lineFramer';

export type ToolErrorKind = 'untrusted' | 'missing' | 'failed' | 'cancelled' | 'invalid';

export class ToolError extends Error {
  constructor(
    readonly kind: ToolErrorKind,
    message: string,
    readonly hint?: string,
    readonly exitCode?: number | null,
  ) {
    super(hint ? `${message}\n${hint}` : message);
    this.name = 'ToolError';
  }
}

/** How to get each tool, shown when it is not on PATH. */
export const INSTALL_HINTS: Record<string, string> = {
  'arduino-cli': 'Install arduino-cli: https://arduino.github.io/arduino-cli/latest/installation/ (brew install arduino-cli, or the install.sh script), then `arduino-cli core install <vendor:arch>` for the board.',
  'esptool.py': 'Install esptool: `pip install esptool` (provides esptool.py), or set the tool path to the esptool bundled with the Arduino ESP32 core.',
  esptool: 'Install esptool: `pip install esptool`.',
  openocd: 'Install OpenOCD: `sudo apt install openocd` (Debian/Ubuntu), `brew install open-ocd` (macOS), or the xPack OpenOCD build on Windows.',
  pyocd: 'Install pyOCD: `pip install pyocd`, then `pyocd pack install <target>` for STM32 and nRF targets.',
  picotool: 'Install picotool: `sudo apt install picotool` (Debian 13 / Ubuntu 24.04 and later), `brew install picotool`, or build it from https://github.com/raspberrypi/picotool.',
  'qemu-system-arm': 'Install QEMU: `sudo apt install qemu-system-arm` (Debian/Ubuntu) or `brew install qemu` (macOS).',
};

export function installHint(command: string): string {
  const name = basename(command).replace(/\.exe$/i, '');
  return INSTALL_HINTS[name] ?? `Install '${name}' and make sure it is on PATH, or configure its full path.`;
}

export type OutputStream = 'stdout' | 'stderr';

export interface ToolCommand {
  command: string;
  args: readonly string[];
  cwd?: string;
  /** Replaces the environment (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
}

export interface ToolContext {
  isTrusted: () => boolean;
  onLine: (line: string, stream: OutputStream) => void;
  /** The unterminated rest after each chunk (pyOCD and avrdude draw bars without newlines when piped). */
  onPartial?: (text: string, stream: OutputStream) => void;
  signal?: AbortSignal;
  /** Keep stdin open for writing (QEMU's monitor); otherwise it is closed. */
  stdin?: boolean;
}

export interface ToolExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

export interface RunningTool {
  readonly child: ChildProcess;
  /** Resolves when the process has exited (and its output was delivered); rejects with a ToolError. */
  readonly done: Promise<ToolExit>;
  write(text: string): void;
  /** Kills the process tree; `done` then rejects with kind 'cancelled'. */
  kill(): void;
}

const ANSI = /\x1b\[[0-9;?]*[A-Za-z]/g;

/** Starts a tool; for tools that end by themselves prefer `runTool`. */
export function startTool(cmd: ToolCommand, ctx: ToolContext): RunningTool {
  if (!ctx.isTrusted()) {
    throw new ToolError('untrusted', `Not running ${basename(cmd.command)}: the workspace is not trusted.`, 'Trust the workspace to build and flash from it.');
  }
  if (ctx.signal?.aborted) throw new ToolError('cancelled', `${basename(cmd.command)} was cancelled before it started.`);
  const windows = process.platform === 'win32';
  const child = spawn(cmd.command, [...cmd.args], {
    cwd: cmd.cwd,
    // Python tools buffer their progress output when not on a terminal.
    env: { ...(cmd.env ?? process.env), PYTHONUNBUFFERED: '1' },
    shell: false,
    // Its own process group, so a kill reaches the tool's children (esptool under
    // arduino-cli, gdb servers) too.
    detached: !windows,
    windowsHide: true,
    stdio: [ctx.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
  });
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    cancelled = true;
    killTree(child.pid, 'SIGTERM');
    killTimer = setTimeout(() => child.pid !== undefined && killTree(child.pid, 'SIGKILL'), 2000);
    killTimer.unref();
  };
  const onAbort = () => kill();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });

  const wire = (stream: NodeJS.ReadableStream | null, name: OutputStream) => {
    if (!stream) return Promise.resolve();
    const framer = new LineFramer();
    stream.on('data', (chunk: Buffer) => {
      for (const line of framer.push(chunk)) ctx.onLine(line.replace(ANSI, ''), name);
      if (ctx.onPartial && framer.partial.length > 0) ctx.onPartial(framer.partial.replace(ANSI, ''), name);
    });
    return new Promise<void>((resolve) =>
      stream.once('close', () => {
        const rest = framer.flush();
        if (rest !== undefined) ctx.onLine(rest.replace(ANSI, ''), name);
        resolve();
      }),
    );
  };
  const outputs = Promise.all([wire(child.stdout, 'stdout'), wire(child.stderr, 'stderr')]);
  const name = basename(cmd.command);

  const done = new Promise<ToolExit>((resolve, reject) => {
    child.once('error', (err: NodeJS.ErrnoException) => {
      ctx.signal?.removeEventListener('abort', onAbort);
      if (err.code === 'ENOENT') reject(new ToolError('missing', `'${name}' was not found.`, installHint(cmd.command)));
      else if (err.code === 'EACCES') reject(new ToolError('missing', `'${cmd.command}' is not executable.`, installHint(cmd.command)));
      else reject(new ToolError('failed', `${name} could not be started: ${err.message}`));
    });
    child.once('exit', (exitCode, signal) => {
      ctx.signal?.removeEventListener('abort', onAbort);
      if (killTimer) clearTimeout(killTimer);
      // Whatever is left of the group (children that ignored the hang-up) goes too.
      if (cancelled && child.pid !== undefined) killTree(child.pid, 'SIGKILL');
      void outputs.then(() => {
        if (cancelled) reject(new ToolError('cancelled', `${name} was cancelled.`, undefined, exitCode));
        else resolve({ exitCode, signal });
      });
    });
  });
  // Callers may only attach to `done` later; an unobserved rejection must not crash the host.
  done.catch(() => undefined);

  return {
    child,
    done,
    write: (text) => {
      child.stdin?.write(text);
    },
    kill,
  };
}

/** Runs a tool to completion; a non-zero exit is a ToolError of kind 'failed'. */
export async function runTool(cmd: ToolCommand, ctx: ToolContext): Promise<ToolExit> {
  const exit = await startTool(cmd, ctx).done;
  if (exit.exitCode !== 0) {
    throw new ToolError('failed', `${basename(cmd.command)} failed (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`}).`, undefined, exit.exitCode);
  }
  return exit;
}

function killTree(pid: number, signal: NodeJS.Signals): void {
  try {
    if (process.platform === 'win32') {
      spawn('taskkill', ['/pid', String(pid), '/T', '/F'], { shell: false, windowsHide: true, stdio: 'ignore' }).on('error', () => undefined);
    } else {
      process.kill(-pid, signal);
    }
  } catch {
    // Already gone.
  }
}
