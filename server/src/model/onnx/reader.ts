// ONNX ModelProto bytes -> graph IR: one subgraph from the main graph, one tensor per value name,
// initializers as constant views, nodes in execution order, shapes from the file or inferred.
// Any malformed input surfaces as a ModelError naming what is wrong.
import { Graph, MetadataEntry, ModelError, Operator, Subgraph, Tensor } from '../graph';
import { attributeOptions, attributeTensor } from './attributes';
import { isKnownOnnxOp } from './knownOps';
import { GraphProto, ModelProto, NodeProto, TypeProto, decodeModelProto, hasField, int64 } from './onnxProto';
import { attachQuantization } from './quantParams';
import { ValueFacts, inferNode } from './shapeInference';
import { dtypeOf, tensorValues } from './tensorData';
import { topoOrder } from './topoSort';
import { utf8Encode } from './utf8';
import { checkModelWire } from './wireCheck';

/** Constants up to this many elements keep their values for shape inference (shapes, axes, scales). */
const MAX_FOLDED_ELEMENTS = 64;

export function readOnnx(bytes: Uint8Array): Graph {
  checkModelWire(bytes);
  let model: ModelProto;
  try {
    model = decodeModelProto(bytes);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    throw new ModelError(`ONNX: not a valid ModelProto: ${message}`);
  }
  try {
    return buildGraph(model, bytes.length);
  } catch (e) {
    if (e instanceof ModelError) throw e;
    // The promise to callers is "a Graph or a ModelError"; a bug here must not crash the server.
    throw new ModelError(`ONNX: internal reader error: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function domainKey(domain: string | null | undefined): string {
  return !domain || domain === 'ai.onnx' ? 'ai.onnx' : domain;
}

function opsetsOf(model: ModelProto): Record<string, number> {
  const opsets: Record<string, number> = {};
  for (const o of model.opsetImport ?? []) opsets[domainKey(o.domain)] = int64(o.version);
  return opsets;
}

/** Dims of a value's declared type; `batchAsOne` resolves a symbolic first dim of a graph input to 1. */
function declaredFacts(type: TypeProto | null | undefined, batchAsOne: boolean): ValueFacts & { symbolic: boolean } {
  const tensorType = type?.tensorType;
  const dtype = dtypeOf(tensorType?.elemType);
  if (!tensorType?.shape) return { shape: undefined, dtype, symbolic: false };
  let symbolic = false;
  const dims = (tensorType.shape.dim ?? []).map((d, i, all) => {
    const value = hasField(d, 'dimValue') ? int64(d.dimValue) : -1;
    if (value >= 0) return value;
    symbolic = true;
    return batchAsOne && i === 0 && all.length >= 2 ? 1 : -1;
  });
  return { shape: dims, dtype, symbolic };
}

/** File facts win where they are concrete; inference fills the rest. */
function merge(declared: ValueFacts | undefined, inferred: ValueFacts): ValueFacts {
  if (!declared) return inferred;
  const dtype = declared.dtype !== 'unknown' ? declared.dtype : inferred.dtype;
  let shape = declared.shape ?? inferred.shape;
  if (declared.shape && inferred.shape && declared.shape.length === inferred.shape.length) {
    shape = declared.shape.map((d, i) => (d >= 0 ? d : inferred.shape![i]));
  }
  return { shape, dtype, value: inferred.value };
}

function nodeLabel(node: NodeProto, index: number): string {
  return node.name ? node.name : `#${index} (${node.opType ?? '?'})`;
}

function buildGraph(model: ModelProto, fileBytes: number): Graph {
  const graph = model.graph;
  if (!graph) throw new ModelError('ONNX: the model has no graph');
  const opsets = opsetsOf(model);
  const subgraph = buildSubgraph(graph, opsets);
  const metadata: MetadataEntry[] = (model.metadataProps ?? []).map((p) => ({ name: p.key ?? '', data: utf8Encode(p.value ?? '') }));
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return {
    format: 'onnx',
    version: int64(model.irVersion),
    description: model.docString ?? '',
    producer,
    opsets,
    subgraphs: [subgraph],
    metadata,
    fileBytes,
  };
}

function buildSubgraph(graph: GraphProto, opsets: Record<string, number>): Subgraph {
  const tensors: Tensor[] = [];
  const indexOf = new Map<string, number>();
  const facts = new Map<string, ValueFacts>();
  const add = (name: string, t: Omit<Tensor, 'index' | 'name'>): number => {
    const index = tensors.length;
    tensors.push({ index, name, ...t });
    indexOf.set(name, index);
    return index;
  };

  // Initializers: constants, viewed in place.
  const initializers = new Set<string>();
  (graph.initializer ?? []).forEach((t, i) => {
    const name = t.name ?? '';
    if (!name) throw new ModelError(`ONNX: initializer #${i} has no name`);
    if (initializers.has(name)) throw new ModelError(`ONNX: initializer '${name}' is defined twice`);
    initializers.add(name);
  });

  // Graph inputs that are not initializers are the model's inputs (IR < 4 lists both).
  const inputs: number[] = [];
  for (const vi of graph.input ?? []) {
    const name = vi.name ?? '';
    if (!name || initializers.has(name) || indexOf.has(name)) continue;
    const declared = declaredFacts(vi.type, true);
    const shape = declared.shape ?? [-1];
    const signature = declared.symbolic ? declaredFacts(vi.type, false).shape : undefined;
    inputs.push(add(name, { shape, ...(signature ? { shapeSignature: signature } : {}), dtype: declared.dtype, isVariable: false, buffer: -1 }));
    facts.set(name, { shape: declared.shape, dtype: declared.dtype });
  }

  for (const init of graph.initializer ?? []) {
    const t = attributeTensor(init, init.name ?? '');
    add(t.name, { shape: t.shape, dtype: t.dtype, data: t.data, isVariable: false, buffer: -1 });
    const value = t.data && t.shape.reduce((a, b) => a * b, 1) <= MAX_FOLDED_ELEMENTS ? tensorValues(t.data, t.dtype) : undefined;
    facts.set(t.name, { shape: t.shape, dtype: t.dtype, value });
  }
  for (const sparse of graph.sparseInitializer ?? []) {
    const name = sparse.values?.name ?? '';
    if (!name || indexOf.has(name)) continue;
    const shape = (sparse.dims ?? []).map(int64);
    add(name, { shape, dtype: dtypeOf(sparse.values?.dataType), isVariable: false, buffer: -1, sparse: true });
    facts.set(name, { shape, dtype: dtypeOf(sparse.values?.dataType) });
  }

  const declared = new Map<string, ValueFacts>();
  for (const vi of [...(graph.valueInfo ?? []), ...(graph.output ?? [])]) {
    if (vi.name) declared.set(vi.name, declaredFacts(vi.type, false));
  }

  const nodes = graph.node ?? [];
  const producer = new Map<string, number>();
  nodes.forEach((node, i) => {
    for (const out of node.output ?? []) {
      if (!out) continue;
      const other = producer.get(out);
      if (other !== undefined) {
        throw new ModelError(`ONNX: value '${out}' is produced by both node '${nodeLabel(nodes[other], other)}' and node '${nodeLabel(node, i)}'`);
      }
      if (indexOf.has(out)) throw new ModelError(`ONNX: node '${nodeLabel(node, i)}' writes '${out}', which is a graph input or initializer`);
      producer.set(out, i);
    }
  });
  for (const [i, node] of nodes.entries()) {
    for (const name of node.input ?? []) {
      if (name && !indexOf.has(name) && !producer.has(name)) {
        throw new ModelError(`ONNX: node '${nodeLabel(node, i)}' input '${name}' is produced by no node, initializer or graph input`);
      }
    }
  }
  const order = topoOrder(
    nodes.map((n, i) => ({ name: nodeLabel(n, i), inputs: n.input ?? [], outputs: n.output ?? [] })),
    producer,
  );

  const operators: Operator[] = [];
  for (const i of order) {
    const node = nodes[i];
    const domain = node.domain && node.domain !== 'ai.onnx' ? node.domain : '';
    const opTypeBare = node.opType ?? '';
    const version = opsets[domainKey(domain)] ?? 1;
    const options = attributeOptions(node.attribute);
    const inNames = node.input ?? [];
    const outNames = node.output ?? [];
    const inferred = inferNode({
      opType: opTypeBare,
      domain,
      version,
      attrs: options,
      inputs: inNames.map((n) => (n ? facts.get(n) : undefined)),
      outputCount: outNames.length,
    });
    const outputs = outNames.map((name, k) => {
      if (!name) return -1;
      const f = merge(declared.get(name), inferred[k]);
      facts.set(name, f);
      return add(name, { shape: f.shape ?? [-1], dtype: f.dtype, isVariable: false, buffer: -1 });
    });
    operators.push({
      index: operators.length,
      opType: domain ? `${domain}.${opTypeBare}` : opTypeBare,
      known: isKnownOnnxOp(domain, opTypeBare),
      builtinCode: -1,
      custom: false,
      version,
      inputs: inNames.map((n) => (n ? indexOf.get(n) ?? -1 : -1)),
      outputs,
      intermediates: [],
      options,
      ...(node.name ? { name: node.name } : {}),
    });
  }

  const outputs: number[] = [];
  for (const vi of graph.output ?? []) {
    const name = vi.name ?? '';
    const index = indexOf.get(name);
    if (index === undefined) throw new ModelError(`ONNX: graph output '${name}' is produced by no node, initializer or graph input`);
    outputs.push(index);
  }
  // value_info entries for names no node produces still describe a value: keep them visible.
  for (const [name, f] of declared) {
    if (!indexOf.has(name)) add(name, { shape: f.shape ?? [-1], dtype: f.dtype, isVariable: false, buffer: -1 });
  }

  attachQuantization(tensors, operators);
  return { name: graph.name ?? '', tensors, operators, inputs, outputs };
}
