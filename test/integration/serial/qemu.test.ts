// The qemu flash method for real: a tiny bare-metal ELF built here with arm-none-eabi-gcc
// prints over the MPS2 CMSDK UART; QEMU starts halted, its pty is opened with serialport
// through a SerialSession, and only then is the CPU resumed. Needs Debian's qemu-system-arm,
// and gcc-arm-none-eabi.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { qemu } from '../../../client/src/device/flash/qemu';
import type { FlashContext, FlashResult } from '../../../client/src/device/flash/types';
import { SerialSession, type SerialLine } from '../../../client/src/device/serialSession';
import { ToolError } from '../../../client/src/device/spawnTool';
import { findBoard } from '../../../server/src/analysis/boards';

const MAIN_C = String.raw`
#include <stdint.h>
#define UART0_BASE 0x40004000u
#define UART(off) (*(volatile uint32_t *)(UART0_BASE + (off)))
extern uint32_t _estack;
void Reset_Handler(void);
static void Default_Handler(void) { for (;;) {} }
__attribute__((section(".isr_vector"), used)) void (*const vectors[16])(void) = {
  (void (*)(void))&_estack, Reset_Handler, Default_Handler, Default_Handler, Default_Handler, Default_Handler,
  Default_Handler, 0, 0, 0, 0, Default_Handler, Default_Handler, 0, Default_Handler, Default_Handler,
};
static void put(char c) { while (UART(0x04) & 1u) {} UART(0x00) = (uint32_t)c; }
static void puts_(const char *s) { while (*s) put(*s++); }
void Reset_Handler(void) {
  UART(0x10) = 25000000u / 115200u; /* BAUDDIV */
  UART(0x08) = 3u;                  /* CTRL: TX and RX enabled */
  puts_("tinyml-lens: hello from mps2-an386\r\n");
  for (int i = 0; i < 3; i++) { puts_("tick "); put((char)('0' + i)); put('\n'); }
  for (;;) {}
}
`;

const LINK_LD = `
MEMORY { FLASH (rx) : ORIGIN = 0x00000000, LENGTH = 4M
         RAM (rwx)  : ORIGIN = 0x20000000, LENGTH = 4M }
_estack = ORIGIN(RAM) + LENGTH(RAM);
SECTIONS {
  .isr_vector : { KEEP(*(.isr_vector)) } > FLASH
  .text : { *(.text*) *(.rodata*) } > FLASH
}
`;

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((d) => existsSync(join(d, tool)));
}

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const ready = onPath('qemu-system-arm') && onPath('arm-none-eabi-gcc');
if (!ready) console.warn('qemu.test: qemu-system-arm or arm-none-eabi-gcc missing (apt install qemu-system-arm gcc-arm-none-eabi): skipped');

(ready ? describe : describe.skip)('flash/qemu with a real QEMU and a real ELF', function () {
  const dir = mkdtempSync(join(tmpdir(), 'tinyml-qemu-'));
  const elf = join(dir, 'fw.elf');
  const board = findBoard('qemu-mps2-an386')!;
  const results: FlashResult[] = [];
  let lines: string[];
  let progress: [number, string][];

  const context = (extra: Partial<FlashContext> = {}): FlashContext => ({
    board,
    artifact: elf,
    options: {},
    isTrusted: () => true,
    onLine: (l) => lines.push(l),
    onProgress: (f, label) => progress.push([f, label]),
    signal: new AbortController().signal,
    ...extra,
  });

  before(() => {
    writeFileSync(join(dir, 'main.c'), MAIN_C);
    writeFileSync(join(dir, 'link.ld'), LINK_LD);
    execFileSync('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-O2', '-ffreestanding', '-nostdlib', '-T', join(dir, 'link.ld'), join(dir, 'main.c'), '-o', elf], { stdio: 'pipe' });
  });
  beforeEach(() => {
    lines = [];
    progress = [];
  });
  afterEach(async () => {
    for (const r of results.splice(0)) await r.emulator?.stop();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('starts QEMU halted, hands back its pty, and the firmware prints once resumed', async () => {
    const result = await qemu.run(context());
    results.push(result);
    assert.match(result.port ?? '', /^\/dev\/pts\/\d+$/);
    assert.ok(lines.some((l) => l.includes(`char device redirected to ${result.port}`)));
    assert.deepEqual(progress.map(([f]) => f), [0, 1]);

    const received: SerialLine[] = [];
    const session = new SerialSession({ path: result.port!, baudRate: 115200, logFile: join(dir, 'monitor.log') });
    session.on('lines', (b) => received.push(...b.lines));
    await session.open();
    // Nothing before `cont`: the CPU is halted (-S).
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(received.length, 0);
    await result.emulator!.resume();
    await until(() => received.length >= 4, 10000, 'four lines from the firmware');
    await session.close();
    assert.deepEqual(received.map((l) => l.text), ['tinyml-lens: hello from mps2-an386', 'tick 0', 'tick 1', 'tick 2']);

    await result.emulator!.stop();
    assert.equal(await result.emulator!.exited, 0);
  });

  it('describes the exact command line', () => {
    assert.equal(qemu.describe(board, {}), "qemu-system-arm -M mps2-an386 -nographic -monitor stdio -serial pty -S -kernel '<firmware.elf>'");
  });

  it('cancelling the signal stops the emulator', async () => {
    const controller = new AbortController();
    const result = await qemu.run(context({ signal: controller.signal }));
    controller.abort();
    assert.equal(await result.emulator!.exited, null);
  });

  it('QEMU failing at start is reported with its own message; a missing ELF or QEMU is explained', async () => {
    await assert.rejects(qemu.run(context({ options: { machine: 'no-such-machine' } })), (e: ToolError) => e.kind === 'failed' && /exited/.test(e.message));
    assert.ok(lines.some((l) => /unsupported machine type/.test(l)), lines.join('\n'));
    await assert.rejects(qemu.run(context({ artifact: join(dir, 'nope.elf') })), (e: ToolError) => e.kind === 'invalid' && /does not exist/.test(e.message));
    await assert.rejects(qemu.run(context({ env: { ...process.env, PATH: join(dir, 'empty') } })), (e: ToolError) => e.kind === 'missing' && /apt install qemu-system-arm/.test(e.hint ?? ''));
  });

  it('nothing is spawned untrusted', async () => {
    await assert.rejects(qemu.run(context({ isTrusted: () => false })), (e: ToolError) => e.kind === 'untrusted');
    assert.equal(lines.length, 0);
  });
});
