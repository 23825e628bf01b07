import assert from 'node:assert/strict';
import { chipForBoard, esptool, esptoolArgs, esptoolProgress } from '../../../../client/src/device/flash/esptool';
import { ToolError } from '../../../../client/src/device/spawnTool';
import { board, FakeTools } from '../fakeTools';
import { assertProgress, feed } from './toolMethods.shared';

describe('flash/esptool', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('derives the chip from the board', () => {
    assert.equal(chipForBoard(board('esp32-devkitc')), 'esp32');
    assert.equal(chipForBoard(board('esp32-s3-devkitc-1')), 'esp32s3');
    assert.equal(chipForBoard(board('esp32-c3-devkitm-1')), 'esp32c3');
    assert.equal(chipForBoard(board('raspberry-pi-pico')), undefined);
    assert.throws(() => esptoolArgs(board('raspberry-pi-pico'), 'a.bin', '/dev/ttyUSB0', {}), ToolError);
  });

  it('parses "Writing at 0x... (NN %)" (v4) and the v5 bar, across several images', () => {
    assert.deepEqual(
      feed(esptoolProgress(2), [
        ['Compressed 315392 bytes to 168034...'],
        ['Writing at 0x00001000... (50 %)'],
        ['Writing at 0x00001000... (100 %)'],
        ['Wrote 315392 bytes (168034 compressed) at 0x00001000 in 3.1 seconds (effective 813.7 kbit/s)...'],
        ['Writing at 0x00010000 [=======>                      ]  25.0% 40960/163840 bytes...'],
        ['Hash of data verified.'],
      ]),
      [0.25, 0.5, 0.5, 0.625],
    );
  });

  it('runs `esptool.py --chip esp32 --port <p> --baud 921600 write_flash 0x10000 app.bin` and reports its progress', async () => {
    const ctx = fake.context('esp32-devkitc', '/fw/app.bin', {}, { port: '/dev/ttyUSB0' });
    const result = await esptool.run(ctx);
    assert.deepEqual(fake.invocations().map((i) => [i.tool, i.argv]), [
      ['esptool.py', ['--chip', 'esp32', '--port', '/dev/ttyUSB0', '--baud', '921600', 'write_flash', '0x10000', '/fw/app.bin']],
    ]);
    assert.deepEqual(fake.fractions(), [0, 0.25, 0.5, 0.75, 1, 1]);
    assert.ok(fake.lines.includes('Hard resetting via RTS pin...'));
    assert.equal(result.port, '/dev/ttyUSB0');
  });

  it('writes bootloader, partition table and app in one call', async () => {
    const images = [
      { offset: '0x1000', file: 'bootloader.bin' },
      { offset: '0x8000', file: 'partitions.bin' },
      { offset: '0x10000', file: 'app.bin' },
    ];
    await esptool.run(fake.context('esp32-devkitc', 'app.bin', { images, baud: 460800 }, { port: '/dev/ttyUSB1' }));
    assert.deepEqual(fake.invocations()[0].argv, ['--chip', 'esp32', '--port', '/dev/ttyUSB1', '--baud', '460800', 'write_flash', '0x1000', 'bootloader.bin', '0x8000', 'partitions.bin', '0x10000', 'app.bin']);
    assertProgress(fake.progress.map(([f]) => f), [0, 0.083, 0.167, 0.25, 0.333, 0.417, 0.5, 0.583, 0.667, 0.75, 0.833, 0.917, 1], 12);
  });

  it('needs a port', async () => {
    await assert.rejects(esptool.run(fake.context('esp32-devkitc', 'app.bin')), (e: ToolError) => e.kind === 'invalid');
    assert.equal(fake.invocations().length, 0);
  });

  it('describes its command line', () => {
    assert.equal(esptool.describe(board('esp32-s3-devkitc-1'), {}), 'esptool.py --chip esp32s3 --port \'<port>\' --baud 921600 write_flash 0x10000 \'<app.bin>\'');
  });
});
