// Messages between the model-action handler (server main thread) and its worker thread. The job
// travels as workerData; the worker answers with progress messages and one final message.

import type { ActionOptions, ActionReport } from '../../actions';

export interface ActionJob {
  bytes: Uint8Array;
  fileName: string;
  options: ActionOptions;
  /** A folder of inputs to calibrate and evaluate with; the core generates inputs when omitted. */
  calibrationFolder?: string;
  boardId: string;
}

/** The failures the worker can tell apart; the handler adds those about files. */
export type WorkerFailureReason = 'cancelled' | 'corrupt' | 'unsupported' | 'calibration' | 'unreadable' | 'internal';

export type FromActionWorker =
  | { type: 'progress'; message: string; fraction?: number }
  | { type: 'done'; bytes: Uint8Array; format: 'tflite' | 'onnx'; report: ActionReport }
  | { type: 'failed'; reason: WorkerFailureReason; message: string };
