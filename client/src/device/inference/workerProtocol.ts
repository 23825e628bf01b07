// Messages between the extension host and the inference worker (worker_threads), one union per
// direction. Frames and outputs are plain data; input bytes are transferred, not copied.

import type { TensorInfo } from './tensorCodec';

/** host -> worker */
export type ToWorker =
  | { type: 'load'; modelBytes: Uint8Array; fileName: string }
  | { type: 'run'; frames: { seq: number; bytes: Uint8Array }[] };

export interface WorkerResult {
  seq: number;
  /** Output 0's elements in its type. */
  raw: number[];
  /** Output 0 dequantized. */
  scores: number[];
  /** Time of the invoke alone. */
  micros: number;
}

/** worker -> host */
export type FromWorker =
  | { type: 'loaded'; inputs: TensorInfo[]; outputs: TensorInfo[]; ops: number }
  | { type: 'results'; results: WorkerResult[] }
  | { type: 'error'; message: string; seq?: number };
