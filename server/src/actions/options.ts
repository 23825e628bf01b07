// The options of a model action, as the CLI and the editor send them, and their checked form:
// requests from the editor arrive as untyped JSON, so every field is checked and every error names
// the field and what it accepts.

import { ActionError } from './errors';

export type QuantizeMethod = 'minmax' | 'percentile' | 'entropy';
export type ModelFileFormat = 'tflite' | 'onnx';

export type ActionOptions =
  | { kind: 'quantize'; method?: QuantizeMethod; percentile?: number; perChannel?: boolean; io?: 'int8' | 'float'; format?: ModelFileFormat }
  | { kind: 'prune'; sparsity: number; structured?: boolean; scope?: 'global' | 'per-layer'; includeFirstAndLast?: boolean }
  | { kind: 'convert'; to: ModelFileFormat };

/** The options with every default filled in: what the action actually did, as the report records it. */
export type ResolvedActionOptions =
  | { kind: 'quantize'; method: QuantizeMethod; percentile: number | null; perChannel: boolean; io: 'int8' | 'float'; format: ModelFileFormat }
  | { kind: 'prune'; sparsity: number; structured: boolean; scope: 'global' | 'per-layer'; includeFirstAndLast: boolean }
  | { kind: 'convert'; to: ModelFileFormat };

/** TFLite's default percentile for percentile calibration. */
export const DEFAULT_PERCENTILE = 99.99;

const FIELDS: Record<string, readonly string[]> = {
  quantize: ['kind', 'method', 'percentile', 'perChannel', 'io', 'format'],
  prune: ['kind', 'sparsity', 'structured', 'scope', 'includeFirstAndLast'],
  convert: ['kind', 'to'],
};

function oneOf<T extends string>(o: Record<string, unknown>, field: string, allowed: readonly T[]): T | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ActionError(`${field} must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, not ${JSON.stringify(v)}`);
  }
  return v as T;
}

function flag(o: Record<string, unknown>, field: string): boolean | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'boolean') throw new ActionError(`${field} must be true or false, not ${JSON.stringify(v)}`);
  return v;
}

function number(o: Record<string, unknown>, field: string): number | undefined {
  const v = o[field];
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ActionError(`${field} must be a number, not ${JSON.stringify(v)}`);
  return v;
}

/** Checks untyped options (an editor request, parsed CLI flags) and returns a clean copy. */
export function validateActionOptions(options: unknown): ActionOptions {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) throw new ActionError('action options must be an object');
  const o = options as Record<string, unknown>;
  const kind = oneOf(o, 'kind', ['quantize', 'prune', 'convert'] as const);
  if (!kind) throw new ActionError("action options need a kind: 'quantize', 'prune' or 'convert'");
  const unknown = Object.keys(o).filter((k) => !FIELDS[kind].includes(k) && o[k] !== undefined);
  if (unknown.length > 0) throw new ActionError(`unknown ${kind} option${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${FIELDS[kind].slice(1).join(', ')})`);

  if (kind === 'quantize') {
    const method = oneOf(o, 'method', ['minmax', 'percentile', 'entropy'] as const);
    const percentile = number(o, 'percentile');
    if (percentile !== undefined) {
      if ((method ?? 'minmax') !== 'percentile') throw new ActionError(`percentile applies to method 'percentile' only (method is '${method ?? 'minmax'}')`);
      if (!(percentile > 50 && percentile <= 100)) throw new ActionError(`percentile must be above 50 and at most 100, not ${percentile}`);
    }
    const out: ActionOptions = { kind };
    if (method !== undefined) out.method = method;
    if (percentile !== undefined) out.percentile = percentile;
    const perChannel = flag(o, 'perChannel');
    if (perChannel !== undefined) out.perChannel = perChannel;
    const io = oneOf(o, 'io', ['int8', 'float'] as const);
    if (io !== undefined) out.io = io;
    const format = oneOf(o, 'format', ['tflite', 'onnx'] as const);
    if (format !== undefined) out.format = format;
    return out;
  }
  if (kind === 'prune') {
    const sparsity = number(o, 'sparsity');
    if (sparsity === undefined) throw new ActionError('prune needs a sparsity between 0 and 1 (e.g. 0.5)');
    if (!(sparsity > 0 && sparsity < 1)) throw new ActionError(`sparsity must be above 0 and below 1, not ${sparsity}`);
    const out: ActionOptions = { kind, sparsity };
    const structured = flag(o, 'structured');
    if (structured !== undefined) out.structured = structured;
    const scope = oneOf(o, 'scope', ['global', 'per-layer'] as const);
    if (scope !== undefined) {
      if (structured) throw new ActionError('scope applies to magnitude pruning; structured pruning removes the same share of channels in every prunable layer');
      out.scope = scope;
    }
    const includeFirstAndLast = flag(o, 'includeFirstAndLast');
    if (includeFirstAndLast !== undefined) out.includeFirstAndLast = includeFirstAndLast;
    return out;
  }
  const to = oneOf(o, 'to', ['tflite', 'onnx'] as const);
  if (!to) throw new ActionError("convert needs a target format: to 'tflite' or 'onnx'");
  return { kind, to };
}

/** Every default filled in, as the action applies it. */
export function resolveOptions(options: ActionOptions): ResolvedActionOptions {
  switch (options.kind) {
    case 'quantize': {
      const method = options.method ?? 'minmax';
      return {
        kind: 'quantize',
        method,
        percentile: method === 'percentile' ? (options.percentile ?? DEFAULT_PERCENTILE) : null,
        // Per channel by default, as the TFLite converter quantizes convolutions.
        perChannel: options.perChannel ?? true,
        io: options.io ?? 'int8',
        format: options.format ?? 'tflite',
      };
    }
    case 'prune':
      return {
        kind: 'prune',
        sparsity: options.sparsity,
        structured: options.structured ?? false,
        scope: options.scope ?? 'per-layer',
        includeFirstAndLast: options.includeFirstAndLast ?? false,
      };
    case 'convert':
      return { kind: 'convert', to: options.to };
  }
}
