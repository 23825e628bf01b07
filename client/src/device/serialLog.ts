// The complete on-disk log of a serial session: every received line (or hex row), every line the
// user sent and every session event, one timestamped record a line in the order they happened,
// appended with synchronous writes so a record is in the OS before the UI sees it and survives a
// crash of the extension host.

import { closeSync, fdatasyncSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** L = complete line, P = partial line (cut off by a disconnect), H = hex row, S = sent line, E = event. */
export type LogRecordKind = 'L' | 'P' | 'H' | 'S' | 'E';

export interface LogRecord {
  /** Milliseconds since the epoch. */
  time: number;
  kind: LogRecordKind;
  text: string;
}

export function formatLogRecord(r: LogRecord): string {
  // Control characters other than tab would break the one-record-a-line format.
  const text = r.text.replace(/[\x00-\x08\x0a-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `${new Date(r.time).toISOString()} ${r.kind} ${text}\n`;
}

export function parseLogRecord(line: string): LogRecord | undefined {
  const m = /^(\S+) ([LPHSE]) (.*)$/.exec(line);
  if (!m) return undefined;
  const time = Date.parse(m[1]);
  return Number.isNaN(time) ? undefined : { time, kind: m[2] as LogRecordKind, text: m[3] };
}

export class SerialLog {
  private fd: number | undefined;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'a');
  }

  append(records: readonly LogRecord[]): void {
    if (this.fd === undefined || records.length === 0) return;
    let text = '';
    for (const r of records) text += formatLogRecord(r);
    const bytes = Buffer.from(text, 'utf8');
    let written = 0;
    while (written < bytes.length) written += writeSync(this.fd, bytes, written, bytes.length - written);
  }

  event(text: string, time = Date.now()): void {
    this.append([{ time, kind: 'E', text }]);
  }

  /** Forces the records to the disk (at disconnects and on close, not per chunk: too slow). */
  sync(): void {
    if (this.fd !== undefined) fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.fd === undefined) return;
    this.sync();
    closeSync(this.fd);
    this.fd = undefined;
  }
}
