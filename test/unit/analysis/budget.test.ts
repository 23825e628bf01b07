import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { computeBudget } from '../../../server/src/analysis/budget';
import { findBoard, activePowerMw } from '../../../server/src/analysis/boards';
import { loadModel } from '../../../server/src/model/load';
import { modelsDir } from '../../helpers/shared';

const board = findBoard('nucleo-l4r5zi')!;
const boardPowerMw = activePowerMw(board);

describe('computeBudget on every shared model', () => {
  for (const dir of ['tflm', 'mlperf-tiny']) {
    for (const file of readdirSync(join(modelsDir, dir)).filter((f) => f.endsWith('.tflite'))) {
      it(`${dir}/${file}`, () => {
        const bytes = new Uint8Array(readFileSync(join(modelsDir, dir, file)));
        const graph = loadModel(bytes, file);
        const budget = computeBudget(graph, board);
        const ops = graph.subgraphs[0].operators;
        assert.equal(budget.layers.length, ops.length);
        assert.deepEqual(budget.layers.map((l) => l.op), ops.map((o) => o.opType));
        assert.equal(budget.totals.flashBytes, bytes.length);
        const hasConstants = graph.subgraphs[0].tensors.some((t) => t.data);
        assert.equal(budget.totals.weightBytes > 0, hasConstants);
        assert.ok(budget.totals.weightBytes < bytes.length);
        assert.equal(budget.totals.arenaUsedBytes, budget.totals.arenaPlannedBytes + budget.totals.arenaPersistentBytes);
        assert.ok(budget.totals.arenaBytes >= budget.totals.arenaUsedBytes - 16, 'the minimum arena is never far below used bytes');
        assert.equal(budget.totals.macs, budget.layers.reduce((n, l) => n + l.macs, 0));
        const latency = budget.layers.reduce((n, l) => n + l.latencyMs, 0);
        assert.ok(Math.abs(budget.totals.latencyMs - latency) <= 0.01 * budget.totals.latencyMs + 0.01, 'totals add up (plus per-invoke overhead)');
        // Energy is latency times the board's active power: mW x ms = µJ.
        assert.ok(boardPowerMw !== undefined && boardPowerMw > 0);
        assert.ok(Math.abs(budget.totals.energyUj - budget.totals.latencyMs * boardPowerMw) < 1e-6 * budget.totals.energyUj + 1e-9);
        // Custom ops (ethos-u, Signal*) have no arena or cost model and must say so.
        const custom = ops.filter((o) => o.custom);
        assert.equal(budget.notes.some((n) => /Arena approximate/.test(n)), custom.length > 0, budget.notes.join('; '));
      });
    }
  }
});
