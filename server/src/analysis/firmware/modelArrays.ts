// From a model array in source to what it costs: the bytes (readCArray on the declaration
// alone), the graph (loadModel) and the budget (computeBudget), memoized on the file's cache
// entry so an edit elsewhere in the workspace costs nothing here.

import type { Board } from '../boards';
import { computeBudget, type Budget } from '../budget';
import { readCArray } from '../../model/cArray';
import type { Graph } from '../../model/graph';
import { loadModel } from '../../model/load';
import type { ArrayFact } from './facts';
import type { FileEntry, Located } from './project';
import { positionAt } from './scanner';

export interface ModelInfo {
  bytes?: Uint8Array;
  graph?: Graph;
  /** Why the array is not a usable model (the reader's message). */
  error?: string;
}

export interface ArenaNeed {
  bytes: number;
  planned: number;
  persistent: number;
  /** What AllocateTensors() needs beyond arena_used_bytes() while it sets up. */
  headroom: number;
  kernels: 'cmsis-nn' | 'reference';
}

function memo<T>(file: FileEntry, key: string, make: () => T): T {
  if (file.memo.has(key)) return file.memo.get(key) as T;
  const value = make();
  file.memo.set(key, value);
  return value;
}

export function modelOf(a: Located<ArrayFact>): ModelInfo {
  return memo(a.file, `model:${a.fact.name}@${a.fact.declStart}`, () => readModel(a));
}

function readModel({ file, fact }: Located<ArrayFact>): ModelInfo {
  // Parse only the declaration; padding keeps the reader's line:column true to the file.
  const at = positionAt(file.facts.scanned.lineStarts, fact.declStart);
  const text = '\n'.repeat(at.line) + ' '.repeat(at.character) + file.text.slice(fact.declStart, fact.declEnd);
  const name = file.uri.slice(file.uri.lastIndexOf('/') + 1);
  let bytes: Uint8Array;
  try {
    const array = readCArray(text, name).find((x) => x.name === fact.name);
    if (!array) return { error: `'${fact.name}' is not a byte array with an initializer` };
    bytes = array.bytes;
  } catch (e) {
    return { error: (e as Error).message };
  }
  try {
    return { bytes, graph: loadModel(bytes) };
  } catch (e) {
    return { bytes, error: (e as Error).message };
  }
}

export function budgetOf(a: Located<ArrayFact>, graph: Graph, board: Board, kernels: 'optimized' | 'reference'): Budget {
  return memo(a.file, `budget:${a.fact.name}@${a.fact.declStart}:${board.id}:${kernels}`, () => computeBudget(graph, board, { kernels }));
}

/** The arena the firmware's build needs: CMSIS-NN figures when the board and setting use them. */
export function arenaNeed(budget: Budget, board: Board, kernels: 'optimized' | 'reference'): ArenaNeed {
  const cmsis = kernels === 'optimized' && board.optimizedKernels === 'cmsis-nn' && budget.arenaOptimized !== undefined;
  const arena = cmsis && budget.arenaOptimized ? budget.arenaOptimized : budget.arena;
  return {
    bytes: arena.minArenaBytes,
    planned: arena.plannedBytes,
    persistent: arena.persistentBytes,
    headroom: Math.max(0, arena.minArenaBytes - arena.usedBytes),
    kernels: cmsis ? 'cmsis-nn' : 'reference',
  };
}

/** Whether an array's first eight elements carry the TFL3 file identifier (cheap: no full parse). */
export function looksLikeTflite(file: FileEntry, fact: ArrayFact): boolean {
  if (!fact.init || !fact.init.numeric || !fact.isByte) return false;
  const head = file.text.slice(fact.init.start + 1, fact.init.start + 400).replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, '');
  const values = head.split(',', 9).slice(0, 8).map((v) => Number(v.trim().replace(/[uUlL]+$/, '')));
  return values.length === 8 && values[4] === 0x54 && values[5] === 0x46 && values[6] === 0x4c && values[7] === 0x33;
}
