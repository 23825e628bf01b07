// Byte arrays in C/C++ source (xxd -i, TFLM's generate_cc_arrays, Arduino PROGMEM sketches):
// finds every `... name[] ... = { ... };` of a byte type, with its alignment, length constant and
// line. A hand-rolled scanner over char codes: multi-megabyte model arrays must parse in
// milliseconds, and errors must point at the exact line and column.
import { ModelError } from './graph';
import { looksLikeOnnx } from './onnx/wireCheck';

export interface CArray {
  name: string;
  bytes: Uint8Array;
  /** From `alignas(N)`, `__attribute__((aligned(N)))` or a macro defined to one in the same file. */
  alignment?: number;
  progmem: boolean;
  isConst: boolean;
  /** The `<name>_len` / `<name>Len` / `k<Name>Size` constant that pairs with the array. */
  lengthName?: string;
  /** The value of that constant when it is a literal or `sizeof(<name>)`. */
  lengthValue?: number;
  /** 1-based line of the array's name. */
  line: number;
}

const BYTE_TYPES = new Set(['char', 'uint8_t', 'int8_t', '__uint8_t', '__int8_t', 'u8', 's8', 'uint8', 'int8', 'byte', 'BYTE', 'UINT8', 'INT8']);
const NON_BYTE_TYPES = new Set([
  'int', 'short', 'long', 'float', 'double', 'bool', 'wchar_t', 'char8_t', 'char16_t', 'char32_t', 'uint16_t', 'int16_t', 'uint32_t',
  'int32_t', 'uint64_t', 'int64_t', 'size_t', 'String',
]);

// Char codes used by the scanner.
const TAB = 9, LF = 10, CR = 13, SPACE = 32, QUOTE = 34, HASH = 35, APOS = 39, STAR = 42, PLUS = 43, COMMA = 44, MINUS = 45;
const DOT = 46, SLASH = 47, D0 = 48, D7 = 55, D9 = 57, SEMI = 59, EQ = 61, BACKSLASH = 92, UNDERSCORE = 95, LBRACE = 123, RBRACE = 125;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE || c === 36;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= D0 && c <= D9);
}
function hexValue(c: number): number {
  if (c >= D0 && c <= D9) return c - D0;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Source text with backslash-newline splices removed (C translation phase 2), mapping positions
 * back to the original lines and columns for messages.
 */
class Source {
  readonly text: string;
  private readonly splicedAt: number[] = [];
  private readonly removedBefore: number[] = [];
  private lineStarts?: number[];

  constructor(readonly original: string, readonly fileName: string) {
    if (!/\\\r?\n/.test(original)) {
      this.text = original;
      return;
    }
    let out = '';
    let removed = 0;
    const re = /\\\r?\n/g;
    let last = 0;
    for (let m = re.exec(original); m; m = re.exec(original)) {
      out += original.slice(last, m.index);
      removed += m[0].length;
      this.splicedAt.push(out.length);
      this.removedBefore.push(removed);
      last = m.index + m[0].length;
    }
    this.text = out + original.slice(last);
  }

  private originalOffset(pos: number): number {
    let lo = 0;
    let hi = this.splicedAt.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.splicedAt[mid] <= pos) lo = mid + 1;
      else hi = mid;
    }
    return pos + (lo > 0 ? this.removedBefore[lo - 1] : 0);
  }

  /** 1-based line and column of a position in the spliced text. */
  where(pos: number): { line: number; column: number } {
    const offset = this.originalOffset(pos);
    if (!this.lineStarts) {
      this.lineStarts = [0];
      for (let i = this.original.indexOf('\n'); i >= 0; i = this.original.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
    }
    let lo = 0;
    let hi = this.lineStarts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid + 1;
      else hi = mid;
    }
    return { line: lo, column: offset - this.lineStarts[lo - 1] + 1 };
  }

  error(pos: number, message: string): ModelError {
    const { line, column } = this.where(pos);
    return new ModelError(`${this.fileName}:${line}:${column}: ${message}`);
  }
}

interface Token {
  kind: 'id' | 'num' | 'punct' | 'str';
  text: string;
  pos: number;
}

/** Skips whitespace and comments from `i`; returns the next significant position. */
function skipBlank(src: Source, i: number): number {
  const s = src.text;
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === SPACE || c === LF || c === CR || c === TAB || c === 11 || c === 12) {
      i++;
    } else if (c === SLASH && s.charCodeAt(i + 1) === SLASH) {
      const end = s.indexOf('\n', i + 2);
      i = end < 0 ? n : end + 1;
    } else if (c === SLASH && s.charCodeAt(i + 1) === STAR) {
      const end = s.indexOf('*/', i + 2);
      if (end < 0) throw src.error(i, 'unterminated /* comment');
      i = end + 2;
    } else {
      break;
    }
  }
  return i;
}

/** The text of the offending element at `i`, for messages. */
function tokenAt(s: string, i: number): string {
  if (i >= s.length) return 'end of file';
  let end = i;
  while (end < s.length && end - i < 24 && (isIdentChar(s.charCodeAt(end)) || s.charCodeAt(end) === DOT)) end++;
  return end > i ? s.slice(i, end) : s[i];
}

/** Parses `{ e, e, ... }` from just after the `{`; returns the bytes and the position after `}`. */
function parseElements(src: Source, open: number, name: string, declaredSize: number | undefined): { bytes: Uint8Array; end: number } {
  const s = src.text;
  const n = s.length;
  const close = s.indexOf('}', open);
  if (close < 0) throw src.error(open, `unterminated initializer of array '${name}' (no closing '}')`);
  // Every element takes at least two chars ("1,"), so this bounds the count unless a '}' sits in a comment.
  let out = new Uint8Array(((close - open) >> 1) + 2);
  let len = 0;
  let i = open + 1;
  for (;;) {
    i = skipBlank(src, i);
    if (i >= n) throw src.error(open, `unterminated initializer of array '${name}' (no closing '}')`);
    let c = s.charCodeAt(i);
    if (c === RBRACE) break;
    const start = i;
    let negative = false;
    if (c === MINUS || c === PLUS) {
      negative = c === MINUS;
      i = skipBlank(src, i + 1);
      c = s.charCodeAt(i);
    }
    if (!(c >= D0 && c <= D9)) throw src.error(i, `expected a number or '}' in array '${name}', found '${tokenAt(s, i)}'`);
    let value = 0;
    let digits = 0;
    const next = s.charCodeAt(i + 1);
    if (c === D0 && (next === 120 || next === 88)) {
      i += 2;
      for (let h = hexValue(s.charCodeAt(i)); h >= 0; h = hexValue(s.charCodeAt(++i))) {
        if (value < 0x10000) value = value * 16 + h;
        digits++;
      }
    } else if (c === D0 && (next === 98 || next === 66)) {
      i += 2;
      for (c = s.charCodeAt(i); c === D0 || c === D0 + 1; c = s.charCodeAt(++i)) {
        if (value < 0x10000) value = value * 2 + (c - D0);
        digits++;
      }
    } else if (c === D0) {
      // Octal: C reads a leading 0 as base 8, so 010 is 8 and 08 is an error.
      i++;
      digits = 1;
      for (c = s.charCodeAt(i); c >= D0 && c <= D7; c = s.charCodeAt(++i)) {
        if (value < 0x10000) value = value * 8 + (c - D0);
      }
    } else {
      for (c = s.charCodeAt(i); c >= D0 && c <= D9; c = s.charCodeAt(++i)) {
        if (value < 0x10000) value = value * 10 + (c - D0);
        digits++;
      }
    }
    // Integer suffixes (u, l, ul, ull...) change nothing for a byte.
    for (c = s.charCodeAt(i); c === 117 || c === 85 || c === 108 || c === 76; c = s.charCodeAt(++i));
    if (digits === 0 || isIdentChar(c) || c === DOT) {
      throw src.error(start, `expected a number or '}' in array '${name}', found '${tokenAt(s, start)}'`);
    }
    if (negative ? value > 128 : value > 255) {
      throw src.error(start, `value ${s.slice(start, i)} is out of range for a byte (-128..255) in array '${name}'`);
    }
    if (len === out.length) {
      const grown = new Uint8Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[len++] = negative ? -value & 0xff : value;
    i = skipBlank(src, i);
    c = s.charCodeAt(i);
    if (c === COMMA) {
      i++;
    } else if (c !== RBRACE) {
      if (i >= n) throw src.error(open, `unterminated initializer of array '${name}' (no closing '}')`);
      throw src.error(i, `expected ',' or '}' after an element of array '${name}', found '${tokenAt(s, i)}'`);
    }
  }
  if (declaredSize !== undefined && len > declaredSize) {
    throw src.error(open, `array '${name}' is declared with ${declaredSize} elements but has ${len} initializers`);
  }
  // C zero-fills the rest of an array declared larger than its initializer.
  const size = declaredSize !== undefined && declaredSize > len ? declaredSize : len;
  let bytes = out;
  if (size < out.length) {
    bytes = out.slice(0, size); // an exact copy: the slack past `len` is still zero
  } else if (size > out.length) {
    bytes = new Uint8Array(size);
    bytes.set(out.subarray(0, len));
  }
  return { bytes, end: i + 1 };
}

/** Skips a balanced `{...}` (non-byte arrays, struct initializers), aware of comments and literals. */
function skipBraces(src: Source, open: number): number {
  const s = src.text;
  let depth = 0;
  for (let i = open; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === SLASH && (s.charCodeAt(i + 1) === SLASH || s.charCodeAt(i + 1) === STAR)) {
      i = skipBlank(src, i);
    } else if (c === QUOTE || c === APOS) {
      i = skipLiteral(s, i);
    } else {
      if (c === LBRACE) depth++;
      else if (c === RBRACE && --depth === 0) return i + 1;
      i++;
    }
  }
  throw src.error(open, "unterminated initializer (no closing '}')");
}

function skipLiteral(s: string, i: number): number {
  const quote = s.charCodeAt(i);
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return j + 1;
    else if (c === LF) return j;
  }
  // An unterminated literal outside an array (a stray apostrophe in an #if 0 block) ends at the line.
  return s.length;
}

function numberLiteral(text: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(text);
  if (!m) return undefined;
  const t = m[1];
  if (/^0[xX]/.test(t)) return parseInt(t.slice(2), 16);
  if (t.length > 1 && t[0] === '0') return parseInt(t, 8);
  return parseInt(t, 10);
}

/** Alignment named in a declaration's tokens: alignas(N), aligned(N), __align(N) or a macro for one. */
function alignmentOf(tokens: Token[], macros: Map<string, number>): number | undefined {
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k].text;
    if ((t === 'alignas' || t === 'aligned' || t === '__aligned__' || t === '__align') && tokens[k + 1]?.text === '(') {
      const v = numberLiteral(tokens[k + 2]?.text ?? '');
      if (v !== undefined) return v;
    }
    const macro = macros.get(t);
    if (macro !== undefined) return macro;
  }
  return undefined;
}

interface Declaration {
  name: string;
  namePos: number;
  isByte: boolean;
  dims: number;
  declaredSize?: number;
  isConst: boolean;
  progmem: boolean;
  alignment?: number;
}

/** Reads `[qualifiers] type [attrs] name [size] [attrs]` from the tokens before `=`. */
function declarationOf(tokens: Token[], macros: Map<string, number>): Declaration | undefined {
  const bracket = tokens.findIndex((t) => t.text === '[');
  if (bracket < 1 || tokens[bracket - 1].kind !== 'id') return undefined;
  const nameTok = tokens[bracket - 1];
  const words = new Set<string>();
  let depth = 0;
  for (const t of tokens.slice(0, bracket - 1)) {
    // An array of pointers or references (`const char* names[]`) holds no bytes.
    if (depth === 0 && (t.text === '*' || t.text === '&')) return undefined;
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else if (depth === 0 && t.kind === 'id') words.add(t.text);
  }
  let isByte = false;
  for (const w of words) {
    if (NON_BYTE_TYPES.has(w)) return { name: nameTok.text, namePos: nameTok.pos, isByte: false, dims: 0, isConst: false, progmem: false };
    if (BYTE_TYPES.has(w)) isByte = true;
  }
  const dims = tokens.filter((t) => t.text === '[').length;
  const sizeTok = tokens[bracket + 1];
  const declaredSize = sizeTok?.kind === 'num' && tokens[bracket + 2]?.text === ']' ? numberLiteral(sizeTok.text) : undefined;
  return {
    name: nameTok.text,
    namePos: nameTok.pos,
    isByte,
    dims,
    declaredSize,
    isConst: words.has('const') || words.has('constexpr'),
    progmem: tokens.some((t) => t.text === 'PROGMEM' || t.text === '".progmem.data"'),
    alignment: alignmentOf(tokens, macros),
  };
}

/** Records `#define NAME ...aligned(N)...` so declarations using NAME get that alignment. */
function readDirective(line: string, macros: Map<string, number>): void {
  const m = /^\s*#\s*define\s+([A-Za-z_]\w*)\s+(.*)$/.exec(line);
  if (!m || macros.has(m[1])) return; // the first definition wins (#if/#else fallbacks define it empty)
  const a = /\b(?:alignas|aligned|__aligned__|__align)\s*\(\s*(0[xX][0-9a-fA-F]+|\d+)\s*\)/.exec(m[2]);
  if (a) macros.set(m[1], numberLiteral(a[1]) ?? 0);
}

function normalizeName(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** Whether `constant` names the length of `array`: g_model_len, modelLen, kModelSize, g_model_data_size... */
function isLengthOf(constant: string, array: string): boolean {
  const c = normalizeName(constant);
  const bases = new Set([normalizeName(array), normalizeName(array.replace(/^g_/, '')), normalizeName(array.replace(/^[gk](?=[A-Z])/, ''))]);
  for (const base of bases) {
    for (const suffix of ['len', 'length', 'size']) {
      if (c === base + suffix || c === `k${base}${suffix}` || c === `g${base}${suffix}`) return true;
    }
  }
  return false;
}

/** Every byte array with an initializer in `text`. `fileName` prefixes error positions. */
export function readCArray(text: string, fileName = '<input>'): CArray[] {
  const src = new Source(text, fileName);
  const s = src.text;
  const n = s.length;
  const arrays: (CArray & { pos: number })[] = [];
  const constants = new Map<string, { value?: number; sizeofOf?: string }>();
  const macros = new Map<string, number>();
  let tokens: Token[] = [];
  let lineStart = true;

  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === LF) {
      lineStart = true;
      i++;
      continue;
    }
    if (c === SPACE || c === TAB || c === CR || c === 11 || c === 12) {
      i++;
      continue;
    }
    if (c === SLASH && (s.charCodeAt(i + 1) === SLASH || s.charCodeAt(i + 1) === STAR)) {
      const before = i;
      i = skipBlank(src, i);
      if (s.lastIndexOf('\n', i - 1) >= before) lineStart = true;
      continue;
    }
    if (c === HASH && lineStart) {
      const end = s.indexOf('\n', i);
      readDirective(s.slice(i, end < 0 ? n : end), macros);
      tokens = [];
      i = end < 0 ? n : end;
      continue;
    }
    lineStart = false;
    if (isIdentStart(c)) {
      const start = i;
      while (i < n && isIdentChar(s.charCodeAt(i))) i++;
      tokens.push({ kind: 'id', text: s.slice(start, i), pos: start });
    } else if (c >= D0 && c <= D9) {
      const start = i;
      // C++14 digit separators (1'000) belong to the number, not a character literal.
      while (i < n && (isIdentChar(s.charCodeAt(i)) || s.charCodeAt(i) === DOT || (s.charCodeAt(i) === APOS && isIdentChar(s.charCodeAt(i + 1))))) i++;
      tokens.push({ kind: 'num', text: s.slice(start, i), pos: start });
    } else if (c === QUOTE || c === APOS) {
      const start = i;
      i = skipLiteral(s, i);
      tokens.push({ kind: 'str', text: s.slice(start, i), pos: start });
    } else if (c === EQ && s.charCodeAt(i + 1) !== EQ) {
      const after = skipBlank(src, i + 1);
      if (s.charCodeAt(after) === LBRACE) {
        const decl = tokens.some((t) => t.text === '[') ? declarationOf(tokens, macros) : undefined;
        if (decl && decl.isByte && decl.dims === 1) {
          const { bytes, end } = parseElements(src, after, decl.name, decl.declaredSize);
          arrays.push({
            name: decl.name,
            bytes,
            ...(decl.alignment !== undefined ? { alignment: decl.alignment } : {}),
            progmem: decl.progmem || /\bPROGMEM\b/.test(textUntilSemicolon(s, end)),
            isConst: decl.isConst,
            line: src.where(decl.namePos).line,
            pos: decl.namePos,
          });
          i = end;
        } else {
          i = skipBraces(src, after);
        }
        tokens = [];
        continue;
      }
      tokens.push({ kind: 'punct', text: '=', pos: i });
      i++;
    } else {
      if (c === SEMI) {
        recordConstant(tokens, constants);
        tokens = [];
      } else if (c === LBRACE || c === RBRACE) {
        tokens = [];
      } else {
        tokens.push({ kind: 'punct', text: s[i], pos: i });
      }
      i++;
    }
    // Declarations are short; a runaway token list means we are inside something else (e.g. a long expression).
    if (tokens.length > 256) tokens = tokens.slice(-64);
  }

  return arrays.map(({ pos: _pos, ...array }) => {
    for (const [name, c] of constants) {
      if (!isLengthOf(name, array.name)) continue;
      const value = c.sizeofOf === array.name ? array.bytes.length : c.value;
      return { ...array, lengthName: name, ...(value !== undefined ? { lengthValue: value } : {}) };
    }
    return array;
  });
}

/** The text between an initializer's `}` and its `;`, where some sketches put PROGMEM. */
function textUntilSemicolon(s: string, from: number): string {
  const semi = s.indexOf(';', from);
  return semi < 0 || semi - from > 200 ? '' : s.slice(from, semi);
}

/** `[const] int name = 2704;` or `= sizeof(array);` */
function recordConstant(tokens: Token[], constants: Map<string, { value?: number; sizeofOf?: string }>): void {
  const eq = tokens.findIndex((t) => t.text === '=');
  if (eq < 1 || tokens[eq - 1].kind !== 'id') return;
  const name = tokens[eq - 1].text;
  const rhs = tokens.slice(eq + 1).filter((t) => t.text !== '(' && t.text !== ')');
  if (rhs.length === 1 && rhs[0].kind === 'num') {
    const value = numberLiteral(rhs[0].text);
    if (value !== undefined) constants.set(name, { value });
  } else if (rhs.length === 2 && rhs[0].text === 'sizeof' && rhs[1].kind === 'id') {
    constants.set(name, { sizeofOf: rhs[1].text });
  }
}

const TFL3 = [0x54, 0x46, 0x4c, 0x33];

function isTflite(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && TFL3.every((b, k) => bytes[4 + k] === b);
}

/**
 * The array holding the model: the first with a TFL3 identifier or an ONNX-looking protobuf,
 * else the largest byte array; undefined when the text has no byte array.
 */
export function extractModelBytes(text: string, fileName?: string): CArray | undefined {
  const arrays = readCArray(text, fileName);
  const model = arrays.find((a) => isTflite(a.bytes)) ?? arrays.find((a) => looksLikeOnnx(a.bytes));
  if (model) return model;
  let largest: CArray | undefined;
  for (const a of arrays) if (!largest || a.bytes.length > largest.bytes.length) largest = a;
  return largest;
}
