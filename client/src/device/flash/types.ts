// The common shape of a flash method (arduino-cli, esptool, openocd, pyocd, picotool, UF2 and
// DAPLink drive copies, QEMU): a description for the confirmation prompt and a cancellable run
// that streams the tool's lines and turns its own progress output into a fraction.

import type { Board } from '../../../../server/src/analysis/boards';
import type { FlashMethod as FlashMethodId } from '../../../../server/src/analysis/boards';

export type { Board, FlashMethodId };

export interface FlashOptions {
  /** Full path of the tool when it is not on PATH (or a differently named build of it). */
  toolPath?: string;
  /** arduino-cli: overrides the board's FQBN. */
  fqbn?: string;
  /** arduino-cli: upload only (the build step already compiled). */
  skipCompile?: boolean;
  /** esptool: chip name (esp32, esp32s3, esp32c3), derived from the board when absent. */
  chip?: string;
  /** esptool: upload baud rate (default 921600). */
  baud?: number;
  /** esptool: offset of the application image (default 0x10000). */
  offset?: string;
  /** esptool: several images (bootloader, partition table, app) instead of `offset` + artifact. */
  images?: { offset: string; file: string }[];
  /** openocd: the -f configuration files, replacing the board's defaults. */
  openocdConfigs?: string[];
  /** pyocd: target name (pyocd list --targets), derived from the board when absent. */
  target?: string;
  /** Load address for a raw .bin (openocd, pyocd, UF2 conversion). */
  baseAddress?: number;
  /** UF2 conversion: family id, derived from the board when absent. */
  familyId?: number;
  /** UF2 / DAPLink copy: the mounted drive to copy to, instead of searching for one. */
  drive?: string;
  /** UF2 / DAPLink copy: where volumes are mounted (default /media, /run/media, /Volumes). */
  mountRoots?: string[];
  /** DAPLink copy: wait this long after the copy, then report a FAIL.TXT the probe wrote. */
  settleMs?: number;
  /** qemu: machine (-M), derived from the board id when absent. */
  machine?: string;
}

export interface FlashContext {
  board: Board;
  /** The file to flash (ELF, BIN, HEX, UF2) or, for arduino-cli, the sketch directory. */
  artifact: string;
  /** Serial port for methods that upload through one (arduino-cli, esptool). */
  port?: string;
  options: FlashOptions;
  isTrusted: () => boolean;
  onLine: (line: string) => void;
  onProgress: (fraction: number, label: string) => void;
  signal: AbortSignal;
  /** Environment for the spawned tools (defaults to process.env). */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** A running emulator, returned by the qemu method: its serial port is `FlashResult.port`. */
export interface EmulatorHandle {
  /**
   * Lets the halted CPU run (QEMU `cont`) once the emulator has noticed the monitor, which QEMU's
   * pty does up to a second after the open; resolves when `cont` was sent. Call after the monitor
   * opened the port; `monitorOpenedAt` is `performance.now()` at that moment (default: now).
   */
  resume(monitorOpenedAt?: number): Promise<void>;
  /** Quits QEMU (and kills it if it does not quit). */
  stop(): Promise<void>;
  /** Resolves with QEMU's exit code when it ends. */
  readonly exited: Promise<number | null>;
}

export interface FlashResult {
  method: FlashMethodId;
  message: string;
  /** The serial port to monitor afterwards (a pty for QEMU). */
  port?: string;
  /** Where a drive copy wrote the file. */
  copiedTo?: string;
  emulator?: EmulatorHandle;
}

export interface FlashMethod {
  readonly id: FlashMethodId;
  /** One line for the confirmation prompt: the command line or the copy it will do. */
  describe(board: Board, options: FlashOptions): string;
  run(ctx: FlashContext): Promise<FlashResult>;
}

/** Quotes an argument for display only (nothing is ever run through a shell). */
export function displayArg(a: string): string {
  return /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`;
}

export function displayCommand(command: string, args: readonly string[]): string {
  return [command, ...args].map(displayArg).join(' ');
}
