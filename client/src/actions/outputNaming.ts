// Where a model action writes: beside the input, named by the core's outputFileName
// (`kws.int8.tflite`, `kws.pruned50.onnx`), and what happens when that file exists: the modal's
// answer decides between replacing it, saving under another name and stopping. Pure.

import type { ActionOptions } from '../../../server/src/actions';
// The naming module alone: the client bundle needs no quantizer.
import { outputFileName } from '../../../server/src/actions/fileNames';
import { formatOf, otherFormat, type ModelFormat } from './actionChoices';

/** The output's path beside `inputPath` (a Uri path): outputFileName keeps the folder part. */
export function outputPathBeside(inputPath: string, options: ActionOptions): string {
  return outputFileName(inputPath, options);
}

/** The format the action writes. */
export function resultFormat(inputFileName: string, options: ActionOptions): ModelFormat {
  if (options.kind === 'convert') return options.to;
  if (options.kind === 'quantize' && options.format) return options.format;
  return formatOf(inputFileName);
}

export const REPLACE = 'Replace';
export const SAVE_AS = 'Save As…';
export type CollisionAnswer = typeof REPLACE | typeof SAVE_AS | undefined;
export type CollisionDecision = 'overwrite' | 'save-as' | 'cancel';

export function collisionQuestion(outputFileName: string): string {
  return `${outputFileName} already exists. Replace it?`;
}

/** Replace only on Replace; Escape or closing the modal cancels. */
export function collisionDecision(answer: CollisionAnswer): CollisionDecision {
  return answer === REPLACE ? 'overwrite' : answer === SAVE_AS ? 'save-as' : 'cancel';
}

/** Why a path picked in the save dialog cannot take the output, or undefined when it can. */
export function saveAsProblem(chosenPath: string, inputPath: string, format: ModelFormat): string | undefined {
  if (samePath(chosenPath, inputPath)) return 'The output cannot replace the model it is made from.';
  const extension = chosenPath.slice(chosenPath.lastIndexOf('.') + 1).toLowerCase();
  if (extension === otherFormat(format)) return `The result is a ${format === 'tflite' ? 'TFLite' : 'ONNX'} model: name it .${format}, not .${extension}.`;
  return undefined;
}

/** The save dialog's filter for the result's format. */
export function saveFilters(format: ModelFormat): Record<string, string[]> {
  return format === 'tflite' ? { 'TFLite model': ['tflite'] } : { 'ONNX model': ['onnx'] };
}

function samePath(a: string, b: string): boolean {
  // Windows drive letters and path case differ in spelling only; the server compares real files.
  return /^\/[a-z]:/i.test(a) ? a.toLowerCase() === b.toLowerCase() : a === b;
}
