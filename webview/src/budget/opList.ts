// The model's distinct ops with their TFLM kernel availability, in first-use order, and the
// MicroMutableOpResolver registration they need (what the firmware must add, in one snippet).

import type { KernelSupport } from '../../../server/src/analysis/tflmKernels';

export interface OpEntry {
  op: string;
  count: number;
  /** Layer indices that use it. */
  layers: number[];
  support: KernelSupport;
}

export function opEntries(kernels: readonly KernelSupport[]): OpEntry[] {
  const byOp = new Map<string, OpEntry>();
  kernels.forEach((support, layer) => {
    const entry = byOp.get(support.op);
    if (entry) {
      entry.count++;
      entry.layers.push(layer);
    } else {
      byOp.set(support.op, { op: support.op, count: 1, layers: [layer], support });
    }
  });
  return [...byOp.values()];
}

/** `static tflite::MicroMutableOpResolver<N> resolver;` plus one Add call per distinct kernel. */
export function resolverSnippet(entries: readonly OpEntry[]): string {
  const methods = [...new Set(entries.filter((e) => e.support.resolverMethod).map((e) => e.support.resolverMethod as string))];
  const missing = entries.filter((e) => e.support.status === 'missing').map((e) => e.op);
  const lines = [`static tflite::MicroMutableOpResolver<${methods.length}> resolver;`, ...methods.map((m) => `resolver.${m}();`)];
  if (missing.length > 0) lines.push(`// no TFLM kernel: ${missing.join(', ')}`);
  return lines.join('\n');
}

export function statusText(support: KernelSupport): string {
  const optimized = support.optimized === 'cmsis-nn' ? ' (CMSIS-NN)' : support.optimized === 'esp-nn' ? ' (ESP-NN)' : '';
  switch (support.status) {
    case 'available':
      return `available${optimized}`;
    case 'after-conversion':
      return `as ${support.tfliteOp} after conversion${optimized}`;
    case 'missing':
      return 'no TFLM kernel';
  }
}
