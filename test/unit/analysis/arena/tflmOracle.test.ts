// The arena figures against what the real TFLM reported (shared/oracle), tolerance 0, for the
// reference kernels and for the CMSIS-NN kernels on a Cortex-M4 (DSP). The figures are read
// from the oracle files at test time; none is written down here.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readTflite } from '../../../../server/src/model/tflite/reader';
import { planTflmArena } from '../../../../server/src/analysis/arena/tflmArena';
import { modelPathForStem, oracleJson, oracleSummaryTable } from '../../../helpers/shared';

const load = (stem: string) => readTflite(new Uint8Array(readFileSync(modelPathForStem(stem))));

interface RecordedAllocation {
  used: number;
  requested: number;
  count: number;
}

interface BuildBreakdown {
  planner_buffer_count: number;
  planner_max_bytes: number;
  micro_interpreter_tail_bytes: number;
  min_arena_bytes: number;
  min_arena_bytes_multiple_of_16: number;
  recording_interpreter: { breakdown: Record<string, RecordedAllocation> };
}

interface OracleArena {
  nonpersistent_planned_bytes: number;
  used_bytes_32bit: number;
  used_bytes_64bit: number;
  persistent_bytes_32bit: number;
  persistent_bytes_64bit: number;
  min_arena_bytes_32bit: number;
  min_arena_bytes_64bit: number;
  min_arena_bytes_32bit_multiple_of_16: number;
  min_arena_bytes_64bit_multiple_of_16: number;
  breakdown: Record<'cortex_m3' | 'x86_64', BuildBreakdown>;
}

describe('TFLM arena figures against the oracle (reference kernels)', () => {
  const table = oracleSummaryTable();

  it('reads the nine-model summary table', () => {
    assert.equal(table.length, 9);
  });

  for (const row of table) {
    it(`${row.model}: planned, persistent, used and minimum arena are exact (32-bit)`, () => {
      const r = planTflmArena(load(row.model));
      assert.deepEqual(
        { planned: r.plannedBytes, persistent: r.persistentBytes, used: r.usedBytes, min: r.minArenaBytes },
        { planned: row.plannedRef, persistent: row.persistentRef, used: row.usedRef, min: row.minRef },
      );
      assert.deepEqual(r.unmodeledOps, []);
      const parts = Object.values(r.persistentBreakdown).reduce((a, b) => a + b, 0);
      assert.equal(parts, r.persistentBytes);
    });
  }

  for (const stem of ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'person_detect']) {
    describe(stem, () => {
      const arena = (oracleJson('tflm', stem) as { arena: OracleArena }).arena;
      const graph = load(stem);

      for (const [pointerBytes, bits, build] of [
        [4, '32bit', 'cortex_m3'],
        [8, '64bit', 'x86_64'],
      ] as const) {
        it(`matches every arena figure on the ${bits} build`, () => {
          const r = planTflmArena(graph, { pointerBytes });
          const b = arena.breakdown[build];
          assert.deepEqual(
            {
              planned: r.plannedBytes,
              persistent: r.persistentBytes,
              used: r.usedBytes,
              min: r.minArenaBytes,
              min16: r.minArenaBytesMultipleOf16,
              buffers: r.plannerBufferCount,
            },
            {
              planned: arena.nonpersistent_planned_bytes,
              persistent: arena[`persistent_bytes_${bits}`],
              used: arena[`used_bytes_${bits}`],
              min: arena[`min_arena_bytes_${bits}`],
              min16: arena[`min_arena_bytes_${bits}_multiple_of_16`],
              buffers: b.planner_buffer_count,
            },
          );
          assert.equal(r.plannedBytes, b.planner_max_bytes);
          assert.equal(r.persistentBytes, b.micro_interpreter_tail_bytes);
          assert.equal(r.minArenaBytes, b.min_arena_bytes);
        });

        it(`attributes the tail like TFLM's recording allocator on the ${bits} build`, () => {
          const r = planTflmArena(graph, { pointerBytes });
          const rec = arena.breakdown[build].recording_interpreter.breakdown;
          assert.equal(r.persistentBreakdown.evalTensors, rec.tflite_eval_tensor_data.requested);
          assert.equal(r.persistentBreakdown.nodeAndRegistrations, rec.node_and_registration_array.requested);
          assert.equal(r.persistentBreakdown.quantization, rec.persistent_tflite_tensor_quantization_data.requested);
          assert.equal(r.persistentBreakdown.variable, rec.tflite_tensor_variable_buffer_data.requested);
        });
      }
    });
  }
});

interface OracleCmsisBuild {
  used_bytes: number;
  nonpersistent_planned_bytes: number;
  persistent_bytes: number;
  min_arena_bytes: number;
  min_arena_bytes_multiple_of_16: number;
  planner_buffer_count: number;
  recording_breakdown: Record<string, RecordedAllocation>;
}

describe('TFLM arena figures against the oracle (CMSIS-NN kernels, Cortex-M4)', () => {
  const table = oracleSummaryTable();

  for (const row of table) {
    it(`${row.model}: planned, persistent, used and minimum arena are exact`, () => {
      const r = planTflmArena(load(row.model), { kernels: 'cmsis-nn', cmsisTarget: 'dsp' });
      assert.deepEqual(
        { planned: r.plannedBytes, persistent: r.persistentBytes, used: r.usedBytes, min: r.minArenaBytes },
        { planned: row.plannedCmsis, persistent: row.persistentCmsis, used: row.usedCmsis, min: row.minCmsis },
      );
      assert.deepEqual(r.unmodeledOps, []);
    });
  }

  it('defaults the CMSIS-NN target to the DSP build', () => {
    const graph = load('pretrainedResnet_quant');
    assert.deepEqual(
      planTflmArena(graph, { kernels: 'cmsis-nn' }),
      planTflmArena(graph, { kernels: 'cmsis-nn', cmsisTarget: 'dsp' }),
    );
  });

  for (const stem of ['hello_world_int8', 'hello_world_float', 'micro_speech_quantized', 'person_detect']) {
    it(`${stem}: matches the breakdown of the CMSIS-NN build`, () => {
      const b = (oracleJson('tflm-cmsis-m4', stem) as { arena: { cmsis_nn_m4: OracleCmsisBuild } }).arena.cmsis_nn_m4;
      const r = planTflmArena(load(stem), { kernels: 'cmsis-nn' });
      assert.deepEqual(
        {
          planned: r.plannedBytes,
          persistent: r.persistentBytes,
          used: r.usedBytes,
          min: r.minArenaBytes,
          min16: r.minArenaBytesMultipleOf16,
          buffers: r.plannerBufferCount,
          evalTensors: r.persistentBreakdown.evalTensors,
          nodes: r.persistentBreakdown.nodeAndRegistrations,
          quantization: r.persistentBreakdown.quantization,
        },
        {
          planned: b.nonpersistent_planned_bytes,
          persistent: b.persistent_bytes,
          used: b.used_bytes,
          min: b.min_arena_bytes,
          min16: b.min_arena_bytes_multiple_of_16,
          buffers: b.planner_buffer_count,
          evalTensors: b.recording_breakdown.tflite_eval_tensor_data.requested,
          nodes: b.recording_breakdown.node_and_registration_array.requested,
          quantization: b.recording_breakdown.persistent_tflite_tensor_quantization_data.requested,
        },
      );
    });
  }
});
