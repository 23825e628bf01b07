// Code lenses: one line of figures above a model array, a MicroInterpreter and the tensor
// arena; a click runs `tinyml.showBudget` for the array.

import type { Lens } from '../findings';
import { formatBytes, formatMs } from '../units';
import { arenaNeed, budgetOf, modelOf } from './modelArrays';
import type { RuleContext } from './rules/context';
import { rangeOf } from './text';

const kib = (n: number) => (n / 1024).toFixed(1);

export function lensesFor(ctx: RuleContext): Lens[] {
  const { board, kernels } = ctx.options;
  const out: Lens[] = [];
  const seen = new Set<string>();
  const push = (lens: Lens) => {
    const key = `${lens.uri}#${lens.range.start.line}:${lens.range.start.character}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(lens);
    }
  };
  for (const a of ctx.modelArrays) {
    const graph = modelOf(a).graph;
    if (!graph) continue;
    const budget = budgetOf(a, graph, board, kernels);
    const need = arenaNeed(budget, board, kernels);
    push({
      uri: a.file.uri,
      range: rangeOf(a.file, a.fact.nameSpan),
      title:
        `model ${formatBytes(budget.totals.flashBytes)} flash · arena ${formatBytes(need.bytes)} ` +
        `(planned ${kib(need.planned)} + persistent ${kib(need.persistent)}) · ~${formatMs(budget.totals.latencyMs)} on ${board.name}`,
      command: { name: 'tinyml.showBudget', args: [{ uri: a.file.uri, arrayName: a.fact.name }] },
    });
  }
  for (const d of ctx.deployments) {
    if (!d.model) continue;
    const graph = modelOf(d.model).graph;
    if (!graph) continue;
    const need = arenaNeed(budgetOf(d.model, graph, board, kernels), board, kernels);
    const declared = d.arena?.declaredBytes;
    const verdict =
      declared === undefined ? 'arena size unknown' : declared >= need.bytes ? `${formatBytes(declared - need.bytes)} spare` : `short by ${formatBytes(need.bytes - declared)}`;
    const command = { name: 'tinyml.showBudget', args: [{ uri: d.model.file.uri, arrayName: d.model.fact.name }] };
    push({
      uri: d.file.uri,
      range: rangeOf(d.file, d.interpreter.span),
      title: `runs ${d.model.fact.name} · needs ${formatBytes(need.bytes)} of arena (${need.kernels === 'cmsis-nn' ? 'CMSIS-NN' : 'reference'} kernels) · ${verdict}`,
      command,
    });
    const arena = d.arena?.array;
    if (arena && declared !== undefined) {
      push({
        uri: arena.file.uri,
        range: rangeOf(arena.file, arena.fact.nameSpan),
        title: `arena ${formatBytes(declared)} · ${d.model.fact.name} needs ${formatBytes(need.bytes)} · ${verdict}`,
        command,
      });
    }
  }
  return out;
}
