// What every UNIDIRECTIONAL_SEQUENCE_LSTM variant shares (tflite-micro lstm_shared.h, lstm_eval.cc
// ValidateTensorStatus, lstm_eval_common.cc CreateLstmSizeInfo / ValidateTensorSize): the tensor
// indices, the checks TFLM's Prepare makes, and the sizes and layout of one time step.

import type { EngineTensor, KernelContext } from './kernel';

/** The LstmTensors indices TFLM reads (lstm_shared.h). */
export const LSTM = {
  Input: 0,
  InputToInput: 1,
  InputToForget: 2,
  InputToCell: 3,
  InputToOutput: 4,
  RecurrentToInput: 5,
  RecurrentToForget: 6,
  RecurrentToCell: 7,
  RecurrentToOutput: 8,
  InputGateBias: 12,
  ForgetGateBias: 13,
  CellGateBias: 14,
  OutputGateBias: 15,
  HiddenState: 18,
  CellState: 19,
} as const;

/** Inputs of LSTM variants TFLM does not implement: peepholes, projection, layer norm. */
const UNSUPPORTED_INPUTS: readonly [number, string][] = [
  [9, 'cell-to-input peephole'],
  [10, 'cell-to-forget peephole'],
  [11, 'cell-to-output peephole'],
  [16, 'projection weights'],
  [17, 'projection bias'],
  [20, 'input layer norm'],
  [21, 'forget layer norm'],
  [22, 'cell layer norm'],
  [23, 'output layer norm'],
];

export interface LstmSetup {
  input: EngineTensor;
  hidden: EngineTensor;
  cell: EngineTensor;
  output: EngineTensor;
  timeMajor: boolean;
  batches: number;
  steps: number;
  inputDim: number;
  stateDim: number;
  /** The float32 cell_clip option; 0 (or below) means no clip. */
  cellClip: number;
  /** The cell gate's activation (the builtin's fused activation); the other gates use sigmoid. */
  cellActivation: 'TANH' | 'SIGMOID';
  /** Rows of one step: every batch when time-major, one batch row otherwise. */
  rows: number;
}

/** UnidirectionalSequenceLstmPrepare's structural checks, shared by the float and integer paths. */
export function lstmSetup(ctx: KernelContext): LstmSetup {
  if (ctx.inputCount() !== 24) ctx.fail(`expects 24 inputs, has ${ctx.inputCount()}`);
  for (const [k, what] of UNSUPPORTED_INPUTS) if (ctx.optionalInput(k)) ctx.fail(`${what} (input ${k}) is not supported`);
  const input = ctx.input(LSTM.Input);
  const hidden = ctx.input(LSTM.HiddenState);
  const cell = ctx.input(LSTM.CellState);
  const output = ctx.output(0);
  const timeMajor = ctx.op.options.timeMajor === true;
  const cellClip = Math.fround(typeof ctx.op.options.cellClip === 'number' ? ctx.op.options.cellClip : 0);
  const act = ctx.op.options.fusedActivation ?? 'TANH';
  // CalculateLstmGate handles sigmoid and tanh only (anything else asserts at eval).
  if (act !== 'TANH' && act !== 'SIGMOID') ctx.fail(`cell activation ${String(act)} not supported (supported: TANH, SIGMOID)`);

  if (input.shape.length !== 3) ctx.fail(`input must have rank 3, has [${input.shape.join(', ')}]`);
  const batches = timeMajor ? input.shape[1] : input.shape[0];
  const steps = timeMajor ? input.shape[0] : input.shape[1];
  const inputDim = input.shape[2];
  const stateDim = hidden.shape[1];
  if (hidden.data.length !== batches * stateDim || cell.data.length !== batches * stateDim) {
    ctx.fail(`hidden and cell state must hold ${batches} x ${stateDim} elements`);
  }
  if (output.shape.length !== 3 || output.shape[0] !== input.shape[0] || output.shape[1] !== input.shape[1] || output.shape[2] !== stateDim) {
    ctx.fail(`output shape [${output.shape.join(', ')}] does not match the input and state`);
  }
  return {
    input,
    hidden,
    cell,
    output,
    timeMajor,
    batches,
    steps,
    inputDim,
    stateDim,
    cellClip,
    cellActivation: act,
    rows: timeMajor ? batches : 1,
  };
}

/** The input-to-gate and recurrent-to-gate weights and the gate bias, checked for shape. */
export interface GateTensors {
  inputWeights: EngineTensor;
  recurrentWeights: EngineTensor;
  bias: EngineTensor;
}

export type GateName = 'input' | 'forget' | 'cell' | 'output';

const GATE_INDICES: Record<GateName, [number, number, number]> = {
  input: [LSTM.InputToInput, LSTM.RecurrentToInput, LSTM.InputGateBias],
  forget: [LSTM.InputToForget, LSTM.RecurrentToForget, LSTM.ForgetGateBias],
  cell: [LSTM.InputToCell, LSTM.RecurrentToCell, LSTM.CellGateBias],
  output: [LSTM.InputToOutput, LSTM.RecurrentToOutput, LSTM.OutputGateBias],
};

/** ValidateWeightTensorSize / ValidateBiasTensorSize for one gate, with the types required. */
export function gateTensors(ctx: KernelContext, s: LstmSetup, gate: GateName, weightType: string, biasType: string): GateTensors {
  const [iw, rw, b] = GATE_INDICES[gate];
  const check = (k: number, what: string, shape: number[], dtype: string): EngineTensor => {
    const t = ctx.input(k);
    if (t.dtype !== dtype) ctx.fail(`${what} (input ${k}) type ${t.dtype} not supported with ${s.input.dtype} input (supported: ${dtype})`);
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      ctx.fail(`${what} (input ${k}) must be [${shape.join(', ')}], is [${t.shape.join(', ')}]`);
    }
    return t;
  };
  return {
    inputWeights: check(iw, `input-to-${gate} weights`, [s.stateDim, s.inputDim], weightType),
    recurrentWeights: check(rw, `recurrent-to-${gate} weights`, [s.stateDim, s.stateDim], weightType),
    bias: check(b, `${gate} gate bias`, [s.stateDim], biasType),
  };
}

/**
 * EvalLstm's walk over the sequence: time-major runs every batch row in each step; batch-major
 * runs the whole sequence of one batch before the next, each batch with its own state slice.
 */
export function lstmSequence(s: LstmSetup, step: (inputOffset: number, outputOffset: number, stateOffset: number) => void): () => void {
  const { timeMajor, steps, batches, inputDim, stateDim } = s;
  return () => {
    if (timeMajor) {
      for (let t = 0; t < steps; t++) step(t * batches * inputDim, t * batches * stateDim, 0);
    } else {
      for (let b = 0; b < batches; b++) {
        for (let t = 0; t < steps; t++) step((b * steps + t) * inputDim, (b * steps + t) * stateDim, b * stateDim);
      }
    }
  };
}
