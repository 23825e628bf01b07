// The pure decisions of `TinyML: Export Model as C Array` (exportModel.ts): file names as the CLI
// writes them (`<stem>_model_data.h/.cc`), the xxd-style default array name, name checks, the
// PROGMEM choice order, and whether existing files may be replaced.

import { xxdName } from '../../../server/src/codegen/cArrayExport';

export interface ExportNames {
  stem: string;
  headerName: string;
  sourceName: string;
  /** What `xxd -i <file>` would call the array: `kws_ref_model.tflite` → `kws_ref_model_tflite`. */
  defaultArrayName: string;
}

export function exportNames(modelFileName: string): ExportNames {
  const dot = modelFileName.lastIndexOf('.');
  const stem = dot > 0 ? modelFileName.slice(0, dot) : modelFileName;
  return { stem, headerName: `${stem}_model_data.h`, sourceName: `${stem}_model_data.cc`, defaultArrayName: xxdName(modelFileName) };
}

/** Why `name` cannot be the array's name (for the input box), or undefined when it can. */
export function arrayNameProblem(name: string): string | undefined {
  if (name === '') return 'Give the array a name.';
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return `'${name}' is not a C identifier: letters, digits and _, not starting with a digit.`;
  if (C_KEYWORDS.has(name)) return `'${name}' is a C/C++ keyword.`;
  return undefined;
}

const C_KEYWORDS = new Set([
  'auto', 'bool', 'break', 'case', 'char', 'class', 'const', 'constexpr', 'continue', 'default', 'delete', 'do', 'double', 'else', 'enum',
  'extern', 'false', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'namespace', 'new', 'nullptr', 'private', 'public', 'register',
  'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'template', 'this', 'true', 'typedef', 'union', 'unsigned', 'using',
  'virtual', 'void', 'volatile', 'while',
]);

export interface ProgmemChoice {
  progmem: boolean;
  label: string;
  detail: string;
}

/** Both choices, the one used last time first (so Enter repeats it). */
export function progmemChoices(lastUsed: boolean | undefined): ProgmemChoice[] {
  const plain: ProgmemChoice = { progmem: false, label: 'Without PROGMEM', detail: 'Cortex-M, ESP32, RP2040: a const array already stays in flash' };
  const progmem: ProgmemChoice = { progmem: true, label: 'With PROGMEM', detail: 'AVR Arduino boards: keep the array out of SRAM (includes <Arduino.h>)' };
  return lastUsed ? [progmem, plain] : [plain, progmem];
}

export type ReplaceAnswer = 'Replace' | 'Cancel' | undefined;

/** The modal question when files would be replaced, or undefined when nothing exists yet. */
export function replaceQuestion(existing: readonly string[]): string | undefined {
  if (existing.length === 0) return undefined;
  const names = existing.join(' and ');
  return `${names} ${existing.length === 1 ? 'already exists' : 'already exist'}. Replace ${existing.length === 1 ? 'it' : 'them'}?`;
}

/** Write only when nothing is in the way, or the user chose Replace (Escape cancels). */
export function mayWrite(existing: readonly string[], answer: ReplaceAnswer): boolean {
  return existing.length === 0 || answer === 'Replace';
}
