import assert from 'node:assert/strict';
import { arduinoCli, uploadProgress } from '../../../../client/src/device/flash/arduinoCli';
import { ToolError } from '../../../../client/src/device/spawnTool';
import { board, FakeTools } from '../fakeTools';
import { feed } from './toolMethods.shared';

describe('flash/arduinoCli', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('compiles by FQBN, then uploads to the port, with the exact argument vectors', async () => {
    const result = await arduinoCli.run(fake.context('arduino-nano-33-ble-sense', '/work/sketch', {}, { port: '/dev/ttyACM0' }));
    assert.deepEqual(fake.invocations().map((i) => i.argv), [
      ['compile', '--fqbn', 'arduino:mbed_nano:nano33ble', '/work/sketch'],
      ['upload', '-p', '/dev/ttyACM0', '--fqbn', 'arduino:mbed_nano:nano33ble', '/work/sketch'],
    ]);
    // Compile is the first 40 %; bossac's pages 7, 14, 21 of 21 map onto the rest.
    assert.deepEqual(fake.fractions(), [0, 0.4, 0.4, 0.6, 0.8, 1, 1]);
    assert.deepEqual(fake.progress.map(([, l]) => l), ['compiling', 'compiled', 'uploading', 'writing page 7/21', 'writing page 14/21', 'writing page 21/21', 'done']);
    assert.ok(fake.lines.some((l) => l.startsWith('Sketch uses 84360 bytes')));
    assert.equal(result.port, '/dev/ttyACM0');
  });

  it('uploads only with skipCompile, and honours an FQBN override', async () => {
    await arduinoCli.run(fake.context('raspberry-pi-pico', 'sk', { skipCompile: true, fqbn: 'rp2040:rp2040:rpipicow' }, { port: '/dev/ttyACM1' }));
    assert.deepEqual(fake.invocations().map((i) => i.argv), [['upload', '-p', '/dev/ttyACM1', '--fqbn', 'rp2040:rp2040:rpipicow', 'sk']]);
  });

  it('recognises the progress lines of bossac, avrdude (piped), esptool and picotool', () => {
    const p = uploadProgress();
    assert.deepEqual(
      feed(p, [
        ['[=====                         ] 19% (4/21 pages)'],
        ['Writing | #########################', true],
        ['Writing | ################################################## | 100% 0.52s'],
        ['Writing at 0x00020000... (40 %)'],
        ['Loading into Flash: [====================          ]  66%'],
        ['Sketch uses 84360 bytes (8%) of program storage space. Maximum is 983040 bytes.'],
      ]),
      [0.19, 0.5, 1, 0.4, 0.66],
    );
  });

  it('refuses a board without an FQBN and an upload without a port, spawning nothing', async () => {
    await assert.rejects(arduinoCli.run(fake.context('microbit-v2', 'sk', {}, { port: '/dev/ttyACM0' })), (e: ToolError) => e.kind === 'invalid');
    await assert.rejects(arduinoCli.run(fake.context('arduino-nano-33-ble-sense', 'sk')), (e: ToolError) => e.kind === 'invalid' && /port/.test(e.message));
    assert.equal(fake.invocations().length, 0);
  });

  it('describes both steps', () => {
    assert.equal(
      arduinoCli.describe(board('arduino-nano-33-ble-sense'), {}),
      "arduino-cli compile --fqbn arduino:mbed_nano:nano33ble '<sketch>' && arduino-cli upload -p '<port>' --fqbn arduino:mbed_nano:nano33ble '<sketch>'",
    );
  });
});
