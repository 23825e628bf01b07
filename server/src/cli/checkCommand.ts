// `tinyml check <paths...> [--board <id>] [--kernels ...] [--margin <percent>] [--json]`: the
// language server's diagnostics for firmware sources and model files, printed like a compiler's
// (`path:line:col: error[code]: message`, 1-based), for terminals and CI. Exit 1 on any error.

import { readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { findBoard } from '../analysis/boards';
import { analyzeFirmware, analyzeModelFile, type FirmwareOptions } from '../analysis/firmware';
import type { Finding, Severity } from '../analysis/findings';
import { classify, DEFAULT_EXCLUDE, DiskWorkspace, pathOf, scanFolder, uriOf, type ScanResult } from '../lsp/diskWorkspace';
import { DEFAULT_BOARD_ID, DEFAULT_MARGIN_PERCENT } from '../lsp/settings';
import { parseArgs, UsageError } from './args';

export interface CheckRow {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Severity;
  code: string;
  message: string;
}

export function checkCommand(argv: readonly string[], out: (text: string) => void): number {
  const args = parseArgs(argv, { values: ['board', 'kernels', 'margin'], flags: ['json'], aliases: { b: 'board' } });
  if (args.positional.length === 0) throw new UsageError('expected one or more files or folders to check');
  const options = optionsOf(args.values);
  const files = collect(args.positional.map((p) => resolve(p)));

  const findings: Finding[] = [];
  if (files.firmware.length > 0) findings.push(...analyzeFirmware(new DiskWorkspace(files.firmware), options).findings);
  for (const path of files.models) findings.push(...modelFindings(path, options));
  const rows = findings.map(toRow).sort(byPlace);

  if (args.flags.has('json')) out(JSON.stringify(rows, null, 2));
  else {
    for (const row of rows) out(`${row.file}:${row.line}:${row.column}: ${row.severity}[${row.code}]: ${row.message}`);
    for (const skipped of files.skipped) out(`${displayPath(skipped.path)}: skipped: ${skipped.reason}`);
    out(summary(rows, files.firmware.length + files.models.length));
  }
  return rows.some((r) => r.severity === 'error') ? 1 : 0;
}

function optionsOf(values: Map<string, string[]>): FirmwareOptions {
  const boardId = values.get('board')?.[0] ?? DEFAULT_BOARD_ID;
  const board = findBoard(boardId);
  if (!board) throw new UsageError(`unknown board '${boardId}' (run 'tinyml boards' for the list)`);
  const kernels = values.get('kernels')?.[0] ?? 'optimized';
  if (kernels !== 'optimized' && kernels !== 'reference') {
    throw new UsageError(`--kernels must be 'optimized' or 'reference', not '${kernels}'`);
  }
  const marginText = values.get('margin')?.[0];
  const margin = marginText === undefined ? DEFAULT_MARGIN_PERCENT : Number(marginText);
  if (!/^\d+(\.\d+)?$/.test(marginText ?? '0') || !(margin >= 0 && margin <= 400)) {
    throw new UsageError(`--margin must be a percentage from 0 to 400, not '${marginText}'`);
  }
  return { board, arenaMarginPercent: margin, kernels };
}

/** Folders are scanned as the server scans a workspace folder; files named outright are taken as they are. */
function collect(paths: readonly string[]): ScanResult {
  const all: ScanResult = { firmware: [], models: [], skipped: [] };
  for (const path of paths) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch (error) {
      throw new UsageError(`${displayPath(path)}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    if (isDirectory) {
      const scan = scanFolder(path, { exclude: DEFAULT_EXCLUDE });
      all.firmware.push(...scan.firmware);
      all.models.push(...scan.models);
      all.skipped.push(...scan.skipped);
    } else {
      const before = all.firmware.length + all.models.length + all.skipped.length;
      classify(path, all);
      if (all.firmware.length + all.models.length + all.skipped.length === before) {
        throw new UsageError(`${displayPath(path)}: not a C/C++ source, .tflite or .onnx file`);
      }
    }
  }
  all.firmware = [...new Set(all.firmware)];
  all.models = [...new Set(all.models)];
  return all;
}

/** The core reports an unreadable model as a finding; a crash in it is reported the same way, for this file only. */
function modelFindings(path: string, options: FirmwareOptions): Finding[] {
  const uri = uriOf(path);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(readFileSync(path));
  } catch (error) {
    return [unreadable(uri, `Cannot read the model file (${(error as NodeJS.ErrnoException).code ?? String(error)}).`)];
  }
  try {
    return analyzeModelFile(uri, bytes, options);
  } catch (error) {
    return [unreadable(uri, `The model could not be analyzed: ${error instanceof Error ? error.message : String(error)}`)];
  }
}

function unreadable(uri: string, message: string): Finding {
  const start = { line: 0, character: 0 };
  return { uri, range: { start, end: start }, severity: 'error', code: 'model-unreadable', message };
}

function toRow(finding: Finding): CheckRow {
  const { start, end } = finding.range;
  return {
    file: displayPath(pathOf(finding.uri) ?? finding.uri),
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
    severity: finding.severity,
    code: finding.code,
    message: finding.message,
  };
}

function byPlace(a: CheckRow, b: CheckRow): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/** Relative to the working directory when below it, as compilers print paths. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith('/') ? rel : path;
}

function summary(rows: readonly CheckRow[], fileCount: number): string {
  const count = (severity: Severity) => rows.filter((r) => r.severity === severity).length;
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const notes = count('info') + count('hint');
  return `${plural(count('error'), 'error')}, ${plural(count('warning'), 'warning')}, ${plural(notes, 'note')} in ${plural(fileCount, 'file')} checked`;
}
