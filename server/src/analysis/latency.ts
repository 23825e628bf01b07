// Latency and energy estimate for a model's layers on a board: per-kind instruction costs
// fitted to TFLM instruction counts on a Cortex-M4 (server/data/latency.json), scaled to a core
// by a cycles-per-instruction factor calibrated on published MLPerf Tiny results where there
// are some. Everything comes from layer kinds, shapes and the core; nothing from a model's name.

import latencyData from '../../data/latency.json';
import { activePowerMw, type Board, type Core } from './boards';
import type { LayerCost } from './layerCosts';

export type KernelChoice = 'optimized' | 'reference';

/** TFLM build type: 'default' keeps TFLITE_DCHECKs (TFLM's default), 'ndebug' is -DNDEBUG. */
export interface LatencyOptions {
  build?: 'default' | 'ndebug';
}

export interface LatencyEstimate {
  perLayer: { cycles: number; ms: number; instructions: number }[];
  cycles: number;
  ms: number;
  /** 0 when the board has no power figure (emulators, FPGA); `basis` says so. */
  energyUj: number;
  /** Cortex-M4-equivalent instructions, before the core's CPI is applied. */
  instructions: number;
  basis: string;
}

export interface KernelCoefficients {
  perMac?: number;
  perOutput?: number;
  perPixel?: number;
  perTap?: number;
  perOp?: number;
  fit: string;
}

type BuildKey = 'optimized' | 'reference' | 'referenceNdebug';

interface CoreFactor {
  optimized: number;
  reference: number;
  calibrated: boolean;
  source: string;
}

interface LatencyModel {
  interpreter: { perOp: number; perInvoke: number };
  kernels: Record<BuildKey, Record<string, KernelCoefficients>>;
  dtypeScale: { int16: number; float32: number; other: number };
  cores: Record<string, CoreFactor>;
}

const model = latencyData as unknown as LatencyModel;

/** Cost-model variant of a layer: CMSIS-NN uses different kernels for these shapes. */
export function kernelVariant(layer: LayerCost): string {
  if (layer.kind === 'conv') return (layer.kernel ?? [1]).every((k) => k === 1) ? 'conv1x1' : 'conv';
  if (layer.kind === 'depthwise') return (layer.depthMultiplier ?? 1) > 1 ? 'depthwiseMult' : 'depthwise';
  return layer.kind;
}

function dtypeClass(layer: LayerCost): 'int8' | 'int16' | 'float32' | 'other' {
  if (layer.kind === 'quantize' || layer.kind === 'reshape') return 'int8';
  const d = layer.dtype;
  if (d.startsWith('int16')) return 'int16';
  if (d.startsWith('float') || d.startsWith('bfloat')) return 'float32';
  if (d.startsWith('int8') || d === 'uint8' || d === 'int32' || d === 'bool') return 'int8';
  return 'other';
}

/** The coefficients used for a layer, and the factor applied on top of them. */
export function coefficientsFor(layer: LayerCost, build: BuildKey): { c: KernelCoefficients; scale: number; key: string } {
  const variant = kernelVariant(layer);
  const cls = dtypeClass(layer);
  // CMSIS-NN and ESP-NN have no float kernels in TFLM: float layers run reference code.
  const table = cls === 'float32' && build === 'optimized' ? model.kernels.reference : model.kernels[build];
  const candidates = [variant, variant === 'conv1x1' ? 'conv' : variant === 'depthwiseMult' ? 'depthwise' : variant];
  if (cls === 'float32') {
    for (const v of candidates) {
      const c = table[`${v}|float32`];
      if (c) return { c, scale: 1, key: `${v}|float32` };
    }
  }
  const scale = cls === 'int16' ? model.dtypeScale.int16 : cls === 'float32' ? model.dtypeScale.float32 : cls === 'other' ? model.dtypeScale.other : 1;
  // Float layers without float coefficients fall back to the int8 reference costs.
  const intTable = cls === 'float32' ? model.kernels.reference : model.kernels[build];
  for (const v of candidates) {
    const c = intTable[`${v}|int8`];
    if (c) return { c, scale, key: `${v}|int8` };
  }
  return { c: intTable['other|int8'], scale, key: 'other|int8' };
}

/** Estimated Cortex-M4 instructions of one layer's kernel (without interpreter overhead). */
export function layerInstructions(layer: LayerCost, build: BuildKey): number {
  const { c, scale } = coefficientsFor(layer, build);
  const outChannels = layer.outChannels && layer.outChannels > 0 ? layer.outChannels : 0;
  const pixels = outChannels > 0 ? layer.outputElements / outChannels : 0;
  const inChannels = layer.inChannels && layer.inChannels > 0 ? layer.inChannels : 0;
  const taps = outChannels > 0 && inChannels > 0 ? layer.macs / (outChannels * inChannels) : 0;
  const n =
    (c.perMac ?? 0) * layer.macs +
    (c.perOutput ?? 0) * layer.outputElements +
    (c.perPixel ?? 0) * pixels +
    (c.perTap ?? 0) * taps +
    (c.perOp ?? 0);
  return n * scale;
}

export function coreFactor(core: Core): CoreFactor | undefined {
  return model.cores[core];
}

export function estimateLatency(
  layers: LayerCost[],
  board: Board,
  kernels: KernelChoice,
  options: LatencyOptions = {},
): LatencyEstimate {
  const optimized = kernels === 'optimized' && board.optimizedKernels !== 'none';
  const build: BuildKey = optimized ? 'optimized' : options.build === 'ndebug' ? 'referenceNdebug' : 'reference';
  const factor = model.cores[board.core];
  const cpi = factor ? (optimized ? factor.optimized : factor.reference) : 1;
  const cyclesPerMs = board.clockMhz * 1000;
  const perLayer = layers.map((layer) => {
    const instructions = layerInstructions(layer, build) + model.interpreter.perOp;
    const cycles = instructions * cpi;
    return { instructions, cycles, ms: cycles / cyclesPerMs };
  });
  const instructions = perLayer.reduce((n, l) => n + l.instructions, 0) + (layers.length > 0 ? model.interpreter.perInvoke : 0);
  const cycles = instructions * cpi;
  const ms = cycles / cyclesPerMs;
  const mw = activePowerMw(board);
  // mW x ms = uJ
  const energyUj = mw === undefined ? 0 : mw * ms;
  return { perLayer, cycles, ms, energyUj, instructions, basis: basisFor(board, optimized, build, factor, mw !== undefined) };
}

function basisFor(board: Board, optimized: boolean, build: BuildKey, factor: CoreFactor | undefined, hasPower: boolean): string {
  const lib = board.optimizedKernels === 'esp-nn' ? 'ESP-NN' : 'CMSIS-NN';
  const kernelsText = optimized
    ? `${lib} cost model fitted to TFLM CMSIS-NN instruction counts (Cortex-M4, QEMU)`
    : `TFLM reference-kernel cost model (${build === 'referenceNdebug' ? 'NDEBUG build' : 'default build with DCHECKs'}) fitted to instruction counts (Cortex-M4, QEMU)`;
  let coreText: string;
  let spread: string;
  if (!factor) {
    coreText = `no cycle factor for ${board.core} (1 cycle per instruction assumed)`;
    spread = 'uncalibrated, could be off by 2x or more';
  } else if (factor.calibrated) {
    coreText = `${board.core} cycles per instruction calibrated on MLPerf Tiny v1.0 results`;
    spread = optimized ? '±30%' : '±50% (reference kernels not timed on hardware)';
  } else {
    coreText = `an uncalibrated ${board.core} cycles-per-instruction prior`;
    spread = 'uncalibrated, could be off by 2x';
  }
  const npu = board.npu ? `; ${board.npu} offload not modelled` : '';
  const power = hasPower ? '' : '; no power figure for this board, so energy is 0';
  return `${kernelsText} and ${coreText}; ${spread}${npu}${power}.`;
}
