import assert from 'node:assert/strict';
import boardData from '../../../server/data/boards.json';
import { activePowerMw, boardsByUsbId, findBoard, listBoards, validateBoard } from '../../../server/src/analysis/boards';

describe('boards', () => {
  it('every board entry is valid', () => {
    for (const b of (boardData as { boards: unknown[] }).boards) {
      assert.deepEqual(validateBoard(b), [], JSON.stringify((b as { id?: string }).id));
    }
  });

  it('ids are unique and kebab-case', () => {
    const ids = listBoards().map((b) => b.id);
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(ids.length, (boardData as { boards: unknown[] }).boards.length);
    for (const id of ids) assert.match(id, /^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it('has the boards the budget and the docs refer to', () => {
    for (const id of [
      'arduino-nano-33-ble-sense', 'raspberry-pi-pico', 'raspberry-pi-pico-2', 'esp32-devkitc', 'esp32-s3-devkitc-1',
      'esp32-c3-devkitm-1', 'nucleo-l4r5zi', 'nucleo-h743zi2', 'nucleo-h7a3zi-q', 'stm32f746g-disco', 'nucleo-u575zi-q',
      'sparkfun-edge', 'microbit-v2', 'seeed-xiao-nrf52840-sense', 'arduino-portenta-h7-m7', 'nrf5340-dk',
      'arm-corstone-300-an552', 'qemu-mps2-an385', 'qemu-mps2-an386', 'qemu-mps2-an500',
    ]) {
      assert.ok(findBoard(id), id);
    }
    assert.equal(findBoard('no-such-board'), undefined);
  });

  it('matches hand-checked datasheet facts', () => {
    // RP2040: 264 KB on-chip SRAM; Pico: 2 MB QSPI flash.
    assert.equal(findBoard('raspberry-pi-pico')?.ramBytes, 264 * 1024);
    assert.equal(findBoard('raspberry-pi-pico')?.core, 'cortex-m0+');
    // nRF52840: 256 KB RAM, 1 MB flash, 64 MHz Cortex-M4F.
    const nano = findBoard('arduino-nano-33-ble-sense');
    assert.equal(nano?.ramBytes, 256 * 1024);
    assert.equal(nano?.flashBytes, 1024 * 1024);
    assert.equal(nano?.clockMhz, 64);
    // STM32L4R5ZI: 120 MHz, 640 KB SRAM, 2 MB flash (also the MLPerf Tiny v0.5 system description).
    const l4 = findBoard('nucleo-l4r5zi');
    assert.deepEqual([l4?.clockMhz, l4?.ramBytes, l4?.flashBytes], [120, 640 * 1024, 2 * 1024 * 1024]);
    // RP2350 / Pico 2: 150 MHz, 520 KB SRAM, 4 MB flash.
    const pico2 = findBoard('raspberry-pi-pico-2');
    assert.deepEqual([pico2?.clockMhz, pico2?.ramBytes, pico2?.flashBytes], [150, 520 * 1024, 4 * 1024 * 1024]);
    // QEMU MPS2 boards: SYSCLK 25 MHz, 4 MB ZBT SSRAM for data (hw/arm/mps2.c).
    for (const [id, core] of [['qemu-mps2-an385', 'cortex-m3'], ['qemu-mps2-an386', 'cortex-m4'], ['qemu-mps2-an500', 'cortex-m7']]) {
      const b = findBoard(id);
      assert.equal(b?.core, core);
      assert.equal(b?.clockMhz, 25);
      assert.equal(b?.ramBytes, 4 * 1024 * 1024);
      assert.deepEqual(b?.flashMethods, ['qemu']);
    }
  });

  it('finds boards by USB id, in any case and as numbers', () => {
    assert.deepEqual(boardsByUsbId('0x2341', '0x805A').map((b) => b.id), ['arduino-nano-33-ble-sense']);
    assert.deepEqual(boardsByUsbId(0x2341, 0x025b).map((b) => b.id), ['arduino-portenta-h7-m7']);
    assert.ok(boardsByUsbId('10c4', 'ea60').length >= 2, 'CP210x bridges are shared by several ESP32 kits');
    assert.deepEqual(boardsByUsbId('0xffff', '0xffff'), []);
  });

  it('reports active power from mW or mA/MHz', () => {
    const nano = findBoard('arduino-nano-33-ble-sense');
    assert.ok(nano);
    assert.ok(Math.abs((activePowerMw(nano) ?? 0) - 0.052 * 64 * 3.0) < 1e-9);
    const qemu = findBoard('qemu-mps2-an386');
    assert.ok(qemu);
    assert.equal(activePowerMw(qemu), undefined);
  });

  it('rejects malformed entries', () => {
    const good = findBoard('nucleo-l4r5zi');
    assert.ok(good);
    assert.ok(validateBoard({ ...good, id: 'Bad_Id' }).some((e) => e.includes('kebab')));
    assert.ok(validateBoard({ ...good, core: 'cortex-m99' }).some((e) => e.includes('core')));
    assert.ok(validateBoard({ ...good, usb: [{ vid: '2341', pid: '0x805a', description: '' }] }).some((e) => e.includes('vid')));
    assert.ok(validateBoard({ ...good, flashMethods: ['jtag-magic'] }).some((e) => e.includes('flash method')));
    assert.ok(validateBoard({ ...good, sources: [] }).some((e) => e.includes('sources')));
  });
});
