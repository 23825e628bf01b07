import assert from 'node:assert/strict';
import { findBoard, listBoards } from '../../../server/src/analysis/boards';
import { boardPicks, boardSettingTarget, boardStatusText, detectBoards, shortName } from '../../../client/src/boardChoice';

const boards = listBoards();

describe('board pre-selection from USB ids', () => {
  it('an ST-LINK/V2-1 (0483:374B, upper case as macOS reports it) matches both boards that carry it, in list order', () => {
    const detected = detectBoards(boards, [{ path: '/dev/ttyACM0', vendorId: '0483', productId: '374B' }]);
    assert.deepEqual(detected.map((d) => [d.board.id, d.port]), [
      ['nucleo-l4r5zi', '/dev/ttyACM0'],
      ['stm32f746g-disco', '/dev/ttyACM0'],
    ]);
  });

  it('detected boards come first and the first is pre-selected; the rest keep their order', () => {
    const picks = boardPicks(boards, [{ path: '/dev/ttyACM1', vendorId: '2341', productId: '805a' }, { path: '/dev/ttyS0' }], 'nucleo-l4r5zi');
    assert.deepEqual(picks.detected.map((p) => p.id), ['arduino-nano-33-ble-sense']);
    assert.equal(picks.active, 'arduino-nano-33-ble-sense');
    assert.equal(picks.others.length, boards.length - 1);
    assert.ok(!picks.others.some((p) => p.id === 'arduino-nano-33-ble-sense'));
    assert.deepEqual(picks.others.slice(0, 2).map((p) => p.id), ['raspberry-pi-pico', 'raspberry-pi-pico-2']);
    assert.equal(picks.detected[0].detail, `${findBoard('arduino-nano-33-ble-sense')!.mcu} · detected on /dev/ttyACM1`);
    assert.equal(picks.others.find((p) => p.id === 'nucleo-l4r5zi')?.current, true);
  });

  it('without a matching port (no udev, pseudo-terminals only) the current board is pre-selected', () => {
    const picks = boardPicks(boards, [{ path: '/dev/pts/3' }], 'nucleo-h743zi2');
    assert.deepEqual(picks.detected, []);
    assert.equal(picks.active, 'nucleo-h743zi2');
    assert.equal(boardPicks(boards, [], 'no-such-board').active, undefined);
  });

  it('a CP210x bridge (10c4:ea60) is shared by three ESP32 boards, and 0x-prefixed ids match too', () => {
    assert.deepEqual(detectBoards(boards, [{ path: 'COM3', vendorId: '0x10C4', productId: '0xEA60' }]).map((d) => d.board.id), [
      'esp32-devkitc',
      'esp32-s3-devkitc-1',
      'esp32-c3-devkitm-1',
    ]);
  });

  it('quick pick entries: name, core @ MHz with RAM and flash, MCU', () => {
    const pick = boardPicks(boards, [], undefined).others.find((p) => p.id === 'nucleo-l4r5zi');
    assert.deepEqual(pick, {
      id: 'nucleo-l4r5zi',
      label: 'STM32 NUCLEO-L4R5ZI',
      description: 'cortex-m4 @ 120 MHz · 640.0 KiB RAM · 2.00 MiB flash',
      detail: findBoard('nucleo-l4r5zi')!.mcu,
      current: false,
    });
  });
});

describe('board setting and status bar', () => {
  it('stores per folder only in a multi-root workspace', () => {
    assert.equal(boardSettingTarget(0, false), 'global');
    assert.equal(boardSettingTarget(1, true), 'workspace');
    assert.equal(boardSettingTarget(2, true), 'workspaceFolder');
    assert.equal(boardSettingTarget(2, false), 'workspace');
  });

  it('shows a short board name, or a warning for an unknown id', () => {
    assert.equal(boardStatusText(findBoard('nucleo-l4r5zi'), 'nucleo-l4r5zi'), '$(circuit-board) NUCLEO-L4R5ZI');
    assert.equal(shortName(findBoard('esp32-devkitc')!), 'ESP32-DevKitC');
    assert.equal(boardStatusText(undefined, 'my-board'), '$(warning) my-board');
  });
});
