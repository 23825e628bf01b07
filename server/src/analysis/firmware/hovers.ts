// Hovers: on an AddXxx() call, the layers that use its op; on the arena size, need against
// declared with the parts of the need.

import type { HoverInfo } from '../findings';
import { formatBytes, formatShape } from '../units';
import { arenaNeed, budgetOf, modelOf } from './modelArrays';
import { recommendedArena, sizeText } from './rules/arenaSize';
import type { RuleContext } from './rules/context';
import { grouped, rangeOf } from './text';
import { kernelByMethod } from './tflmKernels';

export function hoversFor(ctx: RuleContext): HoverInfo[] {
  const { board, kernels, arenaMarginPercent } = ctx.options;
  const out: HoverInfo[] = [];
  const seen = new Set<string>();
  for (const d of ctx.deployments) {
    if (!d.model) continue;
    const graph = modelOf(d.model).graph;
    if (!graph) continue;
    const model = d.model.fact.name;
    for (const add of d.resolver?.adds ?? []) {
      const kernel = kernelByMethod(add.fact.method);
      const key = `${add.file.uri}#${add.fact.methodSpan.start}`;
      if (!kernel || seen.has(key)) continue;
      seen.add(key);
      const lines: string[] = [];
      graph.subgraphs.forEach((sg, s) => {
        for (const op of sg.operators) {
          if (op.opType !== kernel.op) continue;
          const outT = sg.tensors[op.outputs[0]];
          lines.push(`- ${graph.subgraphs.length > 1 ? `subgraph ${s} ` : ''}#${op.index} → ${outT ? `${formatShape(outT.shape)} ${outT.dtype}` : '?'}`);
        }
      });
      const head = `**${add.fact.method}()** registers \`${kernel.op}\``;
      const markdown =
        lines.length === 0
          ? `${head}: not used by \`${model}\`.`
          : `${head}, used by ${lines.length} layer${lines.length === 1 ? '' : 's'} of \`${model}\`:\n\n${lines.slice(0, 24).join('\n')}${lines.length > 24 ? '\n- …' : ''}`;
      out.push({ uri: add.file.uri, range: rangeOf(add.file, add.fact.methodSpan), markdown });
    }
    const site = d.arena?.size;
    const declared = d.arena?.declaredBytes;
    if (site && declared !== undefined) {
      const key = `${site.file.uri}#${site.span.start}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const need = arenaNeed(budgetOf(d.model, graph, board, kernels), board, kernels);
      const rec = sizeText(site, recommendedArena(need.bytes, arenaMarginPercent));
      out.push({
        uri: site.file.uri,
        range: rangeOf(site.file, site.span),
        markdown:
          `**Tensor arena** \`${site.label}\`: declared ${grouped(declared)} bytes (${formatBytes(declared)})\n\n` +
          `\`${model}\` needs ${grouped(need.bytes)} bytes (${formatBytes(need.bytes)}) with ${need.kernels === 'cmsis-nn' ? 'CMSIS-NN' : 'reference'} kernels on the ${board.name}: ` +
          `planned ${grouped(need.planned)} + persistent ${grouped(need.persistent)} + set-up headroom ${grouped(need.headroom)}\n\n` +
          `With a ${arenaMarginPercent}% margin: \`${rec.text}\` (${grouped(rec.value)} bytes)`,
      });
    }
  }
  return out;
}
