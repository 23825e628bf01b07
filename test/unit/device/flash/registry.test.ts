import assert from 'node:assert/strict';
import { allFlashMethods, flashMethodsFor, getFlashMethod } from '../../../../client/src/device/flash/registry';
import { listBoards } from '../../../../server/src/analysis/boards';
import { board } from '../fakeTools';

describe('flash/registry', () => {
  it('has one method per implemented id and keeps the board order', () => {
    assert.deepEqual(allFlashMethods().map((m) => m.id), ['arduino-cli', 'esptool', 'openocd', 'pyocd', 'picotool', 'uf2', 'mbed-copy', 'qemu']);
    const nucleo = flashMethodsFor(board('nucleo-l4r5zi'));
    assert.deepEqual(nucleo.available.map((m) => m.id), ['openocd', 'pyocd', 'mbed-copy', 'arduino-cli']);
    assert.deepEqual(nucleo.unsupported, ['stm32cubeprog']);
    assert.equal(getFlashMethod('qemu')?.id, 'qemu');
    assert.equal(getFlashMethod('nrfjprog'), undefined);
  });

  it('every board can describe each of its available methods', () => {
    for (const b of listBoards()) {
      for (const m of flashMethodsFor(b).available) {
        if (m.id === 'openocd' && b.id === 'nrf5340-dk') continue; // needs configured -f files
        assert.ok(m.describe(b, {}).length > 0, `${b.id} ${m.id}`);
      }
      for (const id of flashMethodsFor(b).unsupported) assert.ok(id === 'stm32cubeprog' || id === 'nrfjprog', `${b.id} ${id}`);
    }
  });
});
