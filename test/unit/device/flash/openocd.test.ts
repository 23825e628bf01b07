import assert from 'node:assert/strict';
import { openocd, openocdArgs, openocdConfigsFor } from '../../../../client/src/device/flash/openocd';
import { ToolError } from '../../../../client/src/device/spawnTool';
import { board, FakeTools } from '../fakeTools';

describe('flash/openocd', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('runs `openocd -f interface/... -f target/... -c "program <elf> verify reset exit"` and follows its milestones', async () => {
    await openocd.run(fake.context('arduino-nano-33-ble-sense', '/fw/build/app.elf'));
    assert.deepEqual(fake.invocations()[0].argv, ['-f', 'interface/cmsis-dap.cfg', '-f', 'target/nrf52.cfg', '-c', 'program /fw/build/app.elf verify reset exit']);
    assert.deepEqual(fake.fractions(), [0, 0.1, 0.7, 0.75, 0.95, 1, 1]);
    assert.deepEqual(fake.progress.slice(1, 6).map(([, l]) => l), ['programming', 'programmed', 'verifying', 'verified', 'resetting']);
    assert.ok(fake.lines.includes('** Verified OK **'), 'stderr lines are forwarded');
  });

  it('picks ST-LINK for Nucleo boards, braces paths with spaces, adds the address of a .bin', () => {
    assert.deepEqual(openocdConfigsFor(board('nucleo-l4r5zi')), ['interface/stlink.cfg', 'target/stm32l4x.cfg']);
    assert.deepEqual(openocdConfigsFor(board('nucleo-h743zi2')), ['interface/stlink.cfg', 'target/stm32h7x.cfg']);
    assert.deepEqual(openocdConfigsFor(board('raspberry-pi-pico')), ['interface/cmsis-dap.cfg', 'target/rp2040.cfg']);
    assert.deepEqual(openocdArgs(board('nucleo-l4r5zi'), '/my fw/app.elf', {}).at(-1), 'program {/my fw/app.elf} verify reset exit');
    assert.deepEqual(openocdArgs(board('nucleo-l4r5zi'), 'app.bin', {}).at(-1), 'program app.bin 0x8000000 verify reset exit');
    assert.deepEqual(openocdArgs(board('nrf5340-dk'), 'a.elf', { openocdConfigs: ['interface/jlink.cfg', 'target/nrf53.cfg'] }).slice(0, 4), ['-f', 'interface/jlink.cfg', '-f', 'target/nrf53.cfg']);
    assert.throws(() => openocdArgs(board('nrf5340-dk'), 'a.elf', {}), ToolError);
  });

  it('a failing openocd is a failed flash with its exit code', async () => {
    await assert.rejects(openocd.run(fake.context('arduino-nano-33-ble-sense', 'a.elf', {}, { env: fake.env('fail') })), (e: ToolError) => e.kind === 'failed' && e.exitCode === 2);
    assert.ok(fake.lines.includes('openocd: error: no device found'));
  });
});
