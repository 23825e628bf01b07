// Board profiles (core, clock, memory, kernels, flash methods, USB ids, power) from
// server/data/boards.json, checked once when first used so a bad entry fails loudly
// instead of skewing a budget.

import boardData from '../../data/boards.json';

export type Core =
  | 'cortex-m0+'
  | 'cortex-m3'
  | 'cortex-m4'
  | 'cortex-m7'
  | 'cortex-m33'
  | 'cortex-m55'
  | 'xtensa-lx6'
  | 'xtensa-lx7'
  | 'riscv-rv32imc';

export type FlashMethod =
  | 'arduino-cli'
  | 'esptool'
  | 'openocd'
  | 'pyocd'
  | 'picotool'
  | 'uf2'
  | 'mbed-copy'
  | 'stm32cubeprog'
  | 'nrfjprog'
  | 'qemu';

export type OptimizedKernels = 'cmsis-nn' | 'esp-nn' | 'none';

export interface UsbId {
  /** Lower-case hex with 0x prefix, e.g. '0x2341'. */
  vid: string;
  pid: string;
  description: string;
}

export interface BoardPower {
  /** Typical active power of the chip while computing. */
  activeMw?: number;
  /** Alternatively current per MHz at `voltage`. */
  activeMaPerMhz?: number;
  voltage?: number;
  /** Where the figure comes from, or why there is none. */
  source: string;
}

export interface Board {
  id: string;
  name: string;
  vendor: string;
  mcu: string;
  core: Core;
  arch: string;
  clockMhz: number;
  /** On-chip SRAM usable by the application; `ramNote` says what is counted. */
  ramBytes: number;
  ramNote: string;
  flashBytes: number;
  fpu: 'none' | 'sp' | 'dp';
  dsp: boolean;
  simd: 'none' | 'armv7e-m-dsp' | 'armv8-m-dsp' | 'mve' | 'xtensa-pie';
  npu?: string;
  optimizedKernels: OptimizedKernels;
  /** Preferred first. */
  flashMethods: FlashMethod[];
  fqbn?: string;
  usb: UsbId[];
  power: BoardPower;
  sources: string[];
  /** Fields checked against `sources` when the entry was written. */
  verified: string[];
  notes: string;
}

const CORES: readonly Core[] = [
  'cortex-m0+', 'cortex-m3', 'cortex-m4', 'cortex-m7', 'cortex-m33', 'cortex-m55', 'xtensa-lx6', 'xtensa-lx7', 'riscv-rv32imc',
];
const FLASH_METHODS: readonly FlashMethod[] = [
  'arduino-cli', 'esptool', 'openocd', 'pyocd', 'picotool', 'uf2', 'mbed-copy', 'stm32cubeprog', 'nrfjprog', 'qemu',
];
const KERNELS: readonly OptimizedKernels[] = ['cmsis-nn', 'esp-nn', 'none'];
const FPUS = ['none', 'sp', 'dp'];
const SIMDS = ['none', 'armv7e-m-dsp', 'armv8-m-dsp', 'mve', 'xtensa-pie'];
const HEX16 = /^0x[0-9a-f]{4}$/;
const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** Problems with one board entry; empty when it is valid. */
export function validateBoard(b: unknown): string[] {
  const errors: string[] = [];
  if (typeof b !== 'object' || b === null) return ['not an object'];
  const o = b as Record<string, unknown>;
  const str = (k: string) => {
    if (typeof o[k] !== 'string' || (o[k] as string).length === 0) errors.push(`${k} must be a non-empty string`);
  };
  const pos = (k: string) => {
    if (typeof o[k] !== 'number' || !Number.isFinite(o[k] as number) || (o[k] as number) <= 0) errors.push(`${k} must be a positive number`);
  };
  for (const k of ['id', 'name', 'vendor', 'mcu', 'arch', 'ramNote', 'notes']) str(k);
  if (typeof o.id === 'string' && !KEBAB.test(o.id)) errors.push(`id '${o.id}' is not kebab-case`);
  if (!CORES.includes(o.core as Core)) errors.push(`core '${String(o.core)}' is not a known core`);
  for (const k of ['clockMhz', 'ramBytes', 'flashBytes']) pos(k);
  for (const k of ['ramBytes', 'flashBytes']) if (typeof o[k] === 'number' && !Number.isInteger(o[k])) errors.push(`${k} must be an integer`);
  if (!FPUS.includes(o.fpu as string)) errors.push(`fpu '${String(o.fpu)}' must be none, sp or dp`);
  if (typeof o.dsp !== 'boolean') errors.push('dsp must be a boolean');
  if (!SIMDS.includes(o.simd as string)) errors.push(`simd '${String(o.simd)}' is not known`);
  if (o.npu !== undefined && typeof o.npu !== 'string') errors.push('npu must be a string when present');
  if (!KERNELS.includes(o.optimizedKernels as OptimizedKernels)) errors.push(`optimizedKernels '${String(o.optimizedKernels)}' is not known`);
  if (!Array.isArray(o.flashMethods) || o.flashMethods.length === 0) errors.push('flashMethods must be a non-empty list');
  else for (const m of o.flashMethods) if (!FLASH_METHODS.includes(m as FlashMethod)) errors.push(`flash method '${String(m)}' is not known`);
  if (o.fqbn !== undefined && (typeof o.fqbn !== 'string' || o.fqbn.split(':').length < 3)) errors.push('fqbn must look like vendor:arch:board');
  if (!Array.isArray(o.usb)) errors.push('usb must be a list');
  else
    for (const u of o.usb as Record<string, unknown>[]) {
      if (typeof u.vid !== 'string' || !HEX16.test(u.vid)) errors.push(`usb vid '${String(u.vid)}' must be lower-case 0xhhhh`);
      if (typeof u.pid !== 'string' || !HEX16.test(u.pid)) errors.push(`usb pid '${String(u.pid)}' must be lower-case 0xhhhh`);
      if (typeof u.description !== 'string') errors.push('usb description must be a string');
    }
  const p = o.power as Record<string, unknown> | undefined;
  if (typeof p !== 'object' || p === null || typeof p.source !== 'string') errors.push('power.source must be a string');
  else {
    const hasMw = typeof p.activeMw === 'number';
    const hasPerMhz = typeof p.activeMaPerMhz === 'number' && typeof p.voltage === 'number';
    if (p.activeMaPerMhz !== undefined && typeof p.voltage !== 'number') errors.push('power.activeMaPerMhz needs power.voltage');
    if (hasMw && (p.activeMw as number) <= 0) errors.push('power.activeMw must be positive');
    if (hasMw && hasPerMhz) errors.push('power gives both activeMw and activeMaPerMhz');
  }
  if (!Array.isArray(o.sources) || o.sources.length === 0 || !o.sources.every((s) => typeof s === 'string' && /^https:\/\//.test(s))) {
    errors.push('sources must be a non-empty list of https URLs');
  }
  if (!Array.isArray(o.verified) || !o.verified.every((s) => typeof s === 'string' && s in o)) errors.push('verified must list fields of the entry');
  return errors;
}

let cache: { list: Board[]; byId: Map<string, Board> } | undefined;

function load(): { list: Board[]; byId: Map<string, Board> } {
  if (cache) return cache;
  const raw = (boardData as { boards: unknown[] }).boards;
  const byId = new Map<string, Board>();
  const problems: string[] = [];
  raw.forEach((entry, i) => {
    const errors = validateBoard(entry);
    const id = (entry as { id?: unknown }).id;
    const label = typeof id === 'string' ? id : `#${i}`;
    for (const e of errors) problems.push(`${label}: ${e}`);
    if (errors.length === 0) {
      const b = entry as Board;
      if (byId.has(b.id)) problems.push(`${b.id}: duplicate id`);
      byId.set(b.id, b);
    }
  });
  if (problems.length > 0) throw new Error(`boards.json is invalid:\n${problems.join('\n')}`);
  cache = { list: [...byId.values()], byId };
  return cache;
}

export function listBoards(): Board[] {
  return [...load().list];
}

export function findBoard(id: string): Board | undefined {
  return load().byId.get(id);
}

/** Boards that enumerate with this USB id (hex strings or numbers; case-insensitive). */
export function boardsByUsbId(vid: string | number, pid: string | number): Board[] {
  const norm = (v: string | number) => {
    const n = typeof v === 'number' ? v : parseInt(v.replace(/^0x/i, ''), 16);
    return Number.isFinite(n) ? `0x${n.toString(16).padStart(4, '0')}` : '';
  };
  const v = norm(vid);
  const p = norm(pid);
  return load().list.filter((b) => b.usb.some((u) => u.vid === v && u.pid === p));
}

/** Typical active power in mW at the board's clock, or undefined when the entry has none. */
export function activePowerMw(board: Board): number | undefined {
  const p = board.power;
  if (typeof p.activeMw === 'number') return p.activeMw;
  if (typeof p.activeMaPerMhz === 'number' && typeof p.voltage === 'number') return p.activeMaPerMhz * board.clockMhz * p.voltage;
  return undefined;
}
