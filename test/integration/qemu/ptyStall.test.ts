// The example firmware streams thousands of lines a second through QEMU's UART pty. QEMU's pty
// backend only applies backpressure once its once-a-second poll has seen the monitor open; before
// that, what the pty cannot take is dropped. So a monitor that stalls right after the CPU starts
// (a busy extension host) got lines with bytes cut out (`x:3.6x:...`), which the plotter took
// for a new series. Here the monitor (SerialSession) stalls on purpose right after `resume()`;
// every line must still arrive whole and every step in order.

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemu } from '../../../client/src/device/flash/qemu';
import type { FlashResult } from '../../../client/src/device/flash/types';
import { parseLogRecord } from '../../../client/src/device/serialLog';
import { SerialSession, type SerialLine } from '../../../client/src/device/serialSession';
import { findBoard } from '../../../server/src/analysis/boards';
import { QEMU_FIRMWARE_TOOLS, requireTools, runMake } from '../../helpers/qemuBoard';
import { repoRoot } from '../../helpers/shared';
import { assertWholeSweep } from './sweepLines';

const exampleDir = join(repoRoot, 'examples', 'qemu-m4');
const RESULTS = 3000;

/** What a host busy with something else does to the monitor: nothing runs for `ms`. */
function stallEventLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

describe('QEMU pty: a monitor that stalls as the firmware starts loses nothing', function () {
  this.timeout(60_000);
  let dir = '';
  let result: FlashResult | undefined;
  let session: SerialSession | undefined;

  before(function () {
    requireTools(this, QEMU_FIRMWARE_TOOLS);
    runMake(exampleDir);
    dir = mkdtempSync(join(tmpdir(), 'tinyml-pty-stall-'));
  });

  after(async () => {
    await session?.close();
    await result?.emulator?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it(`${RESULTS} steps after a 600 ms stall right after the CPU starts: every line whole, every step in order`, async () => {
    result = await qemu.run({
      board: findBoard('qemu-mps2-an386')!,
      artifact: join(exampleDir, 'build', 'firmware.elf'),
      options: {},
      isTrusted: () => true,
      onLine: () => undefined,
      onProgress: () => undefined,
      signal: new AbortController().signal,
    });
    const lines: SerialLine[] = [];
    let results = 0;
    session = new SerialSession({ path: result.port!, baudRate: 115200, logFile: join(dir, 'monitor.log'), reconnect: false });
    const enough = new Promise<void>((resolve) =>
      session!.on('lines', (batch) => {
        lines.push(...batch.lines);
        results += batch.lines.filter((l) => l.text.startsWith('{"step"')).length;
        if (results >= RESULTS) resolve();
      }),
    );
    await session.open();
    await result.emulator!.resume(performance.now());
    stallEventLoop(600);
    await enough;
    await session.close();

    const whole = lines.filter((l) => l.kind === 'line').map((l) => l.text);
    assert.ok(assertWholeSweep(whole) >= RESULTS);
    // The log on disk says the same: every record before the close is a whole line.
    const log = readFileSync(join(dir, 'monitor.log'), 'utf8').split('\n').filter(Boolean).map(parseLogRecord);
    assert.equal(log.filter((r) => r?.kind === 'L').length, whole.length);
    assert.ok(log.filter((r) => r?.kind === 'P').length <= 1, 'at most the line cut off by the close');
  });
});
