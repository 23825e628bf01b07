// Custom LSP messages between the extension (client/) and the language server (server/).
// Both sides import this file; nothing here is declared twice.

import { RequestType } from 'vscode-languageserver-protocol';
import type { budgetJson } from '../cli/budgetCommand';
import type { Budget } from '../analysis/budget';
import type { KernelSupport } from '../analysis/tflmKernels';

export type BudgetReport = ReturnType<typeof budgetJson>;

/**
 * client → server: the budget of a model, from a model file or from a byte array embedded in a
 * C/C++ source (`arrayName`, or the array that holds a model when omitted). The server reads the
 * bytes itself; for a source open in the editor the client passes its `text`, unsaved edits included.
 */
export namespace BudgetRequest {
  export const method = 'tinyml/budget';
  export interface Params {
    uri: string;
    arrayName?: string;
    text?: string;
    board?: string;
    kernels?: 'optimized' | 'reference';
  }
  /** Everything the budget view shows beyond the stable CLI JSON (`report`). */
  export interface Detail {
    /** The core budget: layers, totals, both arena plans with their buffers, fit, notes, latency basis. */
    budget: Budget;
    /** TFLM kernel availability of each layer's op, in layer order. */
    kernels: KernelSupport[];
    /** Tensor names by subgraph and tensor index, to label the arena's planned buffers. */
    tensorNames: string[][];
    /** The embedded array actually read, for a C/C++ source. */
    arrayName?: string;
  }
  export type FailureReason = 'unknown-board' | 'unreadable' | 'corrupt' | 'no-model-array';
  export type Result = { ok: true; report: BudgetReport; detail: Detail } | { ok: false; reason: FailureReason; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}

// ---- Code generation (#7): export as a C array, op resolver, arena size ----------------------

/** A model to read, as BudgetRequest names one: a model file, or a byte array in a C/C++ source. */
export interface CodegenModelTarget {
  uri: string;
  /** The array in a C/C++ source; the array that holds a model when omitted. */
  arrayName?: string;
}

// Type-only imports written inline so that this block stays an append to the file.
type FirmwareModel = import('../codegen/firmwareModels').FirmwareModel;
type GeneratedResolver = import('../codegen/resolver').GeneratedResolver;
type ResolverStyle = import('../codegen/resolver').ResolverStyle;
type ArenaDeclaration = import('../codegen/arenaDeclaration').ArenaDeclaration;

export type CodegenFailureReason = 'unreadable' | 'corrupt' | 'no-model-array' | 'unknown-board' | 'bad-request';
export type CodegenFailure = { ok: false; reason: CodegenFailureReason; message: string };

/**
 * client → server: the model arrays a firmware source runs (or defines; or, failing both, those
 * the workspace's firmware runs), most specific first. Open buffers are read with their edits.
 */
export namespace CodegenFirmwareModelsRequest {
  export const method = 'tinyml/codegen/firmwareModels';
  export interface Params {
    uri: string;
  }
  export interface Result {
    models: FirmwareModel[];
  }
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: `MicroMutableOpResolver<N>` code for a model (generateResolver). */
export namespace CodegenResolverRequest {
  export const method = 'tinyml/codegen/resolver';
  export interface Params extends CodegenModelTarget {
    variableName?: string;
    style?: ResolverStyle;
  }
  export type Result = ({ ok: true; modelName: string } & GeneratedResolver) | CodegenFailure;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * client → server: the `kTensorArenaSize` declaration for a model (arenaSizeDeclaration), with
 * the board, kernels and margin of the firmware's folder settings unless the params override them.
 */
export namespace CodegenArenaSizeRequest {
  export const method = 'tinyml/codegen/arenaSize';
  export interface Params {
    model: CodegenModelTarget;
    /** The firmware source the declaration is for: its folder's settings apply. */
    firmwareUri: string;
    board?: string;
    kernels?: 'optimized' | 'reference';
    marginPercent?: number;
  }
  export type Result = ({ ok: true; modelName: string; board: string; marginPercent: number } & ArenaDeclaration) | CodegenFailure;
  export const type = new RequestType<Params, Result, void>(method);
}

/** client → server: a model as a C array header and source (exportCArray); the client writes the files. */
export namespace CodegenExportRequest {
  export const method = 'tinyml/codegen/exportCArray';
  export interface Params extends CodegenModelTarget {
    /** The array's C identifier. */
    name: string;
    /** The header file name the source includes. */
    headerName: string;
    progmem: boolean;
  }
  export type Result = { ok: true; header: string; source: string; byteLength: number } | CodegenFailure;
  export const type = new RequestType<Params, Result, void>(method);
}

// ---- Model actions (#5): quantize, prune, convert a model file ----------------------------------

type ActionOptions = import('../actions').ActionOptions;
type ActionReport = import('../actions').ActionReport;

/**
 * client → server: runs a model action (quantize, prune, convert) on a model file in a worker
 * thread and writes the result to `outputUri`, its report beside it as `<output name>.report.json`.
 * Progress goes to the client's `workDoneToken` (LSP work-done progress: begin, report, end);
 * cancelling the request stops the worker and leaves no file behind.
 */
export namespace ModelActionRequest {
  export const method = 'tinyml/modelAction';
  export interface Params {
    /** The model file (file: uri). */
    uri: string;
    /** Checked by the core's validateActionOptions. */
    options: ActionOptions;
    /** A folder of calibration/evaluation inputs (a file system path); generated inputs when omitted. */
    calibrationFolder?: string;
    /** A board id; the folder's `tinyml.board` when omitted. */
    board?: string;
    /** Where the result goes (file: uri); never the input. */
    outputUri: string;
    /** Replace `outputUri` when it exists; otherwise the answer is `exists` and nothing is touched. */
    overwrite: boolean;
    workDoneToken?: string | number;
  }
  export type FailureReason =
    | 'cancelled'
    | 'exists'
    | 'same-as-input'
    | 'unreadable'
    | 'corrupt'
    | 'unsupported'
    | 'calibration'
    | 'unwritable'
    | 'bad-request'
    | 'internal';
  export type Result =
    | { ok: true; outputUri: string; reportUri: string; report: ActionReport }
    | { ok: false; reason: FailureReason; message: string };
  export const type = new RequestType<Params, Result, void>(method);
}
