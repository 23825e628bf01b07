import assert from 'node:assert/strict';
import { buildArgv, runBuild } from '../../../client/src/device/build';
import { ToolError } from '../../../client/src/device/spawnTool';
import { board, FakeTools } from './fakeTools';

describe('build', () => {
  let fake: FakeTools;
  beforeEach(() => (fake = new FakeTools()));
  afterEach(() => fake.dispose());

  it('compiles with arduino-cli by FQBN and reads the size summary', async () => {
    const lines: string[] = [];
    const r = await runBuild({ board: board('arduino-nano-33-ble-sense'), sketchDir: '/w/sketch', env: fake.env(), isTrusted: () => true, onLine: (l) => lines.push(l), signal: new AbortController().signal });
    assert.deepEqual(fake.invocations()[0].argv, ['compile', '--fqbn', 'arduino:mbed_nano:nano33ble', '/w/sketch']);
    assert.deepEqual(r, { argv: ['arduino-cli', 'compile', '--fqbn', 'arduino:mbed_nano:nano33ble', '/w/sketch'], flashUsed: 84360, flashMax: 983040, ramUsed: 44704, ramMax: 262144 });
    assert.ok(lines.length >= 2);
  });

  it('runs a configured argv as is', async () => {
    const lines: string[] = [];
    const r = await runBuild({ board: board('qemu-mps2-an386'), command: [process.execPath, '-e', 'console.log(process.argv.slice(1).join("|"))', 'a b', '"c"'], isTrusted: () => true, onLine: (l) => lines.push(l), signal: new AbortController().signal });
    assert.deepEqual(lines, ['a b|"c"']);
    assert.equal(r.flashUsed, undefined);
  });

  it('needs a command or an FQBN and a sketch; nothing runs untrusted', async () => {
    assert.throws(() => buildArgv({ board: board('qemu-mps2-an386'), sketchDir: 's' }), ToolError);
    assert.throws(() => buildArgv({ board: board('arduino-nano-33-ble-sense') }), ToolError);
    await assert.rejects(runBuild({ board: board('arduino-nano-33-ble-sense'), sketchDir: 's', env: fake.env(), isTrusted: () => false, onLine: () => undefined, signal: new AbortController().signal }), (e: ToolError) => e.kind === 'untrusted');
    assert.equal(fake.invocations().length, 0);
  });
});
