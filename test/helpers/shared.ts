// Paths to the shared, read-only reference material beside the repository (models, inputs and
// TFLM's measured figures), as CI lays it out: ../shared next to the clone.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(__dirname, '..', '..');
export const sharedDir = resolve(repoRoot, '..', 'shared');
export const modelsDir = join(sharedDir, 'models');
export const oracleDir = join(sharedDir, 'oracle');

export function sharedModel(relativePath: string): Uint8Array {
  return new Uint8Array(readFileSync(join(modelsDir, relativePath)));
}

export interface OracleCmsisSummaryRow {
  model: string;
  usedRef: number;
  usedCmsis: number;
  minRef: number;
  minCmsis: number;
  plannedRef: number;
  plannedCmsis: number;
  persistentRef: number;
  persistentCmsis: number;
  instructionsRef: number;
  instructionsCmsis: number;
}

/** The nine-model summary table of oracle/tflm-cmsis-m4/README.md, parsed as it stands. */
export function oracleSummaryTable(): OracleCmsisSummaryRow[] {
  const text = readFileSync(join(oracleDir, 'tflm-cmsis-m4', 'README.md'), 'utf8');
  const rows: OracleCmsisSummaryRow[] = [];
  for (const line of text.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | model | used ref | used cmsis | min ref | min cmsis | planned r / c | persistent r / c | instr ref | instr cmsis | ...
    if (cells.length < 11 || !/^[A-Za-z0-9_]+$/.test(cells[1]) || !/^[\d,]+$/.test(cells[2])) continue;
    const n = (s: string) => Number(s.replace(/,/g, ''));
    const pair = (s: string) => s.split('/').map((x) => n(x.trim()));
    const [plannedRef, plannedCmsis] = pair(cells[6]);
    const [persistentRef, persistentCmsis] = pair(cells[7]);
    rows.push({
      model: cells[1],
      usedRef: n(cells[2]),
      usedCmsis: n(cells[3]),
      minRef: n(cells[4]),
      minCmsis: n(cells[5]),
      plannedRef,
      plannedCmsis,
      persistentRef,
      persistentCmsis,
      instructionsRef: n(cells[8]),
      instructionsCmsis: n(cells[9]),
    });
  }
  return rows;
}

/** Where a model named in the oracle lives under ../shared/models. */
export function modelPathForStem(stem: string): string {
  for (const dir of ['tflm', 'mlperf-tiny']) {
    const path = join(modelsDir, dir, `${stem}.tflite`);
    if (existsSync(path)) return path;
  }
  throw new Error(`no model file for oracle stem ${stem}`);
}

export function oracleJson(folder: 'tflm' | 'tflm-cmsis-m4', stem: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(oracleDir, folder, `${stem}.json`), 'utf8')) as Record<string, unknown>;
}
