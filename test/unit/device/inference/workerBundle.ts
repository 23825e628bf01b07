// Bundles the inference worker as the extension ships it (dist/client/inferenceWorker.js), into a
// temp folder, so tests run the real worker file in a real worker thread.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { repoRoot } from '../../../helpers/shared';

export async function bundleInferenceWorker(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-worker-'));
  const outfile = join(dir, 'inferenceWorker.js');
  await build({
    entryPoints: [join(repoRoot, 'client/src/device/inference/inferenceWorker.ts')],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile,
    logLevel: 'warning',
  });
  return outfile;
}
