// An emulated Cortex-M board for integration tests: build a firmware with make, start QEMU paused
// with its UART on a pseudo-terminal, read that UART line by line with serialport, and always
// take the whole QEMU process group down afterwards.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { ReadlineParser, SerialPort } from 'serialport';

/** Host tools a QEMU firmware test drives (Debian: make, gcc-arm-none-eabi, libnewlib-arm-none-eabi, qemu-system-arm). */
export const QEMU_FIRMWARE_TOOLS = ['make', 'arm-none-eabi-gcc', 'qemu-system-arm'] as const;

export function missingTools(tools: readonly string[]): string[] {
  return tools.filter((t) => spawnSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }).status !== 0);
}

/**
 * Skips the calling test or hook when a tool is missing, except in CI (CI=true), where a missing
 * tool is a failure: CI installs them (.ci/run), so their absence there is a broken setup.
 */
export function requireTools(ctx: Mocha.Context, tools: readonly string[]): void {
  const missing = missingTools(tools);
  if (missing.length === 0) return;
  if (process.env.CI === 'true') throw new Error(`missing in CI: ${missing.join(', ')} (see .ci/run)`);
  ctx.skip();
}

/** Runs `make -C dir [target]`; throws with make's output when it fails. Returns milliseconds taken. */
export function runMake(dir: string, target?: string): number {
  const started = Date.now();
  const r = spawnSync('make', ['-C', dir, ...(target ? [target] : [])], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make -C ${dir} failed (status ${r.status}):\n${r.stdout}\n${r.stderr}`);
  return Date.now() - started;
}

export interface QemuBoard {
  /** The guest's UART0 on the host, e.g. /dev/pts/7. */
  readonly ptyPath: string;
  /** Starts the paused CPU (monitor `cont`). */
  cont(): void;
  /** Kills QEMU and anything it started (the process group); safe to call twice. */
  stop(): void;
}

/**
 * `qemu-system-arm -M machine -S -nographic -monitor stdio -serial pty -kernel elf`: the CPU waits
 * for `cont`, so that nothing the firmware prints is lost before the pty is open.
 */
export function startQemuPaused(elf: string, machine: string, timeoutMs = 10_000): Promise<QemuBoard> {
  const child: ChildProcess = spawn(
    'qemu-system-arm',
    ['-M', machine, '-S', '-nographic', '-monitor', 'stdio', '-serial', 'pty', '-kernel', elf],
    { detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const fail = (why: string) => {
      clearTimeout(timer);
      stop();
      reject(new Error(`${why}; QEMU said:\n${output}`));
    };
    const timer = setTimeout(() => fail(`no pty announced within ${timeoutMs} ms`), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = /char device redirected to (\/dev\/\S+)/.exec(output);
      if (!m) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.stdout?.resume(); // keep draining the monitor so QEMU never blocks on a full pipe
      child.stderr?.resume();
      resolve({ ptyPath: m[1], cont: () => child.stdin?.write('cont\n'), stop });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('error', (e) => fail(`cannot start qemu-system-arm: ${e.message}`));
    child.on('exit', (code, signal) => {
      if (!stopped) fail(`QEMU exited early (code ${code}, signal ${signal})`);
    });
  });
}

export interface SerialLines {
  /** Resolves with the next line (without "\r\n"); rejects after timeoutMs. */
  next(timeoutMs: number): Promise<string>;
  write(text: string): Promise<void>;
  close(): Promise<void>;
}

/** Opens a serial device (a pty here) and splits what arrives at "\r\n". */
export async function openSerialLines(path: string, baudRate = 115200): Promise<SerialLines> {
  const port = new SerialPort({ path, baudRate, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(e) : resolve())));
  const parser = port.pipe(new ReadlineParser({ delimiter: '\r\n' }));
  const queue: string[] = [];
  let waiter: ((line: string) => void) | undefined;
  let failure: Error | undefined;
  parser.on('data', (line: string) => {
    if (waiter) {
      const w = waiter;
      waiter = undefined;
      w(line);
    } else {
      queue.push(line);
    }
  });
  // Reading a pty whose other side has gone reports EIO: remember it rather than crash the run.
  port.on('error', (e) => (failure = e));
  return {
    next(timeoutMs) {
      if (queue.length > 0) return Promise.resolve(queue.shift()!);
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiter = undefined;
          reject(new Error(`no line within ${timeoutMs} ms${failure ? ` (${failure.message})` : ''}`));
        }, timeoutMs);
        waiter = (line) => {
          clearTimeout(timer);
          resolve(line);
        };
      });
    },
    write(text) {
      return new Promise((resolve, reject) => port.write(text, (e) => (e ? reject(e) : port.drain(() => resolve()))));
    },
    close() {
      return new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve()));
    },
  };
}
