// Firmware diagnostics (`textDocument/publishDiagnostics`) for open C/C++ buffers: debounced per
// document, one run per workspace folder (an edit in model.h changes main.cc's findings), a newer
// edit cancels the running one, and closing a buffer clears its diagnostics. The latest lenses,
// hovers and fixes are kept for the requests that ask for them.

import { analyzeFirmware, type FirmwareAnalysis } from '../analysis/firmware';
import type { Finding, HoverInfo, Lens } from '../analysis/findings';
import { errorText } from './logging';
import { firmwareOptions, type Settings } from './settings';
import type { WorkspaceIndex } from './workspaceIndex';

export const DEBOUNCE_MS = 150;
/** Requests wait at most this long for a pending run before answering from the last results. */
const SETTLE_LIMIT_MS = 5000;

export interface ValidationDeps {
  index: WorkspaceIndex;
  settings: (folderUri: string) => Promise<Settings>;
  /** Publishes the findings of one open document (canonical uri). */
  publish: (uri: string, findings: readonly Finding[]) => void;
  log: (message: string) => void;
}

interface Run {
  token: { cancelled: boolean };
  done: Promise<void>;
}

const EMPTY: FirmwareAnalysis = { findings: [], lenses: [], hovers: [] };

export class Validation {
  private readonly timers = new Map<string, { folder: string; timer: NodeJS.Timeout }>();
  private readonly runs = new Map<string, Run>();
  private readonly results = new Map<string, FirmwareAnalysis>();
  private readonly settledWaiters = new Map<string, (() => void)[]>();

  constructor(private readonly deps: ValidationDeps) {}

  /** A document (or a file on disk) changed: validate its folder once its edits pause. */
  schedule(uri: string, delayMs = DEBOUNCE_MS): void {
    this.debounce(uri, this.deps.index.folderOf(uri), delayMs);
  }

  /** Settings or the folder list changed: every folder again, now. */
  scheduleAll(): void {
    for (const folder of this.deps.index.folderUris()) this.debounce(`folder:${folder}`, folder, 0);
  }

  private debounce(key: string, folder: string, delayMs: number): void {
    const pending = this.timers.get(key);
    if (pending) clearTimeout(pending.timer);
    const running = this.runs.get(folder);
    if (running) running.token.cancelled = true;
    const timer = setTimeout(() => {
      this.timers.delete(key);
      void this.run(folder);
    }, delayMs);
    this.timers.set(key, { folder, timer });
  }

  /** `textDocument/didClose`: its diagnostics go; the others may change (its buffer reverts to disk). */
  closed(uri: string): void {
    this.results.delete(uri);
    this.deps.publish(uri, []);
    this.schedule(uri);
  }

  findings(uri: string): readonly Finding[] {
    return this.results.get(uri)?.findings ?? [];
  }
  lenses(uri: string): readonly Lens[] {
    return this.results.get(uri)?.lenses ?? [];
  }
  hovers(uri: string): readonly HoverInfo[] {
    return this.results.get(uri)?.hovers ?? [];
  }

  /** Resolves when no edit of `uri`'s folder is waiting or being analyzed. */
  async settled(uri: string): Promise<void> {
    const folder = this.deps.index.folderOf(uri);
    if (!this.busy(folder)) return;
    await Promise.race([
      new Promise<void>((done) => this.settledWaiters.set(folder, [...(this.settledWaiters.get(folder) ?? []), done])),
      new Promise<void>((done) => setTimeout(done, SETTLE_LIMIT_MS).unref()),
    ]);
  }

  private busy(folder: string): boolean {
    if (this.runs.has(folder)) return true;
    for (const pending of this.timers.values()) if (pending.folder === folder) return true;
    return false;
  }

  private async run(folder: string): Promise<void> {
    const token = { cancelled: false };
    const previous = this.runs.get(folder);
    if (previous) previous.token.cancelled = true;
    let finish = () => {};
    const run: Run = { token, done: new Promise<void>((done) => (finish = done)) };
    this.runs.set(folder, run);
    try {
      if (previous) await previous.done;
      await this.deps.index.scanned(folder);
      const settings = await this.deps.settings(folder);
      // Let edits that are already queued arrive: they cancel this run before it does the work.
      await new Promise<void>((done) => setImmediate(done));
      if (token.cancelled) return;
      const targets = this.deps.index.openFirmware(folder);
      if (targets.length === 0) return;
      let analysis = EMPTY;
      try {
        analysis = analyzeFirmware(this.deps.index.view(folder), firmwareOptions(settings), targets, token);
      } catch (error) {
        // One bad file must not take the server down: say where, keep the previous results.
        this.deps.log(`tinyml: analysis of ${folder || 'files outside the workspace'} failed: ${errorText(error)}`);
        return;
      }
      if (token.cancelled) return;
      for (const uri of targets) {
        const mine = <T extends { uri: string }>(items: T[]) => items.filter((item) => item.uri === uri);
        const result = { findings: mine(analysis.findings), lenses: mine(analysis.lenses), hovers: mine(analysis.hovers) };
        this.results.set(uri, result);
        this.deps.publish(uri, result.findings);
      }
    } catch (error) {
      this.deps.log(`tinyml: validation of ${folder || 'files outside the workspace'} failed: ${errorText(error)}`);
    } finally {
      if (this.runs.get(folder) === run) this.runs.delete(folder);
      finish();
      if (!this.busy(folder)) {
        const waiters = this.settledWaiters.get(folder) ?? [];
        this.settledWaiters.delete(folder);
        for (const done of waiters) done();
      }
    }
  }
}
