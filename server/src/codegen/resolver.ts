// Op resolver generation (`tinyml resolver`, `TinyML: Generate Op Resolver` via `tinyml/codegen/resolver`):
// an exact `tflite::MicroMutableOpResolver<N>` with one AddXxx() per distinct op the model uses,
// in the order the ops first appear (every subgraph: TFLM resolves the ops of IF/WHILE bodies too).

import { kernelSupport } from '../analysis/tflmKernels';
import type { Graph } from '../model/graph';

export type ResolverStyle = 'plain' | 'checked';

export interface ResolverOptions {
  /** The resolver variable; default `resolver`. */
  variableName?: string;
  /** `checked` wraps each call in `if (r.AddXxx() != kTfLiteOk) return false;` (inside a function returning bool). */
  style?: ResolverStyle;
  /** Model name for the leading comment, e.g. the file's stem. */
  modelName?: string;
}

export interface ResolverOp {
  /** The model's op name: TFLite builtin, custom code, or ONNX op type. */
  op: string;
  custom: boolean;
  /** The MicroMutableOpResolver method; absent when TFLM has no kernel for the op. */
  method?: string;
  /** For ONNX models, the TFLite builtin a converter usually emits. */
  tfliteOp?: string;
}

export interface GeneratedResolver {
  /** The template argument: one slot per AddXxx() call. */
  n: number;
  code: string;
  /** Every distinct op in first-appearance order, registered or not. */
  ops: ResolverOp[];
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function generateResolver(graph: Graph, options: ResolverOptions = {}): GeneratedResolver {
  const name = options.variableName ?? 'resolver';
  if (!IDENTIFIER.test(name)) throw new Error(`'${name}' is not a C identifier`);
  const style = options.style ?? 'plain';

  const ops: ResolverOp[] = [];
  const seenOps = new Set<string>();
  const methods: string[] = [];
  for (const subgraph of graph.subgraphs) {
    for (const operator of subgraph.operators) {
      const key = `${operator.custom ? 'custom' : 'builtin'}:${operator.opType}`;
      if (seenOps.has(key)) continue;
      seenOps.add(key);
      const support = kernelSupport(operator, graph.format);
      ops.push({
        op: operator.opType,
        custom: operator.custom,
        ...(support.resolverMethod ? { method: support.resolverMethod } : {}),
        ...(support.tfliteOp ? { tfliteOp: support.tfliteOp } : {}),
      });
      // Two ONNX ops may map to one kernel (Gemm, MatMul → AddFullyConnected): register it once.
      if (support.resolverMethod && !methods.includes(support.resolverMethod)) methods.push(support.resolverMethod);
    }
  }

  const n = methods.length;
  const what = options.modelName ? `${options.modelName} uses` : 'the model uses';
  const lines: string[] = [
    n === 1 ? `// The one op ${what} (TinyML Lens).` : `// The ${n} ops ${what}, in the order they first appear (TinyML Lens).`,
  ];
  if (graph.format === 'onnx') lines.push('// ONNX model: the kernels its ops usually become after conversion to TFLite.');
  // N = 0 is not a valid array size in TFLM's resolver; keep the declaration compilable.
  lines.push(`static tflite::MicroMutableOpResolver<${Math.max(n, 1)}> ${name};`);
  const emitted = new Set<string>();
  for (const op of ops) {
    if (!op.method) {
      lines.push(missingComment(op, graph.format));
      continue;
    }
    if (emitted.has(op.method)) continue;
    emitted.add(op.method);
    lines.push(style === 'checked' ? `if (${name}.${op.method}() != kTfLiteOk) return false;` : `${name}.${op.method}();`);
  }
  return { n, code: `${lines.join('\n')}\n`, ops };
}

function missingComment(op: ResolverOp, format: Graph['format']): string {
  if (op.custom) {
    return `// Custom op '${op.op}': TFLM has no AddXxx() for it; register your kernel with AddCustom("${op.op}", ...) and raise N by one.`;
  }
  if (format === 'onnx') return `// ONNX op '${op.op}': no TFLM kernel after conversion; the model cannot run as is.`;
  return `// ${op.op}: TFLM has no kernel for this builtin; the model cannot run as is.`;
}
