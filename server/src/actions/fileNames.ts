// Where a model action's result goes by default: beside the input, named after it and the action,
// so that the input is never the output and a second, different action never takes the same name.

import type { ActionOptions, ModelFileFormat } from './options';

const MODEL_EXTENSIONS: Record<string, ModelFileFormat> = { '.tflite': 'tflite', '.onnx': 'onnx' };

function splitName(path: string): { folder: string; stem: string; extension: string } {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  const name = path.slice(cut);
  const dot = name.lastIndexOf('.');
  return dot > 0 ? { folder: path.slice(0, cut), stem: name.slice(0, dot), extension: name.slice(dot) } : { folder: path.slice(0, cut), stem: name, extension: '' };
}

/** The model format a file name says (.tflite, .onnx), if any. */
export function formatOfFileName(fileName: string): ModelFileFormat | undefined {
  return MODEL_EXTENSIONS[splitName(fileName).extension.toLowerCase()];
}

/**
 * The default output name for `options` applied to `inputFileName` (any folder part is kept, so a
 * path gives a path beside it): kws.tflite -> kws.int8.tflite (quantize), kws.int8.onnx (quantize
 * to ONNX), kws.pruned50.tflite (prune 0.5), kws.pruned50-channels.tflite (structured),
 * kws.onnx (convert). `sourceFormat` is the model's format when the name does not say it (a C array).
 */
export function outputFileName(inputFileName: string, options: ActionOptions, sourceFormat?: ModelFileFormat): string {
  const { folder, stem, extension } = splitName(inputFileName);
  const format = formatOfFileName(inputFileName) ?? sourceFormat ?? 'tflite';
  switch (options.kind) {
    case 'quantize':
      return `${folder}${stem}.int8.${options.format ?? 'tflite'}`;
    case 'prune': {
      const percent = Math.round(options.sparsity * 100);
      const ext = MODEL_EXTENSIONS[extension.toLowerCase()] ? extension : `.${format}`;
      return `${folder}${stem}.pruned${percent}${options.structured ? '-channels' : ''}${ext}`;
    }
    case 'convert':
      return `${folder}${stem}.${options.to}`;
  }
}
