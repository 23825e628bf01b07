import assert from 'node:assert/strict';
import { pyocd, pyocdArgs, pyocdProgress } from '../../../../client/src/device/flash/pyocd';
import { board, FakeTools } from '../fakeTools';
import { assertProgress, feed } from './toolMethods.shared';

describe('flash/pyocd', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('runs `pyocd flash -t <target> <file>` and follows its piped progress bar', async () => {
    await pyocd.run(fake.context('nucleo-l4r5zi', '/fw/app.hex'));
    assert.deepEqual(fake.invocations()[0].argv, ['flash', '-t', 'stm32l4r5zitx', '/fw/app.hex']);
    // Chunks may coalesce in the pipe; the steps come from 0, 25, 50, 75, 100 %.
    assertProgress(fake.progress.map(([f]) => f), [0, 0.25, 0.5, 0.75, 1], 2);
    assert.ok(fake.lines.some((l) => /programmed 84992 bytes/.test(l)));
  });

  it('parses the TTY bar and the piped one (one "=" per 2.5 %)', () => {
    assert.deepEqual(
      feed(pyocdProgress(), [
        ['[==========          ]  50%'],
        ['[---|---|---|---|---|---|---|---|---|----]'],
        ['[', true],
        ['[=========', true],
        ['[' + '='.repeat(40) + ']'],
      ]),
      [0.5, 0, 0.225, 1],
    );
  });

  it('targets nRF boards and passes a base address for a .bin', () => {
    assert.deepEqual(pyocdArgs(board('microbit-v2'), 'a.hex', {}), ['flash', '-t', 'nrf52833', 'a.hex']);
    assert.deepEqual(pyocdArgs(board('nucleo-h743zi2'), 'a.bin', { baseAddress: 0x08000000 }), ['flash', '-t', 'stm32h743zitx', '--base-address', '0x8000000', 'a.bin']);
  });
});
