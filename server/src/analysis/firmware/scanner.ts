// The C/C++ tokenizer behind firmware analysis: comment-, string- and directive-aware, no
// preprocessor. It yields tokens with exact offsets, `#define`/`#include` directives, drops
// `#if 0` blocks, and folds every `= { ... }` initializer into one token so a multi-megabyte
// model array costs one tight loop over char codes instead of a million tokens.

export type TokenKind = 'id' | 'num' | 'str' | 'char' | 'punct' | 'init';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets into the file's text (UTF-16 code units), end exclusive. */
  start: number;
  end: number;
}

/** An `= { ... }` initializer folded into one token (its text is just `{}`). */
export interface InitToken extends Token {
  kind: 'init';
  /** Top-level elements, for `sizeof(array)` of a `name[] = {...}` declaration. */
  elements: number;
  /** True when the elements are plain integers (a byte array candidate). */
  numeric: boolean;
}

export interface Define {
  name: string;
  /** Replacement tokens of an object-like macro; function-like macros are not recorded. */
  tokens: Token[];
  nameStart: number;
  /** Offsets of the replacement text (for edits). */
  valueStart: number;
  valueEnd: number;
}

export interface Include {
  spec: string;
  system: boolean;
  start: number;
  end: number;
}

export interface ScannedFile {
  text: string;
  tokens: Token[];
  defines: Define[];
  includes: Include[];
  lineStarts: number[];
}

const LF = 10, CR = 13, SPACE = 32, TAB = 9, QUOTE = 34, HASH = 35, APOS = 39, STAR = 42, COMMA = 44;
const SLASH = 47, D0 = 48, D9 = 57, EQ = 61, BACKSLASH = 92, UNDERSCORE = 95, LBRACE = 123, RBRACE = 125;

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === UNDERSCORE || c === 36;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= D0 && c <= D9);
}
function isBlank(c: number): boolean {
  return c === SPACE || c === TAB || c === CR || c === 11 || c === 12;
}

const TWO_CHAR = new Set(['::', '->', '<<', '>>', '==', '!=', '<=', '>=', '&&', '||', '++', '--', '+=', '-=', '*=', '/=', '|=', '&=', '^=', '%=']);

export function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** 0-based line and UTF-16 character of an offset. */
export function positionAt(lineStarts: readonly number[], offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lineStarts[mid] <= offset) lo = mid + 1;
    else hi = mid;
  }
  return { line: lo - 1, character: offset - lineStarts[lo - 1] };
}

/** End of a line comment or a block comment starting at `i`. */
function skipComment(s: string, i: number): number {
  if (s.charCodeAt(i + 1) === SLASH) {
    // A backslash at the end of a // comment continues it on the next line.
    let end = s.indexOf('\n', i + 2);
    while (end > 0 && s.charCodeAt(end - 1 - (s.charCodeAt(end - 1) === CR ? 1 : 0)) === BACKSLASH) end = s.indexOf('\n', end + 1);
    return end < 0 ? s.length : end;
  }
  const end = s.indexOf('*/', i + 2);
  return end < 0 ? s.length : end + 2;
}

/** End of a string or char literal starting at `i` (stops at an unescaped line break). */
function skipQuoted(s: string, i: number): number {
  const quote = s.charCodeAt(i);
  for (let j = i + 1; j < s.length; j++) {
    const c = s.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return j + 1;
    else if (c === LF) return j;
  }
  return s.length;
}

/** End of a raw string `R"delim( ... )delim"` whose `"` is at `i`. */
function skipRawString(s: string, i: number): number {
  const open = s.indexOf('(', i);
  if (open < 0 || open - i > 17) return skipQuoted(s, i);
  const close = s.indexOf(`)${s.slice(i + 1, open)}"`, open);
  return close < 0 ? s.length : close + (open - i) + 1;
}

/** Skips a balanced `{...}` from its `{`; counts top-level elements on the way. */
function skipInitializer(s: string, open: number): { end: number; elements: number; numeric: boolean } {
  let depth = 0;
  let commas = 0;
  let sawElement = false;
  let lastSignificant = LBRACE;
  let numeric = true;
  const n = s.length;
  for (let i = open; i < n; i++) {
    const c = s.charCodeAt(i);
    // The hot path: digits, hex letters, commas and blanks of a byte array.
    if (c === COMMA) {
      if (depth === 1) commas++;
      lastSignificant = c;
      continue;
    }
    if (c <= SPACE) continue;
    if (c === SLASH && (s.charCodeAt(i + 1) === SLASH || s.charCodeAt(i + 1) === STAR)) {
      i = skipComment(s, i) - 1;
      continue;
    }
    if (c === QUOTE || c === APOS) {
      numeric = false;
      sawElement = true;
      i = skipQuoted(s, i) - 1;
      lastSignificant = c;
      continue;
    }
    if (c === LBRACE) {
      if (depth >= 1) numeric = false;
      depth++;
    } else if (c === RBRACE) {
      depth--;
      if (depth === 0) {
        const elements = sawElement ? commas + (lastSignificant === COMMA ? 0 : 1) : 0;
        return { end: i + 1, elements, numeric };
      }
    } else if (depth === 1) {
      sawElement = true;
    }
    lastSignificant = c;
  }
  return { end: n, elements: commas + 1, numeric };
}

/** Tokens of one line of preprocessor text (for #define values). */
function tokenizeRange(s: string, from: number, to: number): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (isBlank(c) || c === LF) {
      i++;
    } else if (c === BACKSLASH) {
      i++;
    } else if (c === SLASH && (s.charCodeAt(i + 1) === SLASH || s.charCodeAt(i + 1) === STAR)) {
      i = Math.min(skipComment(s, i), to);
    } else {
      const end = Math.min(tokenEnd(s, i), to);
      out.push({ kind: kindOf(s, i), text: s.slice(i, end), start: i, end });
      i = end;
    }
  }
  return out;
}

function kindOf(s: string, i: number): TokenKind {
  const c = s.charCodeAt(i);
  if (isIdentStart(c)) return 'id';
  if (c >= D0 && c <= D9) return 'num';
  if (c === QUOTE) return 'str';
  if (c === APOS) return 'char';
  return 'punct';
}

/** End of the token starting at `i` (identifiers, numbers, literals, punctuators). */
function tokenEnd(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const n = s.length;
  if (isIdentStart(c)) {
    let j = i + 1;
    while (j < n && isIdentChar(s.charCodeAt(j))) j++;
    return j;
  }
  if (c >= D0 && c <= D9) {
    let j = i + 1;
    // Digit separators (1'000) and suffixes belong to the number.
    while (j < n) {
      const d = s.charCodeAt(j);
      if (isIdentChar(d) || d === 46 || (d === APOS && isIdentChar(s.charCodeAt(j + 1)))) j++;
      else break;
    }
    return j;
  }
  if (c === QUOTE || c === APOS) return skipQuoted(s, i);
  if (TWO_CHAR.has(s.slice(i, i + 2))) return i + 2;
  return i + 1;
}

/** End of a directive line, following backslash continuations. */
function directiveEnd(s: string, i: number): number {
  let end = s.indexOf('\n', i);
  while (end > 0) {
    let k = end - 1;
    if (s.charCodeAt(k) === CR) k--;
    if (s.charCodeAt(k) !== BACKSLASH) break;
    end = s.indexOf('\n', end + 1);
  }
  return end < 0 ? s.length : end;
}

const DIRECTIVE = /^#\s*(\w+)\s*(.*)/s;

/** Skips from after `#if 0` to the matching `#else`/`#elif`/`#endif`; returns where scanning resumes. */
function skipDisabled(s: string, from: number): number {
  let depth = 1;
  let i = from;
  const n = s.length;
  while (i < n) {
    const nl = s.indexOf('\n', i);
    const lineEnd = nl < 0 ? n : nl;
    let j = i;
    while (j < lineEnd && isBlank(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) === HASH) {
      const m = /^#\s*(\w+)/.exec(s.slice(j, Math.min(lineEnd, j + 32)));
      const word = m?.[1];
      if (word === 'if' || word === 'ifdef' || word === 'ifndef') depth++;
      else if (word === 'endif' && --depth === 0) return lineEnd;
      else if ((word === 'else' || word === 'elif') && depth === 1) return lineEnd;
    }
    i = lineEnd + 1;
  }
  return n;
}

/** Tokenizes a C/C++ file. Directives become `defines`/`includes`; `#if 0` blocks are dropped. */
export function scan(text: string): ScannedFile {
  const s = text;
  const n = s.length;
  const tokens: Token[] = [];
  const defines: Define[] = [];
  const includes: Include[] = [];
  let lineStart = true;
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c === LF) {
      lineStart = true;
      i++;
      continue;
    }
    if (isBlank(c)) {
      i++;
      continue;
    }
    if (c === BACKSLASH && (s.charCodeAt(i + 1) === LF || s.charCodeAt(i + 1) === CR)) {
      i += s.charCodeAt(i + 1) === CR ? 3 : 2;
      continue;
    }
    if (c === SLASH && (s.charCodeAt(i + 1) === SLASH || s.charCodeAt(i + 1) === STAR)) {
      i = skipComment(s, i);
      continue;
    }
    if (c === HASH && lineStart) {
      const end = directiveEnd(s, i);
      i = directive(s, i, end, defines, includes);
      continue;
    }
    lineStart = false;
    if (c === EQ && s.charCodeAt(i + 1) !== EQ) {
      let j = i + 1;
      for (;;) {
        while (j < n && (isBlank(s.charCodeAt(j)) || s.charCodeAt(j) === LF)) j++;
        if (s.charCodeAt(j) === SLASH && (s.charCodeAt(j + 1) === SLASH || s.charCodeAt(j + 1) === STAR)) j = skipComment(s, j);
        else break;
      }
      tokens.push({ kind: 'punct', text: '=', start: i, end: i + 1 });
      if (s.charCodeAt(j) === LBRACE) {
        const { end, elements, numeric } = skipInitializer(s, j);
        const init: InitToken = { kind: 'init', text: '{}', start: j, end, elements, numeric };
        tokens.push(init);
        i = end;
      } else {
        i++;
      }
      continue;
    }
    // Raw strings: R"(...)", u8R"x(...)x", LR"(...)".
    if (c === QUOTE && i > 0 && s.charCodeAt(i - 1) === 82 && tokens.length > 0 && tokens[tokens.length - 1].end === i) {
      const prev = tokens[tokens.length - 1];
      if (/^(?:u8|u|U|L)?R$/.test(prev.text)) {
        const end = skipRawString(s, i);
        tokens[tokens.length - 1] = { kind: 'str', text: s.slice(prev.start, end), start: prev.start, end };
        i = end;
        continue;
      }
    }
    const end = tokenEnd(s, i);
    tokens.push({ kind: kindOf(s, i), text: s.slice(i, end), start: i, end });
    i = end;
  }
  return { text, tokens, defines, includes, lineStarts: lineStartsOf(text) };
}

/** Reads one directive spanning [start, end); returns where scanning resumes. */
function directive(s: string, start: number, end: number, defines: Define[], includes: Include[]): number {
  const head = s.slice(start, Math.min(end, start + 256));
  const m = DIRECTIVE.exec(head);
  if (!m) return end;
  const word = m[1];
  if (word === 'define') {
    const nameMatch = /^#\s*define\s+([A-Za-z_]\w*)(\(?)/.exec(head);
    if (nameMatch && nameMatch[2] !== '(') {
      const nameStart = start + head.indexOf(nameMatch[1], head.indexOf('define') + 6);
      let valueStart = nameStart + nameMatch[1].length;
      while (valueStart < end && isBlank(s.charCodeAt(valueStart))) valueStart++;
      const toks = tokenizeRange(s, valueStart, end);
      const valueEnd = toks.length > 0 ? toks[toks.length - 1].end : valueStart;
      defines.push({ name: nameMatch[1], tokens: toks, nameStart, valueStart, valueEnd });
    }
  } else if (word === 'include') {
    const inc = /^#\s*include\s*(["<])([^">\n]+)[">]/.exec(head);
    if (inc) includes.push({ spec: inc[2], system: inc[1] === '<', start, end });
  } else if (word === 'if' && /^0\s*(?:\/\/.*|\/\*.*)?$/.test(m[2].trim())) {
    return skipDisabled(s, end + 1);
  }
  // Other conditionals keep both branches: without a preprocessor, seeing both is the safe side.
  return end;
}
