// ram-over-budget / flash-over-budget: what the firmware visibly puts in SRAM (the arena and every
// other non-const static array) and in flash (model arrays plus an estimate of TFLM's code)
// against the board's memory.

import { formatBytes } from '../../units';
import { TFLM_CODE_SIZE, tflmCodeBytes } from '../codeSize';
import type { ArrayFact } from '../facts';
import { arenaNeed, budgetOf, modelOf } from '../modelArrays';
import type { Located } from '../project';
import { grouped, rangeOf } from '../text';
import { TFLM_KERNELS } from '../tflmKernels';
import { opLayers } from './resolverOps';
import type { RuleContext } from './context';

export function ramRule(ctx: RuleContext): void {
  const { board, kernels } = ctx.options;
  const statics: { a: Located<ArrayFact>; bytes: number }[] = [];
  for (const list of ctx.project.arrays.values()) {
    for (const a of list) {
      if (!a.fact.staticStorage || a.fact.isConst || a.fact.isExtern) continue;
      const bytes = ctx.project.arrayBytes(a);
      if (bytes !== undefined && bytes > 0) statics.push({ a, bytes });
    }
  }
  const reported = new Set<string>();
  for (const d of ctx.deployments) {
    const arena = d.arena?.array;
    if (!arena) continue;
    const key = `${arena.file.uri}#${arena.fact.nameSpan.start}`;
    if (reported.has(key)) continue;
    reported.add(key);
    const declared = d.arena?.declaredBytes ?? 0;
    let need = 0;
    const graph = d.model ? modelOf(d.model).graph : undefined;
    if (d.model && graph) need = arenaNeed(budgetOf(d.model, graph, board, kernels), board, kernels).bytes;
    const arenaBytes = Math.max(declared, need);
    const others = statics.filter((s) => s.a.fact !== arena.fact);
    const otherBytes = others.reduce((n, s) => n + s.bytes, 0);
    const total = arenaBytes + otherBytes;
    if (total <= board.ramBytes) continue;
    others.sort((x, y) => y.bytes - x.bytes);
    const list = others.slice(0, 3).map((s) => `${s.a.fact.name} ${formatBytes(s.bytes)}`).join(', ');
    const arenaText = need > declared ? `the arena ${d.model?.fact.name ?? 'the model'} needs, ${formatBytes(need)}` : `the arena ${formatBytes(declared)}`;
    ctx.emit({
      uri: arena.file.uri,
      range: rangeOf(arena.file, arena.fact.nameSpan),
      severity: 'error',
      code: 'ram-over-budget',
      message:
        `Static RAM ${grouped(total)} bytes (${formatBytes(total)}) exceeds the ${formatBytes(board.ramBytes)} of SRAM on the ${board.name} ` +
        `by ${formatBytes(total - board.ramBytes)}: ${arenaText}` +
        (others.length > 0 ? ` + ${others.length} other static array${others.length === 1 ? '' : 's'} ${formatBytes(otherBytes)} (${list})` : ''),
    });
  }
}

export function flashRule(ctx: RuleContext): void {
  const { board } = ctx.options;
  for (const a of ctx.modelArrays) {
    const bytes = ctx.project.arrayBytes(a) ?? 0;
    // Kernels linked: what the resolver registers, all of them for AllOpsResolver, else the model's ops.
    const d = ctx.deployments.find((x) => x.model?.fact === a.fact);
    let kernels: number;
    let basis: string;
    if (d?.resolver?.kind === 'all') {
      kernels = TFLM_KERNELS.length;
      basis = `AllOpsResolver links all ${kernels} kernels`;
    } else if (d?.resolver && d.resolver.adds.length > 0) {
      kernels = d.resolver.adds.length;
      basis = `${kernels} registered kernel${kernels === 1 ? '' : 's'}`;
    } else {
      const graph = modelOf(a).graph;
      kernels = graph ? opLayers(graph).size : 0;
      basis = `${kernels} kernel${kernels === 1 ? '' : 's'} for the model's ops`;
    }
    const code = tflmCodeBytes(kernels);
    const total = bytes + code;
    if (total <= board.flashBytes) continue;
    ctx.emit({
      uri: a.file.uri,
      range: rangeOf(a.file, a.fact.nameSpan),
      severity: 'error',
      code: 'flash-over-budget',
      message:
        `${a.fact.name} (${grouped(bytes)} bytes, ${formatBytes(bytes)}) plus ~${formatBytes(code)} of TFLM code (${basis}) is ${formatBytes(total)}, ` +
        `more than the ${formatBytes(board.flashBytes)} of flash on the ${board.name} (code size ${TFLM_CODE_SIZE.basis})`,
    });
  }
}
