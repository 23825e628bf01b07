// Messages between a webview and its host in the extension, as one discriminated union per direction.

export interface BudgetRow {
  index: number;
  op: string;
  outputShape: number[];
  dtype: string;
  weightBytes: number;
  outputBytes: number;
  macs: number;
  latencyMs: number;
}

export type HostToView = { type: 'budget'; title: string; layers: BudgetRow[] };
export type ViewToHost = { type: 'ready' };
