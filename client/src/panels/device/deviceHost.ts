// What the device panel's controller needs from the editor, as an interface: the VS Code
// adapters (client/src/device/vscode/) implement it, tests hand in a fake. No vscode import here.

import type { ModelSource } from '../../device/inference/modelCandidates';
import type { LineEnding } from '../../device/lineFramer';

export interface DeviceSettings {
  /** Board id (tinyml.board) when no preset is chosen. */
  board: string;
  baudRate: number;
  lineEnding: LineEnding;
  /** argv of the build; empty: arduino-cli compile. */
  buildCommand: string[];
  /** Sketch folder for arduino-cli compile (relative to the workspace folder). */
  sketchDirectory: string;
  /** What the flash method flashes (relative to the workspace folder); empty: the sketch directory. */
  artifact: string;
  /** Flash method id to use instead of the board's first available one. */
  flashMethod: string;
  /** Port to preselect. */
  port: string;
  /** Where the monitor's logs go; empty: the extension's global storage. */
  logDirectory: string;
  /** Rows the host keeps for re-syncing a view that was hidden. */
  historyLines: number;
}

export interface ProgressReporter {
  report(message: string, fraction?: number): void;
}

export interface DeviceHost {
  isTrusted(): boolean;
  settings(): DeviceSettings;
  /** The workspace folder paths are relative to (undefined: none open). */
  workspaceRoot(): string | undefined;
  /** Default folder for serial logs. */
  logDirectory(): string;
  /** The bundled worker (dist/client/inferenceWorker.js). */
  workerFile(): string;
  /** A cancellable progress notification; `signal` aborts when the user cancels it. */
  withProgress<T>(title: string, task: (progress: ProgressReporter, signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Lets the user pick a model (what the firmware runs first, then model files); undefined: cancelled. */
  pickModel(): Promise<ModelSource | undefined>;
  /** A save dialog; writes `content` (or copies `copyFrom`) and resolves with the path, or undefined if cancelled. */
  saveAs(suggestedName: string, content: { text: string } | { copyFrom: string }): Promise<string | undefined>;
  openFile(path: string): void;
  /** A line for the output channel (build and flash tool output). */
  log(line: string): void;
  showError(message: string, hint?: string): void;
}
