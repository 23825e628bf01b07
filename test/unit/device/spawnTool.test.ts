import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { installHint, runTool, startTool, ToolError } from '../../../client/src/device/spawnTool';
import { openocd } from '../../../client/src/device/flash/openocd';
import { picotool } from '../../../client/src/device/flash/picotool';
import { alive, FakeTools } from './fakeTools';

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('spawnTool', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('spawns nothing in an untrusted workspace', async () => {
    let asked = 0;
    const ctx = fake.context('arduino-nano-33-ble-sense', 'a.elf', {}, { isTrusted: () => (asked++, false) });
    await assert.rejects(openocd.run(ctx), (e: ToolError) => e.kind === 'untrusted' && /not trusted/.test(e.message));
    assert.equal(asked, 1);
    assert.equal(fake.invocations().length, 0);
  });

  it('explains a missing tool with its install hint', async () => {
    const ctx = fake.context('raspberry-pi-pico', 'a.uf2', {}, { env: fake.emptyPathEnv() });
    await assert.rejects(picotool.run(ctx), (e: ToolError) => {
      assert.equal(e.kind, 'missing');
      assert.match(e.message, /'picotool' was not found/);
      assert.match(e.hint ?? '', /apt install picotool/);
      return true;
    });
    assert.match(installHint('/opt/x/esptool.py'), /pip install esptool/);
    assert.match(installHint('openocd.exe'), /openocd/i);
    assert.match(installHint('frobnicate'), /Install 'frobnicate'/);
  });

  it('passes arguments verbatim, without a shell', async () => {
    const args = ['compile', '--fqbn', 'a:b:c', '$(touch /tmp/x) ; echo "quoted" `id` *'];
    await runTool({ command: 'arduino-cli', args, env: fake.env() }, { isTrusted: () => true, onLine: () => undefined });
    assert.deepEqual(fake.invocations()[0].argv, args);
  });

  it('cancellation kills the tool and its children', async () => {
    const controller = new AbortController();
    const lines: string[] = [];
    const run = runTool({ command: 'openocd', args: [], env: fake.env('hang') }, { isTrusted: () => true, onLine: (l) => lines.push(l), signal: controller.signal });
    await until(() => lines.includes('openocd: working...'));
    await until(() => readFileSync(fake.pidFile, 'utf8').includes(' '));
    const [pid, childPid] = readFileSync(fake.pidFile, 'utf8').split(' ').map(Number);
    assert.ok(alive(pid) && alive(childPid));
    controller.abort();
    await assert.rejects(run, (e: ToolError) => e.kind === 'cancelled');
    await until(() => !alive(pid) && !alive(childPid));
  });

  it('an already aborted signal starts nothing', () => {
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => startTool({ command: 'openocd', args: [], env: fake.env() }, { isTrusted: () => true, onLine: () => undefined, signal: controller.signal }), (e: ToolError) => e.kind === 'cancelled');
    assert.equal(fake.invocations().length, 0);
  });

  it('splits output on \\n, \\r\\n and \\r and strips ANSI colours', async () => {
    const lines: string[] = [];
    await runTool(
      { command: process.execPath, args: ['-e', 'process.stdout.write("a\\r\\nb\\rc\\n\\u001b[32mgreen\\u001b[0m\\ntail")'] },
      { isTrusted: () => true, onLine: (l) => lines.push(l) },
    );
    assert.deepEqual(lines, ['a', 'b', 'c', 'green', 'tail']);
  });
});
