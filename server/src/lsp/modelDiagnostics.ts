// Diagnostics on model files (.tflite, .onnx): LSP text sync never carries binary files, so their
// bytes are read here, at the initial scan and on `workspace/didChangeWatchedFiles`, and the
// findings are published (`textDocument/publishDiagnostics`) on the model file's own uri.

import { readFile, stat } from 'node:fs/promises';
import { analyzeModelFile } from '../analysis/firmware';
import type { Finding } from '../analysis/findings';
import { MAX_MODEL_BYTES, pathOf } from './diskWorkspace';
import { firmwareOptions, type Settings } from './settings';
import { errorText } from './logging';

export interface ModelDiagnosticsDeps {
  settings: (uri: string) => Promise<Settings>;
  publish: (uri: string, findings: readonly Finding[]) => void;
  log: (message: string) => void;
}

export class ModelDiagnostics {
  /** Bumped per refresh, so that a slow read never overwrites a newer one's result. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly deps: ModelDiagnosticsDeps) {}

  async refresh(uri: string): Promise<void> {
    const generation = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, generation);
    const findings = await this.analyze(uri);
    if (this.generation.get(uri) !== generation) return;
    if (findings === undefined) this.clear(uri);
    else this.deps.publish(uri, findings);
  }

  /** The file is gone: so are its diagnostics. */
  clear(uri: string): void {
    this.generation.set(uri, (this.generation.get(uri) ?? 0) + 1);
    this.deps.publish(uri, []);
  }

  /** undefined when the file no longer exists. */
  private async analyze(uri: string): Promise<Finding[] | undefined> {
    const path = pathOf(uri);
    if (path === undefined) return undefined;
    let bytes: Uint8Array;
    try {
      const { size } = await stat(path);
      if (size > MAX_MODEL_BYTES) return [unreadable(uri, `${size} bytes is more than the ${MAX_MODEL_BYTES}-byte bound for a model file; not analyzed.`)];
      bytes = new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
      return [unreadable(uri, `Cannot read the model file (${code ?? errorText(error)}).`)];
    }
    try {
      return analyzeModelFile(uri, bytes, firmwareOptions(await this.deps.settings(uri)));
    } catch (error) {
      this.deps.log(`tinyml: analysis of ${uri} failed: ${errorText(error)}`);
      return [unreadable(uri, `The model could not be analyzed: ${error instanceof Error ? error.message : String(error)}`)];
    }
  }
}

function unreadable(uri: string, message: string): Finding {
  const start = { line: 0, character: 0 };
  return { uri, range: { start, end: start }, severity: 'error', code: 'model-unreadable', message };
}
