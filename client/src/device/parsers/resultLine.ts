// Device result lines: what firmware prints as its own inference result, for comparing with the
// host's run of the same model. `result: yes=0.91 no=0.05` (scores by label), `result: 3`
// (a class index), and JSON objects (fields picked by name later). Pure.

import { parseNumber } from './plotterLine';

export type DeviceResult =
  /** Scores by label, in the printed order. */
  | { kind: 'scores'; scores: { label: string; value: number }[] }
  /** `result: <index>` or `result: <label>`: only the chosen class. */
  | { kind: 'class'; index?: number; label?: string }
  /** A JSON object: its fields, to be matched against the model's outputs by name. */
  | { kind: 'json'; fields: Record<string, unknown> };

const RESULT_PREFIX = /^\s*(?:result|results|inference|prediction|scores?)\s*[:=]\s*(.*)$/i;

/** The device's own result on this line, or undefined. JSON lines always parse to `json`. */
export function parseDeviceResult(line: string): DeviceResult | undefined {
  const text = line.trim();
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as unknown;
      if (o && typeof o === 'object' && !Array.isArray(o)) return { kind: 'json', fields: o as Record<string, unknown> };
    } catch {
      return undefined;
    }
    return undefined;
  }
  const m = RESULT_PREFIX.exec(text);
  if (!m) return undefined;
  const body = m[1].trim();
  if (body.length === 0) return undefined;
  const tokens = body.split(/[,\s]+/).filter((t) => t.length > 0);
  const scores: { label: string; value: number }[] = [];
  for (const t of tokens) {
    const i = Math.max(t.lastIndexOf('='), t.lastIndexOf(':'));
    if (i <= 0) break;
    const v = parseNumber(t.slice(i + 1));
    if (v === undefined) return undefined;
    scores.push({ label: t.slice(0, i), value: v });
  }
  if (scores.length === tokens.length) return { kind: 'scores', scores };
  if (tokens.length === 1) {
    const v = parseNumber(tokens[0]);
    if (v !== undefined && Number.isInteger(v) && v >= 0) return { kind: 'class', index: v };
    if (/^[\w.-]+$/.test(tokens[0])) return { kind: 'class', label: tokens[0] };
  }
  return undefined;
}

/** A JSON field as a number (or an array of numbers), else undefined. */
export function numericField(fields: Record<string, unknown>, name: string): number[] | undefined {
  const v = fields[name];
  if (typeof v === 'number') return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number')) return v as number[];
  return undefined;
}
