// The models the device panel offers for live inference, best first: what the workspace firmware
// runs (the language server's `tinyml/codegen/firmwareModels`: model arrays in C/C++ source), then
// the model files on disk. Pure: the editor side asks the server, lists files and shows the pick.

import { fileURLToPath } from 'node:url';
import type { FirmwareModel } from '../../../../server/src/codegen/firmwareModels';

/** A model file, or a model array in firmware source. */
export type ModelSource = { kind: 'file'; path: string } | { kind: 'array'; file: string; arrayName: string };

export interface ModelCandidate {
  source: ModelSource;
  label: string;
  description: string;
  group: 'firmware' | 'files';
}

const VIA_ORDER: Record<FirmwareModel['via'], number> = { runs: 0, defined: 1, workspace: 2 };
const VIA_TEXT: Record<FirmwareModel['via'], string> = { runs: 'the firmware runs it', defined: 'defined in this source', workspace: 'the workspace firmware runs it' };

/**
 * `firmware` as the server answered (uris), `files` as paths; `relative` shortens a path for
 * display. Arrays come first, most specific first; each array and file once.
 */
export function modelCandidates(firmware: readonly FirmwareModel[], files: readonly string[], relative: (path: string) => string): ModelCandidate[] {
  const out: ModelCandidate[] = [];
  const seen = new Set<string>();
  const arrays = firmware.filter((m) => m.uri.startsWith('file:')).sort((a, b) => VIA_ORDER[a.via] - VIA_ORDER[b.via]);
  for (const m of arrays) {
    const file = fileURLToPath(m.uri);
    const key = `${file}#${m.arrayName}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ source: { kind: 'array', file, arrayName: m.arrayName }, label: m.arrayName, description: `${relative(file)} · ${VIA_TEXT[m.via]}`, group: 'firmware' });
  }
  for (const path of [...files].sort((a, b) => relative(a).localeCompare(relative(b)))) {
    if (seen.has(path)) continue;
    seen.add(path);
    out.push({ source: { kind: 'file', path }, label: path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1), description: relative(path), group: 'files' });
  }
  return out;
}
