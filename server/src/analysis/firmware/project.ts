// The workspace as linked facts: per-file facts cached by version, symbol indexes across files,
// and the resolution of each MicroInterpreter to the model array, resolver and arena it uses
// (model ← GetModel(array) ← extern declaration ← definition in another file).

import { evaluate } from './constEval';
import { extractFacts, type AddCallFact, type ArrayFact, type ConstantFact, type FileFacts, type FunctionFact, type InterpreterFact, type ResolverAliasFact, type Span, type VarDeclFact } from './facts';
import type { Token } from './scanner';

export interface FileEntry {
  uri: string;
  text: string;
  version?: number;
  facts: FileFacts;
  /** Per-file memo for derived data (model bytes, budgets): dies with the entry on an edit. */
  memo: Map<string, unknown>;
}

export interface Located<T> {
  file: FileEntry;
  fact: T;
}

/** Where a number is written (for edits): the innermost expression that defines it. */
export interface ValueSite {
  file: FileEntry;
  span: Span;
  tokens: readonly Token[];
  /** The name the user knows the value by (`kTensorArenaSize`), or the expression text. */
  label: string;
  value?: number;
}

export interface ResolverUse {
  decl: Located<VarDeclFact>;
  kind: 'mutable' | 'all';
  capacity?: ValueSite;
  adds: Located<AddCallFact>[];
}

export interface Deployment {
  file: FileEntry;
  interpreter: InterpreterFact;
  /** The model array's definition (with its initializer), when found. */
  model?: Located<ArrayFact>;
  /** The array name the firmware passes to GetModel(), and where. */
  modelName?: string;
  modelRef?: { file: FileEntry; span: Span };
  resolver?: ResolverUse;
  arena?: { array?: Located<ArrayFact>; size?: ValueSite; declaredBytes?: number; name: string };
}

const cache = new Map<string, FileEntry>();

/** Facts for a file, reused while its version (or text) is unchanged. */
export function entryFor(uri: string, text: string, version?: number): FileEntry {
  const old = cache.get(uri);
  if (old && (version !== undefined && old.version !== undefined ? old.version === version && old.text.length === text.length : old.text === text)) {
    return old;
  }
  const entry: FileEntry = { uri, text, version, facts: extractFacts(text), memo: new Map() };
  cache.set(uri, entry);
  return entry;
}

export function forgetFile(uri: string): void {
  cache.delete(uri);
}

/** Drops cached facts of files that left the workspace. */
export function keepOnly(uris: ReadonlySet<string>): void {
  for (const uri of cache.keys()) if (!uris.has(uri)) cache.delete(uri);
}

function pushTo<T>(map: Map<string, Located<T>[]>, name: string, item: Located<T>): void {
  const list = map.get(name);
  if (list) list.push(item);
  else map.set(name, [item]);
}

export class Project {
  readonly constants = new Map<string, Located<ConstantFact>[]>();
  readonly arrays = new Map<string, Located<ArrayFact>[]>();
  readonly functions = new Map<string, Located<FunctionFact>[]>();
  readonly aliases = new Map<string, Located<ResolverAliasFact>[]>();

  constructor(readonly files: readonly FileEntry[]) {
    for (const file of files) {
      const f = file.facts;
      for (const c of f.constants) pushTo(this.constants, c.name, { file, fact: c });
      for (const a of f.arrays) pushTo(this.arrays, a.name, { file, fact: a });
      for (const fn of f.functions) pushTo(this.functions, fn.name, { file, fact: fn });
      for (const a of f.aliases) pushTo(this.aliases, a.alias, { file, fact: a });
    }
  }

  /** Same file first, then any file (in workspace order). */
  private pick<T>(list: Located<T>[] | undefined, from: FileEntry | undefined, accept: (t: T) => boolean = () => true): Located<T> | undefined {
    if (!list) return undefined;
    return list.find((l) => l.file === from && accept(l.fact)) ?? list.find((l) => accept(l.fact));
  }

  constant(name: string, from?: FileEntry): Located<ConstantFact> | undefined {
    return this.pick(this.constants.get(name), from);
  }

  /** The definition of an array: the declaration with an initializer or a size, not `extern`. */
  arrayDefinition(name: string, from?: FileEntry): Located<ArrayFact> | undefined {
    return this.pick(this.arrays.get(name), from, (a) => !a.isExtern && a.init !== undefined) ?? this.pick(this.arrays.get(name), from, (a) => !a.isExtern);
  }

  evaluate(tokens: readonly Token[], from: FileEntry, depth = 0): number | undefined {
    if (depth > 16) return undefined;
    return evaluate(tokens, {
      constant: (name) => {
        const c = this.constant(name, from);
        return c ? this.evaluate(c.fact.tokens, c.file, depth + 1) : undefined;
      },
      sizeOf: (name) => {
        const a = this.arrayDefinition(name, from);
        return a ? this.arrayBytes(a, depth + 1) : undefined;
      },
    });
  }

  /** Bytes of an array: its dimensions, or its initializer's element count for `[]`. */
  arrayBytes(a: Located<ArrayFact>, depth = 0): number | undefined {
    const { fact } = a;
    if (fact.elementBytes === undefined) return undefined;
    let count = 1;
    for (const [k, dim] of fact.dims.entries()) {
      if (dim.tokens.length === 0) {
        if (k !== 0 || !fact.init) return undefined;
        count *= fact.init.elements;
        continue;
      }
      const v = this.evaluate(dim.tokens, a.file, depth);
      if (v === undefined) return undefined;
      count *= v;
    }
    return count * fact.elementBytes;
  }

  /** Alignment of an array: `alignas(N)`, `aligned(N)`, or a macro that expands to one. */
  alignmentOf(a: Located<ArrayFact>): number | undefined {
    if (a.fact.alignTokens) return this.evaluate(a.fact.alignTokens, a.file);
    for (const word of a.fact.macroWords) {
      const def = this.constant(word, a.file);
      if (!def || def.fact.kind !== 'define') continue;
      const t = def.fact.tokens;
      for (let k = 0; k < t.length; k++) {
        if (['alignas', 'aligned', '__aligned__', '__align'].includes(t[k].text) && t[k + 1]?.text === '(') {
          let close = k + 2;
          while (close < t.length && t[close].text !== ')') close++;
          const v = this.evaluate(t.slice(k + 2, close), def.file);
          if (v !== undefined) return v;
        }
        if ((t[k].text === 'aligned' || t[k].text === '__aligned__') && t[k + 1]?.text !== '(') return 8;
      }
    }
    return undefined;
  }

  /**
   * Follows an expression to where its value is written: a lone constant name leads to its
   * definition, `sizeof(arr)` to arr's dimension.
   */
  valueSite(file: FileEntry, tokens: readonly Token[], span: Span, depth = 0): ValueSite {
    const text = file.text.slice(span.start, span.end);
    const value = this.evaluate(tokens, file);
    if (depth < 8 && tokens.length === 1 && tokens[0].kind === 'id') {
      const c = this.constant(tokens[0].text, file);
      if (c && c.fact.tokens.length > 0) {
        const inner = this.valueSite(c.file, c.fact.tokens, c.fact.valueSpan, depth + 1);
        return { ...inner, label: tokens[0].text };
      }
    }
    const sizeOf = tokens[0]?.text === 'sizeof' ? tokens.find((t) => t.kind === 'id' && t.text !== 'sizeof') : undefined;
    if (depth < 8 && sizeOf) {
      const a = this.arrayDefinition(sizeOf.text, file);
      const dim = a?.fact.dims[0];
      if (a && dim && dim.tokens.length > 0 && a.fact.dims.length === 1 && a.fact.elementBytes === 1) {
        const inner = this.valueSite(a.file, dim.tokens, dim.span, depth + 1);
        return { ...inner, label: /^[A-Za-z_]\w*$/.test(inner.label) ? inner.label : text };
      }
    }
    return { file, span, tokens, label: text, value };
  }

  resolverType(typeName: string, from: FileEntry): { kind: 'mutable' | 'all'; capacity?: ValueSite } | undefined {
    if (typeName === 'AllOpsResolver') return { kind: 'all' };
    if (typeName === 'MicroMutableOpResolver') return { kind: 'mutable' };
    const alias = this.pick(this.aliases.get(typeName), from);
    if (!alias) return undefined;
    const inner = this.resolverType(alias.fact.typeName, alias.file);
    if (!inner) return undefined;
    const cap = alias.fact.capacityTokens && alias.fact.capacitySpan ? this.valueSite(alias.file, alias.fact.capacityTokens, alias.fact.capacitySpan) : inner.capacity;
    return { kind: inner.kind, capacity: cap };
  }

  /** The resolver variable `name` as seen from a function of `file` (local first, then global). */
  findResolver(name: string, file: FileEntry, fnStart: number | undefined): ResolverUse | undefined {
    const candidates: Located<VarDeclFact>[] = [];
    for (const f of [file, ...this.files.filter((x) => x !== file)]) {
      for (const d of f.facts.varDecls) if (d.name === name) candidates.push({ file: f, fact: d });
    }
    const decl =
      candidates.find((c) => c.file === file && c.fact.fnStart === fnStart) ??
      candidates.find((c) => c.file === file && c.fact.fnStart === undefined) ??
      candidates.find((c) => c.fact.fnStart === undefined);
    if (!decl) return undefined;
    const type = this.resolverType(decl.fact.typeName, decl.file);
    if (!type) return undefined;
    const capacity =
      decl.fact.capacityTokens && decl.fact.capacitySpan ? this.valueSite(decl.file, decl.fact.capacityTokens, decl.fact.capacitySpan) : type.capacity;
    return { decl, kind: type.kind, capacity, adds: this.addsFor(decl) };
  }

  /** AddXxx() calls made on a resolver: in its scope and in helpers it is passed to. */
  private addsFor(decl: Located<VarDeclFact>): Located<AddCallFact>[] {
    const out: Located<AddCallFact>[] = [];
    const seen = new Set<string>();
    const visit = (file: FileEntry, receiver: string, fnStart: number | undefined, global: boolean, typeName: string, depth: number) => {
      const key = `${file.uri}#${fnStart}#${receiver}`;
      if (seen.has(key) || depth > 4) return;
      seen.add(key);
      const files = global ? this.files : [file];
      for (const f of files) {
        for (const call of f.facts.addCalls) {
          if (call.receiver === receiver && (global || call.fnStart === fnStart)) out.push({ file: f, fact: call });
        }
        for (const call of f.facts.calls) {
          if (!global && call.fnStart !== fnStart) continue;
          if (global && f !== file && call.fnStart === undefined) continue;
          call.args.forEach((arg, i) => {
            if (arg !== receiver) return;
            const overloads = this.functions.get(call.callee) ?? [];
            const fitting = overloads.filter((o) => o.fact.params.length > i);
            const best = fitting.find((o) => o.fact.params[i].typeText.replace(/[&*\s]|tflite::|const/g, '') === typeName) ?? (fitting.length === 1 ? fitting[0] : fitting.find((o) => o.fact.params[i].typeText.includes('Resolver')));
            if (best) visit(best.file, best.fact.params[i].name, best.fact.start, false, typeName, depth + 1);
          });
        }
      }
    };
    const global = decl.fact.fnStart === undefined;
    visit(decl.file, decl.fact.name, decl.fact.fnStart, global, decl.fact.typeName, 0);
    out.sort((a, b) => (a.file.uri === b.file.uri ? a.fact.methodSpan.start - b.fact.methodSpan.start : a.file.uri < b.file.uri ? -1 : 1));
    return out;
  }

  /** Every MicroInterpreter, linked to its model, resolver and arena. */
  deployments(): Deployment[] {
    const out: Deployment[] = [];
    for (const file of this.files) {
      for (const interp of file.facts.interpreters) out.push(this.link(file, interp));
    }
    return out;
  }

  private link(file: FileEntry, interpreter: InterpreterFact): Deployment {
    const d: Deployment = { file, interpreter };
    const [modelArg, resolverArg, arenaArg, sizeArg] = interpreter.args;
    // Model: `GetModel(arr)` in place, or a variable assigned from GetModel().
    if (modelArg) {
      const direct = file.facts.getModels.find((g) => g.span.start >= modelArg.span.start && g.span.end <= modelArg.span.end);
      const varName = modelArg.tokens.filter((t) => t.kind === 'id').pop()?.text;
      const assigned =
        direct ??
        file.facts.getModels.find((g) => g.variable === varName && g.fn === interpreter.fn) ??
        file.facts.getModels.find((g) => g.variable === varName) ??
        this.files.flatMap((f) => f.facts.getModels.filter((g) => g.variable === varName).map((g) => ({ ...g, file: f })))[0];
      if (assigned?.array) {
        d.modelName = assigned.array;
        const refFile = 'file' in assigned ? (assigned as { file: FileEntry }).file : file;
        if (assigned.arraySpan) d.modelRef = { file: refFile, span: assigned.arraySpan };
        const def = this.arrayDefinition(assigned.array, refFile);
        if (def?.fact.init) d.model = def;
      }
    }
    if (resolverArg) {
      const name = resolverArg.tokens.filter((t) => t.kind === 'id').pop()?.text;
      if (name) d.resolver = this.findResolver(name, file, interpreter.fnStart);
    }
    if (arenaArg) {
      const name = arenaArg.tokens.filter((t) => t.kind === 'id' && t.text !== 'reinterpret_cast' && t.text !== 'uint8_t').pop()?.text ?? arenaArg.tokens.map((t) => t.text).join('');
      const array = this.arrayDefinition(name, file);
      const size = sizeArg ? this.valueSite(file, sizeArg.tokens, sizeArg.span) : undefined;
      const declaredBytes = size?.value ?? (array ? this.arrayBytes(array) : undefined);
      d.arena = { array, size, declaredBytes, name };
    }
    return d;
  }
}
