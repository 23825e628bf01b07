// Which model Generate Op Resolver and Insert Arena Size work on (pickModel.ts asks the user only
// when this says `pick`): the active model file; else what the active firmware runs (the server's
// `tinyml/codegen/firmwareModels`); else the workspace's .tflite/.onnx files.

import type { FirmwareModel } from '../../../server/src/codegen/firmwareModels';
import type { CodegenModelTarget } from '../../../server/src/lsp/protocol';

export type ActiveKind = 'model' | 'firmware' | 'other';

export interface ModelChoiceInput {
  active?: { uri: string; kind: ActiveKind };
  /** The server's answer for an active firmware source (empty otherwise). */
  firmware: readonly FirmwareModel[];
  /** Workspace model files (uris), as found on disk. */
  workspaceFiles: readonly string[];
}

export type ModelChoice = { kind: 'use'; target: CodegenModelTarget } | { kind: 'pick'; candidates: CodegenModelTarget[] } | { kind: 'none' };

export const MODEL_FILE = /\.(tflite|onnx)$/i;
export const FIRMWARE_FILE = /\.(c|cc|cpp|cxx|h|hh|hpp|hxx|ino)$/i;

export function activeKind(path: string, languageId?: string): ActiveKind {
  if (MODEL_FILE.test(path)) return 'model';
  if (languageId === 'c' || languageId === 'cpp' || FIRMWARE_FILE.test(path)) return 'firmware';
  return 'other';
}

export function chooseModel(input: ModelChoiceInput): ModelChoice {
  if (input.active?.kind === 'model') return { kind: 'use', target: { uri: input.active.uri } };
  // What this very file runs or defines settles it; more than one is a real choice.
  const specific = input.firmware.filter((m) => m.via !== 'workspace').map(toTarget);
  if (specific.length > 0) return oneOrPick(specific);
  const candidates = [...input.firmware.map(toTarget), ...input.workspaceFiles.map((uri) => ({ uri }))];
  return oneOrPick(candidates);
}

function toTarget(m: FirmwareModel): CodegenModelTarget {
  return { uri: m.uri, arrayName: m.arrayName };
}

function oneOrPick(candidates: CodegenModelTarget[]): ModelChoice {
  if (candidates.length === 0) return { kind: 'none' };
  if (candidates.length === 1) return { kind: 'use', target: candidates[0] };
  return { kind: 'pick', candidates };
}
