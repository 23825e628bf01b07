// Reads a folder of calibration / evaluation inputs (.npy, raw .bin, .wav, .bmp, .png) into float
// samples for a model's inputs. The only part of the input readers that touches the file system:
// every file is read whole and handed to the byte-level decoders; a bad file is skipped with its
// reason, never fatal, and only a folder that yields nothing is an error.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { FileSamples } from './fileSamples';
import { describeInput, inputElementCount, ModelInputSpec } from './inputSpec';
import { SampleCollector } from './sampleCollector';
import { INPUT_EXTENSIONS, isInputExtension, samplesFromFile } from './samplesFromFile';

export type { ModelInputSpec } from './inputSpec';

export interface CalibrationSet {
  /** Per sample, one Float32Array per model input, float values (the engine quantizes them). */
  samples: Float32Array[][];
  /** Files (relative to the folder, '/'-separated) that gave samples, in order. */
  files: string[];
  skipped: { file: string; reason: string }[];
  /** E.g. "48 samples from 12 files in calib/ (3 .wav, 9 .npy)". */
  description: string;
  warnings: string[];
}

export interface CalibrationOptions {
  /** Samples kept, the first ones in file order (default 100). */
  limit?: number;
  /** Range 0..255 image samples map to (default [0, 1]). */
  imageRange?: [number, number];
}

export class CalibrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalibrationError';
  }
}

const DEFAULT_LIMIT = 100;
/** Larger files are not calibration inputs; refusing them before reading keeps memory bounded. */
const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;
/** Class subfolders nest a level or two; the bound also ends symbolic-link cycles. */
const MAX_DEPTH = 8;

interface Entry {
  name: string;
  isDir: boolean;
}

/** Visible entries of a folder in code-point name order; links are classified by their target. */
function list(dir: string): Entry[] {
  const entries: Entry[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    let isDir = entry.isDirectory();
    if (entry.isSymbolicLink()) {
      try {
        isDir = statSync(join(dir, entry.name)).isDirectory();
      } catch {
        isDir = false; // a dangling link: reading it gives the reason
      }
    }
    entries.push({ name: entry.name, isDir });
  }
  return entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function readBytes(path: string): Uint8Array {
  const size = statSync(path).size;
  if (size > MAX_INPUT_FILE_BYTES) throw new Error(`${size} bytes is too large for an input file`);
  return new Uint8Array(readFileSync(path));
}

function reasonOf(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code) return `cannot read (${code})`;
  return error instanceof Error ? error.message : String(error);
}

function unknownType(ext: string): string {
  return `unknown file type ${ext ? `'${ext}'` : '(no extension)'}: calibration inputs are ${INPUT_EXTENSIONS.join(', ')} files`;
}

/** Samples of one file for one input, or the reason it gives none. */
function readOne(path: string, rel: string, spec: ModelInputSpec, imageRange: [number, number]): FileSamples | string {
  const ext = extname(rel).toLowerCase();
  if (!isInputExtension(ext)) return unknownType(ext);
  try {
    const result = samplesFromFile(ext, readBytes(path), spec, imageRange, rel);
    return result.values.length > 0 ? result : 'gives no sample';
  } catch (error) {
    return reasonOf(error);
  }
}

function walkSingleInput(dir: string, rel: string, depth: number, spec: ModelInputSpec, imageRange: [number, number], out: SampleCollector): void {
  let entries: Entry[];
  try {
    entries = list(dir);
  } catch (error) {
    out.skip(rel, reasonOf(error));
    return;
  }
  for (const { name, isDir } of entries) {
    const relPath = rel ? `${rel}/${name}` : name;
    if (isDir) {
      // Class subfolders (calib/person/, calib/no_person/) are common: read them in place.
      if (depth >= MAX_DEPTH) out.skip(relPath, `nested more than ${MAX_DEPTH} folders deep`);
      else walkSingleInput(join(dir, name), relPath, depth + 1, spec, imageRange, out);
    } else if (out.full) {
      out.unread++;
    } else {
      const result = readOne(join(dir, name), relPath, spec, imageRange);
      if (typeof result === 'string') out.skip(relPath, result);
      else out.add([relPath], [result]);
    }
  }
}

/** One sample folder of a multi-input model: one file per input, matched in sorted-name order. */
function readSampleFolder(dir: string, rel: string, inputs: readonly ModelInputSpec[], imageRange: [number, number], out: SampleCollector): void {
  let entries: Entry[];
  try {
    entries = list(dir);
  } catch (error) {
    out.skip(rel, reasonOf(error));
    return;
  }
  const folders = entries.filter((e) => e.isDir).length;
  const names = entries.filter((e) => !e.isDir).map((e) => e.name).filter((name) => {
    const ext = extname(name).toLowerCase();
    if (isInputExtension(ext)) return true;
    out.skip(`${rel}/${name}`, unknownType(ext));
    return false;
  });
  const inputNames = inputs.map((s) => `'${s.name}'`).join(', ');
  if (folders > 0 || names.length !== inputs.length) {
    const holds = `${names.length} input file(s)${folders > 0 ? ` and ${folders} folder(s)` : ''}`;
    out.skip(rel, `sample folder holds ${holds}; the model's ${inputs.length} inputs (${inputNames}) take one file each, matched in sorted-name order`);
    return;
  }
  const results: FileSamples[] = [];
  for (let k = 0; k < inputs.length; k++) {
    const relPath = `${rel}/${names[k]}`;
    const result = readOne(join(dir, names[k]), relPath, inputs[k], imageRange);
    if (typeof result === 'string') {
      out.skip(relPath, `for ${describeInput(inputs[k])}: ${result} (sample folder ${rel} skipped)`);
      return;
    }
    results.push(result);
  }
  const counts = results.map((r) => r.values.length);
  if (counts.some((c) => c !== counts[0])) {
    out.skip(rel, `its files give different sample counts (${counts.join(', ')}); each input needs as many samples as the others`);
    return;
  }
  out.add(
    names.map((n) => `${rel}/${n}`),
    results,
  );
}

function checkArguments(dir: string, inputs: readonly ModelInputSpec[], options: CalibrationOptions): { limit: number; imageRange: [number, number] } {
  const limit = options.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new CalibrationError(`the sample limit must be a positive whole number, not ${limit}`);
  const imageRange = options.imageRange ?? [0, 1];
  if (imageRange.length !== 2 || !imageRange.every(Number.isFinite)) throw new CalibrationError(`the image range must be two finite numbers, not ${JSON.stringify(imageRange)}`);
  if (inputs.length === 0) throw new CalibrationError('the model has no inputs to calibrate');
  for (const spec of inputs) {
    if (inputElementCount(spec) === 0) throw new CalibrationError(`${describeInput(spec)} has unknown or empty dimensions: calibration inputs need a static shape`);
  }
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CalibrationError(code === 'ENOENT' ? `calibration folder ${dir} does not exist` : `cannot read the calibration folder ${dir} (${code ?? String(error)})`);
  }
  if (!isDir) throw new CalibrationError(`${dir} is a file; calibration inputs are read from a folder of ${INPUT_EXTENSIONS.join(', ')} files`);
  try {
    readdirSync(dir);
  } catch (error) {
    throw new CalibrationError(`cannot list the calibration folder ${dir} (${reasonOf(error)})`);
  }
  return { limit, imageRange };
}

export function loadCalibrationFolder(dir: string, inputs: readonly ModelInputSpec[], options: CalibrationOptions = {}): CalibrationSet {
  const { limit, imageRange } = checkArguments(dir, inputs, options);
  const out = new SampleCollector(limit);
  const multiInput = inputs.length > 1;
  if (!multiInput) {
    walkSingleInput(dir, '', 0, inputs[0], imageRange, out);
  } else {
    const loose = `loose file: a model with ${inputs.length} inputs takes one subfolder per sample, holding one file per input`;
    for (const { name, isDir } of list(dir)) {
      if (!isDir) out.skip(name, loose);
      else if (out.full) out.unread++;
      else readSampleFolder(join(dir, name), name, inputs, imageRange, out);
    }
  }

  const folder = basename(resolve(dir));
  if (out.samples.length === 0) throw new CalibrationError(`no usable calibration sample in ${dir}${out.whyNone(multiInput)}`);
  return { samples: out.samples, files: out.files, skipped: out.skipped, description: out.description(folder, multiInput), warnings: out.warnings() };
}
