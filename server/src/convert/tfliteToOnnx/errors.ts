// The converters' one error type: what cannot be converted faithfully, naming the op (TFLite: its
// index and type) and why.

import type { Operator } from '../../model/graph';

export class ConvertError extends Error {
  constructor(message: string, op?: Operator) {
    super(op ? `op ${op.index} (${op.opType}): ${message}` : message);
    this.name = 'ConvertError';
  }
}
