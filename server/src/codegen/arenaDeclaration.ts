// Arena size declaration (`TinyML: Insert Arena Size` via `tinyml/codegen/arenaSize`): the
// `constexpr int kTensorArenaSize = …;` line with the need on this board's TFLM build plus the
// margin, rounded up to 16 as the arena-too-small fix writes it, and a comment that says why.

import type { Board } from '../analysis/boards';
import type { Budget } from '../analysis/budget';
import { arenaNeed } from '../analysis/firmware/modelArrays';
import { recommendedArena } from '../analysis/firmware/rules/arenaSize';
import { grouped } from '../analysis/firmware/text';

export interface ArenaDeclaration {
  /** `constexpr int kTensorArenaSize = 25056;` */
  declaration: string;
  /** `// Tensor arena (TinyML Lens): …`, one line. */
  comment: string;
  /** The comment's fixed start, by which an editor recognizes (and replaces) an earlier one. */
  commentPrefix: string;
  /** Comment and declaration, newline-terminated. */
  text: string;
  /** The value written: need + margin, rounded up to 16. */
  bytes: number;
  needBytes: number;
  kernels: 'cmsis-nn' | 'reference';
}

/** The marker the editor command looks for to replace its own earlier comment. */
export const ARENA_COMMENT_PREFIX = '// Tensor arena (TinyML Lens):';

export function arenaSizeDeclaration(
  budget: Budget,
  board: Board,
  marginPercent: number,
  kernels: 'optimized' | 'reference',
  modelName?: string,
): ArenaDeclaration {
  if (!Number.isFinite(marginPercent) || marginPercent < 0) throw new Error(`margin ${marginPercent}% is not a non-negative number`);
  const need = arenaNeed(budget, board, kernels);
  const bytes = recommendedArena(need.bytes, marginPercent);
  const parts = `planned ${grouped(need.planned)} + persistent ${grouped(need.persistent)}${need.headroom > 0 ? ` + ${grouped(need.headroom)} set-up headroom` : ''}`;
  const library = need.kernels === 'cmsis-nn' ? 'CMSIS-NN' : 'reference';
  const comment =
    `${ARENA_COMMENT_PREFIX} ${modelName ? `${modelName} needs` : 'need'} ${grouped(need.bytes)} bytes with ${library} kernels ` +
    `(${parts}) on ${board.id}, + ${marginPercent}% margin, rounded up to 16`;
  const declaration = `constexpr int kTensorArenaSize = ${bytes};`;
  return { declaration, comment, commentPrefix: ARENA_COMMENT_PREFIX, text: `${comment}\n${declaration}\n`, bytes, needBytes: need.bytes, kernels: need.kernels };
}
