import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mbedCopy } from '../../../../client/src/device/flash/mbedCopy';
import { ToolError } from '../../../../client/src/device/spawnTool';
import { FakeTools } from '../fakeTools';

describe('flash/mbedCopy (DAPLink / ST-LINK drive)', () => {
  let root: string;
  let fake: FakeTools;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tinyml-media-'));
    fake = new FakeTools();
    for (const [name, file] of [
      ['NOD_L4R5ZI', 'MBED.HTM'],
      ['NOD_H743ZI', 'MBED.HTM'],
      ['MICROBIT', 'DETAILS.TXT'],
    ]) {
      mkdirSync(join(root, 'media', 'u', name), { recursive: true });
      writeFileSync(join(root, 'media', 'u', name, file), file === 'DETAILS.TXT' ? '# DAPLink Firmware - see https://daplink.io\nUnique ID: 9904360251974e45\nHIC ID: 97969908\n' : '<!-- mbed -->');
    }
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    fake.dispose();
  });

  it('copies the .bin to the drive named after the board', async () => {
    const artifact = join(root, 'fw.bin');
    writeFileSync(artifact, Buffer.alloc(1000, 0xab));
    const r = await mbedCopy.run(fake.context('nucleo-l4r5zi', artifact, { mountRoots: [join(root, 'media')] }));
    assert.equal(r.copiedTo, join(root, 'media', 'u', 'NOD_L4R5ZI', 'fw.bin'));
    assert.deepEqual(readFileSync(r.copiedTo!), Buffer.alloc(1000, 0xab));
    const r2 = await mbedCopy.run(fake.context('microbit-v2', artifact, { mountRoots: [join(root, 'media')] }));
    assert.match(r2.copiedTo!, /MICROBIT/);
    assert.equal(fake.progress.at(-1)![0], 1);
  });

  it('reports a FAIL.TXT the probe wrote, and refuses an ELF', async () => {
    const artifact = join(root, 'fw.hex');
    writeFileSync(artifact, ':00000001FF\n');
    writeFileSync(join(root, 'media', 'u', 'NOD_H743ZI', 'FAIL.TXT'), 'The interface firmware FAILED to reset/halt the target MCU\n');
    await assert.rejects(mbedCopy.run(fake.context('nucleo-h743zi2', artifact, { mountRoots: [join(root, 'media')], settleMs: 20 })), (e: ToolError) => e.kind === 'failed' && /FAILED to reset/.test(e.message));
    await assert.rejects(mbedCopy.run(fake.context('nucleo-h743zi2', join(root, 'fw.elf'), { mountRoots: [join(root, 'media')] })), (e: ToolError) => e.kind === 'invalid');
  });
});
