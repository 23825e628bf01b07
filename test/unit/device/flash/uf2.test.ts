import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findDrives } from '../../../../client/src/device/flash/massStorage';
import { uf2 } from '../../../../client/src/device/flash/uf2';
import { binToUf2, parseUf2 } from '../../../../client/src/device/flash/uf2Format';
import { ToolError } from '../../../../client/src/device/spawnTool';
import { FakeTools } from '../fakeTools';

describe('flash/uf2 (copy to a bootloader drive)', () => {
  let root: string;
  let fake: FakeTools;
  const mount = (rel: string, files: Record<string, string>) => {
    const dir = join(root, rel);
    mkdirSync(dir, { recursive: true });
    for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, f), t);
    return dir;
  };
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tinyml-media-'));
    fake = new FakeTools();
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    fake.dispose();
  });

  it('finds INFO_UF2.TXT drives one or two levels down and reads their info', () => {
    mount('media/alice/RPI-RP2', { 'INFO_UF2.TXT': 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n', 'INDEX.HTM': '' });
    mount('Volumes/RP2350', { 'INFO_UF2.TXT': 'UF2 Bootloader v1.0\nModel: Raspberry Pi RP2350\nBoard-ID: RP2350\n' });
    mount('media/alice/USBSTICK', { 'notes.txt': '' });
    const drives = findDrives(['INFO_UF2.TXT'], [join(root, 'media'), join(root, 'run/media'), join(root, 'Volumes')]);
    assert.deepEqual(drives.map((d) => [d.label, d.info['Board-ID']]), [
      ['RPI-RP2', 'RPI-RP2'],
      ['RP2350', 'RP2350'],
    ]);
  });

  it('converts a .bin with the board family and copies it to the matching drive, with progress', async () => {
    const pico = mount('media/alice/RPI-RP2', { 'INFO_UF2.TXT': 'UF2 Bootloader v3.0\nModel: Raspberry Pi RP2\nBoard-ID: RPI-RP2\n' });
    mount('media/alice/RP2350', { 'INFO_UF2.TXT': 'UF2 Bootloader v1.0\nModel: Raspberry Pi RP2350\nBoard-ID: RP2350\n' });
    const bin = new Uint8Array(70000).map((_, i) => (i * 7) & 0xff);
    const artifact = join(root, 'blink.bin');
    writeFileSync(artifact, bin);
    const r = await uf2.run(fake.context('raspberry-pi-pico', artifact, { mountRoots: [join(root, 'media')] }));
    assert.equal(r.copiedTo, join(pico, 'blink.uf2'));
    const written = new Uint8Array(readFileSync(r.copiedTo!));
    assert.deepEqual(written, binToUf2(bin, 0x10000000, 0xe48bff56));
    assert.equal(parseUf2(written).length, 274);
    // 140288 bytes in 64 KiB pieces.
    assert.deepEqual(fake.fractions(), [0, 0.467, 0.934, 1, 1]);

    // The Pico 2 picks the RP2350 drive and family.
    writeFileSync(artifact, bin.subarray(0, 256));
    const r2 = await uf2.run(fake.context('raspberry-pi-pico-2', artifact, { mountRoots: [join(root, 'media')] }));
    assert.match(r2.copiedTo!, /RP2350/);
    assert.equal(parseUf2(new Uint8Array(readFileSync(r2.copiedTo!)))[0].familyOrSize, 0xe48bff59);
  });

  it('copies a .uf2 unchanged, explains a missing drive, and does nothing untrusted', async () => {
    const drive = mount('run/media/bob/XIAO-SENSE', { 'INFO_UF2.TXT': 'UF2 Bootloader 0.6.2\nModel: Seeed XIAO nRF52840 Sense\nBoard-ID: nRF52840-XIAO-Sense\n' });
    const artifact = join(root, 'app.uf2');
    const bytes = binToUf2(new Uint8Array(10).fill(1), 0x27000, 0xada52840);
    writeFileSync(artifact, bytes);
    const opts = { mountRoots: [join(root, 'run/media')] };
    await assert.rejects(uf2.run(fake.context('seeed-xiao-nrf52840-sense', artifact, opts, { isTrusted: () => false })), (e: ToolError) => e.kind === 'untrusted');
    const r = await uf2.run(fake.context('seeed-xiao-nrf52840-sense', artifact, opts));
    assert.equal(r.copiedTo, join(drive, 'app.uf2'));
    assert.deepEqual(new Uint8Array(readFileSync(r.copiedTo!)), bytes);
    await assert.rejects(uf2.run(fake.context('raspberry-pi-pico', artifact, { mountRoots: [join(root, 'nothing')] })), (e: ToolError) => e.kind === 'invalid' && /No UF2 bootloader drive/.test(e.message));
  });
});
