import assert from 'node:assert/strict';
import { listPorts, PortWatcher, type PortEntry, type PortInfo } from '../../../client/src/device/ports';

const info = (path: string, vendorId?: string, productId?: string): PortInfo => ({ path, vendorId, productId, manufacturer: vendorId ? 'Arduino' : undefined, serialNumber: vendorId ? 'ABC123' : undefined, pnpId: undefined, locationId: undefined });

describe('ports', () => {
  it('matches USB ids to boards (ids as serialport reports them: hex without 0x)', async () => {
    const r = await listPorts(async () => [info('/dev/ttyUSB0', '10C4', 'EA60'), info('/dev/ttyACM0', '2341', '805a'), info('/dev/ttyS0')]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.ports.map((p) => p.path), ['/dev/ttyACM0', '/dev/ttyS0', '/dev/ttyUSB0']);
    assert.deepEqual(r.ports[0], { path: '/dev/ttyACM0', vendorId: '0x2341', productId: '0x805a', manufacturer: 'Arduino', serialNumber: 'ABC123', boards: [{ id: 'arduino-nano-33-ble-sense', name: 'Arduino Nano 33 BLE Sense' }] });
    assert.deepEqual(r.ports[1].boards, []);
    // The CP2102 bridge is on several ESP32 boards.
    assert.ok(r.ports[2].boards.length >= 3 && r.ports[2].boards.some((b) => b.id === 'esp32-devkitc'));
  });

  it('returns no ports and a reason when udev is missing', async () => {
    const r = await listPorts(async () => {
      throw new Error('spawn udevadm ENOENT');
    });
    assert.deepEqual(r.ports, []);
    assert.match(r.error ?? '', /udev is not available.*Type the port path by hand/);
  });

  it('the real listing never throws', async () => {
    const r = await listPorts();
    assert.ok(Array.isArray(r.ports));
    if (r.ports.length === 0 && process.platform === 'linux') assert.ok(r.error === undefined || /udev|could not be listed/.test(r.error));
  });

  it('watchPorts reports added and removed ports, and keeps them while listing fails', async () => {
    let current: PortInfo[] = [info('/dev/ttyACM0', '2341', '805a')];
    let fail = false;
    const w = new PortWatcher(1000, async () => {
      if (fail) throw new Error('spawn udevadm ENOENT');
      return current;
    });
    const events: string[] = [];
    w.on('added', (p: PortEntry) => events.push(`+${p.path}`));
    w.on('removed', (p: PortEntry) => events.push(`-${p.path}`));
    w.on('error', (e) => events.push(e ? 'error' : 'ok'));
    await w.poll();
    current = [info('/dev/ttyUSB0', '10c4', 'ea60')];
    await w.poll();
    fail = true;
    await w.poll();
    await w.poll();
    fail = false;
    current = [];
    await w.poll();
    assert.deepEqual(events, ['+/dev/ttyACM0', '-/dev/ttyACM0', '+/dev/ttyUSB0', 'error', 'ok', '-/dev/ttyUSB0']);
    assert.deepEqual(w.current(), []);
  });

  it('watchPorts polls on its interval until stopped', async () => {
    let calls = 0;
    const w = new PortWatcher(20, async () => (calls++, [])).start();
    await new Promise((r) => setTimeout(r, 110));
    w.stop();
    const seen = calls;
    await new Promise((r) => setTimeout(r, 60));
    assert.ok(seen >= 3, `${seen} polls`);
    assert.equal(calls, seen);
  });
});
