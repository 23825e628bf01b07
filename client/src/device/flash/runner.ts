// Shared plumbing of the tool-based flash methods: spawn through spawnTool with the context's
// trust check, environment and abort signal, forward lines, and turn the lines a parser
// recognises into monotonic progress.

import { runTool, type ToolExit } from '../spawnTool';
import type { FlashContext } from './types';

export interface ProgressParser {
  /**
   * A fraction in [0, 1] and a label for a line that reports progress, else undefined.
   * `partial` is true for the unterminated text of a bar drawn without newlines.
   */
  (line: string, partial: boolean): { fraction: number; label: string } | undefined;
}

/**
 * Runs `command args`; progress from `parse` is mapped into [from, to] of the whole operation
 * and never goes backwards (tools that write several images restart at 0 %).
 */
export function runFlashTool(
  ctx: FlashContext,
  command: string,
  args: readonly string[],
  parse: ProgressParser | undefined,
  range: { from: number; to: number } = { from: 0, to: 1 },
): Promise<ToolExit> {
  let last = range.from;
  const report = (text: string, partial: boolean) => {
    const p = parse?.(text, partial);
    if (!p) return;
    const f = range.from + Math.min(1, Math.max(0, p.fraction)) * (range.to - range.from);
    if (f > last) {
      last = f;
      ctx.onProgress(f, p.label);
    }
  };
  return runTool(
    { command, args, ...(ctx.cwd ? { cwd: ctx.cwd } : {}), ...(ctx.env ? { env: ctx.env } : {}) },
    {
      isTrusted: ctx.isTrusted,
      signal: ctx.signal,
      onLine: (line) => {
        ctx.onLine(line);
        report(line, false);
      },
      onPartial: (text) => report(text, true),
    },
  );
}

/** Lines like `[====      ] 40%`, `| ##### | 40%`, `(40 %)`: the first percentage on the line. */
export function percentOf(line: string): number | undefined {
  const m = /(\d{1,3}(?:\.\d+)?)\s?%/.exec(line);
  if (!m) return undefined;
  const v = Number(m[1]);
  return v >= 0 && v <= 100 ? v / 100 : undefined;
}
