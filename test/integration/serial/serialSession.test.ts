// SerialSession over socat pseudo-terminal pairs: framing, 921600 baud floods, line endings,
// hex mode, unplug/replug with a complete log, DTR on a pty.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { SerialSession, type SerialLine } from '../../../client/src/device/serialSession';
import { parseLogRecord, type LogRecord } from '../../../client/src/device/serialLog';
import { openPort } from '../../../client/src/device/ports';
import { hasSocat, PtyPair } from './socat';

const BAUD = 921600;

function open(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: BAUD }, (err) => (err ? reject(err) : resolve(p)));
  });
}
function write(p: SerialPort, data: string | Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    p.write(data, (err) => (err ? reject(err) : p.drain((e) => (e ? reject(e) : resolve()))));
  });
}
function closePort(p: SerialPort): Promise<void> {
  return new Promise((resolve) => (p.isOpen ? p.close(() => resolve()) : resolve()));
}
async function until(cond: () => boolean, ms = 10000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
function logRecords(file: string): LogRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const r = parseLogRecord(l);
      assert.ok(r, `unparseable log line: ${l}`);
      return r;
    });
}

(hasSocat() ? describe : describe.skip)('SerialSession over socat pseudo-terminals', function () {
  let pair: PtyPair;
  let session: SerialSession | undefined;
  let device: SerialPort | undefined;
  let received: SerialLine[];
  let batches: number;

  beforeEach(async () => {
    pair = new PtyPair();
    await pair.start();
    received = [];
    batches = 0;
  });
  afterEach(async () => {
    if (device) await closePort(device);
    device = undefined;
    await session?.close();
    session = undefined;
    await pair.dispose();
  });

  async function start(extra: Partial<ConstructorParameters<typeof SerialSession>[0]> = {}): Promise<SerialSession> {
    session = new SerialSession({ path: pair.a, baudRate: BAUD, logFile: join(pair.dir, 'monitor.log'), ...extra });
    session.on('lines', (b) => {
      batches++;
      received.push(...b.lines);
    });
    await session.open();
    device = await open(pair.b);
    return session;
  }

  it('frames lines split across chunks with \\n, \\r\\n and a lone \\r', async () => {
    const s = await start();
    for (const piece of ['alp', 'ha\r', '\nbe', 'ta\n', 'gam', 'ma\rdel', 'ta\r\n', 'eps']) {
      await write(device!, piece);
      await new Promise((r) => setTimeout(r, 15));
    }
    await until(() => received.length >= 4, 5000, '4 lines');
    await s.close();
    assert.deepEqual(received.map((l) => [l.text, l.kind]), [
      ['alpha', 'line'],
      ['beta', 'line'],
      ['gamma', 'line'],
      ['delta', 'line'],
      ['eps', 'partial'],
    ]);
    assert.ok(received.every((l) => Math.abs(l.time - Date.now()) < 10000), 'timestamps are wall-clock ms');
  });

  function floodPayload(n: number): string {
    let payload = '';
    for (let i = 0; i < n; i++) payload += `${i} ${'x'.repeat(i % 37)} ${(i * 2654435761) >>> 0}\n`;
    return payload;
  }
  const sha = (text: string) => createHash('sha256').update(text).digest('hex');

  it('receives thousands of lines per second at 921600 baud without losing one (count and checksum)', async function () {
    const s = await start();
    const N = 10000;
    const payload = floodPayload(N);
    // A pty ignores the baud rate, so pace the writer at the wire rate of 921600 8N1
    // (92160 bytes/s): about 2700 of these lines a second, as a real board would send them.
    const bytesPerSecond = BAUD / 10;
    const t0 = Date.now();
    for (let off = 0; off < payload.length; off += 2048) {
      await write(device!, payload.slice(off, off + 2048));
      const due = t0 + ((off + 2048) / bytesPerSecond) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    await until(() => received.length >= N, 30000, `${N} lines`);
    const seconds = (Date.now() - t0) / 1000;
    assert.equal(received.length, N);
    assert.equal(sha(received.map((l) => l.text + '\n').join('')), sha(payload));
    assert.ok(N / seconds > 2000, `rate ${Math.round(N / seconds)} lines/s`);
    // Batched every ~50 ms: far fewer deliveries than lines.
    assert.ok(batches < N / 20, `${batches} batches for ${N} lines`);
    await s.close();
    const logged = logRecords(s.logFile).filter((r) => r.kind === 'L');
    assert.equal(logged.length, N, 'the log on disk has every line');
    assert.equal(sha(logged.map((r) => r.text + '\n').join('')), sha(payload));
  });

  it('an unpaced burst (700 KB as fast as the pty goes) is complete on disk and counted for the UI', async function () {
    const s = await start();
    let dropped = 0;
    s.on('lines', (b) => (dropped += b.dropped));
    const N = 20000;
    const payload = floodPayload(N);
    for (let off = 0; off < payload.length; off += 4096) await write(device!, payload.slice(off, off + 4096));
    await until(() => received.length + dropped >= N, 30000, `${N} lines seen or counted`);
    assert.equal(received.length + dropped, N);
    assert.equal(received.at(-1)!.text, payload.slice(payload.lastIndexOf('\n', payload.length - 2) + 1, -1), 'the newest line is shown');
    await s.close();
    const logged = logRecords(s.logFile).filter((r) => r.kind === 'L');
    assert.equal(logged.length, N);
    assert.equal(sha(logged.map((r) => r.text + '\n').join('')), sha(payload));
  });

  it('bounds a batch for the UI but keeps every line in the log', async () => {
    const s = await start({ maxBatchLines: 100, batchMs: 200 });
    let dropped = 0;
    s.on('lines', (b) => (dropped += b.dropped));
    let payload = '';
    for (let i = 0; i < 1000; i++) payload += `line ${i}\n`;
    await write(device!, payload);
    await until(() => received.length + dropped >= 1000, 10000, '1000 lines seen or counted');
    assert.ok(dropped > 0, 'some lines were left out of the UI batches');
    assert.equal(received.at(-1)!.text, 'line 999', 'the newest lines are kept');
    await s.close();
    assert.equal(logRecords(s.logFile).filter((r) => r.kind === 'L').length, 1000);
  });

  it('sends with each line ending', async () => {
    const s = await start();
    const chunks: Buffer[] = [];
    device!.on('data', (c: Buffer) => chunks.push(c));
    await s.send('a', 'none');
    await s.send('b', 'lf');
    await s.send('c', 'cr');
    await s.send('d', 'crlf');
    await until(() => Buffer.concat(chunks).length >= 8, 5000, '8 bytes');
    assert.deepEqual(Buffer.concat(chunks), Buffer.from('ab\nc\rd\r\n'));
  });

  it('shows binary data as a hex dump in hex mode', async () => {
    const s = await start({ mode: 'hex' });
    const bytes = Buffer.from([0x00, 0x01, 0x7f, 0x80, 0xff, 0x48, 0x69, 0x0a, 0x0d, 0x20, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x00]);
    await write(device!, bytes);
    await until(() => received.length >= 2, 5000, 'two hex rows');
    assert.deepEqual(received.map((l) => l.kind), ['hex', 'hex']);
    assert.equal(received[0].text, '00000000  00 01 7f 80 ff 48 69 0a  0d 20 41 42 43 44 45 46  |.....Hi.. ABCDEF|');
    assert.equal(received[1].text, '00000010  47 00                                             |G.|');
    await s.close();
  });

  it('reports an unplug, reconnects when the port returns, and the log has every line', async () => {
    const s = await start({ reconnect: { initialDelayMs: 50, maxDelayMs: 400 } });
    const events: string[] = [];
    s.on('disconnected', (e) => events.push(`disconnected: ${e.reason}`));
    s.on('open', (e) => events.push(e.reconnected ? 'reconnected' : 'open'));
    await write(device!, 'before 1\nbefore 2\ncut off');
    await until(() => received.length >= 2, 5000, 'lines before unplug');
    await closePort(device!);
    device = undefined;
    await pair.stop(); // unplug
    await until(() => events.some((e) => e.startsWith('disconnected')), 5000, 'disconnected');
    assert.equal(s.state, 'reconnecting');
    await assert.rejects(s.send('x', 'lf'), /disconnected/);
    await new Promise((r) => setTimeout(r, 300));
    await pair.start(); // replug under the same names
    await until(() => events.includes('reconnected'), 10000, 'reconnected');
    device = await open(pair.b);
    await write(device, 'after 1\nafter 2\n');
    await until(() => received.some((l) => l.text === 'after 2'), 5000, 'lines after replug');
    await s.close();
    assert.deepEqual(
      received.map((l) => `${l.kind}:${l.text}`),
      ['line:before 1', 'line:before 2', 'partial:cut off', 'line:after 1', 'line:after 2'],
    );
    const log = logRecords(s.logFile);
    assert.deepEqual(
      log.filter((r) => r.kind !== 'E').map((r) => `${r.kind}:${r.text}`),
      ['L:before 1', 'L:before 2', 'P:cut off', 'L:after 1', 'L:after 2'],
    );
    const ev = log.filter((r) => r.kind === 'E').map((r) => r.text);
    assert.ok(ev.some((t) => t.startsWith('disconnected:')), ev.join(' | '));
    assert.ok(ev.some((t) => t.startsWith('reconnected')), ev.join(' | '));
    // Records are in time order.
    for (let i = 1; i < log.length; i++) assert.ok(log[i].time >= log[i - 1].time);
  });

  it('toggling DTR on a pty does not throw: it becomes a warning', async () => {
    const { port, warnings } = await openPort({ path: pair.a, baudRate: 115200, resetOnOpen: 'dtr' });
    assert.equal(port.isOpen, true);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /DTR\/RTS could not be set/);
    await closePort(port);
    const s = await start({ dtr: false, rts: false });
    assert.equal(s.state, 'open');
  });

  it('fails to open a path that does not exist (no silent retries)', async () => {
    const s = new SerialSession({ path: join(pair.dir, 'nope'), baudRate: BAUD, logFile: join(pair.dir, 'x.log') });
    await assert.rejects(s.open(), /No such file|ENOENT|cannot open/i);
    assert.equal(s.state, 'closed');
  });
});
