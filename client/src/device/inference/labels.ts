// Class labels for the panel: `labels.txt` or `<model>.labels` beside the model (one label a line),
// or typed in. Parsing is pure; finding the file reads the disk (extension host only).

import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';

/** One label a line; blank lines and `#` comments skipped; `0 yes` / `0: yes` index prefixes dropped. */
export function parseLabels(text: string): string[] {
  const labels: string[] = [];
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.trim();
    if (line.length === 0 || line.startsWith('#')) continue;
    labels.push(line.replace(/^\d+\s*[:\s]\s*(?=\S)/, ''));
  }
  return labels;
}

/** Typed in: comma- or newline-separated. */
export function parseTypedLabels(text: string): string[] {
  return text.split(/[,\n]/).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Candidate files beside a model, most specific first. */
export function labelFileCandidates(modelPath: string): string[] {
  const dir = dirname(modelPath);
  const stem = basename(modelPath, extname(modelPath));
  return [join(dir, `${stem}.labels`), join(dir, `${stem}.labels.txt`), join(dir, `${stem}_labels.txt`), join(dir, 'labels.txt')];
}

export function findLabels(modelPath: string): { file: string; labels: string[] } | undefined {
  for (const file of labelFileCandidates(modelPath)) {
    if (existsSync(file)) return { file, labels: parseLabels(readFileSync(file, 'utf8')) };
  }
  return undefined;
}
