// The pure text work of `TinyML: Generate Op Resolver` and `TinyML: Insert Arena Size`: where the
// generated lines go in a C/C++ buffer and with what indentation, and which existing
// kTensorArenaSize definition is replaced (in the user's size style) rather than duplicated.

/** One replacement of [start, end) by newText, in offsets of the document's text. */
export interface TextReplacement {
  start: number;
  end: number;
  newText: string;
}

/**
 * A block of generated lines inserted at the cursor: lines after the first take the cursor line's
 * indentation; mid-line text before the cursor pushes the block onto a new line, text after it
 * moves below the block.
 */
export function blockAtCursor(code: string, text: string, cursor: number, eol: string): TextReplacement {
  const lines = code.replace(/\n$/, '').split('\n');
  const start = lineStartOf(text, cursor);
  const before = text.slice(start, cursor);
  const after = text.slice(cursor, lineEndOf(text, cursor));
  const indent = /^[ \t]*/.exec(text.slice(start))![0];
  const onBlank = before.trim() === '';
  const body = lines.join(eol + indent);
  const lead = onBlank ? (before.length < indent.length ? indent.slice(before.length) : '') : eol + indent;
  const tail = after.trim() === '' ? '' : eol + (onBlank ? before : indent);
  return { start: cursor, end: cursor, newText: lead + body + tail };
}

export interface ArenaText {
  comment: string;
  declaration: string;
  bytes: number;
  /** The first words of the comment this command writes, to replace it on a later run. */
  commentPrefix: string;
}

interface Definition {
  lineStart: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * Replaces the value of an existing `kTensorArenaSize` definition (the one nearest the cursor,
 * in the form the user wrote: `24 * 1024`, `0x6000`, `24576`) and refreshes the comment above
 * it, or inserts comment and declaration at the start of the cursor's line.
 */
export function arenaAtCursor(arena: ArenaText, text: string, cursor: number, eol: string): TextReplacement & { replaced: boolean; value: string } {
  const definition = nearest(definitions(text), cursor);
  if (!definition) {
    const start = lineStartOf(text, cursor);
    const indent = /^[ \t]*/.exec(text.slice(start))![0];
    const blankLine = text.slice(start, lineEndOf(text, cursor)).trim() === '';
    const end = blankLine ? lineEndOf(text, cursor) : start;
    const newText = `${indent}${arena.comment}${eol}${indent}${arena.declaration}${blankLine ? '' : eol}`;
    return { start, end, newText, replaced: false, value: String(arena.bytes) };
  }
  const value = sizeInStyle(text.slice(definition.valueStart, definition.valueEnd), arena.bytes);
  const indent = /^[ \t]*/.exec(text.slice(definition.lineStart))![0];
  const previousStart = definition.lineStart > 0 ? lineStartOf(text, definition.lineStart - 1) : -1;
  const previous = previousStart >= 0 ? text.slice(previousStart, definition.lineStart).trim() : '';
  const ours = previousStart >= 0 && previous.startsWith(arena.commentPrefix);
  const start = ours ? previousStart : definition.lineStart;
  const head = text.slice(definition.lineStart, definition.valueStart);
  return { start, end: definition.valueEnd, newText: `${indent}${arena.comment}${eol}${head}${value}`, replaced: true, value };
}

/** `bytes` written as the old value was: whole KiB for `N * 1024`, hex for hex, else decimal. */
export function sizeInStyle(old: string, bytes: number): string {
  const value = old.trim();
  const kib = /^(\(?\s*)(\d+)(\s*\*\s*1024[uUlL]*\s*\)?)$/.exec(value) ?? /^(\(?\s*1024[uUlL]*\s*\*\s*)(\d+)(\s*\)?)$/.exec(value);
  const k = Math.ceil(bytes / 1024);
  if (kib) return `${kib[1]}${k}${kib[3]}`;
  if (/\*\s*1024[uUlL]*\s*\)?$/.test(value)) return `${k} * 1024`;
  if (/^0[xX]/.test(value)) return `0x${bytes.toString(16).toUpperCase()}`;
  return String(bytes);
}

/** Every `... kTensorArenaSize = value;`, `kTensorArenaSize{value}` and `#define kTensorArenaSize value`, comments ignored. */
function definitions(text: string): Definition[] {
  const code = maskComments(text);
  const out: Definition[] = [];
  const declared = /\b(?:const|constexpr|static|int|unsigned|long|size_t|uint32_t|int32_t)\b[^;{}()=]*?\bkTensorArenaSize\s*(=|\{)\s*/g;
  for (let m = declared.exec(code); m; m = declared.exec(code)) {
    const valueStart = m.index + m[0].length;
    const stop = code.indexOf(m[1] === '=' ? ';' : '}', valueStart);
    if (stop < 0) continue;
    out.push({ lineStart: lineStartOf(text, m.index), valueStart, valueEnd: trimEnd(code, valueStart, stop) });
  }
  const macro = /^[ \t]*#[ \t]*define[ \t]+kTensorArenaSize[ \t]+/gm;
  for (let m = macro.exec(code); m; m = macro.exec(code)) {
    const valueStart = m.index + m[0].length;
    out.push({ lineStart: m.index, valueStart, valueEnd: trimEnd(code, valueStart, lineEndOf(code, valueStart)) });
  }
  return out.filter((d) => d.valueEnd > d.valueStart);
}

function nearest(list: Definition[], cursor: number): Definition | undefined {
  let best: Definition | undefined;
  for (const d of list) if (!best || Math.abs(d.valueStart - cursor) < Math.abs(best.valueStart - cursor)) best = d;
  return best;
}

function trimEnd(text: string, start: number, end: number): number {
  while (end > start && /\s/.test(text[end - 1])) end--;
  return end;
}

/** The text with comments and string/char literals blanked out (same length, line breaks kept). */
export function maskComments(text: string): string {
  let out = '';
  let i = 0;
  const blank = (s: string) => s.replace(/[^\r\n]/g, ' ');
  while (i < text.length) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '/' && next === '/') {
      const end = lineEndOf(text, i);
      out += blank(text.slice(i, end));
      i = end;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? text.length : close + 2;
      out += blank(text.slice(i, end));
      i = end;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(j, text.length);
      // An unterminated literal ends at the line break, which is kept.
      const closed = text[j] === c;
      out += c + blank(text.slice(i + 1, j)) + (closed ? c : '');
      i = closed ? j + 1 : j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function lineEndOf(text: string, offset: number): number {
  const end = text.indexOf('\n', offset);
  const e = end < 0 ? text.length : end;
  return e > 0 && text[e - 1] === '\r' ? e - 1 : e;
}
