// model-unreadable / model-misaligned / float-on-no-fpu / unsupported-op / model-not-found: what is
// wrong with a model array itself, whichever interpreter runs it.

import type { Graph } from '../../../model/graph';
import type { Finding } from '../../findings';
import type { Board } from '../../boards';
import { modelOf } from '../modelArrays';
import { insert, rangeOf } from '../text';
import { kernelForOp, TFLM_COMMIT } from '../tflmKernels';
import { opLayers } from './resolverOps';
import type { RuleContext } from './context';

/** Op types whose kernel would compute in float32 (a float32 activation in or out). */
export function floatOps(graph: Graph): Map<string, number> {
  const out = new Map<string, number>();
  for (const sg of graph.subgraphs) {
    for (const op of sg.operators) {
      const float = [...op.inputs, ...op.outputs].some((i) => i >= 0 && sg.tensors[i]?.dtype === 'float32' && !sg.tensors[i].data);
      if (float) out.set(op.opType, (out.get(op.opType) ?? 0) + 1);
    }
  }
  return out;
}

/** Findings about a graph alone, placed at `at` (shared with analyzeModelFile). */
export function graphFindings(graph: Graph, name: string, board: Board, at: Pick<Finding, 'uri' | 'range'>): Finding[] {
  const out: Finding[] = [];
  for (const [op, layers] of opLayers(graph)) {
    if (kernelForOp(op)) continue;
    out.push({
      ...at,
      severity: 'warning',
      code: 'unsupported-op',
      message: `${name} uses ${op} (${layers.length} layer${layers.length === 1 ? '' : 's'}: ${layers.slice(0, 6).map((i) => `#${i}`).join(', ')}), which has no TFLM kernel (micro_mutable_op_resolver.h at ${TFLM_COMMIT.slice(0, 7)}): AllocateTensors() fails`,
    });
  }
  if (board.fpu === 'none') {
    const ops = floatOps(graph);
    const count = [...ops.values()].reduce((n, k) => n + k, 0);
    if (count > 0) {
      const list = [...ops].map(([op, k]) => `${op} ×${k}`).join(', ');
      out.push({
        ...at,
        severity: 'warning',
        code: 'float-on-no-fpu',
        message: `${name} runs ${count} float32 op${count === 1 ? '' : 's'} (${list}) on the ${board.name}, which has no FPU: every float operation is emulated in software; quantize the model to int8`,
      });
    }
  }
  return out;
}

export function modelChecksRule(ctx: RuleContext): void {
  const { board } = ctx.options;
  for (const a of ctx.modelArrays) {
    const at = { uri: a.file.uri, range: rangeOf(a.file, a.fact.nameSpan) };
    const info = modelOf(a);
    if (info.error !== undefined || !info.graph) {
      ctx.emit({ ...at, severity: 'error', code: 'model-unreadable', message: `${a.fact.name} is not a valid model: ${info.error ?? 'unreadable'}` });
      continue;
    }
    const align = ctx.project.alignmentOf(a);
    if (align === undefined || align < 16) {
      const c = /\.c$/i.test(a.file.uri);
      const attr = c ? '__attribute__((aligned(16))) ' : 'alignas(16) ';
      ctx.emit({
        ...at,
        severity: 'warning',
        code: 'model-misaligned',
        message:
          `${a.fact.name} is ${align === undefined ? 'not aligned' : `aligned to ${align} bytes`}: TFLM reads the flatbuffer in place and its ` +
          `tensors expect 16-byte alignment (unaligned reads fault on Cortex-M0 and cost cycles elsewhere)`,
        fixes: [{ title: `Add ${attr.trim()} to ${a.fact.name}`, edits: [insert(a.file, a.fact.declStart, attr)], isPreferred: true }],
      });
    }
    for (const f of graphFindings(info.graph, a.fact.name, board, at)) ctx.emit(f);
  }
  for (const d of ctx.deployments) {
    if (d.model || !d.modelName || !d.modelRef) continue;
    ctx.emit({
      uri: d.modelRef.file.uri,
      range: rangeOf(d.modelRef.file, d.modelRef.span),
      severity: 'info',
      code: 'model-not-found',
      message: `No definition of ${d.modelName} with its bytes in the workspace (only declarations): arena, resolver and flash checks need the array's initializer`,
    });
  }
}
