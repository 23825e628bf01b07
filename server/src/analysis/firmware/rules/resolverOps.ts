// op-not-registered / resolver-capacity / op-unused: the AddXxx() calls a MicroMutableOpResolver
// receives (in place or through helper functions) against the ops the model runs, with fixes
// that copy the user's own registration line and keep the template argument in step.

import type { Fix, TextEdit } from '../../findings';
import type { Graph } from '../../../model/graph';
import type { AddCallFact } from '../facts';
import { modelOf } from '../modelArrays';
import type { Deployment, Located, ResolverUse } from '../project';
import { indentAt, rangeOf, replace, insert, wholeLines } from '../text';
import { kernelByMethod, kernelForOp, type TflmKernel } from '../tflmKernels';
import type { RuleContext } from './context';

/** Layer indices per op type, over every subgraph (TFLM resolves ops of all subgraphs). */
export function opLayers(graph: Graph): Map<string, number[]> {
  const out = new Map<string, number[]>();
  graph.subgraphs.forEach((sg) => {
    for (const op of sg.operators) {
      const list = out.get(op.opType) ?? [];
      list.push(op.index);
      out.set(op.opType, list);
    }
  });
  return out;
}

/** The statement of `call` with its `AddXxx(...)` replaced by `method()`, at `call`'s layout. */
function copyOf(add: Located<AddCallFact>, method: string): string {
  const { text } = add.file;
  const { statement, callSpan } = add.fact;
  return text.slice(statement.start, callSpan.start) + `${method}()` + text.slice(callSpan.end, statement.end);
}

/** Edits that register `methods` after the last AddXxx() (or the declaration) and raise N. */
function registerEdits(r: ResolverUse, methods: readonly string[]): TextEdit[] | undefined {
  const edits: TextEdit[] = [];
  const last = r.adds[r.adds.length - 1];
  if (last) {
    const indent = indentAt(last.file.text, last.fact.statement.start);
    edits.push(insert(last.file, last.fact.statement.end, methods.map((m) => `\n${indent}${copyOf(last, m)}`).join('')));
  } else if (r.decl.fact.fnStart !== undefined) {
    const { file, fact } = r.decl;
    const indent = indentAt(file.text, fact.declSpan.start);
    edits.push(insert(file, fact.declEnd, methods.map((m) => `\n${indent}${fact.name}.${m}();`).join('')));
  } else {
    return undefined;
  }
  const n = r.capacity?.value;
  const count = r.adds.length + methods.length;
  if (r.capacity && n !== undefined && n < count) edits.push(replace(r.capacity.file, r.capacity.span, String(count)));
  return edits;
}

export function resolverRule(ctx: RuleContext): void {
  // One resolver may serve several interpreters: judge it against all their models together.
  const byResolver = new Map<string, { use: ResolverUse; deployments: Deployment[] }>();
  for (const d of ctx.deployments) {
    if (!d.resolver || d.resolver.kind !== 'mutable') continue;
    const key = `${d.resolver.decl.file.uri}#${d.resolver.decl.fact.nameSpan.start}`;
    const entry = byResolver.get(key) ?? { use: d.resolver, deployments: [] };
    entry.deployments.push(d);
    byResolver.set(key, entry);
  }
  for (const { use, deployments } of byResolver.values()) {
    checkResolver(ctx, use, deployments);
  }
}

function checkResolver(ctx: RuleContext, r: ResolverUse, deployments: readonly Deployment[]): void {
  const name = r.decl.fact.name;
  const registered = new Set(r.adds.map((a) => a.fact.method));
  const capacity = r.capacity?.value;

  if (r.capacity && capacity !== undefined && r.adds.length > capacity) {
    ctx.emit({
      uri: r.capacity.file.uri,
      range: rangeOf(r.capacity.file, r.capacity.span),
      severity: 'error',
      code: 'resolver-capacity',
      message:
        `${name} is a MicroMutableOpResolver<${capacity}> but ${r.adds.length} ops are registered: ` +
        `${r.adds[capacity].fact.method}() and later calls fail ("resolver size is too small")`,
      fixes: [{ title: `Set the resolver capacity to ${r.adds.length}`, edits: [replace(r.capacity.file, r.capacity.span, String(r.adds.length))], isPreferred: true }],
    });
  }

  // Every model must be readable to say what is missing or unused.
  const models: { name: string; layers: Map<string, number[]> }[] = [];
  for (const d of deployments) {
    if (!d.model) return;
    const graph = modelOf(d.model).graph;
    if (!graph) return;
    models.push({ name: d.model.fact.name, layers: opLayers(graph) });
  }
  if (models.length === 0) return;

  const missing: { kernel: TflmKernel; model: string; layers: number[] }[] = [];
  const used = new Set<string>();
  for (const m of models) {
    for (const [op, layers] of m.layers) {
      const kernel = kernelForOp(op);
      if (!kernel) continue; // unsupported-op reports it on the model
      used.add(kernel.method);
      if (!registered.has(kernel.method) && !missing.some((x) => x.kernel === kernel)) missing.push({ kernel, model: m.name, layers });
    }
  }

  const allEdits = missing.length > 1 ? registerEdits(r, missing.map((x) => x.kernel.method)) : undefined;
  for (const miss of missing) {
    const fixes: Fix[] = [];
    if (allEdits) fixes.push({ title: `Register all ${missing.length} missing ops`, edits: allEdits, isPreferred: true });
    const one = registerEdits(r, [miss.kernel.method]);
    if (one) fixes.push({ title: `Add ${name}.${miss.kernel.method}()`, edits: one, isPreferred: !allEdits });
    const shown = miss.layers.slice(0, 6).map((i) => `#${i}`).join(', ') + (miss.layers.length > 6 ? ', …' : '');
    ctx.emit({
      uri: r.decl.file.uri,
      range: rangeOf(r.decl.file, r.decl.fact.nameSpan),
      severity: 'error',
      code: 'op-not-registered',
      message:
        `${name} does not register ${miss.kernel.op}, which ${miss.model} uses in ${miss.layers.length} layer${miss.layers.length === 1 ? '' : 's'} (${shown}): ` +
        `add ${name}.${miss.kernel.method}() or AllocateTensors() fails with "Didn't find op for builtin opcode"`,
      fixes,
    });
  }

  for (const add of r.adds) {
    const kernel = kernelByMethod(add.fact.method);
    if (!kernel || used.has(kernel.method)) continue;
    const fixes: Fix[] = [];
    const lines = wholeLines(add.file.text, add.fact.statement);
    const alone = r.adds.filter((a) => a.file === add.file && a.fact.statement.start === add.fact.statement.start).length === 1;
    if (lines && alone) {
      const edits = [replace(add.file, lines, '')];
      if (r.capacity && capacity !== undefined && capacity >= r.adds.length && capacity > 1) {
        edits.push(replace(r.capacity.file, r.capacity.span, String(capacity - 1)));
      }
      fixes.push({ title: `Remove ${add.fact.method}()${edits.length > 1 ? ` and lower the capacity to ${(capacity ?? 1) - 1}` : ''}`, edits, isPreferred: true });
    }
    ctx.emit({
      uri: add.file.uri,
      range: rangeOf(add.file, add.fact.methodSpan),
      severity: 'hint',
      code: 'op-unused',
      message: `${add.fact.method}() registers ${kernel.op}, which ${models.map((m) => m.name).join(' and ')} never uses: its kernel costs flash and a resolver slot`,
      fixes,
    });
  }
}
