// UNIDIRECTIONAL_SEQUENCE_LSTM (tflite-micro kernels/unidirectional_sequence_lstm.cc): Prepare's
// checks (lstmShared.ts), then the variant Eval dispatches to by activation type: float32
// (lstmFloat.ts), int8 or int16 activations with int8 weights and an int16 cell (lstmInteger.ts).
// Batch-major and time-major layouts; no peephole, projection or layer norm (TFLM has none).

import type { Eval, Kernel, KernelContext } from './kernel';
import { prepareLstmFloat } from './lstmFloat';
import { prepareLstmInteger } from './lstmInteger';
import { lstmSetup } from './lstmShared';

export const unidirectionalSequenceLstm: Kernel = {
  prepare(ctx: KernelContext): Eval {
    const s = lstmSetup(ctx);
    const type = s.input.dtype;
    if (type !== 'float32' && type !== 'int8' && type !== 'int16') {
      return ctx.fail(`input type ${type} not supported (supported: float32, int8, int16)`);
    }
    // The hidden state is the recurrent FC's input and the output is a copy of it.
    if (s.hidden.dtype !== type) {
      ctx.fail(`input type ${type} not supported with hidden state (input 18) type ${s.hidden.dtype}: the types must match`);
    }
    if (s.output.dtype !== type) ctx.fail(`output type ${s.output.dtype} not supported with ${type} input: the types must match`);
    return type === 'float32' ? prepareLstmFloat(ctx, s) : prepareLstmInteger(ctx, s);
  },
};
