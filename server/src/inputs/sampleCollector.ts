// Gathers what a calibration folder gives as its files are read: samples up to the limit, the
// files they came from, skipped files with reasons, and remarks merged into warnings; then words
// the one-line description and the error for a folder that gave nothing.

import { FileSamples } from './fileSamples';

const REASONS_IN_ERROR = 3;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function extensionOf(file: string): string {
  return /\.[^./]*$/.exec(file)?.[0].toLowerCase() ?? '';
}

export class SampleCollector {
  readonly samples: Float32Array[][] = [];
  readonly files: string[] = [];
  readonly skipped: { file: string; reason: string }[] = [];
  /** Files or sample folders that gave samples. */
  private units = 0;
  /** Samples beyond the limit in files that were read; files never read once the limit was reached. */
  private dropped = 0;
  unread = 0;
  private readonly extensions = new Map<string, number>();
  private readonly remarks = new Map<string, number>();
  private readonly sampleRates = new Set<number>();
  private readonly resizes = new Set<string>();

  constructor(readonly limit: number) {}

  get full(): boolean {
    return this.samples.length >= this.limit;
  }

  skip(file: string, reason: string): void {
    this.skipped.push({ file, reason });
  }

  /** One file (single input) or one sample folder (one file per input, results in input order). */
  add(files: string[], perInput: FileSamples[]): void {
    const count = perInput[0].values.length;
    const room = this.limit - this.samples.length;
    for (let s = 0; s < Math.min(count, room); s++) this.samples.push(perInput.map((r) => r.values[s]));
    this.dropped += Math.max(0, count - room);
    this.files.push(...files);
    this.units++;
    for (const f of files) this.extensions.set(extensionOf(f), (this.extensions.get(extensionOf(f)) ?? 0) + 1);
    for (const r of perInput) {
      for (const w of r.warnings) this.remarks.set(w, (this.remarks.get(w) ?? 0) + 1);
      if (r.sampleRate !== undefined) this.sampleRates.add(r.sampleRate);
      if (r.resized) this.resizes.add(r.resized);
    }
  }

  /** E.g. "48 samples from 12 files in calib/ (3 .wav, 9 .npy); 2 skipped". */
  description(folder: string, multiInput: boolean): string {
    const kinds = [...this.extensions.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([ext, n]) => `${n} ${ext}`);
    const unit = multiInput ? 'sample folder' : 'file';
    let text = `${plural(this.samples.length, 'sample')} from ${plural(this.units, unit)} in ${folder}/ (${kinds.join(', ')})`;
    if (this.skipped.length > 0) text += `; ${this.skipped.length} skipped`;
    if (this.dropped > 0 || this.unread > 0) {
      text += `; limited to the first ${this.limit} samples`;
      if (this.unread > 0) text += ` (${plural(this.unread, `more ${unit}`)} not read)`;
    }
    if (this.resizes.size > 0) text += `; images resized (bilinear) ${[...this.resizes].join(', ')}`;
    return text;
  }

  /** Remarks once each, counted when several files made them. */
  warnings(): string[] {
    const warnings = [...this.remarks.entries()].map(([text, n]) => (n > 1 ? `${text} (${n} files)` : text));
    if (this.sampleRates.size > 1) {
      warnings.push(`audio clips have different sample rates (${[...this.sampleRates].sort((a, b) => a - b).join(', ')} Hz); they are not resampled`);
    }
    return warnings;
  }

  /** Why no sample came out: the first few skip reasons, or that there was nothing to read. */
  whyNone(multiInput: boolean): string {
    if (this.skipped.length === 0) return multiInput ? ': it holds no sample folder' : ': it holds no input file';
    const reasons = this.skipped.slice(0, REASONS_IN_ERROR).map((s) => `${s.file}: ${s.reason}`);
    const more = this.skipped.length > REASONS_IN_ERROR ? `; and ${this.skipped.length - REASONS_IN_ERROR} more` : '';
    return `: ${reasons.join('; ')}${more}`;
  }
}
