import assert from 'node:assert/strict';
import { picotool, picotoolProgress } from '../../../../client/src/device/flash/picotool';
import { FakeTools } from '../fakeTools';
import { feed } from './toolMethods.shared';

describe('flash/picotool', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('runs `picotool load -x <file>` and follows its \\r-redrawn bar', async () => {
    await picotool.run(fake.context('raspberry-pi-pico', '/fw/blink.uf2'));
    assert.deepEqual(fake.invocations()[0].argv, ['load', '-x', '/fw/blink.uf2']);
    assert.deepEqual(fake.fractions(), [0, 0.297, 0.594, 0.9, 1]);
    assert.ok(fake.lines.includes('The device was asked to reboot into application code.'));
  });

  it('maps loading to 90 % and verifying to the rest', () => {
    assert.deepEqual(
      feed(picotoolProgress(), [
        ['Loading into Flash: [===============               ]  50%'],
        ['Verifying Flash:    [==============================]  100%'],
        ['Family ID: rp2040'],
      ]),
      [0.45, 1],
    );
  });
});
