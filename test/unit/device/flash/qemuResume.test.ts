// The qemu method's `resume()` against a stand-in for qemu-system-arm that prints what QEMU prints
// at start, echoes monitor commands as QEMU's monitor does and records when each one arrived.
// The contract: `cont` only once QEMU's once-a-second pty poll has seen the monitor (before that
// QEMU drops guest output the pty cannot take), and never to a QEMU that was stopped meanwhile.

import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { qemu } from '../../../../client/src/device/flash/qemu';
import { QEMU_PTY_POLL_MS } from '../../../../client/src/device/flash/qemuPty';
import type { FlashContext } from '../../../../client/src/device/flash/types';
import { board } from '../fakeTools';

const FAKE_QEMU = `#!/usr/bin/env node
const { appendFileSync } = require('node:fs');
console.log("QEMU 7.2.22 monitor - type 'help' for more information");
console.log('char device redirected to /dev/pts/77 (label serial0)');
let rest = '';
process.stdin.on('data', (chunk) => {
  rest += chunk;
  for (let i = rest.indexOf('\\n'); i >= 0; i = rest.indexOf('\\n')) {
    const command = rest.slice(0, i);
    rest = rest.slice(i + 1);
    appendFileSync(process.env.FAKE_QEMU_LOG, JSON.stringify({ command, at: Date.now() }) + '\\n');
    console.log('(qemu) ' + command);
    if (command === 'quit') process.exit(0);
  }
});
`;

describe('flash/qemu: resume', () => {
  let dir: string;
  let lines: string[];
  const commands = () =>
    readFileSync(join(dir, 'monitor.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l)
      .map((l) => JSON.parse(l) as { command: string; at: number });
  const output = new EventEmitter<{ line: [string] }>();
  /** Resolves when the monitor echoed `command`: it has been read. */
  const echoed = (command: string) =>
    new Promise<void>((resolve) => {
      if (lines.includes(`(qemu) ${command}`)) return resolve();
      output.on('line', function seen(l) {
        if (l !== `(qemu) ${command}`) return;
        output.off('line', seen);
        resolve();
      });
    });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tinyml-qemu-'));
    lines = [];
    writeFileSync(join(dir, 'qemu-system-arm'), FAKE_QEMU);
    chmodSync(join(dir, 'qemu-system-arm'), 0o755);
    writeFileSync(join(dir, 'firmware.elf'), 'ELF');
    writeFileSync(join(dir, 'monitor.jsonl'), '');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function context(): FlashContext {
    return {
      board: board('qemu-mps2-an386'),
      artifact: join(dir, 'firmware.elf'),
      options: { toolPath: join(dir, 'qemu-system-arm') },
      isTrusted: () => true,
      onLine: (l) => {
        lines.push(l);
        output.emit('line', l);
      },
      onProgress: () => undefined,
      signal: new AbortController().signal,
      env: { ...process.env, FAKE_QEMU_LOG: join(dir, 'monitor.jsonl') },
    };
  }

  it('sends `cont` once, a whole pty poll period after the monitor opened', async () => {
    const result = await qemu.run(context());
    assert.equal(result.port, '/dev/pts/77');
    const openedAt = Date.now();
    const first = result.emulator!.resume();
    const second = result.emulator!.resume();
    await Promise.all([first, second]);
    await echoed('cont');
    await result.emulator!.stop();
    assert.equal(await result.emulator!.exited, 0);
    const sent = commands();
    assert.deepEqual(
      sent.map((c) => c.command),
      ['cont', 'quit'],
    );
    assert.ok(sent[0].at - openedAt >= QEMU_PTY_POLL_MS, `cont ${sent[0].at - openedAt} ms after the open`);
  });

  it('counts the poll period from when the monitor opened, not from the call', async () => {
    const result = await qemu.run(context());
    const openedAt = Date.now() - QEMU_PTY_POLL_MS;
    await result.emulator!.resume(performance.now() - QEMU_PTY_POLL_MS);
    await echoed('cont');
    await result.emulator!.stop();
    const [cont] = commands();
    assert.equal(cont.command, 'cont');
    assert.ok(cont.at - openedAt >= QEMU_PTY_POLL_MS, `cont ${cont.at - openedAt} ms after the open`);
    assert.ok(cont.at - openedAt < 2 * QEMU_PTY_POLL_MS, 'no second poll period waited');
  });

  it('a QEMU stopped while resume() waits never gets `cont`', async () => {
    const result = await qemu.run(context());
    const resumed = result.emulator!.resume();
    await result.emulator!.stop();
    await resumed;
    assert.equal(await result.emulator!.exited, 0);
    assert.deepEqual(
      commands().map((c) => c.command),
      ['quit'],
    );
  });
});
