// `npm run bench`: budget time and peak memory per ../shared model, with a peer measured in
// the same run so the figures mean something on any machine: one SHA-256 pass over the file's
// bytes (the least work any tool does to a model). Targets from issue #2: a 300 KB model under
// 20 ms, the 4 MB mobilenet under 150 ms, peak memory under 3x the file size (for files large
// enough that their bytes, not fixed per-run costs, dominate).

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { computeBudget } from '../server/src/analysis/budget';
import { findBoard } from '../server/src/analysis/boards';
import { loadModel } from '../server/src/model/load';

const shared = resolve(__dirname, '..', '..', '..', 'shared', 'models');
const board = findBoard('nucleo-l4r5zi');
if (!board) throw new Error('board data lacks nucleo-l4r5zi');

function modelFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return modelFiles(path);
    return /\.(tflite|onnx)$/.test(entry.name) ? [path] : [];
  });
}

/** Median wall time of `fn` over enough runs to last ~300 ms (at least 5). */
function medianMs(fn: () => void): number {
  const times: number[] = [];
  const deadline = performance.now() + 300;
  while (times.length < 5 || (performance.now() < deadline && times.length < 200)) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Bytes allocated by one run (JS heap + ArrayBuffers), taken with a fresh young generation and
 * no GC inside the run: an upper bound on the run's peak extra memory.
 */
function allocatedBytes(fn: () => unknown): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with node --expose-gc');
  let worst = 0;
  for (let i = 0; i < 3; i++) {
    gc();
    const before = process.memoryUsage();
    const result = fn();
    const after = process.memoryUsage();
    void result;
    worst = Math.max(worst, after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers));
  }
  return worst;
}

/** Below this size a model's own bytes no longer dominate: fixed per-run costs do. */
const MEMORY_TARGET_FROM_BYTES = 100_000;

const rows: string[][] = [];
let failures = 0;
for (const path of modelFiles(shared).sort()) {
  const bytes = new Uint8Array(readFileSync(path));
  const budgetMs = medianMs(() => computeBudget(loadModel(bytes, path), board));
  const hashMs = medianMs(() => createHash('sha256').update(bytes).digest());
  const peak = allocatedBytes(() => computeBudget(loadModel(bytes, path), board));
  const targetMs = bytes.length >= 2_000_000 ? 150 : 20 * Math.max(1, bytes.length / 300_000);
  const memoryTarget = Math.max(3 * bytes.length, 3 * MEMORY_TARGET_FROM_BYTES);
  const ok = budgetMs <= targetMs && peak <= memoryTarget;
  if (!ok) failures++;
  rows.push([
    relative(shared, path),
    `${(bytes.length / 1000).toFixed(1)} KB`,
    `${budgetMs.toFixed(2)} ms`,
    `${hashMs.toFixed(3)} ms`,
    `${(budgetMs / hashMs).toFixed(1)}x`,
    `${(peak / 1000).toFixed(0)} KB (${(peak / bytes.length).toFixed(2)}x)`,
    ok ? 'ok' : `MISSED (target ${targetMs.toFixed(0)} ms, ${(memoryTarget / 1000).toFixed(0)} KB)`,
  ]);
}

const header = ['model', 'size', 'budget', 'sha256 peer', 'budget/peer', 'allocated (x file)', 'target'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const fmt = (r: string[]) => r.map((c, i) => c.padEnd(widths[i])).join('  ');
console.log('Budget (load + plan + costs) per model, median wall time; peer: one SHA-256 pass over the same bytes.');
console.log(`Memory: bytes allocated by one run, an upper bound on its peak; target 3x the file (at least 3x ${MEMORY_TARGET_FROM_BYTES / 1000} KB).\n`);
console.log(fmt(header));
for (const row of rows) console.log(fmt(row));
console.log(failures === 0 ? '\nall budget targets met' : `\n${failures} model(s) missed a target`);
