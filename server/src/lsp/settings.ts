// The `tinyml.*` settings, read in one place through `workspace/configuration` (one request per
// workspace folder), checked as they are read, cached per folder and cleared on
// `workspace/didChangeConfiguration`. A bad value falls back to its default with one warning.

import { findBoard, type Board } from '../analysis/boards';
import type { FirmwareOptions } from '../analysis/firmware';
import type { FindingCode, Severity } from '../analysis/findings';
import { DEFAULT_EXCLUDE } from './diskWorkspace';

export const DEFAULT_BOARD_ID = 'nucleo-l4r5zi';
export const DEFAULT_MARGIN_PERCENT = 10;

export interface Settings {
  board: Board;
  arenaMarginPercent: number;
  kernels: 'optimized' | 'reference';
  severity: Partial<Record<FindingCode, Severity | 'off'>>;
  /** As written; relative entries are resolved against the folder by the index. */
  includePaths: string[];
  exclude: string[];
}

// A record, so that adding a code to FindingCode without listing it here fails to compile.
const CODES: Record<FindingCode, true> = {
  'arena-too-small': true,
  'arena-oversized': true,
  'op-not-registered': true,
  'resolver-capacity': true,
  'op-unused': true,
  'ram-over-budget': true,
  'flash-over-budget': true,
  'model-misaligned': true,
  'float-on-no-fpu': true,
  'unsupported-op': true,
  'model-unreadable': true,
  'model-not-found': true,
};
const SEVERITIES = new Set(['error', 'warning', 'info', 'hint', 'off']);

export function firmwareOptions(settings: Settings): FirmwareOptions {
  return {
    board: settings.board,
    arenaMarginPercent: settings.arenaMarginPercent,
    kernels: settings.kernels,
    severityOverrides: settings.severity,
  };
}

/** Checks a raw `tinyml` section (any JSON a client sends); `warn` hears about each bad value. */
export function sanitizeSettings(raw: unknown, warn: (message: string) => void): Settings {
  const section = isRecord(raw) ? raw : {};
  const defaultBoard = findBoard(DEFAULT_BOARD_ID);
  if (!defaultBoard) throw new Error(`the default board ${DEFAULT_BOARD_ID} is missing from boards.json`);

  let board = defaultBoard;
  if (section.board !== undefined && section.board !== null && section.board !== '') {
    const found = typeof section.board === 'string' ? findBoard(section.board) : undefined;
    if (found) board = found;
    else warn(`tinyml.board: unknown board ${JSON.stringify(section.board)}; using ${DEFAULT_BOARD_ID} (run 'tinyml boards' for the ids).`);
  }

  let arenaMarginPercent = DEFAULT_MARGIN_PERCENT;
  const margin = section.arenaMarginPercent;
  if (margin !== undefined && margin !== null) {
    if (typeof margin === 'number' && Number.isFinite(margin) && margin >= 0 && margin <= 400) arenaMarginPercent = margin;
    else warn(`tinyml.arenaMarginPercent: ${JSON.stringify(margin)} is not a number from 0 to 400; using ${DEFAULT_MARGIN_PERCENT}.`);
  }

  let kernels: Settings['kernels'] = 'optimized';
  if (section.kernels === 'reference' || section.kernels === 'optimized') kernels = section.kernels;
  else if (section.kernels !== undefined && section.kernels !== null) {
    warn(`tinyml.kernels: ${JSON.stringify(section.kernels)} is neither 'optimized' nor 'reference'; using 'optimized'.`);
  }

  const severity: Settings['severity'] = {};
  // VS Code nests dotted keys (`diagnostics.severity` → {diagnostics: {severity}}); accept both spellings.
  const rawSeverity = isRecord(section.diagnostics) ? section.diagnostics.severity : section['diagnostics.severity'];
  if (isRecord(rawSeverity)) {
    for (const [code, value] of Object.entries(rawSeverity)) {
      if (!(code in CODES)) warn(`tinyml.diagnostics.severity: unknown code '${code}' ignored.`);
      else if (typeof value !== 'string' || !SEVERITIES.has(value)) {
        warn(`tinyml.diagnostics.severity.${code}: ${JSON.stringify(value)} is not error, warning, info, hint or off; ignored.`);
      } else severity[code as FindingCode] = value as Severity | 'off';
    }
  }

  return {
    board,
    arenaMarginPercent,
    kernels,
    severity,
    includePaths: stringList(section.includePaths, 'includePaths', [], warn),
    exclude: stringList(section.exclude, 'exclude', [...DEFAULT_EXCLUDE], warn),
  };
}

function stringList(value: unknown, name: string, fallback: string[], warn: (message: string) => void): string[] {
  if (value === undefined || value === null) return fallback;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  warn(`tinyml.${name}: expected a list of strings; using ${JSON.stringify(fallback)}.`);
  return fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Settings per workspace folder (key: the folder's uri, or '' for files outside every folder).
 * `fetch` asks the client; when it cannot (no `workspace/configuration`), `pushed` holds what
 * the last didChangeConfiguration carried.
 */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<Settings>>();
  private readonly warned = new Set<string>();
  private pushed: unknown;
  private fetch: ((scopeUri: string | undefined) => Promise<unknown>) | undefined;

  constructor(private readonly showWarning: (message: string) => void) {}

  /** At `initialize`: how to ask the client, if it supports `workspace/configuration`. */
  useClient(fetch: ((scopeUri: string | undefined) => Promise<unknown>) | undefined): void {
    this.fetch = fetch;
    this.clear();
  }

  get(folderUri: string): Promise<Settings> {
    let entry = this.cache.get(folderUri);
    if (!entry) {
      entry = this.read(folderUri);
      this.cache.set(folderUri, entry);
    }
    return entry;
  }

  /** didChangeConfiguration: forget every folder's settings; `pushed` is the client's payload. */
  clear(pushed?: unknown): void {
    this.cache.clear();
    if (isRecord(pushed) && 'tinyml' in pushed) this.pushed = pushed.tinyml;
  }

  private async read(folderUri: string): Promise<Settings> {
    let raw: unknown = this.pushed;
    if (this.fetch) {
      try {
        raw = await this.fetch(folderUri === '' ? undefined : folderUri);
      } catch (error) {
        this.warnOnce(`Could not read the tinyml settings (${error instanceof Error ? error.message : String(error)}); using defaults.`);
      }
    }
    return sanitizeSettings(raw, (message) => this.warnOnce(message));
  }

  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.showWarning(message);
  }
}
