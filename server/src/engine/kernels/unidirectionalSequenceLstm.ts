// UNIDIRECTIONAL_SEQUENCE_LSTM (tflite-micro kernels/unidirectional_sequence_lstm.cc, lstm_eval.h
// /.cc, lstm_eval_common.cc): the integer LSTM with int8 input and hidden state, int8 weights and
// int16 cell state. Per step and gate: two int8 x int8 FULLY_CONNECTEDs onto a Q3.12 int16 grid
// (scale 2^-12, the input one with the gate bias), saturating int16 add, then the int16 sigmoid
// or tanh look-up kernels giving Q0.15. The cell update multiplies Q0.15 gates by a
// cell-scale int16 state (MulElementwise with QuantizeMultiplier'd in1*in2/out), adds, clips;
// the hidden state is tanh(cell) x output gate requantized to the hidden state's int8 grid.
// Batch-major and time-major layouts; no peephole, projection or layer norm (TFLM has none).

import { multiplyByQuantizedMultiplier, quantizeMultiplier, checkedLog2 } from '../fixedPoint';
import { logisticInt16 } from './logistic';
import { tanhInt16 } from './tanh';
import { type EngineTensor, type Eval, type Kernel, type KernelContext, requireType, stringOption } from './kernel';

/** The LstmTensors indices TFLM reads (lstm_shared.h). */
const T = {
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

/** Inputs TFLM's integer LSTM does not implement: peepholes, projection, layer norm. */
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

/** One int8 x int8 -> int16 FULLY_CONNECTED of a gate (FullyConnectedParamsQuantized). */
interface GateFc {
  weights: Int8Array;
  bias: Int32Array | undefined;
  inputOffset: number;
  weightsOffset: number;
  multiplier: number;
  shift: number;
  depth: number;
}

interface Gate {
  input: GateFc;
  recurrent: GateFc;
}

/** Q3.12: the scale of every gate's pre-activation, as lstm_eval_common.cc fixes it. */
const GATE_INPUT_SCALE = 2 ** -12;
/** Q0.15: the scale of every gate's activation output. */
const GATE_OUTPUT_SCALE = 2 ** -15;

export const unidirectionalSequenceLstm: Kernel = {
  prepare(ctx: KernelContext): Eval {
    if (ctx.inputCount() !== 24) ctx.fail(`expects 24 inputs, has ${ctx.inputCount()}`);
    for (const [k, what] of UNSUPPORTED_INPUTS) if (ctx.optionalInput(k)) ctx.fail(`${what} (input ${k}) is not supported`);
    const input = ctx.input(T.Input);
    const hidden = ctx.input(T.HiddenState);
    const cell = ctx.input(T.CellState);
    const output = ctx.output(0);
    const timeMajor = ctx.op.options.timeMajor === true;
    const cellClip = Math.fround(typeof ctx.op.options.cellClip === 'number' ? ctx.op.options.cellClip : 0);
    const cellActivation = stringOption(ctx, 'fusedActivation', 'TANH');
    if (cellActivation !== 'TANH' && cellActivation !== 'SIGMOID') ctx.fail(`cell activation ${cellActivation} not supported`);

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
    if (input.dtype !== 'int8') {
      return ctx.fail(`input type ${input.dtype} not supported (supported: int8 with int8 weights and int16 cell state)`);
    }
    requireType(ctx, hidden, 'hidden state', ['int8']);
    requireType(ctx, cell, 'cell state', ['int16']);
    requireType(ctx, output, 'output', ['int8']);

    const fcOf = (x: EngineTensor, w: EngineTensor, b: EngineTensor | undefined, cols: number, what: string): GateFc => {
      requireType(ctx, w, what, ['int8']);
      if (w.shape.length !== 2 || w.shape[0] !== stateDim || w.shape[1] !== cols) {
        ctx.fail(`${what} must be [${stateDim}, ${cols}], is [${w.shape.join(', ')}]`);
      }
      // FullyConnectedParamsQuantized reads the per-tensor multiplier only.
      if (w.scales.length > 1) ctx.fail(`${what}: per-channel weights are not supported`);
      if (b) {
        requireType(ctx, b, `${what} bias`, ['int32']);
        if (b.shape.length !== 1 || b.shape[0] !== stateDim) ctx.fail(`${what} bias must be [${stateDim}]`);
      }
      // GetQuantizedConvolutionMultipler: float input x filter scale, then / output scale in double.
      const q = quantizeMultiplier(Math.fround(x.scale * w.scale) / GATE_INPUT_SCALE);
      return {
        weights: w.data as Int8Array,
        bias: b ? (b.data as Int32Array) : undefined,
        inputOffset: -x.zeroPoint,
        weightsOffset: -w.zeroPoint,
        multiplier: q.multiplier,
        shift: q.shift,
        depth: cols,
      };
    };
    const gateOf = (iw: number, rw: number, b: number, name: string): Gate => ({
      input: fcOf(input, ctx.input(iw), ctx.input(b), inputDim, `input-to-${name} weights`),
      recurrent: fcOf(hidden, ctx.input(rw), undefined, stateDim, `recurrent-to-${name} weights`),
    });
    const forgetGate = gateOf(T.InputToForget, T.RecurrentToForget, T.ForgetGateBias, 'forget');
    const inputGate = gateOf(T.InputToInput, T.RecurrentToInput, T.InputGateBias, 'input');
    const cellGate = gateOf(T.InputToCell, T.RecurrentToCell, T.CellGateBias, 'cell');
    const outputGate = gateOf(T.InputToOutput, T.RecurrentToOutput, T.OutputGateBias, 'output');

    // CreateInterGateMulParams: double(in1) * double(in2) / double(out).
    const cellScale = cell.scale;
    const forgetCellMul = quantizeMultiplier((GATE_OUTPUT_SCALE * cellScale) / cellScale);
    const inputMul = quantizeMultiplier((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / cellScale);
    const outputMul = quantizeMultiplier((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / hidden.scale);
    const hiddenZeroPoint = hidden.zeroPoint;
    // CreateLstmCellStateInfo: the cell scale's power of two and the clip on the int16 grid.
    const cellScalePower = checkedLog2(cellScale).log2;
    const quantizedCellClip = Math.trunc(Math.min(Math.max(cellClip / cellScale, -32768), 32767));
    // lstm_eval.cc Tanh(cell_state_scale_power): shift (15 + power) - 3, negative shifts become
    // a multiplier of 3; then reference Tanh's power-of-two case turns multiplier 0 into 3 << shift.
    let tanhShift = 15 + cellScalePower - 3;
    let tanhMultiplier = 0;
    if (tanhShift < 0) {
      tanhShift = -tanhShift;
      tanhMultiplier = 3;
    }
    const cellTanh =
      tanhMultiplier === 0
        ? { multiplier: 3 << tanhShift, shift: 0, round: 0 }
        : { multiplier: tanhMultiplier, shift: tanhShift, round: tanhShift > 0 ? 1 << (tanhShift - 1) : 0 };

    // One step works on [rows, dim] slices: rows = batches when time-major, else 1.
    const rows = timeMajor ? batches : 1;
    const n = rows * stateDim;
    const buffer0 = new Int16Array(n);
    const buffer1 = new Int16Array(n);
    const buffer2 = new Int16Array(n);
    const buffer3 = new Int16Array(n);
    const x = input.data as Int8Array;
    const h = hidden.data as Int8Array;
    const c = cell.data as Int16Array;
    const y = output.data as Int8Array;

    /** reference_integer_ops::FullyConnected<int8, int8, int16, int32> on `rows` rows. */
    const fc = (fcp: GateFc, src: Int8Array, srcOffset: number, out: Int16Array): void => {
      const { weights, bias, inputOffset, weightsOffset, multiplier, shift, depth } = fcp;
      for (let r = 0; r < rows; r++) {
        const xBase = srcOffset + r * depth;
        for (let o = 0; o < stateDim; o++) {
          const wBase = o * depth;
          let acc = 0;
          for (let d = 0; d < depth; d++) acc += (weights[wBase + d] + weightsOffset) * (src[xBase + d] + inputOffset);
          acc |= 0;
          if (bias) acc = (acc + bias[o]) | 0;
          let v = multiplyByQuantizedMultiplier(acc, multiplier, shift);
          v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
          out[r * stateDim + o] = v;
        }
      }
    };

    /** CalculateLstmGate: two FCs, saturating add, sigmoid or tanh (Q3.12 in, Q0.15 out). */
    const gate = (g: Gate, inputOffset: number, hiddenOffset: number, out: Int16Array, useTanh: boolean): void => {
      fc(g.input, x, inputOffset, out);
      fc(g.recurrent, h, hiddenOffset, buffer3);
      for (let i = 0; i < n; i++) {
        let s = out[i] + buffer3[i];
        s = s < -32768 ? -32768 : s > 32767 ? 32767 : s;
        // Sigmoid(int16): Logistic with multiplier 0, shift 0 -> 3 << 0. Tanh(-12): shift 0 -> 3.
        out[i] = useTanh ? tanhInt16(s, 3, 0, 0) : logisticInt16(s, 3, 0, 0);
      }
    };

    /** MulElementwise<int16, OutT>: zero input offsets, QuantizeMultiplier'd product, clamp. */
    const mulInto = (
      a: Int16Array,
      b: Int16Array,
      bOffset: number,
      q: { multiplier: number; shift: number },
      outOffset: number,
      min: number,
      max: number,
      out: Int16Array | Int8Array,
      outAt: number,
    ): void => {
      for (let i = 0; i < n; i++) {
        let v = outOffset + multiplyByQuantizedMultiplier(a[i] * b[bOffset + i], q.multiplier, q.shift);
        v = v < min ? min : v > max ? max : v;
        out[outAt + i] = v;
      }
    };

    const step = (inputOffset: number, outputOffset: number, stateOffset: number): void => {
      gate(forgetGate, inputOffset, stateOffset, buffer0, false);
      gate(inputGate, inputOffset, stateOffset, buffer1, false);
      gate(cellGate, inputOffset, stateOffset, buffer2, cellActivation === 'TANH');
      // Cell: c = clip(sat(f * c + i * g)).
      mulInto(buffer0, c, stateOffset, forgetCellMul, 0, -32768, 32767, c, stateOffset);
      mulInto(buffer1, buffer2, 0, inputMul, 0, -32768, 32767, buffer1, 0);
      for (let i = 0; i < n; i++) {
        let s = c[stateOffset + i] + buffer1[i];
        s = s < -32768 ? -32768 : s > 32767 ? 32767 : s;
        if (cellClip > 0) s = s > quantizedCellClip ? quantizedCellClip : s < -quantizedCellClip ? -quantizedCellClip : s;
        c[stateOffset + i] = s;
      }
      // Hidden: h = o * tanh(c), on the hidden state's int8 grid; then copied to the output.
      gate(outputGate, inputOffset, stateOffset, buffer1, false);
      for (let i = 0; i < n; i++) buffer0[i] = tanhInt16(c[stateOffset + i], cellTanh.multiplier, cellTanh.shift, cellTanh.round);
      mulInto(buffer0, buffer1, 0, outputMul, hiddenZeroPoint, -128, 127, h, stateOffset);
      for (let i = 0; i < n; i++) y[outputOffset + i] = h[stateOffset + i];
    };

    return () => {
      if (timeMajor) {
        for (let t = 0; t < steps; t++) step(t * batches * inputDim, t * batches * stateDim, 0);
      } else {
        for (let b = 0; b < batches; b++) {
          for (let t = 0; t < steps; t++) step((b * steps + t) * inputDim, (b * steps + t) * stateDim, b * stateDim);
        }
      }
    };
  },
};
