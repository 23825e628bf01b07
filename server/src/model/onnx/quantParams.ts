// Scale and zero point for tensors of QDQ and QLinear models, read from the constant scale/zero
// point inputs of the ops that define them, so budgets and the engine see quantized tensors as
// in TFLite. Non-constant parameters are left alone: there is nothing static to attach.
import type { Operator, Quantization, Tensor } from '../graph';
import { tensorValues } from './tensorData';

/** For each op: [tensor slot, scale input, zero point input]; slot >= 0 is an input, 'out' the output 0. */
const SLOTS: Record<string, [number | 'out', number, number][]> = {
  QuantizeLinear: [['out', 1, 2]],
  DequantizeLinear: [[0, 1, 2]],
  QLinearConv: [[0, 1, 2], [3, 4, 5], ['out', 6, 7]],
  QLinearMatMul: [[0, 1, 2], [3, 4, 5], ['out', 6, 7]],
  'com.microsoft.QLinearAdd': [[0, 1, 2], [3, 4, 5], ['out', 6, 7]],
  'com.microsoft.QLinearMul': [[0, 1, 2], [3, 4, 5], ['out', 6, 7]],
};

function params(tensors: Tensor[], scaleAt: number, zeroAt: number, target: Tensor, axisAttr: unknown): Quantization | undefined {
  const scaleT = tensors[scaleAt];
  const scale = scaleT?.data ? tensorValues(scaleT.data, scaleT.dtype) : undefined;
  if (!scale || scale.length === 0) return undefined;
  const zeroT = zeroAt >= 0 ? tensors[zeroAt] : undefined;
  if (zeroT && !zeroT.data) return undefined;
  const zeroPoint = zeroT?.data ? tensorValues(zeroT.data, zeroT.dtype) : new Array<number>(scale.length).fill(0);
  if (!zeroPoint || zeroPoint.length !== scale.length) return undefined;
  const rank = target.shape.length;
  const rawAxis = typeof axisAttr === 'number' ? axisAttr : 1;
  const axis = scale.length > 1 ? (rawAxis < 0 ? rawAxis + rank : rawAxis) : 0;
  return { scale, zeroPoint, axis };
}

export function attachQuantization(tensors: Tensor[], operators: Operator[]): void {
  for (const op of operators) {
    for (const [slot, scaleIn, zeroIn] of SLOTS[op.opType] ?? []) {
      const index = slot === 'out' ? op.outputs[0] : op.inputs[slot];
      const target = index === undefined || index < 0 ? undefined : tensors[index];
      const scaleAt = op.inputs[scaleIn] ?? -1;
      if (!target || target.quantization || scaleAt < 0) continue;
      // Per-channel weights: QLinearConv along output channels (axis 0), QLinearMatMul along
      // the columns of b (its last axis); Q/DQ name theirs with `axis` (default 1).
      const axis = slot === 3 ? (op.opType === 'QLinearConv' ? 0 : -1) : op.options.axis;
      const q = params(tensors, scaleAt, op.inputs[zeroIn] ?? -1, target, axis);
      if (q) target.quantization = q;
    }
  }
}
