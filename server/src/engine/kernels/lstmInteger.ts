// The integer UNIDIRECTIONAL_SEQUENCE_LSTM (tflite-micro lstm_eval.h EvalLstm with int16 cell
// state, lstm_eval_common.cc PrepareGateParametersInteger): int8 activations with int32 biases
// (8x8 -> 16), or int16 activations with int64 biases (16x8 -> 16); int8 weights in both. Per step
// and gate: two FULLY_CONNECTEDs onto a Q3.12 int16 grid (scale 2^-12, the input one with the
// gate bias; the 16x8 ones accumulate in 64 bits and use the 64-bit MultiplyByQuantizedMultiplier),
// saturating int16 add, then the int16 sigmoid or tanh look-up kernels giving Q0.15. The cell
// update multiplies Q0.15 gates by a cell-scale int16 state (MulElementwise with
// QuantizeMultiplier'd in1*in2/out), adds, clips; the hidden state is tanh(cell) x output gate
// requantized to the hidden state's grid (int8 or int16, with its zero point).

import { checkedLog2, multiplyByQuantizedMultiplier, multiplyByQuantizedMultiplierInt64, quantizeMultiplier } from '../fixedPoint';
import { type EngineTensor, type Eval, type KernelContext, wideBias } from './kernel';
import { type GateName, type LstmSetup, gateTensors, lstmSequence } from './lstmShared';
import { logisticInt16 } from './logistic';
import { tanhInt16 } from './tanh';

type Activations = Int8Array | Int16Array;

/** One int8-weight -> int16 FULLY_CONNECTED of a gate (FullyConnectedParamsQuantized). */
interface GateFc {
  weights: Int8Array;
  /** Exact bias values (int32 or int64), or undefined for the recurrent FC. */
  bias: Int32Array | Float64Array | undefined;
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

export function prepareLstmInteger(ctx: KernelContext, s: LstmSetup): Eval {
  const { input, hidden, cell, output, rows, stateDim, inputDim, cellClip } = s;
  if (cell.dtype !== 'int16') ctx.fail(`cell state type ${cell.dtype} not supported with ${input.dtype} input (supported: int16)`);
  const wide = input.dtype === 'int16';

  const fcOf = (x: EngineTensor, w: EngineTensor, b: EngineTensor | undefined, cols: number, what: string): GateFc => {
    // FullyConnectedParamsQuantized reads the per-tensor multiplier only.
    if (w.scales.length > 1) ctx.fail(`${what}: per-channel weights are not supported`);
    // GetQuantizedConvolutionMultipler: float input x filter scale, then / output scale in double.
    const q = quantizeMultiplier(Math.fround(x.scale * w.scale) / GATE_INPUT_SCALE);
    let bias: GateFc['bias'];
    if (b) bias = wide ? wideBias(ctx, b, false).values : (b.data as Int32Array);
    return {
      weights: w.data as Int8Array,
      bias,
      inputOffset: -x.zeroPoint,
      weightsOffset: -w.zeroPoint,
      multiplier: q.multiplier,
      shift: q.shift,
      depth: cols,
    };
  };
  const gateOf = (name: GateName): Gate => {
    const t = gateTensors(ctx, s, name, 'int8', wide ? 'int64' : 'int32');
    return {
      input: fcOf(input, t.inputWeights, t.bias, inputDim, `input-to-${name} weights`),
      recurrent: fcOf(hidden, t.recurrentWeights, undefined, stateDim, `recurrent-to-${name} weights`),
    };
  };
  const forgetGate = gateOf('forget');
  const inputGate = gateOf('input');
  const cellGate = gateOf('cell');
  const outputGate = gateOf('output');

  // CreateInterGateMulParams: double(in1) * double(in2) / double(out).
  const cellScale = cell.scale;
  const forgetCellMul = quantizeMultiplier((GATE_OUTPUT_SCALE * cellScale) / cellScale);
  const inputMul = quantizeMultiplier((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / cellScale);
  const outputMul = quantizeMultiplier((GATE_OUTPUT_SCALE * GATE_OUTPUT_SCALE) / hidden.scale);
  const hiddenZeroPoint = hidden.zeroPoint;
  const hiddenMin = wide ? -32768 : -128;
  const hiddenMax = wide ? 32767 : 127;
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
  const n = rows * stateDim;
  const buffer0 = new Int16Array(n);
  const buffer1 = new Int16Array(n);
  const buffer2 = new Int16Array(n);
  const buffer3 = new Int16Array(n);
  const x = input.data as Activations;
  const h = hidden.data as Activations;
  const c = cell.data as Int16Array;
  const y = output.data as Activations;

  /**
   * reference_integer_ops::FullyConnected on `rows` rows: an int32 accumulator that wraps (8x8)
   * or an int64 one (16x8, exact in a double below 2^53) with the matching multiplier variant.
   */
  const fc = (fcp: GateFc, src: Activations, srcOffset: number, out: Int16Array): void => {
    const { weights, bias, inputOffset, weightsOffset, multiplier, shift, depth } = fcp;
    for (let r = 0; r < rows; r++) {
      const xBase = srcOffset + r * depth;
      for (let o = 0; o < stateDim; o++) {
        const wBase = o * depth;
        let acc = 0;
        for (let d = 0; d < depth; d++) acc += (weights[wBase + d] + weightsOffset) * (src[xBase + d] + inputOffset);
        let v: number;
        if (wide) {
          if (bias) acc += bias[o];
          v = multiplyByQuantizedMultiplierInt64(acc, multiplier, shift);
        } else {
          acc |= 0;
          if (bias) acc = (acc + bias[o]) | 0;
          v = multiplyByQuantizedMultiplier(acc, multiplier, shift);
        }
        out[r * stateDim + o] = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
      }
    }
  };

  /** CalculateLstmGate: two FCs, saturating add, sigmoid or tanh (Q3.12 in, Q0.15 out). */
  const gate = (g: Gate, inputOffset: number, hiddenOffset: number, out: Int16Array, useTanh: boolean): void => {
    fc(g.input, x, inputOffset, out);
    fc(g.recurrent, h, hiddenOffset, buffer3);
    for (let i = 0; i < n; i++) {
      let sum = out[i] + buffer3[i];
      sum = sum < -32768 ? -32768 : sum > 32767 ? 32767 : sum;
      // Sigmoid(int16): Logistic with multiplier 0, shift 0 -> 3 << 0. Tanh(-12): shift 0 -> 3.
      out[i] = useTanh ? tanhInt16(sum, 3, 0, 0) : logisticInt16(sum, 3, 0, 0);
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
    out: Activations,
    outAt: number,
  ): void => {
    for (let i = 0; i < n; i++) {
      let v = outOffset + multiplyByQuantizedMultiplier(a[i] * b[bOffset + i], q.multiplier, q.shift);
      v = v < min ? min : v > max ? max : v;
      out[outAt + i] = v;
    }
  };

  const cellTanhGate = s.cellActivation === 'TANH';
  const step = (inputOffset: number, outputOffset: number, stateOffset: number): void => {
    gate(forgetGate, inputOffset, stateOffset, buffer0, false);
    gate(inputGate, inputOffset, stateOffset, buffer1, false);
    gate(cellGate, inputOffset, stateOffset, buffer2, cellTanhGate);
    // Cell: c = clip(sat(f * c + i * g)).
    mulInto(buffer0, c, stateOffset, forgetCellMul, 0, -32768, 32767, c, stateOffset);
    mulInto(buffer1, buffer2, 0, inputMul, 0, -32768, 32767, buffer1, 0);
    for (let i = 0; i < n; i++) {
      let v = c[stateOffset + i] + buffer1[i];
      v = v < -32768 ? -32768 : v > 32767 ? 32767 : v;
      if (cellClip > 0) v = v > quantizedCellClip ? quantizedCellClip : v < -quantizedCellClip ? -quantizedCellClip : v;
      c[stateOffset + i] = v;
    }
    // Hidden: h = o * tanh(c), on the hidden state's grid; then copied to the output.
    gate(outputGate, inputOffset, stateOffset, buffer1, false);
    for (let i = 0; i < n; i++) buffer0[i] = tanhInt16(c[stateOffset + i], cellTanh.multiplier, cellTanh.shift, cellTanh.round);
    mulInto(buffer0, buffer1, 0, outputMul, hiddenZeroPoint, hiddenMin, hiddenMax, h, stateOffset);
    for (let i = 0; i < n; i++) y[outputOffset + i] = h[stateOffset + i];
  };

  return lstmSequence(s, step);
}
