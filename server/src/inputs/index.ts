// Calibration and evaluation inputs for the model actions (quantize, prune, convert): a folder of
// .npy, raw .bin, .wav, .bmp or .png files read into float samples for a model's inputs.

export { CalibrationError, loadCalibrationFolder } from './calibrationFolder';
export type { CalibrationOptions, CalibrationSet } from './calibrationFolder';
export type { ModelInputSpec } from './inputSpec';
export { modelInputSpecs } from './modelInputs';
export { decodeWav } from './wav';
export type { DecodedWav } from './wav';
export { decodeBmp } from './bmp';
export { decodePng } from './png';
export type { DecodedImage } from './decodedImage';
export { InputFileError } from './inputFileError';
