// Messages between the device panel (monitor, plotter, live inference, one-click run) and its
// host in the extension, one discriminated union per direction, plus the state the view keeps
// with setState. Types only; both sides import this file.

import type { CompareSpec, Verdict } from '../../../client/src/device/inference/comparison';
import type { FrameSpec } from '../../../client/src/device/inference/framing';
import type { TensorInfo } from '../../../client/src/device/inference/tensorCodec';

export type LineEnding = 'none' | 'lf' | 'cr' | 'crlf';
export type MonitorMode = 'text' | 'hex';
export type ConnectionState = 'closed' | 'opening' | 'open' | 'reconnecting';

export interface MonitorLine {
  /** Milliseconds since the epoch. */
  time: number;
  text: string;
  /** line/partial/hex: received; sent: typed by the user; event: the session's own notes. */
  kind: 'line' | 'partial' | 'hex' | 'sent' | 'event';
}

export interface PortChoice {
  path: string;
  /** e.g. `Arduino Nano 33 BLE Sense (2341:805a)`. */
  detail?: string;
}

export interface ModelSummary {
  name: string;
  path: string;
  inputs: TensorInfo[];
  outputs: TensorInfo[];
  ops: number;
}

export interface InferenceConfig {
  frame: FrameSpec;
  compare: CompareSpec;
  labels: string[];
}

export interface InferenceRow {
  seq: number;
  time: number;
  /** Input 0's first elements, for the table. */
  input: number[];
  /** Output 0 in its type, and dequantized. */
  raw: number[];
  scores: number[];
  top: number;
  micros: number;
  device?: { values: number[]; as: 'raw' | 'dequantized' | 'class' };
  verdict?: Verdict;
}

export interface InferenceStats {
  running: boolean;
  frames: number;
  compared: number;
  disagreements: number;
  /** Frames the worker skipped because the device was faster. */
  skipped: number;
  lastError?: string;
}

export interface PresetChoice {
  id: string;
  label: string;
}

export type TaskName = 'build' | 'flash' | 'run';

/** host -> device panel */
export type HostToDevice =
  /** Answer to `ready`: everything to draw, including the recent lines and results (re-sync after hide/show). */
  | {
      type: 'init';
      trusted: boolean;
      ports: PortChoice[];
      portsError?: string;
      presets: PresetChoice[];
      defaults: { path: string; baudRate: number; lineEnding: LineEnding };
      connection: { state: ConnectionState; path?: string; logFile?: string };
      history: MonitorLine[];
      model?: ModelSummary;
      inference?: InferenceConfig;
      labelsSource?: string;
      rows: InferenceRow[];
      stats: InferenceStats;
    }
  | { type: 'ports'; ports: PortChoice[]; error?: string }
  | { type: 'connection'; state: ConnectionState; path?: string; logFile?: string; message?: string }
  | { type: 'lines'; lines: MonitorLine[]; dropped: number }
  | { type: 'model'; model?: ModelSummary; inference?: InferenceConfig; labelsSource?: string; error?: string }
  | { type: 'inference'; rows: InferenceRow[]; stats: InferenceStats }
  | { type: 'preset'; id: string; hiddenSeries: string[]; path?: string; baudRate: number }
  | { type: 'task'; task: TaskName; state: 'running' | 'done' | 'failed' | 'cancelled'; message?: string; hint?: string }
  | { type: 'notice'; level: 'info' | 'warning' | 'error'; message: string; hint?: string };

/** device panel -> host */
export type DeviceToHost =
  | { type: 'ready' }
  | { type: 'refreshPorts' }
  | { type: 'connect'; path: string; baudRate: number }
  | { type: 'disconnect' }
  | { type: 'send'; text: string; ending: LineEnding }
  | { type: 'setMode'; mode: MonitorMode }
  /** Save a copy of the complete on-disk log. */
  | { type: 'saveLog' }
  | { type: 'openLog' }
  /** Plot data as CSV: the host asks where to save it. */
  | { type: 'exportCsv'; csv: string; name: string }
  | { type: 'pickModel' }
  | { type: 'setModel'; uri: string }
  | { type: 'configureInference'; config: InferenceConfig }
  | { type: 'startInference' }
  | { type: 'stopInference' }
  | { type: 'applyPreset'; id: string }
  /** One click: build, flash, open the monitor, start inference when a model is chosen. */
  | { type: 'runAll'; preset?: string; path?: string; baudRate?: number }
  | { type: 'cancel' };

/** Kept with setState: survives hiding the panel; the host re-sends lines and results on `ready`. */
export interface DevicePanelState {
  version: 1;
  path: string;
  baudRate: number;
  lineEnding: LineEnding;
  mode: MonitorMode;
  /** Text in the send box, not yet sent. */
  draft: string;
  search: string;
  hiddenSeries: string[];
  windowSeconds: number;
  preset?: string;
  inference?: InferenceConfig;
  labelsText: string;
  /** Which pane has the space: all three, or one maximized. */
  layout: 'all' | 'monitor' | 'plot' | 'inference';
}
