// What one firmware file says about TFLM, read from its tokens: arrays (model arrays, the tensor
// arena, other static buffers), integer constants, resolver declarations and their AddXxx()
// calls, helper functions and the calls into them, GetModel() and MicroInterpreter
// construction. Facts hold offsets only; linking across files happens in link.ts.

import { scan, type InitToken, type ScannedFile, type Token } from './scanner';

export interface Span {
  start: number;
  end: number;
}

export interface ArrayFact {
  name: string;
  nameSpan: Span;
  /** Offset of the declaration's first token (where `alignas(16) ` goes). */
  declStart: number;
  /** Offset just after the declaration's `;`. */
  declEnd: number;
  typeWords: string[];
  isByte: boolean;
  /** Bytes per element for known scalar types. */
  elementBytes?: number;
  /** Tokens and span of each `[...]` dimension (empty tokens for `[]`). */
  dims: { tokens: Token[]; span: Span }[];
  init?: InitToken;
  isConst: boolean;
  isExtern: boolean;
  progmem: boolean;
  /** Alignment written directly (`alignas(16)`, `aligned(16)`), as tokens to evaluate. */
  alignTokens?: Token[];
  /** Identifiers in the declaration that may be alignment macros (DATA_ALIGN_ATTRIBUTE). */
  macroWords: string[];
  /** Namespace scope, or `static` in a function. */
  staticStorage: boolean;
  fn?: string;
}

export interface ConstantFact {
  name: string;
  nameSpan: Span;
  tokens: Token[];
  valueSpan: Span;
  kind: 'define' | 'const';
}

export interface GetModelFact {
  /** The variable the model pointer is assigned to, when there is one. */
  variable?: string;
  array?: string;
  arraySpan?: Span;
  span: Span;
  fn?: string;
}

export interface ResolverTypeRef {
  /** `MicroMutableOpResolver`, `AllOpsResolver` or an alias name. */
  typeName: string;
  capacityTokens?: Token[];
  capacitySpan?: Span;
}

export interface ResolverAliasFact extends ResolverTypeRef {
  alias: string;
  span: Span;
}

export interface VarDeclFact extends ResolverTypeRef {
  name: string;
  nameSpan: Span;
  /** From the type through the name. */
  declSpan: Span;
  /** Offset just after the declaration's `;`. */
  declEnd: number;
  fn?: string;
  fnStart?: number;
}

export interface AddCallFact {
  receiver: string;
  method: string;
  methodSpan: Span;
  /** From the method name through the call's `)`. */
  callSpan: Span;
  /** The whole statement holding the call (an `if (...) {...}` included), for removal. */
  statement: Span;
  fn?: string;
  fnStart?: number;
}

export interface CallFact {
  callee: string;
  /** The plain identifier passed as each argument (`&x`, `*x` count as x), or ''. */
  args: string[];
  fn?: string;
  fnStart?: number;
}

export interface FunctionFact {
  name: string;
  start: number;
  params: { name: string; typeText: string }[];
}

export interface InterpreterFact {
  name?: string;
  /** The `MicroInterpreter` type token. */
  span: Span;
  args: { tokens: Token[]; span: Span }[];
  fn?: string;
  fnStart?: number;
}

export interface FileFacts {
  scanned: ScannedFile;
  arrays: ArrayFact[];
  constants: ConstantFact[];
  getModels: GetModelFact[];
  aliases: ResolverAliasFact[];
  varDecls: VarDeclFact[];
  addCalls: AddCallFact[];
  calls: CallFact[];
  functions: FunctionFact[];
  interpreters: InterpreterFact[];
}

const QUALIFIERS = new Set([
  'static', 'const', 'constexpr', 'extern', 'inline', 'volatile', 'thread_local', 'register', 'mutable', 'unsigned', 'signed',
  'PROGMEM', 'DRAM_ATTR', 'EXT_RAM_ATTR', 'IRAM_ATTR',
]);
const NOT_A_TYPE = new Set(['return', 'delete', 'case', 'goto', 'throw', 'else', 'do', 'using', 'typedef', 'sizeof', 'new', 'co_return']);
const CONTROL = new Set(['new', 'if', 'for', 'while', 'switch', 'catch', 'sizeof', 'return', 'alignas', 'decltype', 'static_assert', 'defined']);
const BYTE_TYPES = new Set(['char', 'uint8_t', 'int8_t', 'byte', 'BYTE', 'u8', 's8', 'uint8', 'int8', 'UINT8', 'INT8', '__uint8_t', '__int8_t']);
const TYPE_BYTES: Record<string, number> = {
  int16_t: 2, uint16_t: 2, short: 2, int32_t: 4, uint32_t: 4, int: 4, float: 4, long: 4, size_t: 4, double: 8, int64_t: 8, uint64_t: 8,
  bool: 1, wchar_t: 4, char16_t: 2, char32_t: 4,
};
const INTEGER_TYPES = new Set([
  'int', 'unsigned', 'long', 'short', 'size_t', 'uint32_t', 'int32_t', 'uint16_t', 'int16_t', 'uint64_t', 'int64_t', 'uint8_t', 'int8_t',
  'auto', 'std', 'signed', 'char',
]);
const RESOLVER_TYPES = new Set(['MicroMutableOpResolver', 'AllOpsResolver']);
const INTERPRETER_TYPES = new Set(['MicroInterpreter', 'RecordingMicroInterpreter']);

function span(a: Token, b: Token = a): Span {
  return { start: a.start, end: b.end };
}

/** Index of the token closing the bracket opened at `open` (`(`/`[`/`<`), or -1. */
function closing(tokens: readonly Token[], open: number, limit = tokens.length): number {
  const o = tokens[open].text;
  const c = o === '(' ? ')' : o === '[' ? ']' : o === '<' ? '>' : '}';
  let depth = 0;
  for (let k = open; k < limit; k++) {
    const t = tokens[k].text;
    if (t === o) depth++;
    else if (t === c && --depth === 0) return k;
    else if (o === '<' && t === '>>' && (depth -= 2) <= 0) return k;
    else if (o === '<' && (t === ';' || t === '{')) return -1;
  }
  return -1;
}

/** Splits tokens (between brackets) at top-level commas. */
function splitArgs(tokens: readonly Token[], from: number, to: number): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let depth = 0;
  for (let k = from; k < to; k++) {
    const t = tokens[k];
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    if (t.text === ',' && depth === 0) {
      out.push(cur);
      cur = [];
    } else {
      cur.push(t);
    }
  }
  if (cur.length > 0 || out.length > 0) out.push(cur);
  return out;
}

/** The identifier an argument names when it is `x`, `&x`, `*x`, `(x)`, `&x[0]`. */
function plainName(arg: readonly Token[]): string {
  const ids = arg.filter((t) => t.kind === 'id');
  const others = arg.filter((t) => t.kind !== 'id' && !['&', '*', '(', ')', '[', ']'].includes(t.text) && !(t.kind === 'num' && t.text === '0'));
  return ids.length === 1 && others.length === 0 ? ids[0].text : '';
}

interface Scope {
  kind: 'namespace' | 'function' | 'class' | 'block';
  fn?: FunctionFact;
}

export function extractFacts(text: string): FileFacts {
  const scanned = scan(text);
  const tokens = scanned.tokens;
  const facts: FileFacts = {
    scanned,
    arrays: [],
    constants: [],
    getModels: [],
    aliases: [],
    varDecls: [],
    addCalls: [],
    calls: [],
    functions: [],
    interpreters: [],
  };
  for (const d of scanned.defines) {
    facts.constants.push({
      name: d.name,
      nameSpan: { start: d.nameStart, end: d.nameStart + d.name.length },
      tokens: d.tokens,
      valueSpan: { start: d.valueStart, end: d.valueEnd },
      kind: 'define',
    });
  }

  const scopes: Scope[] = [];
  let stmtStart = 0;
  const currentFn = () => {
    for (let k = scopes.length - 1; k >= 0; k--) if (scopes[k].fn) return scopes[k].fn;
    return undefined;
  };
  const inNamespaceScope = () => scopes.every((s) => s.kind === 'namespace');

  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    const fn = currentFn();
    if (t.text === ';') {
      statement(facts, tokens, stmtStart, k, fn, inNamespaceScope());
      stmtStart = k + 1;
      continue;
    }
    if (t.text === '{') {
      const header = tokens.slice(stmtStart, k);
      const braceInit = isBraceInit(header);
      if (braceInit) {
        // `Type name{args};`: a declaration, not a scope.
        const close = closing(tokens, k);
        if (close > 0) {
          interpreterDecl(facts, tokens, stmtStart, k, close, fn);
          for (let j = k + 1; j < close; j++) {
            if (tokens[j].text === 'GetModel' && tokens[j + 1]?.text === '(') getModel(facts, tokens, j, fn);
          }
          k = close;
          continue;
        }
      }
      scopes.push(classify(facts, header));
      stmtStart = k + 1;
      continue;
    }
    if (t.text === '}') {
      scopes.pop();
      stmtStart = k + 1;
      continue;
    }
    if (t.kind !== 'id') continue;
    const next = tokens[k + 1]?.text;
    const prev = tokens[k - 1]?.text;
    if ((prev === '.' || prev === '->') && next === '(' && /^Add[A-Z0-9]/.test(t.text)) {
      const receiver = receiverOf(tokens, k - 1);
      const close = closing(tokens, k + 1);
      if (receiver && close > 0) {
        facts.addCalls.push({
          receiver,
          method: t.text,
          methodSpan: span(t),
          callSpan: span(t, tokens[close]),
          statement: statementSpan(tokens, stmtStart, k),
          fn: fn?.name,
          fnStart: fn?.start,
        });
      }
    } else if (t.text === 'GetModel' && next === '(') {
      getModel(facts, tokens, k, fn);
    } else if (INTERPRETER_TYPES.has(t.text) && next === '(') {
      // `new (buf) tflite::MicroInterpreter(...)` or a temporary.
      const close = closing(tokens, k + 1);
      if (close > 0 && isNewExpression(tokens, k)) {
        facts.interpreters.push({
          span: span(t),
          args: splitArgs(tokens, k + 2, close).map((a) => ({ tokens: a, span: a.length ? span(a[0], a[a.length - 1]) : span(t) })),
          fn: fn?.name,
          fnStart: fn?.start,
        });
      }
    } else if (RESOLVER_TYPES.has(t.text)) {
      resolverType(facts, tokens, k, stmtStart, fn);
    } else if (next === '(' && prev !== '.' && prev !== '->' && prev !== '::' && !CONTROL.has(t.text) && fn) {
      const close = closing(tokens, k + 1);
      if (close > 0) {
        const args = splitArgs(tokens, k + 2, close).map(plainName);
        if (args.some((a) => a !== '')) facts.calls.push({ callee: t.text, args, fn: fn.name, fnStart: fn.start });
      }
    }
  }
  return facts;
}

/** Whether `{` after these header tokens opens a brace initializer (`Type name{...}`). */
function isBraceInit(header: readonly Token[]): boolean {
  if (header.length < 2) return false;
  const last = header[header.length - 1];
  const first = header[0].text;
  if (last.kind !== 'id' || NOT_A_TYPE.has(last.text) || QUALIFIERS.has(last.text)) return false;
  if (['class', 'struct', 'union', 'enum', 'namespace', 'extern', 'else', 'do', 'try', 'template'].includes(first)) return false;
  const before = header[header.length - 2];
  return (before.kind === 'id' && !NOT_A_TYPE.has(before.text)) || before.text === '>';
}

function classify(facts: FileFacts, header: readonly Token[]): Scope {
  const first = header[0]?.text;
  if (first === 'namespace' || (first === 'extern' && header[1]?.kind === 'str')) return { kind: 'namespace' };
  if (first === 'class' || first === 'struct' || first === 'union' || first === 'enum') return { kind: 'class' };
  // A function header ends with `)` (maybe `const`, `noexcept`, `override`) and names a function.
  let end = header.length - 1;
  while (end >= 0 && ['const', 'noexcept', 'override', 'final'].includes(header[end].text)) end--;
  if (end < 1 || header[end].text !== ')' || header.some((t) => t.text === '=')) return { kind: 'block' };
  let depth = 0;
  let open = -1;
  for (let k = end; k >= 0; k--) {
    if (header[k].text === ')') depth++;
    else if (header[k].text === '(' && --depth === 0) {
      open = k;
      break;
    }
  }
  const nameTok = header[open - 1];
  if (open < 1 || nameTok.kind !== 'id' || CONTROL.has(nameTok.text) || open - 1 === 0) return { kind: 'block' };
  const params = splitArgs(header, open + 1, end)
    .map((p) => {
      const eq = p.findIndex((t) => t.text === '=');
      const decl = eq >= 0 ? p.slice(0, eq) : p;
      const ids = decl.filter((t) => t.kind === 'id');
      const name = ids.length >= 2 ? ids[ids.length - 1].text : '';
      const typeText = decl
        .slice(0, decl.lastIndexOf(ids[ids.length - 1]))
        .map((t) => t.text)
        .join('');
      return { name, typeText };
    })
    .filter((p) => p.name !== '');
  const fn: FunctionFact = { name: nameTok.text, start: nameTok.start, params };
  facts.functions.push(fn);
  return { kind: 'function', fn };
}

/** The identifier a `.AddXxx` / `->AddXxx` call is made on, through chains `r.AddA().AddB()`. */
function receiverOf(tokens: readonly Token[], dot: number): string | undefined {
  const before = tokens[dot - 1];
  if (!before) return undefined;
  if (before.kind === 'id') return before.text;
  if (before.text === ')') {
    // `(*resolver).AddX()` or a chain: find the matching `(`.
    let depth = 0;
    for (let k = dot - 1; k >= 0; k--) {
      if (tokens[k].text === ')') depth++;
      else if (tokens[k].text === '(' && --depth === 0) {
        const method = tokens[k - 1];
        if (method?.kind === 'id' && /^Add/.test(method.text) && (tokens[k - 2]?.text === '.' || tokens[k - 2]?.text === '->')) {
          return receiverOf(tokens, k - 2);
        }
        const inner = tokens.slice(k + 1, dot - 1).filter((t) => t.kind === 'id');
        return inner.length === 1 ? inner[0].text : undefined;
      }
    }
  }
  return undefined;
}

/** The statement around token `at`: from `from` to its `;`, or through the block of an `if`. */
function statementSpan(tokens: readonly Token[], from: number, at: number): Span {
  let depth = 0;
  for (let k = at; k < tokens.length; k++) {
    const t = tokens[k].text;
    if (t === '(' || t === '[') depth++;
    else if (t === ')' || t === ']') depth--;
    else if (depth <= 0 && t === ';') return { start: tokens[from].start, end: tokens[k].end };
    else if (depth <= 0 && t === '{') {
      const close = closing(tokens, k);
      return { start: tokens[from].start, end: tokens[close > 0 ? close : k].end };
    }
  }
  return { start: tokens[from].start, end: tokens[at].end };
}

function getModel(facts: FileFacts, tokens: readonly Token[], k: number, fn: FunctionFact | undefined): void {
  const close = closing(tokens, k + 1);
  if (close < 0) return;
  const STOP = new Set(['reinterpret_cast', 'static_cast', 'const', 'void', 'unsigned', 'char', 'uint8_t', 'int8_t', 'tflite', 'std']);
  const ids = tokens.slice(k + 2, close).filter((t) => t.kind === 'id' && !STOP.has(t.text));
  const arrayTok = ids[ids.length - 1];
  let j = k - 1;
  while (j >= 0 && (tokens[j].text === '::' || tokens[j].text === 'tflite')) j--;
  const variable = tokens[j]?.text === '=' && tokens[j - 1]?.kind === 'id' ? tokens[j - 1].text : undefined;
  facts.getModels.push({
    variable,
    array: arrayTok?.text,
    arraySpan: arrayTok ? span(arrayTok) : undefined,
    span: span(tokens[k], tokens[close]),
    fn: fn?.name,
  });
}

function isNewExpression(tokens: readonly Token[], k: number): boolean {
  let j = k - 1;
  while (j >= 0 && (tokens[j].text === '::' || tokens[j].text === 'tflite')) j--;
  if (tokens[j]?.text === 'new') return true;
  if (tokens[j]?.text === ')') {
    let depth = 0;
    for (; j >= 0; j--) {
      if (tokens[j].text === ')') depth++;
      else if (tokens[j].text === '(' && --depth === 0) break;
    }
    return tokens[j - 1]?.text === 'new';
  }
  return false;
}

/** `MicroMutableOpResolver<N> name`, `using R = tflite::MicroMutableOpResolver<N>;`, `AllOpsResolver r;`. */
function resolverType(facts: FileFacts, tokens: readonly Token[], k: number, stmtStart: number, fn: FunctionFact | undefined): void {
  const t = tokens[k];
  let after = k + 1;
  let capacityTokens: Token[] | undefined;
  let capacitySpan: Span | undefined;
  if (tokens[after]?.text === '<') {
    const close = closing(tokens, after);
    if (close < 0) return;
    capacityTokens = tokens.slice(after + 1, close);
    capacitySpan = capacityTokens.length ? span(capacityTokens[0], capacityTokens[capacityTokens.length - 1]) : undefined;
    after = close + 1;
  }
  const ref: ResolverTypeRef = { typeName: t.text, capacityTokens, capacitySpan };
  const first = tokens[stmtStart];
  if (first?.text === 'using' && tokens[stmtStart + 2]?.text === '=') {
    facts.aliases.push({ ...ref, alias: tokens[stmtStart + 1].text, span: span(tokens[stmtStart + 1]) });
    return;
  }
  const name = tokens[after];
  if (first?.text === 'typedef' && name?.kind === 'id') {
    facts.aliases.push({ ...ref, alias: name.text, span: span(name) });
    return;
  }
  if (name?.kind === 'id' && [';', '(', '{', '=', ','].includes(tokens[after + 1]?.text ?? ';')) {
    let typeStart = k;
    while (typeStart > stmtStart && (tokens[typeStart - 1].text === '::' || tokens[typeStart - 1].text === 'tflite')) typeStart--;
    let semi = after + 1;
    while (semi < tokens.length && tokens[semi].text !== ';' && tokens[semi].text !== '{') semi++;
    const declEnd = tokens[semi]?.text === ';' ? tokens[semi].end : name.end;
    facts.varDecls.push({ ...ref, name: name.text, nameSpan: span(name), declSpan: span(tokens[typeStart], name), declEnd, fn: fn?.name, fnStart: fn?.start });
  }
}

/** `tflite::MicroInterpreter interpreter{...}` found at a brace: tokens [from, brace) + args up to `close`. */
function interpreterDecl(facts: FileFacts, tokens: readonly Token[], from: number, brace: number, close: number, fn: FunctionFact | undefined): void {
  const typeIdx = tokens.slice(from, brace).findIndex((t) => INTERPRETER_TYPES.has(t.text));
  if (typeIdx < 0) return;
  const name = tokens[brace - 1];
  facts.interpreters.push({
    name: name.text,
    span: span(tokens[from + typeIdx]),
    args: splitArgs(tokens, brace + 1, close).map((a) => ({ tokens: a, span: a.length ? span(a[0], a[a.length - 1]) : span(name) })),
    fn: fn?.name,
    fnStart: fn?.start,
  });
}

/** Declarations that end at `;`: arrays, integer constants, interpreters, alias-typed resolvers. */
function statement(facts: FileFacts, tokens: readonly Token[], from: number, semi: number, fn: FunctionFact | undefined, namespaceScope: boolean): void {
  if (semi <= from) return;
  const stmt = tokens.slice(from, semi);
  const words = stmt.map((t) => t.text);
  // Interpreter variable: `[static] tflite::MicroInterpreter name(args);`
  const interp = words.findIndex((w) => INTERPRETER_TYPES.has(w));
  if (interp >= 0 && stmt[interp + 1]?.kind === 'id' && stmt[interp + 2]?.text === '(') {
    const close = closing(stmt, interp + 2);
    if (close > 0) {
      facts.interpreters.push({
        name: stmt[interp + 1].text,
        span: span(stmt[interp]),
        args: splitArgs(stmt, interp + 3, close).map((a) => ({ tokens: a, span: a.length ? span(a[0], a[a.length - 1]) : span(stmt[interp]) })),
        fn: fn?.name,
        fnStart: fn?.start,
      });
    }
    return;
  }
  const bracket = words.indexOf('[');
  const eq = words.indexOf('=');
  if (bracket > 0 && (eq < 0 || bracket < eq)) {
    arrayDecl(facts, stmt, bracket, tokens[semi], fn, namespaceScope);
    return;
  }
  if (eq > 0) {
    constantDecl(facts, stmt, eq);
    return;
  }
  // `[static] Alias name;` or `Alias name(args);` where Alias may name a resolver type.
  let j = 0;
  while (j < stmt.length && QUALIFIERS.has(stmt[j].text)) j++;
  while (stmt[j + 1]?.text === '::' && stmt[j + 2]?.kind === 'id') j += 2;
  const typeTok = stmt[j];
  const nameTok = stmt[j + 1];
  if (
    typeTok?.kind === 'id' &&
    nameTok?.kind === 'id' &&
    !RESOLVER_TYPES.has(typeTok.text) &&
    !NOT_A_TYPE.has(typeTok.text) &&
    (j + 2 === stmt.length || stmt[j + 2].text === '(')
  ) {
    facts.varDecls.push({
      typeName: typeTok.text,
      name: nameTok.text,
      nameSpan: span(nameTok),
      declSpan: span(typeTok, nameTok),
      declEnd: tokens[semi].end,
      fn: fn?.name,
      fnStart: fn?.start,
    });
  }
}

function constantDecl(facts: FileFacts, stmt: readonly Token[], eq: number): void {
  const nameTok = stmt[eq - 1];
  if (nameTok?.kind !== 'id' || eq < 2) return;
  const spec = stmt.slice(0, eq - 1).map((t) => t.text);
  if (!spec.includes('const') && !spec.includes('constexpr')) return;
  if (spec.some((w) => w === '*' || w === '&' || w === '(')) return;
  if (!spec.some((w) => INTEGER_TYPES.has(w))) return;
  const value = stmt.slice(eq + 1);
  if (value.length === 0 || value.some((t) => t.kind === 'init' || t.kind === 'str')) return;
  facts.constants.push({ name: nameTok.text, nameSpan: span(nameTok), tokens: value, valueSpan: span(value[0], value[value.length - 1]), kind: 'const' });
}

function arrayDecl(facts: FileFacts, stmt: readonly Token[], bracket: number, semi: Token, fn: FunctionFact | undefined, namespaceScope: boolean): void {
  const nameTok = stmt[bracket - 1];
  if (nameTok.kind !== 'id') return;
  const spec = stmt.slice(0, bracket - 1);
  const typeWords: string[] = [];
  const macroWords: string[] = [];
  let alignTokens: Token[] | undefined;
  // Walk the specifiers: qualifiers, type words, alignas(...)/__attribute__((...)) groups.
  for (let k = 0; k < spec.length; k++) {
    const t = spec[k];
    if (t.text === '*' || t.text === '&' || t.text === '=' || t.text === '.' || t.text === '->') return;
    if (t.text === '(') {
      const close = closing(spec, k);
      const owner = spec[k - 1]?.text;
      if (close < 0 || !owner || !['alignas', '__attribute__', '__declspec', '__align', 'ALIGN', 'ALIGNED'].includes(owner) && !/ALIGN/i.test(owner)) return;
      alignTokens ??= alignmentTokens(spec, k, close);
      k = close;
      continue;
    }
    if (t.kind !== 'id') {
      if (t.text === '::' || t.text === '<' || t.text === '>' || t.text === ',' || t.kind === 'str') continue;
      return;
    }
    if (spec[k + 1]?.text === '(') continue; // alignas / __attribute__: the group follows
    if (NOT_A_TYPE.has(t.text) || CONTROL.has(t.text)) return;
    if (!QUALIFIERS.has(t.text) || t.text === 'unsigned' || t.text === 'signed') typeWords.push(t.text);
    if (/^[A-Z_][A-Z0-9_]*$/.test(t.text) && !BYTE_TYPES.has(t.text)) macroWords.push(t.text);
  }
  const spec2 = spec.map((t) => t.text);
  if (typeWords.length === 0) return;
  const dims: { tokens: Token[]; span: Span }[] = [];
  let k = bracket;
  while (stmt[k]?.text === '[') {
    const close = closing(stmt, k);
    if (close < 0) return;
    dims.push({ tokens: stmt.slice(k + 1, close), span: { start: stmt[k].end, end: stmt[close].start } });
    k = close + 1;
  }
  // After the declarator: attributes, PROGMEM, then `= {...}` or the end.
  let init: InitToken | undefined;
  for (; k < stmt.length; k++) {
    const t = stmt[k];
    if (t.kind === 'init') init = t as InitToken;
    else if (t.text === '(') {
      const close = closing(stmt, k);
      if (close < 0) return;
      alignTokens ??= alignmentTokens(stmt, k, close);
      k = close;
    } else if (t.kind === 'id' && /^[A-Z_][A-Z0-9_]*$/.test(t.text)) macroWords.push(t.text);
    else if (t.text === ',') return; // several declarators: rare for the arrays we care about
  }
  const isByte = typeWords.some((w) => BYTE_TYPES.has(w));
  const lastType = typeWords[typeWords.length - 1];
  const elementBytes = isByte ? 1 : TYPE_BYTES[lastType] ?? (typeWords.includes('long') && typeWords.filter((w) => w === 'long').length > 1 ? 8 : undefined);
  const isStatic = spec2.includes('static');
  facts.arrays.push({
    name: nameTok.text,
    nameSpan: span(nameTok),
    declStart: stmt[0].start,
    declEnd: semi.end,
    typeWords,
    isByte,
    elementBytes,
    dims,
    init,
    isConst: spec2.includes('const') || spec2.includes('constexpr'),
    isExtern: spec2.includes('extern') && !init,
    progmem: stmt.some((t) => t.text === 'PROGMEM'),
    alignTokens,
    macroWords: macroWords.filter((w) => w !== 'PROGMEM'),
    staticStorage: namespaceScope || isStatic,
    fn: fn?.name,
  });
}

/** The N of `alignas(N)`, `__attribute__((aligned(N)))`, `ALIGN(N)` inside parens [open, close]. */
function alignmentTokens(tokens: readonly Token[], open: number, close: number): Token[] | undefined {
  const owner = tokens[open - 1]?.text ?? '';
  for (let k = open; k < close; k++) {
    const w = tokens[k].text;
    if ((w === 'aligned' || w === '__aligned__') && tokens[k + 1]?.text === '(') {
      const c = closing(tokens, k + 1, close + 1);
      return c > 0 ? tokens.slice(k + 2, c) : undefined;
    }
    if ((w === 'aligned' || w === '__aligned__') && tokens[k + 1]?.text !== '(') {
      // `aligned` alone: the target's largest alignment, 8 on Arm.
      return [{ kind: 'num', text: '8', start: tokens[k].start, end: tokens[k].end }];
    }
  }
  if (owner === 'alignas' || owner === '__align' || /ALIGN/i.test(owner)) return tokens.slice(open + 1, close);
  return undefined;
}
