// The float32 UNIDIRECTIONAL_SEQUENCE_LSTM (tflite-micro lstm_eval.h EvalLstm<float, float, float,
// float>): per step and gate, reference FullyConnected on the input (with the gate bias) and on
// the hidden state (no bias), an elementwise add, then sigmoid (reference Logistic, with its
// cut-offs) or the cell activation; c = f * c + i * g, clipped to +-cell_clip when cell_clip > 0;
// h = tanh(c) * o. Every operation is float32 in TFLM's order (Math.fround after each one); the
// FC outputs and the products are clamped to +-FLT_MAX as ActivationFunctionWithMinMax does.
// Not checked against a device: expf/tanhf may differ from Math.exp/Math.tanh in the last bit.

import type { Eval, KernelContext } from './kernel';
import { type GateName, type LstmSetup, gateTensors, lstmSequence } from './lstmShared';

const f = Math.fround;
const FLT_MAX = 3.4028234663852886e38;
const SIGMOID_CUTOFF_UPPER = f(16.619047164916992);

/** std::min(std::max(x, -FLT_MAX), FLT_MAX): infinities become +-FLT_MAX, NaN passes. */
function clampFloat(x: number): number {
  const lo = x < -FLT_MAX ? -FLT_MAX : x;
  return FLT_MAX < lo ? FLT_MAX : lo;
}

/** reference_ops::Logistic on one float. */
function sigmoid(v: number): number {
  if (v > SIGMOID_CUTOFF_UPPER) return 1;
  if (v < -9) return f(Math.exp(v));
  return f(1 / f(1 + f(Math.exp(-v))));
}

interface FloatGate {
  inputWeights: Float32Array;
  recurrentWeights: Float32Array;
  bias: Float32Array;
}

export function prepareLstmFloat(ctx: KernelContext, s: LstmSetup): Eval {
  if (s.cell.dtype !== 'float32') ctx.fail(`cell state type ${s.cell.dtype} not supported with float32 input (supported: float32)`);
  const gateOf = (name: GateName): FloatGate => {
    const t = gateTensors(ctx, s, name, 'float32', 'float32');
    return {
      inputWeights: t.inputWeights.data as Float32Array,
      recurrentWeights: t.recurrentWeights.data as Float32Array,
      bias: t.bias.data as Float32Array,
    };
  };
  const forgetGate = gateOf('forget');
  const inputGate = gateOf('input');
  const cellGate = gateOf('cell');
  const outputGate = gateOf('output');

  const { rows, stateDim, inputDim, cellClip } = s;
  const cellTanh = s.cellActivation === 'TANH';
  const n = rows * stateDim;
  const buffer0 = new Float32Array(n);
  const buffer1 = new Float32Array(n);
  const buffer2 = new Float32Array(n);
  const buffer3 = new Float32Array(n);
  const x = s.input.data as Float32Array;
  const h = s.hidden.data as Float32Array;
  const c = s.cell.data as Float32Array;
  const y = s.output.data as Float32Array;

  /** reference_ops::FullyConnected (float) on `rows` rows; `bias` absent adds 0.0f. */
  const fc = (weights: Float32Array, bias: Float32Array | undefined, src: Float32Array, srcOffset: number, depth: number, out: Float32Array): void => {
    for (let r = 0; r < rows; r++) {
      const xBase = srcOffset + r * depth;
      for (let o = 0; o < stateDim; o++) {
        const wBase = o * depth;
        let total = 0;
        for (let d = 0; d < depth; d++) total = f(total + f(src[xBase + d] * weights[wBase + d]));
        out[r * stateDim + o] = clampFloat(f(total + (bias ? bias[o] : 0)));
      }
    }
  };

  /** CalculateLstmGate: input FC + recurrent FC, then the activation in place. */
  const gate = (g: FloatGate, inputOffset: number, stateOffset: number, out: Float32Array, useTanh: boolean): void => {
    fc(g.inputWeights, g.bias, x, inputOffset, inputDim, out);
    fc(g.recurrentWeights, undefined, h, stateOffset, stateDim, buffer3);
    for (let i = 0; i < n; i++) {
      const v = f(out[i] + buffer3[i]);
      out[i] = useTanh ? f(Math.tanh(v)) : sigmoid(v);
    }
  };

  const step = (inputOffset: number, outputOffset: number, stateOffset: number): void => {
    gate(forgetGate, inputOffset, stateOffset, buffer0, false);
    gate(inputGate, inputOffset, stateOffset, buffer1, false);
    gate(cellGate, inputOffset, stateOffset, buffer2, cellTanh);
    // UpdateLstmCell: c = f * c; i * g into buffer1; c = c + i * g; clip.
    for (let i = 0; i < n; i++) {
      const forgotten = clampFloat(f(buffer0[i] * c[stateOffset + i]));
      const added = clampFloat(f(buffer1[i] * buffer2[i]));
      let v = f(forgotten + added);
      if (cellClip > 0) {
        // std::max(std::min(clip, v), -clip): a NaN cell becomes +clip, as in TFLM.
        const low = v < cellClip ? v : cellClip;
        v = low < -cellClip ? -cellClip : low;
      }
      c[stateOffset + i] = v;
    }
    // UpdateLstmHidden: h = tanh(c) * o, copied to the output.
    gate(outputGate, inputOffset, stateOffset, buffer1, false);
    for (let i = 0; i < n; i++) {
      const v = clampFloat(f(f(Math.tanh(c[stateOffset + i])) * buffer1[i]));
      h[stateOffset + i] = v;
      y[outputOffset + i] = v;
    }
  };

  return lstmSequence(s, step);
}
