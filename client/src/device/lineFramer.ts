// Serial monitor framing: splits received bytes into lines on \n, \r\n or a lone \r (also
// across chunk boundaries), renders binary chunks as a hex dump and encodes what is sent
// with the chosen line ending. Plain data in, plain data out; no I/O.

export type LineEnding = 'none' | 'lf' | 'cr' | 'crlf';

const ENDINGS: Record<LineEnding, string> = { none: '', lf: '\n', cr: '\r', crlf: '\r\n' };

export class LineFramer {
  private readonly decoder = new TextDecoder('utf-8');
  private pending = '';
  /** The previous chunk ended in \r: a \n at the start of the next one belongs to it. */
  private afterCr = false;

  /** Complete lines contained in `chunk` (without their terminators). */
  push(chunk: Uint8Array | string): string[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    const lines: string[] = [];
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) {
        if (this.afterCr && i === start) {
          // Second half of \r\n: the line was already emitted at the \r.
          this.afterCr = false;
          start = i + 1;
          continue;
        }
        lines.push(this.pending + text.slice(start, i));
        this.pending = '';
        start = i + 1;
        this.afterCr = false;
      } else if (c === 13) {
        lines.push(this.pending + text.slice(start, i));
        this.pending = '';
        start = i + 1;
        this.afterCr = true;
      } else if (i === start) {
        this.afterCr = false;
      }
    }
    if (start < text.length) {
      this.pending += text.slice(start);
      this.afterCr = false;
    }
    return lines;
  }

  /** The unterminated rest, if any (a line cut off by a disconnect or a mode switch). */
  flush(): string | undefined {
    const rest = this.pending + this.decoder.decode();
    this.pending = '';
    this.afterCr = false;
    return rest.length > 0 ? rest : undefined;
  }

  /** The unterminated text so far (tools that draw a bar without newlines when piped). */
  get partial(): string {
    return this.pending;
  }
}

/** Bytes to send for `text` followed by `ending`. */
export function encodeLine(text: string, ending: LineEnding): Buffer {
  return Buffer.from(text + ENDINGS[ending], 'utf8');
}

/** Parses '48 65 0a' or '48650a' (whitespace, commas and 0x prefixes allowed) into bytes. */
export function parseHexBytes(text: string): Buffer {
  const digits = text.replace(/0x/gi, '').replace(/[\s,]+/g, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(digits)) throw new Error(`not a sequence of hex bytes: '${text}'`);
  return Buffer.from(digits, 'hex');
}

/**
 * Classic 16-bytes-per-row dump, `offset` being the position of the chunk's first byte in the
 * stream: `00000010  48 65 6c 6c 6f 0a                                 |Hello.|`.
 */
export function hexDump(chunk: Uint8Array, offset = 0): string[] {
  const rows: string[] = [];
  for (let i = 0; i < chunk.length; i += 16) {
    const row = chunk.subarray(i, Math.min(i + 16, chunk.length));
    const hex: string[] = [];
    let ascii = '';
    for (let j = 0; j < 16; j++) {
      if (j < row.length) {
        hex.push(row[j].toString(16).padStart(2, '0'));
        ascii += row[j] >= 0x20 && row[j] < 0x7f ? String.fromCharCode(row[j]) : '.';
      } else hex.push('  ');
      if (j === 7) hex.push('');
    }
    rows.push(`${(offset + i).toString(16).padStart(8, '0')}  ${hex.join(' ')}  |${ascii}|`);
  }
  return rows;
}
