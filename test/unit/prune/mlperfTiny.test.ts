// Pruning the MLPerf Tiny int8 models: VWW (MobileNet, depthwise chains), the CIFAR-10 ResNet
// (residual ADDs, pruned jointly) and KWS (DS-CNN). The pruned graphs prepare and run on the
// engine, the budget shrinks (one layer's MACs recomputed by hand from the new shapes), the
// arena does not grow, the user's file bytes are untouched, and the pruned model written with
// writeTflite and read back gives the same outputs. Accuracy is measured against the unpruned
// int8 model and printed as it is: no fine-tuning, so it drops.
//
// Evaluation inputs: VWW and ResNet get augmented views of the two shared 96x96 person BMPs
// (seed 2, at 96x96 in [0, 1] and 32x32 in [0, 255]); KWS gets generated Gaussian inputs in
// [-60, 40] (its MFCC front end is not reproduced here), as the quantization tests do.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { findBoard } from '../../../server/src/analysis/boards';
import { computeBudget } from '../../../server/src/analysis/budget';
import { prepareEngine } from '../../../server/src/engine/engine';
import type { Graph } from '../../../server/src/model/graph';
import { readTflite } from '../../../server/src/model/tflite/reader';
import { writeTflite } from '../../../server/src/model/tflite/writer';
import { OFFLINE_PLAN_METADATA } from '../../../server/src/model/tflite/offlinePlan';
import { analyzeChannelSpaces } from '../../../server/src/prune/channelSpaces';
import { pruneChannels, type ChannelPruneReport } from '../../../server/src/prune/channels';
import { copyGraph } from '../../../server/src/prune/graphEdit';
import { pruneMagnitude, type MagnitudePruneReport } from '../../../server/src/prune/magnitude';
import { generateSamples } from '../../../server/src/quantize/generator';
import { setInput } from '../../../server/src/quantize/report';
import { sharedModel } from '../../helpers/shared';
import { augmentedImages, personImages } from '../quantize/inputs';

const board = findBoard('arduino-nano-33-ble-sense');
const EVALUATION_COUNT = 40;
const RATIO = 0.25;
const SPARSITY = 0.5;

interface LayerCheck {
  op: number;
  /** Filter and output shapes after pruning, and MACs before/after (derived in the comment). */
  filter: number[];
  output: number[];
  macsBefore: number;
  macsAfter: number;
}

interface Case {
  file: string;
  inputs: string;
  evaluation: (graph: Graph) => Float32Array[][];
  layer: LayerCheck;
}

const CASES: Case[] = [
  {
    file: 'vww_96_int8',
    inputs: 'augmented person/no-person BMPs, 96x96 in [0, 1]',
    evaluation: () => augmentedImages(personImages(), EVALUATION_COUNT, 2, 96, 1),
    // Op 2, a 1x1 CONV_2D 8 -> 16 channels at 48x48. Its input space (op 0's output, through the
    // depthwise op 1) is the first layer's and stays at 8; its own 16 lose round(0.25 x 16) = 4.
    // MACs = 48 x 48 x out x 1 x 1 x 8: 294912 before (out 16), 221184 after (out 12).
    layer: { op: 2, filter: [12, 1, 1, 8], output: [1, 48, 48, 12], macsBefore: 294912, macsAfter: 221184 },
  },
  {
    file: 'pretrainedResnet_quant',
    inputs: 'augmented person/no-person BMPs, 32x32 in [0, 255]',
    evaluation: () => augmentedImages(personImages(), EVALUATION_COUNT, 2, 32, 255),
    // Op 5, a 3x3 CONV_2D 32 -> 32 at 16x16. Its input is op 4's output (32 -> 24); its output
    // joins op 6's through the ADD (op 7), one space of 32 -> 24 pruned jointly.
    // MACs = 16 x 16 x out x 3 x 3 x in: 16·16·32·9·32 = 2359296 before, 16·16·24·9·24 = 1327104 after.
    layer: { op: 5, filter: [24, 3, 3, 24], output: [1, 16, 16, 24], macsBefore: 2359296, macsAfter: 1327104 },
  },
  {
    file: 'kws_ref_model',
    inputs: 'generated Gaussian inputs in [-60, 40]',
    evaluation: (graph) => generateSamples(graph, { distribution: 'gaussian', range: [-60, 40], count: EVALUATION_COUNT, seed: 2 }),
    // Op 4, a 1x1 CONV_2D 64 -> 64 at 25x5; input (op 2's, through depthwise op 3) and output both 64 -> 48.
    // MACs = 25 x 5 x out x in: 25·5·64·64 = 512000 before, 25·5·48·48 = 288000 after.
    layer: { op: 4, filter: [48, 1, 1, 48], output: [1, 25, 5, 48], macsBefore: 512000, macsAfter: 288000 },
  },
];

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function outputsOf(graph: Graph, samples: readonly Float32Array[][]): number[][] {
  const engine = prepareEngine(graph);
  return samples.map((sample) => {
    sample.forEach((values, k) => setInput(engine.inputs[k], values));
    engine.invoke();
    return Array.from(engine.outputs[0].data);
  });
}

const summary: string[] = [];

describe('prune: MLPerf Tiny int8 models', () => {
  after(() => {
    if (summary.length > 0) console.log(`\n${summary.join('\n')}`);
  });

  for (const c of CASES) {
    describe(c.file, () => {
      const bytes = sharedModel(`mlperf-tiny/${c.file}.tflite`);
      const hash = sha256(bytes);
      const original = readTflite(bytes);
      let evaluation: Float32Array[][];
      let channels: { graph: Graph; report: ChannelPruneReport };
      let magnitude: { graph: Graph; report: MagnitudePruneReport };

      before(() => {
        evaluation = c.evaluation(original);
        channels = pruneChannels(original, { ratio: RATIO, board, inputs: evaluation });
        magnitude = pruneMagnitude(original, { sparsity: SPARSITY, scope: 'per-layer', board, inputs: evaluation });
        const b = channels.report.budget;
        const a = channels.report.accuracy;
        const m = magnitude.report.accuracy;
        const pct = (x: number | undefined) => (x === undefined ? '-' : `${(100 * x).toFixed(1)} %`);
        const db = (x: number | null | undefined) => (x === null || x === undefined ? 'inf' : `${x.toFixed(2)} dB`);
        summary.push(
          `      ${c.file} channels ${RATIO}: MACs ${b.before.macs} -> ${b.after.macs}, weights ${b.before.weightBytes} -> ${b.after.weightBytes} B, ` +
            `flash ${b.before.flashBytes} -> ${b.after.flashBytes} B, arena ${b.before.arenaBytes} -> ${b.after.arenaBytes} B; ` +
            `top-1 ${pct(a?.top1Agreement)}, SNR ${db(a?.outputSnrDb)}, max|e| ${a?.maxAbsError.toFixed(4)} (${a?.inputs} ${c.inputs})`,
          `      ${c.file} magnitude ${SPARSITY} per layer: global sparsity ${magnitude.report.globalSparsity.toFixed(4)}, ` +
            `top-1 ${pct(m?.top1Agreement)}, SNR ${db(m?.outputSnrDb)}, max|e| ${m?.maxAbsError.toFixed(4)}`,
        );
      });

      it('channel pruning: prepares and runs on the engine, with fewer MACs and weight bytes and no larger arena', () => {
        const engine = prepareEngine(channels.graph);
        engine.invoke();
        const { before, after } = channels.report.budget;
        assert.ok(after.macs < before.macs, `MACs ${before.macs} -> ${after.macs}`);
        assert.ok(after.weightBytes < before.weightBytes, `weights ${before.weightBytes} -> ${after.weightBytes}`);
        assert.ok(after.flashBytes < before.flashBytes, `flash ${before.flashBytes} -> ${after.flashBytes}`);
        assert.ok(after.arenaBytes <= before.arenaBytes, `arena ${before.arenaBytes} -> ${after.arenaBytes}`);
        assert.ok(after.arenaBytesOptimized <= before.arenaBytesOptimized, `optimized arena ${before.arenaBytesOptimized} -> ${after.arenaBytesOptimized}`);
        assert.equal(channels.report.accuracy?.inputs, EVALUATION_COUNT);
      });

      it(`channel pruning: op ${c.layer.op}'s shapes and MACs match the hand count`, () => {
        const sg = channels.graph.subgraphs[0];
        const op = sg.operators[c.layer.op];
        assert.deepEqual(sg.tensors[op.inputs[1]].shape, c.layer.filter);
        assert.deepEqual(sg.tensors[op.outputs[0]].shape, c.layer.output);
        assert.equal(computeBudget(original, board!).layers[c.layer.op].macs, c.layer.macsBefore);
        assert.equal(computeBudget(channels.graph, board!).layers[c.layer.op].macs, c.layer.macsAfter);
        const row = channels.report.layers.find((l) => l.index === c.layer.op);
        assert.deepEqual([row?.macsBefore, row?.macsAfter], [c.layer.macsBefore, c.layer.macsAfter]);
      });

      it('channel pruning: outputs equal, bit for bit, the original with the removed channels masked to zero', () => {
        // Zeroing a removed channel's filter row and bias (and its depthwise filter and bias) makes
        // it exactly the zero point everywhere, so every reader adds (zp - zp) x w = 0: the same
        // arithmetic as the channel not existing. Any slicing error would show up here.
        const masked = copyGraph(original);
        const sg = masked.subgraphs[0];
        const analysis = analyzeChannelSpaces(original.subgraphs[0]);
        const zeroChannels = (op: number, slot: number, axis: number, removed: number[]): void => {
          const t = sg.tensors[sg.operators[op].inputs[slot]];
          const size = t.dtype === 'int32' ? 4 : 1;
          const data = (t.data as Uint8Array).slice();
          let inner = 1;
          for (let d = axis + 1; d < t.shape.length; d++) inner *= t.shape[d];
          for (let i = 0; i < data.length / size; i++) if (removed.includes(Math.floor(i / inner) % t.shape[axis])) data.fill(0, i * size, (i + 1) * size);
          t.data = data;
        };
        let spaces = 0;
        for (const space of channels.report.spaces.filter((x) => x.status === 'pruned')) {
          const s = analysis.spaces[analysis.spaceOf.get(sg.operators[space.definers[0]].outputs[0])!];
          for (const u of s.uses) {
            if (u.kind === 'conv-out') [1, 2].forEach((slot) => zeroChannels(u.op, slot, 0, space.removed));
            if (u.kind === 'depthwise') {
              zeroChannels(u.op, 1, 3, space.removed);
              zeroChannels(u.op, 2, 0, space.removed);
            }
          }
          spaces++;
        }
        assert.ok(spaces > 0);
        const samples = evaluation.slice(0, 4);
        assert.deepEqual(outputsOf(channels.graph, samples), outputsOf(masked, samples));
      });

      it('channel pruning: the chosen memory plan gives the same outputs as an online plan', () => {
        const online: Graph = { ...channels.graph, offlinePlan: undefined, metadata: channels.graph.metadata.filter((m) => m.name !== OFFLINE_PLAN_METADATA) };
        const samples = evaluation.slice(0, 4);
        assert.deepEqual(outputsOf(channels.graph, samples), outputsOf(online, samples));
      });

      it('channel pruning: written with writeTflite and read back, it gives the same outputs', () => {
        const written = writeTflite(channels.graph);
        assert.equal(written.length, channels.graph.fileBytes);
        const reread = readTflite(written);
        assert.deepEqual(reread.offlinePlan, channels.graph.offlinePlan);
        const samples = evaluation.slice(0, 4);
        assert.deepEqual(outputsOf(reread, samples), outputsOf(channels.graph, samples));
      });

      it('magnitude pruning: each layer reaches the target within one weight (or had more zeros already)', () => {
        assert.ok(magnitude.report.layers.length > 0);
        for (const l of magnitude.report.layers) {
          const target = SPARSITY * l.weights;
          const zeros = l.zerosBefore + l.zeroed;
          // The k = round(target) smallest magnitudes include every existing zero first.
          assert.equal(zeros, Math.max(Math.round(target), l.zerosBefore), `op ${l.index}`);
          if (l.zerosBefore <= target) assert.ok(Math.abs(zeros - target) <= 1, `op ${l.index}: ${zeros} zeros of ${l.weights}`);
        }
        prepareEngine(magnitude.graph).invoke();
        // Same shapes, same kernels: nothing on the device changes.
        assert.deepEqual(magnitude.report.budget.after, magnitude.report.budget.before);
      });

      it('magnitude pruning, global scope: the pruned layers together reach the target within one weight', () => {
        const { report } = pruneMagnitude(original, { sparsity: SPARSITY, scope: 'global', board });
        let weights = 0;
        let zerosBefore = 0;
        let zeros = 0;
        for (const l of report.layers) {
          weights += l.weights;
          zerosBefore += l.zerosBefore;
          zeros += l.zerosBefore + l.zeroed;
        }
        assert.equal(zeros, Math.max(Math.round(SPARSITY * weights), zerosBefore));
        if (zerosBefore <= SPARSITY * weights) assert.ok(Math.abs(zeros - SPARSITY * weights) <= 1);
      });

      it("never writes the user's bytes", () => {
        // Both prunings ran in before(); run them once more to be sure nothing was cached.
        pruneChannels(original, { ratio: 0.5, board });
        pruneMagnitude(original, { sparsity: 0.9, scope: 'global', board });
        assert.equal(sha256(bytes), hash);
        assert.equal(sha256(writeTflite(original)), sha256(writeTflite(readTflite(sharedModel(`mlperf-tiny/${c.file}.tflite`)))));
      });
    });
  }
});
