// Runs the fake flash tools of test/fixtures/fake-tools: a PATH with them first, a file they
// record their argv to, and a flash context that collects lines and progress.

import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { findBoard, type Board } from '../../../server/src/analysis/boards';
import type { FlashContext, FlashOptions } from '../../../client/src/device/flash/types';

export const fakeToolsDir = resolve(__dirname, '..', '..', 'fixtures', 'fake-tools');

export interface Invocation {
  tool: string;
  argv: string[];
  cwd: string;
}

export class FakeTools {
  readonly dir = mkdtempSync(join(tmpdir(), 'tinyml-fake-'));
  readonly logFile = join(this.dir, 'argv.jsonl');
  readonly pidFile = join(this.dir, 'pids');
  lines: string[] = [];
  progress: [number, string][] = [];

  constructor() {
    // git may not keep the executable bit on every checkout.
    for (const f of readdirSync(fakeToolsDir)) if (!f.startsWith('_')) chmodSync(join(fakeToolsDir, f), 0o755);
  }

  env(mode: 'ok' | 'fail' | 'hang' = 'ok', extraPath: string[] = []): NodeJS.ProcessEnv {
    return {
      ...process.env,
      PATH: [...extraPath, fakeToolsDir, process.env.PATH ?? ''].join(delimiter),
      FAKE_TOOL_LOG: this.logFile,
      FAKE_TOOL_MODE: mode,
      FAKE_TOOL_PIDS: this.pidFile,
    };
  }

  /** An environment whose PATH has none of the tools (only node, for nothing else is needed). */
  emptyPathEnv(): NodeJS.ProcessEnv {
    return { ...process.env, PATH: join(this.dir, 'empty-bin') };
  }

  invocations(): Invocation[] {
    if (!existsSync(this.logFile)) return [];
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as Invocation);
  }

  context(boardId: string, artifact: string, options: FlashOptions = {}, extra: Partial<FlashContext> = {}): FlashContext {
    return {
      board: board(boardId),
      artifact,
      options,
      isTrusted: () => true,
      onLine: (l) => this.lines.push(l),
      onProgress: (f, label) => this.progress.push([f, label]),
      signal: new AbortController().signal,
      env: this.env(),
      ...extra,
    };
  }

  fractions(): number[] {
    return this.progress.map(([f]) => Math.round(f * 1000) / 1000);
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export function board(id: string): Board {
  const b = findBoard(id);
  if (!b) throw new Error(`no board ${id}`);
  return b;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
