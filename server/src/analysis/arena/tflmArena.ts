// The tensor-arena figures of TensorFlow Lite Micro (reference or CMSIS-NN kernels,
// GreedyMemoryPlanner) for a graph: a replay of MicroInterpreter::AllocateTensors() against a model of the arena
// allocator. Gives the planned head, the persistent tail, arena_used_bytes() and the smallest
// kTensorArenaSize that passes AllocateTensors() and Invoke(), plus the planned buffers.

import type { Graph, Tensor } from '../../model/graph';
import { GreedyMemoryPlanner } from './greedyPlanner';
import type { CmsisTarget } from './cmsisNnBufferSizes';
import { cmsisNnKernels } from './cmsisNnKernels';
import { KERNELS, KernelOp, kernelFor, type KernelSet, type KernelStep } from './kernelPersistence';
import { buildAllocationInfo, evalTensorBytes, type ScratchRequest } from './lifetimes';
import type { MemoryPlanner } from './memoryPlanner';
import { ArenaExhausted, SingleArena } from './singleArena';
import {
  ARENA_ALIGNMENT,
  GREEDY_PLANNER_BYTES_PER_BUFFER,
  MAX_SCRATCH_BUFFERS_PER_OP,
  alignUp,
  intArrayBytes,
  layoutOf,
  type PointerBytes,
  type StructName,
} from './tflmTypes';

export interface TflmArenaOptions {
  /** 4 for a 32-bit MCU build (default), 8 for a 64-bit host build. */
  pointerBytes?: PointerBytes;
  /** Planner strategy; TFLM's GreedyMemoryPlanner by default. */
  planner?: () => MemoryPlanner;
  /**
   * Kernel library of the build: TFLM's reference kernels (default) or its CMSIS-NN kernels
   * (OPTIMIZED_KERNEL_DIR=cmsis_nn), whose op data and scratch buffers differ.
   */
  kernels?: 'reference' | 'cmsis-nn';
  /**
   * CMSIS-NN code path, for `kernels: 'cmsis-nn'`: 'dsp' (default; Cortex-M4/M7/M33),
   * 'mve' (Helium: Cortex-M55/M85) or 'none' (Cortex-M0/M3). Some buffer sizes depend on it.
   */
  cmsisTarget?: CmsisTarget;
}

const cmsisKernelSets = new Map<CmsisTarget, KernelSet>();

/** The kernel library the options select (CMSIS-NN sets are built once per target). */
function kernelSetFor(options: TflmArenaOptions): KernelSet {
  if (options.kernels !== 'cmsis-nn') return KERNELS;
  const target = options.cmsisTarget ?? 'dsp';
  let set = cmsisKernelSets.get(target);
  if (!set) {
    set = cmsisNnKernels(target);
    cmsisKernelSets.set(target, set);
  }
  return set;
}

export interface TflmArenaBuffer {
  subgraphIndex: number;
  /** Tensor index within its subgraph, or null for a kernel scratch buffer. */
  tensorIndex: number | null;
  /** The operator that requested a scratch buffer. */
  opIndex?: number;
  /** Planned size (rounded up to 16 bytes, as TFLM plans it). */
  bytes: number;
  /** Size before rounding. */
  requestedBytes: number;
  offset: number;
  firstUse: number;
  lastUse: number;
}

/** The arena tail by what it holds; the parts add up to `persistentBytes`. */
export interface PersistentBreakdown {
  evalTensors: number;
  nodeAndRegistrations: number;
  /** Builtin options, kernel op data, per-channel arrays, LUTs, scratch-buffer handles. */
  opData: number;
  /** TfLiteAffineQuantization and zero-point arrays of the interpreter's input/output tensors. */
  quantization: number;
  /** The interpreter's input/output TfLiteTensors and their pointer arrays. */
  tflite_tensors: number;
  variable: number;
  /** Allocator, planner, builtin-data allocator and SubgraphAllocations objects. */
  fixed: number;
  /** Alignment padding between tail allocations. */
  padding: number;
}

export interface TflmArena {
  pointerBytes: PointerBytes;
  /** GreedyMemoryPlanner::GetMaximumMemorySize(): the non-persistent head. */
  plannedBytes: number;
  /** The arena tail after AllocateTensors() (for an arena whose size is a multiple of 16). */
  persistentBytes: number;
  /** MicroInterpreter::arena_used_bytes() = planned + persistent. */
  usedBytes: number;
  /** Smallest arena (16-byte-aligned start) for which AllocateTensors() and Invoke() succeed. */
  minArenaBytes: number;
  /** Smallest multiple of 16 that works. */
  minArenaBytesMultipleOf16: number;
  /** Buffers handed to the planner (tensors plus scratch buffers). */
  plannerBufferCount: number;
  buffers: TflmArenaBuffer[];
  persistentBreakdown: PersistentBreakdown;
  /** Op types whose kernel this model does not know: the figures for them are estimates. */
  unmodeledOps: string[];
  /** Places where TFLM itself would refuse the model, or where the model is unsure. */
  warnings: string[];
}

/** Everything about the model that does not depend on the arena size. */
interface Prepared {
  pointerBytes: PointerBytes;
  kernels: KernelSet;
  graph: Graph;
  steps: KernelStep[][][];
  offlineOffsets: number[] | undefined;
  plannedBytes: number;
  plannerBufferCount: number;
}

interface Simulation {
  arena: SingleArena;
}

const CATEGORY = {
  fixed: 'fixed',
  evalTensors: 'evalTensors',
  nodes: 'nodeAndRegistrations',
  opData: 'opData',
  quantization: 'quantization',
  tensors: 'tflite_tensors',
  variable: 'variable',
} as const;

function isQuantized(t: Tensor): boolean {
  // InitializeTfLiteTensorFromFlatbuffer only builds TfLiteAffineQuantization when both the
  // scale and zero-point vectors are present and non-empty.
  const q = t.quantization;
  return q !== undefined && q.scale.length > 0 && q.zeroPoint.length > 0;
}

/** Replays AllocateTensors() (and Invoke(), which allocates nothing here) in an arena of `arenaBytes`. */
function simulate(p: Prepared, arenaBytes: number): Simulation {
  const { graph, pointerBytes } = p;
  const arena = new SingleArena(arenaBytes);
  const lay = (name: StructName) => layoutOf(name, pointerBytes);
  const persistentStruct = (name: StructName, count: number, category: string) => {
    const l = lay(name);
    arena.persistent(l.size * count, l.align, category);
  };
  const tensorStructs = (t: Tensor, temp: boolean, tensorCategory: string) => {
    // AllocateTempTfLiteTensor / AllocatePersistentTfLiteTensor + InitializeTfLiteTensorFromFlatbuffer.
    const tensor = lay('TfLiteTensor');
    const quant = lay('TfLiteAffineQuantization');
    const zeroPoints = intArrayBytes(t.quantization?.scale.length ?? 0);
    const intArrayAlign = lay('TfLiteIntArray').align;
    if (temp) {
      arena.allocateTemp(tensor.size, tensor.align, 'TfLiteTensor');
      if (isQuantized(t)) {
        arena.allocateTemp(quant.size, quant.align, 'TfLiteAffineQuantization');
        arena.allocateTemp(zeroPoints, intArrayAlign, 'zero points');
      }
    } else {
      arena.persistent(tensor.size, tensor.align, tensorCategory);
      if (isQuantized(t)) {
        arena.persistent(quant.size, quant.align, CATEGORY.quantization);
        arena.persistent(zeroPoints, intArrayAlign, CATEGORY.quantization);
      }
    }
  };

  // MicroAllocator::Create: SingleArenaBufferAllocator::Create, CreateMemoryPlanner, MicroAllocator.
  persistentStruct('SingleArenaBufferAllocator', 1, CATEGORY.fixed);
  persistentStruct('GreedyMemoryPlanner', 1, CATEGORY.fixed);
  persistentStruct('MicroAllocator', 1, CATEGORY.fixed);

  // StartModelAllocation.
  persistentStruct('MicroBuiltinDataAllocator', 1, CATEGORY.fixed);
  const request = lay('ScratchBufferRequest');
  arena.resizeHead(request.size * MAX_SCRATCH_BUFFERS_PER_OP, request.align, 'scratch requests');
  persistentStruct('SubgraphAllocations', graph.subgraphs.length, CATEGORY.fixed);
  for (const sg of graph.subgraphs) {
    persistentStruct('TfLiteEvalTensor', sg.tensors.length, CATEGORY.evalTensors);
  }
  for (const sg of graph.subgraphs) {
    persistentStruct('NodeAndRegistration', sg.operators.length, CATEGORY.nodes);
  }

  // PrepareNodeAndRegistrationDataFromFlatbuffer: builtin options from the parse functions.
  for (const sg of graph.subgraphs) {
    for (const op of sg.operators) {
      const { model } = kernelFor(op, p.kernels);
      if (!op.custom && model.params) persistentStruct(model.params, 1, CATEGORY.opData);
    }
  }
  // InitSubgraphs: each kernel's Init (MicroAllocator::AllocatePersistentBuffer, 16-aligned).
  for (const sg of graph.subgraphs) {
    for (const op of sg.operators) {
      const { model } = kernelFor(op, p.kernels);
      if (model.opData) arena.persistent(lay(model.opData).size, ARENA_ALIGNMENT, CATEGORY.opData);
    }
  }
  // PrepareSubgraphs: temp tensors, persistent buffers and scratch requests, then
  // FinishPrepareNodeAllocations resets temp and regrows the scratch-request area.
  let scratchCount = 0;
  graph.subgraphs.forEach((sg, s) => {
    sg.operators.forEach((_, o) => {
      for (const step of p.steps[s][o]) {
        if (step.kind === 'tempTensor') {
          const t = sg.tensors[step.tensorIndex];
          if (t) tensorStructs(t, true, '');
        } else if (step.kind === 'persistent') {
          arena.persistent(step.bytes, ARENA_ALIGNMENT, CATEGORY.opData);
        } else {
          scratchCount++;
        }
      }
      arena.resetTemp();
      arena.resizeHead(
        request.size * (scratchCount + MAX_SCRATCH_BUFFERS_PER_OP),
        request.align,
        'scratch requests',
      );
    });
  });

  // FinishModelAllocation: AllocateScratchBufferHandles, then CommitStaticMemoryPlan.
  if (scratchCount > 0) persistentStruct('ScratchBufferHandle', scratchCount, CATEGORY.opData);
  const sizeT = lay('size_t');
  arena.allocateTemp(sizeT.size * graph.subgraphs.length, sizeT.align, 'subgraph offsets');
  const totalTensors = graph.subgraphs.reduce((n, sg) => n + sg.tensors.length, 0);
  const info = lay('AllocationInfo');
  arena.allocateTemp(info.size * (totalTensors + scratchCount), info.align, 'AllocationInfo');
  // AllocateVariables: variable tensors not placed by an offline plan live in the tail.
  let flat = 0;
  for (const sg of graph.subgraphs) {
    for (const t of sg.tensors) {
      const offline = p.offlineOffsets?.[flat++] ?? -1;
      if (t.isVariable && offline === -1) {
        arena.persistent(evalTensorBytes(t), ARENA_ALIGNMENT, CATEGORY.variable);
      }
    }
  }
  // The planner works in all memory left between temp and tail.
  const remaining = arena.availableMemory(ARENA_ALIGNMENT);
  if (remaining < 0) throw new ArenaExhausted('memory planner scratch');
  arena.allocateTemp(remaining, ARENA_ALIGNMENT, 'memory planner scratch');
  if (p.plannerBufferCount > Math.floor(remaining / GREEDY_PLANNER_BYTES_PER_BUFFER)) {
    throw new ArenaExhausted('too many buffers for the memory planner');
  }
  arena.resetTemp();
  arena.resizeHead(0, 1, 'scratch requests release');
  arena.resizeHead(p.plannedBytes, ARENA_ALIGNMENT, 'planned tensors');

  // AllocateTensors: the interpreter's input and output TfLiteTensors.
  const sg0 = graph.subgraphs[0];
  const pointer = lay('pointer');
  for (const list of [sg0?.inputs ?? [], sg0?.outputs ?? []]) {
    arena.persistent(pointer.size * list.length, ARENA_ALIGNMENT, CATEGORY.tensors);
    for (const index of list) {
      const t = sg0?.tensors[index];
      if (t) tensorStructs(t, false, CATEGORY.tensors);
    }
  }
  // Invoke(): reference kernels of the modelled ops allocate nothing during Eval.
  return { arena };
}

/** An arena no model fits beyond; a multiple of 16, so tail alignment matches the oracle's. */
const LARGE_ARENA = 2 ** 40;

function succeeds(p: Prepared, arenaBytes: number): boolean {
  try {
    simulate(p, arenaBytes);
    return true;
  } catch (e) {
    if (e instanceof ArenaExhausted) return false;
    throw e;
  }
}

/** Smallest arena size that works, found by bisection as the oracle harness does. */
function minimumArena(p: Prepared, lowerBound: number, knownGood: number): number {
  let lo = lowerBound; // fails (or is below any possible success)
  let hi = knownGood;
  while (!succeeds(p, hi)) {
    lo = hi;
    hi *= 2;
    if (hi > LARGE_ARENA) return Number.NaN;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (succeeds(p, mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

export function planTflmArena(graph: Graph, options: TflmArenaOptions = {}): TflmArena {
  const pointerBytes = options.pointerBytes ?? 4;
  const kernels = kernelSetFor(options);
  const warnings: string[] = [];
  const unmodeled = new Set<string>();

  // Kernel Prepare steps, and the scratch requests they make (tagged with their node).
  const scratch: ScratchRequest[] = [];
  const steps = graph.subgraphs.map((sg, s) =>
    sg.operators.map((op, o) => {
      const { model, known } = kernelFor(op, kernels);
      if (!known) unmodeled.add(op.opType);
      const opSteps = model.prepare(new KernelOp(op, sg, pointerBytes));
      let opScratch = 0;
      for (const step of opSteps) {
        if (step.kind === 'scratch') {
          scratch.push({ bytes: step.bytes, subgraphIndex: s, opIndex: o });
          opScratch++;
        }
      }
      if (opScratch > MAX_SCRATCH_BUFFERS_PER_OP) {
        warnings.push(`op ${o} (${op.opType}) requests ${opScratch} scratch buffers; TFLM allows 12`);
      }
      return opSteps;
    }),
  );

  // GetOfflinePlannedOffsets: one entry per tensor of all subgraphs, or TFLM refuses the model.
  const totalTensors = graph.subgraphs.reduce((n, sg) => n + sg.tensors.length, 0);
  let offlineOffsets = graph.offlinePlan;
  if (offlineOffsets && offlineOffsets.length !== totalTensors) {
    warnings.push(
      `offline memory plan has ${offlineOffsets.length} offsets for ${totalTensors} tensors; ` +
        'TFLM fails AllocateTensors() on this model (planned online here instead)',
    );
    offlineOffsets = undefined;
  }
  for (const sg of graph.subgraphs) {
    for (const t of sg.tensors) {
      if (!t.data && t.shape.some((d) => d < 0)) {
        warnings.push(`tensor ${t.index} (${t.name}) has an unknown dimension; counted as empty`);
      }
    }
  }

  // CreatePlan: buffers that need allocating, sizes rounded up to 16, in AllocationInfo order.
  const infos = buildAllocationInfo(graph, scratch, offlineOffsets);
  const planner = (options.planner ?? (() => new GreedyMemoryPlanner()))();
  const planned = infos.filter((a) => a.needsAllocating);
  for (const a of planned) {
    const size = alignUp(a.bytes, ARENA_ALIGNMENT);
    if (a.offlineOffset === -1) planner.addBuffer(size, a.firstCreated, a.lastUsed);
    else planner.addBuffer(size, a.firstCreated, a.lastUsed, a.offlineOffset);
  }
  const plannedBytes = planner.maximumMemorySize();
  const buffers: TflmArenaBuffer[] = planned.map((a, i) => ({
    subgraphIndex: a.subgraphIndex,
    tensorIndex: a.tensorIndex,
    ...(a.opIndex !== undefined ? { opIndex: a.opIndex } : {}),
    bytes: alignUp(a.bytes, ARENA_ALIGNMENT),
    requestedBytes: a.bytes,
    offset: planner.offsetOf(i),
    firstUse: a.firstCreated,
    lastUse: a.lastUsed,
  }));

  const prepared: Prepared = {
    pointerBytes,
    kernels,
    graph,
    steps,
    offlineOffsets,
    plannedBytes,
    plannerBufferCount: planned.length,
  };

  // arena_used_bytes() on a large arena whose size is a multiple of 16.
  const { arena } = simulate(prepared, LARGE_ARENA);
  const persistentBytes = arena.persistentUsed();
  const get = (c: string) => arena.requested.get(c) ?? 0;
  const persistentBreakdown: PersistentBreakdown = {
    evalTensors: get(CATEGORY.evalTensors),
    nodeAndRegistrations: get(CATEGORY.nodes),
    opData: get(CATEGORY.opData),
    quantization: get(CATEGORY.quantization),
    tflite_tensors: get(CATEGORY.tensors),
    variable: get(CATEGORY.variable),
    fixed: get(CATEGORY.fixed),
    padding: arena.padding,
  };
  const requestedTail = persistentBytes - arena.padding;
  const usedBytes = plannedBytes + persistentBytes;

  const minArenaBytes = minimumArena(prepared, plannedBytes + requestedTail - 1, usedBytes);
  let minArenaBytesMultipleOf16 = alignUp(minArenaBytes, ARENA_ALIGNMENT);
  while (minArenaBytesMultipleOf16 < LARGE_ARENA && !succeeds(prepared, minArenaBytesMultipleOf16)) {
    minArenaBytesMultipleOf16 += ARENA_ALIGNMENT;
  }

  return {
    pointerBytes,
    plannedBytes,
    persistentBytes,
    usedBytes,
    minArenaBytes,
    minArenaBytesMultipleOf16,
    plannerBufferCount: planned.length,
    buffers,
    persistentBreakdown,
    unmodeledOps: [...unmodeled].sort(),
    warnings,
  };
}
