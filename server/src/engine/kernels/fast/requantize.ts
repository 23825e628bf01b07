// The per-channel table of the WebAssembly output stage (#4 item 5): bias, Q0.31 multiplier and
// TFLM's shift split once in prepare into the left shift before SRDHM and the rounding right
// shift after it, as common.cc MultiplyByQuantizedMultiplier applies them.

import { INT32_MIN } from '../../fixedPoint';

/** Bytes of the WebAssembly `requant` table for `channels` channels. */
export function requantTableBytes(channels: number): number {
  return channels * 16;
}

/**
 * Writes the WebAssembly `requant` table ({bias, multiplier, leftShift, rightShift} per channel)
 * into `table`; false when a multiplier is INT32_MIN, the one value whose SRDHM saturates.
 */
export function writeRequantTable(table: Int32Array, bias: Int32Array | undefined, multipliers: Int32Array, shifts: Int32Array): boolean {
  for (let c = 0; c < multipliers.length; c++) {
    if (multipliers[c] === INT32_MIN) return false;
    table[4 * c] = bias ? bias[c] : 0;
    table[4 * c + 1] = multipliers[c];
    table[4 * c + 2] = shifts[c] > 0 ? shifts[c] : 0;
    table[4 * c + 3] = shifts[c] > 0 ? 0 : -shifts[c];
  }
  return true;
}
