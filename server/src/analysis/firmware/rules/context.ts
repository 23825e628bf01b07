// What every firmware rule receives: the linked project, the options and a sink for findings.

import type { Finding } from '../../findings';
import type { ArrayFact } from '../facts';
import type { Deployment, Located, Project } from '../project';
import type { FirmwareOptions } from '../types';

export interface RuleContext {
  project: Project;
  options: FirmwareOptions;
  deployments: readonly Deployment[];
  /** Arrays holding a model: passed to GetModel() or carrying the TFL3 identifier. */
  modelArrays: readonly Located<ArrayFact>[];
  emit(finding: Finding): void;
}

/** "CMSIS-NN" / "reference", as messages name the kernel library. */
export function kernelLabel(kernels: 'cmsis-nn' | 'reference'): string {
  return kernels === 'cmsis-nn' ? 'CMSIS-NN' : 'reference';
}
