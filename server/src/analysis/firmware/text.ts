// Offsets to LSP ranges, edits that keep the user's layout, and numbers as messages print them.

import type { Range, TextEdit } from '../findings';
import type { Span } from './facts';
import type { FileEntry } from './project';
import { positionAt } from './scanner';

export function rangeOf(file: FileEntry, span: Span): Range {
  const lines = file.facts.scanned.lineStarts;
  return { start: positionAt(lines, span.start), end: positionAt(lines, span.end) };
}

export function replace(file: FileEntry, span: Span, newText: string): TextEdit {
  return { uri: file.uri, range: rangeOf(file, span), newText };
}

export function insert(file: FileEntry, offset: number, newText: string): TextEdit {
  return replace(file, { start: offset, end: offset }, newText);
}

/** Offset of the start of the line holding `offset`. */
export function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

/** The blanks that open the line holding `offset`. */
export function indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return /^[ \t]*/.exec(text.slice(start, start + 200))?.[0] ?? '';
}

/** The span of whole lines covering `span`, when nothing but blanks shares those lines. */
export function wholeLines(text: string, span: Span): Span | undefined {
  const start = lineStart(text, span.start);
  if (text.slice(start, span.start).trim() !== '') return undefined;
  let end = text.indexOf('\n', span.end);
  end = end < 0 ? text.length : end + 1;
  const rest = text.slice(span.end, end).trim();
  if (rest !== '' && !rest.startsWith('//')) return undefined;
  return { start, end };
}

/** 22824 → "22,824". */
export function grouped(n: number): string {
  const s = String(Math.round(Math.abs(n)));
  return (n < 0 ? '-' : '') + s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function roundUp(n: number, multiple: number): number {
  return Math.ceil(n / multiple) * multiple;
}
