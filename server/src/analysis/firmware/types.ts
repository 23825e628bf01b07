// The firmware-analysis API types, shared by index.ts (the entry points) and the rules.

import type { Board } from '../boards';
import type { Finding, FindingCode, HoverInfo, Lens, Severity } from '../findings';

export interface SourceFile {
  uri: string;
  text: string;
  version?: number;
}

export interface WorkspaceView {
  /** Every firmware source known (open editor buffers override disk). */
  files(): Iterable<SourceFile>;
  get(uri: string): SourceFile | undefined;
  /** `#include "x.h"` from `fromUri` → the uri of the workspace file it names, if any (search the including file's folder, then includePaths). */
  resolveInclude(fromUri: string, spec: string): string | undefined;
}

export interface FirmwareOptions {
  board: Board;
  /** Default 10. */
  arenaMarginPercent: number;
  /** optimized = CMSIS-NN figures on cmsis-nn boards. */
  kernels: 'optimized' | 'reference';
  severityOverrides?: Partial<Record<FindingCode, Severity | 'off'>>;
}

export interface FirmwareAnalysis {
  findings: Finding[];
  lenses: Lens[];
  hovers: HoverInfo[];
}
