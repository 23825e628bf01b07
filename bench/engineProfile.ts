// Engine profile (#4 item 5): where an inference's time goes, op by op. Wraps every kernel of the
// registry so that each prepared Eval is timed, runs warm invokes of the chosen models and prints
// the ops that dominate (total ms per inference by op type, then the ten slowest single ops with
// their shapes). Also a workload for `node --cpu-prof`, which names the hot functions themselves.
// Run: npx tsx bench/engineProfile.ts [model-substring ...] [--runs N] [--untimed]

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { prepareEngine } from '../server/src/engine/engine';
import type { Eval, Kernel, KernelContext } from '../server/src/engine/kernels/kernel';
import { KERNELS } from '../server/src/engine/kernels/registry';
import { readTflite } from '../server/src/model/tflite/reader';

const DEFAULT_MODELS = ['kws_ref_model', 'vww_96_int8', 'pretrainedResnet_quant', 'ad01_int8', 'person_detect.tflite'];

interface OpTiming {
  label: string;
  opType: string;
  /** Time in the current round. */
  ms: number;
  /** The fastest round's time per inference: other processes only ever add time. */
  best: number;
}

const ROUNDS = 10;

function sharedModels(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const candidate = resolve(dir, '..', 'shared', 'models');
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(`no ../shared/models above ${__dirname}`);
}

function tfliteFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tfliteFiles(path);
    return e.name.endsWith('.tflite') ? [path] : [];
  });
}

/** The benchmark's deterministic input bytes (the TFLM oracle's LCG). */
function inputBytes(length: number): Uint8Array {
  const out = new Uint8Array(length);
  let s = 0x2545f491;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s >>> 24;
  }
  return out;
}

/** Replaces every registry kernel by one whose Eval records its time into `sink` (while `sink.on`). */
function instrumentKernels(sink: { on: boolean; timings: OpTiming[] }): void {
  const table = KERNELS as Record<string, Kernel>;
  for (const [opType, kernel] of Object.entries(table)) {
    table[opType] = {
      prepare(ctx: KernelContext): Eval {
        const inner = kernel.prepare(ctx);
        const shapes = ctx.op.inputs
          .filter((i) => i >= 0)
          .map((_, k) => `[${ctx.input(k).shape.join('x')}]`)
          .join(' ');
        const out = `[${ctx.output(0).shape.join('x')}]`;
        const timing: OpTiming = { label: `${opType} ${shapes} -> ${out}`, opType, ms: 0, best: Infinity };
        sink.timings.push(timing);
        return () => {
          if (!sink.on) return inner();
          const t0 = performance.now();
          inner();
          timing.ms += performance.now() - t0;
        };
      },
    };
  }
}

function main(): void {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 200;
  const untimed = args.includes('--untimed');
  const wanted = args.filter((a, i) => !a.startsWith('--') && (runsAt < 0 || i !== runsAt + 1));
  const patterns = wanted.length > 0 ? wanted : DEFAULT_MODELS;
  const sink = { on: false, timings: [] as OpTiming[] };
  if (!untimed) instrumentKernels(sink);

  const files = tfliteFiles(sharedModels()).sort();
  for (const pattern of patterns) {
    const path = files.find((f) => basename(f).includes(pattern));
    if (!path) {
      console.log(`${pattern}: no such model`);
      continue;
    }
    sink.timings = [];
    const graph = readTflite(new Uint8Array(readFileSync(path)));
    const engine = prepareEngine(graph);
    const given = engine.inputs.map((t) => {
      const bytes = inputBytes(t.bytes.byteLength);
      return t.dtype === 'int8' ? new Int8Array(bytes.buffer) : bytes;
    });
    for (let i = 0; i < 5; i++) engine.invoke(given);
    // Rounds of runs / ROUNDS invokes; each op and the whole keep their fastest round.
    const perRound = Math.max(1, Math.floor(runs / ROUNDS));
    let perInference = Infinity;
    for (let r = 0; r < ROUNDS; r++) {
      for (const t of sink.timings) t.ms = 0;
      sink.on = true;
      const t0 = performance.now();
      for (let i = 0; i < perRound; i++) engine.invoke(given);
      perInference = Math.min(perInference, (performance.now() - t0) / perRound);
      sink.on = false;
      for (const t of sink.timings) t.best = Math.min(t.best, t.ms / perRound);
    }

    console.log(`\n${basename(path)}: ${perInference.toFixed(3)} ms per inference (fastest of ${ROUNDS} rounds of ${perRound})`);
    if (untimed) continue;
    const byType = new Map<string, { ms: number; count: number }>();
    for (const t of sink.timings) {
      const e = byType.get(t.opType) ?? { ms: 0, count: 0 };
      e.ms += t.best;
      e.count++;
      byType.set(t.opType, e);
    }
    const total = [...byType.values()].reduce((s, e) => s + e.ms, 0);
    for (const [type, e] of [...byType.entries()].sort((a, b) => b[1].ms - a[1].ms)) {
      console.log(`  ${type.padEnd(18)} ${String(e.count).padStart(3)} ops  ${e.ms.toFixed(3).padStart(8)} ms  ${((100 * e.ms) / total).toFixed(1).padStart(5)}%`);
    }
    console.log('  slowest ops:');
    for (const t of [...sink.timings].sort((a, b) => b.best - a.best).slice(0, 10)) {
      console.log(`    ${t.best.toFixed(3).padStart(7)} ms  ${t.label}`);
    }
  }
}

main();
