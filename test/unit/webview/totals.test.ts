import assert from 'node:assert/strict';
import type { Budget } from '../../../server/src/analysis/budget';
import { limitRows, verdict } from '../../../webview/src/budget/totals';

function budget(arenaBytes: number, arenaBytesOptimized: number | undefined, flashBytes: number): Budget {
  const ramBytes = 65536;
  const boardFlash = 262144;
  const arenaMax = Math.max(arenaBytes, arenaBytesOptimized ?? 0);
  const plan = { plannedBytes: 1024, persistentBytes: 512, usedBytes: 1536 };
  return {
    format: 'tflite',
    board: { id: 'b', name: 'Test Board', ramBytes, flashBytes: boardFlash, core: 'cortex-m4', clockMhz: 64 },
    kernels: 'optimized',
    layers: [],
    totals: {
      flashBytes,
      weightBytes: 2048,
      arenaBytes,
      arenaPlannedBytes: 1024,
      arenaPersistentBytes: 512,
      arenaUsedBytes: 1536,
      arenaBytesOptimized: arenaBytesOptimized ?? arenaBytes,
      macs: 0,
      params: 0,
      latencyMs: 0,
      latencyMsReference: 0,
      energyUj: 0,
    },
    arena: plan as Budget['arena'],
    ...(arenaBytesOptimized !== undefined ? { arenaOptimized: plan as Budget['arena'] } : {}),
    fit: { ram: arenaMax <= ramBytes, flash: flashBytes <= boardFlash, ramFreeBytes: ramBytes - arenaMax, flashFreeBytes: boardFlash - flashBytes },
    latencyBasis: '',
    notes: [],
  };
}

describe('budget totals against the board', () => {
  it('one row per limit: reference arena, CMSIS-NN arena, flash', () => {
    const rows = limitRows(budget(16384, 17408, 131072));
    assert.deepEqual(
      rows.map((r) => [r.id, r.bytes, r.limitBytes, r.limitName, r.fits, r.fraction]),
      [
        ['arena-reference', 16384, 65536, 'RAM', true, 0.25],
        ['arena-optimized', 17408, 65536, 'RAM', true, 0.265625],
        ['flash', 131072, 262144, 'flash', true, 0.5],
      ],
    );
    assert.equal(rows[0].detail, 'planned 1.0 KiB + persistent 512 B; arena_used_bytes() 1536');
  });

  it('no CMSIS-NN row when the board has no CMSIS-NN plan', () => {
    assert.deepEqual(limitRows(budget(16384, undefined, 1000)).map((r) => r.id), ['arena-reference', 'flash']);
  });

  it('the verdict uses the larger arena, like the CLI', () => {
    assert.deepEqual(verdict(budget(16384, 17408, 131072)), { fits: true, text: 'Fits Test Board: the arena uses 26.6% of RAM, the model 50.0% of flash.' });
    assert.deepEqual(verdict(budget(65536, 70000, 300000)), {
      fits: false,
      text: 'Does not fit Test Board: the arena needs 68.4 KiB but the board has 64.0 KiB of RAM; the model needs 293.0 KiB but the board has 256.0 KiB of flash.',
    });
    const ramOnly = limitRows(budget(65536, 70000, 1000));
    assert.deepEqual(ramOnly.map((r) => r.fits), [true, false, true]);
  });
});
