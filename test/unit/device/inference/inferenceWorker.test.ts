// The bundled worker in a worker thread, running the real hello_world_int8 model: its output bytes
// are TFLM's (oracle/tflm/hello_world_int8.json, tolerance 0), and live inference fed with the
// example firmware's lines agrees with the firmware's yq and flags a corrupted one.

import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { LiveInference, type InferenceUpdate } from '../../../../client/src/device/inference/liveInference';
import { QEMU_HELLO_WORLD } from '../../../../client/src/device/inference/presets';
import { InferenceWorkerClient } from '../../../../client/src/device/inference/workerClient';
import type { WorkerResult } from '../../../../client/src/device/inference/workerProtocol';
import { oracleJson, sharedModel } from '../../../helpers/shared';
import { bundleInferenceWorker } from './workerBundle';

const MODEL = sharedModel('tflm/hello_world_int8.tflite');

describe('inference worker (worker_threads) with hello_world_int8', function () {
  this.timeout(60_000);
  let workerFile = '';

  before(async () => {
    workerFile = await bundleInferenceWorker();
  });
  after(() => rmSync(dirname(workerFile), { recursive: true, force: true }));

  it("loads the model and gives TFLM's output bytes for the oracle's inputs", async () => {
    const results: WorkerResult[] = [];
    const errors: string[] = [];
    const client = new InferenceWorkerClient(workerFile, { onResults: (r) => results.push(...r), onError: (m) => errors.push(m) });
    try {
      const loaded = await client.load(MODEL, 'hello_world_int8.tflite');
      assert.deepEqual(loaded.inputs.map((t) => [t.dtype, t.shape, t.scale, t.zeroPoint]), [['int8', [1, 1], Math.fround(0.024480115622282028), -128]]);
      assert.deepEqual(loaded.outputs.map((t) => [t.dtype, t.shape, t.zeroPoint]), [['int8', [1, 1], 5]]);
      assert.equal(loaded.ops, 3);
      const oracle = oracleJson('tflm', 'hello_world_int8') as { cases: { name: string; input_b64: string; output_b64: string }[] };
      assert.ok(oracle.cases.length >= 2);
      client.run(oracle.cases.map((c, i) => ({ seq: i + 1, time: 0, bytes: new Uint8Array(Buffer.from(c.input_b64, 'base64')) })));
      await client.idle();
      assert.deepEqual(errors, []);
      oracle.cases.forEach((c, i) => {
        const expected = new Int8Array(Buffer.from(c.output_b64, 'base64'));
        const r = results.find((x) => x.seq === i + 1)!;
        assert.deepEqual(r.raw, [...expected], c.name);
        // Dequantized: 0.00829... * (q - 5).
        assert.ok(Math.abs(r.scores[0] - 0.008290956728160381 * (expected[0] - 5)) < 1e-6);
      });
    } finally {
      await client.terminate();
    }
  });

  it('reports a model it cannot load', async () => {
    const client = new InferenceWorkerClient(workerFile, { onResults: () => undefined, onError: () => undefined });
    try {
      await assert.rejects(client.load(Uint8Array.of(1, 2, 3), 'broken.tflite'), /broken\.tflite/);
    } finally {
      await client.terminate();
    }
  });

  it("pairs the example firmware's yq with the host output: agreement, then a corrupted byte flagged", async () => {
    const updates: InferenceUpdate[] = [];
    const live = new LiveInference(workerFile, (u) => updates.push(u), 5);
    try {
      await live.load(MODEL, 'hello_world_int8.tflite');
      live.configure({ frame: QEMU_HELLO_WORLD.frame, compare: QEMU_HELLO_WORLD.compare, labels: ['y'] });
      live.start();
      // Lines as the firmware prints them (steps 1 and 2 of examples/qemu-m4; yq by the engine = TFLM).
      live.push([
        { time: 1, text: '{"model":"hello_world_int8","sha256":"505e","layers":3,"steps_per_period":100}' },
        { time: 2, text: 'x:0.0628,sin:0.0628,y:0.0580' },
        { time: 2, text: '{"step":1,"x":0.0628,"xq":-125,"yq":12,"y":0.0580}' },
        { time: 3, text: '{"xq":-128,"yq":4}' },
        // Corrupted: the engine says 4 for -128.
        { time: 4, text: '{"xq":-128,"yq":5}' },
      ]);
      await live.idle();
      const rows = updates.flatMap((u) => u.rows);
      const stats = updates[updates.length - 1].stats;
      assert.deepEqual(rows.map((r) => [r.seq, r.input, r.raw, r.device?.values, r.verdict?.agree]), [
        [1, [-125], [12], [12], true],
        [2, [-128], [4], [4], true],
        [3, [-128], [4], [5], false],
      ]);
      assert.deepEqual({ ...stats, lastError: undefined }, { running: true, frames: 3, compared: 3, disagreements: 1, skipped: 0, lastError: undefined });
      assert.equal(rows[2].verdict?.tolerance, 'exact');
    } finally {
      await live.dispose();
    }
  });
});
