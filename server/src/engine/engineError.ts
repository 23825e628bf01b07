// Why the bundled engine refuses a graph: an unsupported op, type or option, named with the
// operator's index and type so a finding can point at the layer.

export class EngineError extends Error {
  /** Operator index in its subgraph, when the problem belongs to one operator. */
  readonly opIndex?: number;
  readonly opType?: string;
  constructor(message: string, op?: { index: number; opType: string }) {
    super(op ? `op ${op.index} (${op.opType}): ${message}` : message);
    this.name = 'EngineError';
    if (op) {
      this.opIndex = op.index;
      this.opType = op.opType;
    }
  }
}
