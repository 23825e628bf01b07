// Builtin options layout for the writer: the `BuiltinOptions` / `BuiltinOptions2` union members of
// schema.fbs, taken from the reader's own table (../options.ts), so reader and writer cannot
// drift apart; the writer's test also encodes a non-default value into every field and decodes
// it with the reader.

import { BUILTIN_OPTIONS, BUILTIN_OPTIONS_2 } from '../options';

export interface FieldSpec {
  key: string;
  kind: string;
  /** Enum member names, for the enum kinds. */
  names: readonly string[];
  fallback: number | boolean;
}

export interface OptionsTable {
  name: string;
  /** 1 for `builtin_options`, 2 for `builtin_options_2`. */
  union: 1 | 2;
  /** The union's type tag. */
  tag: number;
  /** One entry per schema slot; undefined for a deprecated slot. */
  fields: readonly (FieldSpec | undefined)[];
}

function parseFields(spec: string): (FieldSpec | undefined)[] {
  return spec
    .split(' ')
    .filter((word) => word !== '')
    .map((word) => {
      if (word === '-') return undefined;
      const match = /^(\w+):(\w+)(?:\(([^)]*)\))?(?:=(\w+))?$/.exec(word);
      if (!match) throw new Error(`bad options field spec '${word}'`);
      const [, key, kind, names, fallback] = match;
      const value = fallback === undefined ? (kind === 'bool' ? false : 0) : fallback === 'true' ? true : Number(fallback);
      return { key, kind, names: names ? names.split('|') : [], fallback: value };
    });
}

const TABLES: readonly OptionsTable[] = [
  ...BUILTIN_OPTIONS.map(([name, spec], i): OptionsTable => ({ name, union: 1, tag: i + 1, fields: parseFields(spec) })),
  ...BUILTIN_OPTIONS_2.map(([name, spec], i): OptionsTable => ({ name, union: 2, tag: i + 1, fields: parseFields(spec) })),
];

const BY_NAME = new Map(TABLES.map((t) => [t.name.toLowerCase(), t]));

/** Ops whose options table is not named after the op (schema.fbs comments and TFLite's parser). */
const OPTIONS_OF: Readonly<Record<string, string>> = {
  AVERAGE_POOL_2D: 'Pool2DOptions',
  MAX_POOL_2D: 'Pool2DOptions',
  L2_POOL_2D: 'Pool2DOptions',
  L2_NORMALIZATION: 'L2NormOptions',
  UNIDIRECTIONAL_SEQUENCE_RNN: 'SequenceRNNOptions',
  MEAN: 'ReducerOptions',
  SUM: 'ReducerOptions',
  REDUCE_PROD: 'ReducerOptions',
  REDUCE_MAX: 'ReducerOptions',
  REDUCE_MIN: 'ReducerOptions',
  REDUCE_ANY: 'ReducerOptions',
  REDUCE_ALL: 'ReducerOptions',
  MAXIMUM: 'MaximumMinimumOptions',
  MINIMUM: 'MaximumMinimumOptions',
  CONV_3D_TRANSPOSE: 'Conv3DOptions',
  RANDOM_STANDARD_NORMAL: 'RandomOptions',
  RANDOM_UNIFORM: 'RandomOptions',
  MULTINOMIAL: 'RandomOptions',
  TOPK_V2: 'TopKV2Options',
};

/** Ops that have no options table in schema.fbs although a table of a similar name exists. */
const NO_OPTIONS = new Set(['LOGISTIC', 'TANH', 'RELU', 'RELU6', 'RELU_N1_TO_1', 'ELU', 'PRELU', 'ROUND', 'SIN', 'LOG', 'SQRT', 'RSQRT', 'FLOOR']);

/** The options table an op's builtin options are stored in, or undefined when it has none. */
export function optionsTableOf(opType: string): OptionsTable | undefined {
  if (NO_OPTIONS.has(opType)) return undefined;
  const name = OPTIONS_OF[opType] ?? `${opType.replace(/_/g, '')}Options`;
  return BY_NAME.get(name.toLowerCase());
}

/** Every options table (for tests). */
export function allOptionsTables(): readonly OptionsTable[] {
  return TABLES;
}
