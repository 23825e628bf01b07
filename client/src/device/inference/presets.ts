// Presets for the one-click flow and live inference. "QEMU hello_world example" builds
// examples/qemu-m4, runs it on the emulated mps2-an386, feeds each JSON result line's `xq` (the
// int8 byte the firmware gave its model) to the host engine and compares the firmware's `yq`
// byte for byte. Paths are relative to the workspace folder.

import type { CompareSpec } from './comparison';
import type { FrameSpec } from './framing';

export interface DevicePreset {
  id: string;
  label: string;
  /** boards.json id. */
  board: string;
  /** argv of the build, run in the workspace folder. */
  build: string[];
  /** What the flash method gets (an ELF for QEMU). */
  artifact: string;
  model: string;
  baudRate: number;
  frame: FrameSpec;
  compare: CompareSpec;
  labels: string[];
  /** Series the plotter starts with hidden (counters and raw bytes that would flatten sin(x)). */
  hiddenSeries: string[];
}

export const QEMU_HELLO_WORLD: DevicePreset = {
  id: 'qemu-hello-world',
  label: 'QEMU hello_world example',
  board: 'qemu-mps2-an386',
  build: ['make', '-C', 'examples/qemu-m4'],
  artifact: 'examples/qemu-m4/build/firmware.elf',
  model: 'examples/qemu-m4/model/hello_world_int8.tflite',
  baudRate: 115200,
  // xq is already the int8 input byte: x*1+0, no quantization.
  frame: { source: { kind: 'perLine', fields: ['xq'] }, mapping: { kind: 'affine', a: 1, b: 0 } },
  // yq is the int8 output byte: exact.
  compare: { device: { kind: 'jsonFields', fields: ['yq'], as: 'raw' }, tolerance: 0 },
  labels: ['y'],
  hiddenSeries: ['step', 'xq', 'yq', 'layers', 'steps_per_period', 'layer', 'multiplier', 'shift', 'act_min', 'act_max', 'count'],
};

export const PRESETS: readonly DevicePreset[] = [QEMU_HELLO_WORLD];

export function findPreset(id: string | undefined): DevicePreset | undefined {
  return PRESETS.find((p) => p.id === id);
}
