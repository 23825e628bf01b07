// The explicit registry of flash methods, and which of a board's methods (boards.json lists
// them, preferred first) this extension can run.

import { arduinoCli } from './arduinoCli';
import { esptool } from './esptool';
import { mbedCopy } from './mbedCopy';
import { openocd } from './openocd';
import { picotool } from './picotool';
import { pyocd } from './pyocd';
import { qemu } from './qemu';
import { uf2 } from './uf2';
import type { Board, FlashMethod, FlashMethodId } from './types';

const METHODS: readonly FlashMethod[] = [arduinoCli, esptool, openocd, pyocd, picotool, uf2, mbedCopy, qemu];
const BY_ID = new Map<FlashMethodId, FlashMethod>(METHODS.map((m) => [m.id, m]));

export function allFlashMethods(): FlashMethod[] {
  return [...METHODS];
}

export function getFlashMethod(id: FlashMethodId): FlashMethod | undefined {
  return BY_ID.get(id);
}

export interface BoardFlashMethods {
  /** Runnable methods, in the board's order of preference. */
  available: FlashMethod[];
  /** Methods boards.json lists that have no implementation yet (stm32cubeprog, nrfjprog: #6). */
  unsupported: FlashMethodId[];
}

export function flashMethodsFor(board: Board): BoardFlashMethods {
  const available: FlashMethod[] = [];
  const unsupported: FlashMethodId[] = [];
  for (const id of board.flashMethods) {
    const m = BY_ID.get(id);
    if (m) available.push(m);
    else unsupported.push(id);
  }
  return { available, unsupported };
}
