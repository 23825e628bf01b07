// Integer constant expressions as firmware writes arena sizes and resolver capacities:
// `136 * 1024`, `(1 << 10)`, `kA + kB`, `sizeof(buf)`, `60000UL`, casts like `(size_t)`.
// Identifiers are looked up through a callback so constants resolve across files.

import type { Token } from './scanner';

export interface EvalContext {
  /** Value of a named constant, or undefined when unknown. */
  constant(name: string): number | undefined;
  /** `sizeof(name)` of a known array, in bytes. */
  sizeOf(name: string): number | undefined;
}

const CAST_WORDS = new Set([
  'size_t', 'int', 'unsigned', 'long', 'short', 'char', 'uint8_t', 'int8_t', 'uint16_t', 'int16_t', 'uint32_t', 'int32_t',
  'uint64_t', 'int64_t', 'const', 'std', '::', 'signed',
]);

/** Parses an integer literal with C suffixes, digit separators, hex, octal and binary. */
export function integerLiteral(text: string): number | undefined {
  const t = text.replace(/'/g, '');
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)(?:[uU](?:ll|LL|l|L)?|(?:ll|LL|l|L)[uU]?|[zZ][uU]?|[uU][zZ])?$/.exec(t);
  if (!m) return undefined;
  const digits = m[1];
  if (/^0[xX]/.test(digits)) return parseInt(digits.slice(2), 16);
  if (/^0[bB]/.test(digits)) return parseInt(digits.slice(2), 2);
  if (digits.length > 1 && digits[0] === '0') return parseInt(digits, 8);
  return parseInt(digits, 10);
}

const BINARY: Record<string, [number, (a: number, b: number) => number | undefined]> = {
  '*': [10, (a, b) => a * b],
  '/': [10, (a, b) => (b === 0 ? undefined : Math.trunc(a / b))],
  '%': [10, (a, b) => (b === 0 ? undefined : a % b)],
  '+': [9, (a, b) => a + b],
  '-': [9, (a, b) => a - b],
  '<<': [8, (a, b) => a * 2 ** b],
  '>>': [8, (a, b) => Math.floor(a / 2 ** b)],
  '&': [5, (a, b) => Number(BigInt(a) & BigInt(b))],
  '^': [4, (a, b) => Number(BigInt(a) ^ BigInt(b))],
  '|': [3, (a, b) => Number(BigInt(a) | BigInt(b))],
};

/** Evaluates tokens as an integer constant expression; undefined when any part is unknown. */
export function evaluate(tokens: readonly Token[], ctx: EvalContext): number | undefined {
  let i = 0;
  const peek = () => tokens[i]?.text;

  function primary(): number | undefined {
    const t = tokens[i];
    if (!t) return undefined;
    if (t.text === '(') {
      // A cast: `(size_t)`, `(unsigned long)`, `(std::size_t)`.
      let j = i + 1;
      while (j < tokens.length && CAST_WORDS.has(tokens[j].text)) j++;
      if (j > i + 1 && tokens[j]?.text === ')') {
        i = j + 1;
        return unary();
      }
      i++;
      const v = expr(0);
      if (peek() !== ')') return undefined;
      i++;
      return v;
    }
    if (t.text === 'sizeof') {
      i++;
      const paren = peek() === '(';
      if (paren) i++;
      const name = tokens[i];
      if (!name || name.kind !== 'id') return undefined;
      i++;
      if (paren) {
        if (peek() !== ')') return undefined;
        i++;
      }
      return ctx.sizeOf(name.text);
    }
    if (t.kind === 'num') {
      i++;
      return integerLiteral(t.text);
    }
    if (t.kind === 'id') {
      // static_cast<size_t>(x), ::name, ns::name
      if ((t.text === 'static_cast' || t.text === 'reinterpret_cast') && tokens[i + 1]?.text === '<') {
        let j = i + 2;
        while (j < tokens.length && tokens[j].text !== '>') j++;
        i = j + 1;
        return primary();
      }
      let name = t.text;
      i++;
      while (peek() === '::' && tokens[i + 1]?.kind === 'id') {
        name = tokens[i + 1].text;
        i += 2;
      }
      return ctx.constant(name);
    }
    if (t.text === '::') {
      i++;
      return primary();
    }
    return undefined;
  }

  function unary(): number | undefined {
    const t = peek();
    if (t === '-' || t === '+' || t === '~') {
      i++;
      const v = unary();
      if (v === undefined) return undefined;
      return t === '-' ? -v : t === '~' ? ~v : v;
    }
    return primary();
  }

  function expr(minPrec: number): number | undefined {
    let left = unary();
    for (;;) {
      const op = peek();
      const entry = op !== undefined ? BINARY[op] : undefined;
      if (!entry || entry[0] < minPrec || left === undefined) return left;
      i++;
      const right = expr(entry[0] + 1);
      if (right === undefined) return undefined;
      left = entry[1](left, right);
    }
  }

  const value = expr(0);
  if (i !== tokens.length || value === undefined || !Number.isFinite(value)) return undefined;
  return value;
}
