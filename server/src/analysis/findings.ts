// What the analysis core reports about firmware sources and model files, in plain data.
// The language server converts these to LSP diagnostics, code actions, lenses and hovers at
// the edge (lsp/convert.ts); the CLI prints them like a compiler. Positions are 0-based
// (line, UTF-16 character), as LSP counts them; the CLI adds 1 when it prints.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export interface TextEdit {
  uri: string;
  range: Range;
  newText: string;
}

export interface Fix {
  title: string;
  edits: TextEdit[];
  /** The fix an editor may apply on "quick fix" without asking. */
  isPreferred?: boolean;
}

/** Stable codes: users filter and override severities by them, CI greps for them. */
export type FindingCode =
  | 'arena-too-small'
  | 'arena-oversized'
  | 'op-not-registered'
  | 'resolver-capacity'
  | 'op-unused'
  | 'ram-over-budget'
  | 'flash-over-budget'
  | 'model-misaligned'
  | 'float-on-no-fpu'
  | 'unsupported-op'
  | 'model-unreadable'
  | 'model-not-found';

export interface Finding {
  uri: string;
  range: Range;
  severity: Severity;
  code: FindingCode;
  message: string;
  fixes?: Fix[];
  /** Other places that explain the finding (e.g. the model array for an arena finding). */
  related?: { uri: string; range: Range; message: string }[];
}

/** A code lens: a line of figures above a declaration, with the command a click runs. */
export interface Lens {
  uri: string;
  range: Range;
  title: string;
  command?: { name: string; args: unknown[] };
}

export interface HoverInfo {
  uri: string;
  range: Range;
  markdown: string;
}
