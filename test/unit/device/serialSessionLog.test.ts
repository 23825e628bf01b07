// SerialSession over a socat pty pair: what the on-disk log and the listeners get at the edges of
// a session. Typed lines are logged in order with received ones; bytes a port still delivers after
// the session let go of it (serialport's thread-pool read that was in flight at the close) are
// never framed into lines, so the tail of a cut-off line cannot pass for a whole line.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SerialPort } from 'serialport';
import { parseLogRecord, type LogRecord } from '../../../client/src/device/serialLog';
import { SerialSession, type SerialLine } from '../../../client/src/device/serialSession';
import { hasSocat, PtyPair } from '../../integration/serial/socat';

function openDevice(path: string): Promise<SerialPort> {
  return new Promise((resolve, reject) => {
    const p = new SerialPort({ path, baudRate: 115200 }, (err) => (err ? reject(err) : resolve(p)));
  });
}

function write(p: SerialPort, data: string): Promise<void> {
  return new Promise((resolve, reject) => p.write(data, (err) => (err ? reject(err) : p.drain((e) => (e ? reject(e) : resolve())))));
}

/** Resolves with what `device` received once it holds `text`. */
function deviceReceives(device: SerialPort, text: string): Promise<string> {
  let got = '';
  return new Promise((resolve) => {
    device.on('data', function seen(chunk: Buffer) {
      got += chunk.toString('latin1');
      if (!got.includes(text)) return;
      device.off('data', seen);
      resolve(got);
    });
  });
}

function records(file: string): LogRecord[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => {
      const r = parseLogRecord(l);
      assert.ok(r, `unparseable log line: ${l}`);
      return r;
    });
}

/** The port the session reads, to play the late delivery of a read that was in flight. */
function portOf(session: SerialSession): SerialPort {
  const port = (session as unknown as { port?: SerialPort }).port;
  assert.ok(port);
  return port;
}

(hasSocat() ? describe : describe.skip)('SerialSession: the log and the edges of a session (socat)', function () {
  let pair: PtyPair;
  let session: SerialSession;
  let device: SerialPort | undefined;
  let received: SerialLine[];

  beforeEach(async () => {
    pair = new PtyPair();
    await pair.start();
    received = [];
  });
  afterEach(async () => {
    if (device?.isOpen) await new Promise((r) => device!.close(r));
    device = undefined;
    await session.close();
    await pair.dispose();
  });

  async function start(options: Partial<ConstructorParameters<typeof SerialSession>[0]> = {}): Promise<void> {
    session = new SerialSession({ path: pair.a, baudRate: 115200, logFile: join(pair.dir, 'monitor.log'), batchMs: 10, ...options });
    session.on('lines', (b) => received.push(...b.lines));
    await session.open();
    device = await openDevice(pair.b);
  }

  /** Resolves once the listeners got a line with `text`. */
  function line(text: string): Promise<void> {
    return new Promise((resolve) => {
      if (received.some((l) => l.text === text)) return resolve();
      session.on('lines', function seen(b) {
        if (!b.lines.some((l) => l.text === text)) return;
        session.off('lines', seen);
        resolve();
      });
    });
  }

  it('logs what the user sent (S) with a timestamp, in order with what was received', async () => {
    await start();
    const before = Date.now();
    const asked = deviceReceives(device!, 'status?\n');
    await session.send('status?', 'lf');
    assert.equal(await asked, 'status?\n');
    await write(device!, 'ok 42\r\n');
    await line('ok 42');
    const reset = deviceReceives(device!, 'reset\r\n');
    await session.send('reset', 'crlf');
    assert.equal(await reset, 'reset\r\n');
    await session.close();

    const log = records(session.logFile);
    assert.deepEqual(
      log.map((r) => `${r.kind} ${r.text}`),
      [`E open ${pair.a} at 115200 baud`, 'S status?', 'L ok 42', 'S reset', 'E closed'],
    );
    for (let i = 1; i < log.length; i++) assert.ok(log[i].time >= log[i - 1].time, 'records in time order');
    assert.ok(log[1].time >= before && log[1].time <= Date.now());
    // The monitor shows sent lines itself; the session hands listeners only what it received.
    assert.deepEqual(received.map((l) => l.text), ['ok 42']);
  });

  it('a send that cannot go out is not logged as sent', async () => {
    await start();
    await session.close();
    await assert.rejects(session.send('lost?', 'lf'), /cannot send/);
    assert.ok(!records(session.logFile).some((r) => r.kind === 'S'));
  });

  it('bytes the port delivers after close are not framed: the tail of the cut-off line is no line', async () => {
    await start();
    await write(device!, 'x:0.1257,sin:0.1253,y:0.1161\r\n{"step":2,"x":0.1257,"xq":-123,"yq"');
    await line('x:0.1257,sin:0.1253,y:0.1161');
    const port = portOf(session);
    let emittedAfterClose = 0;
    session.on('closed', () => session.on('lines', () => emittedAfterClose++));
    await session.close();
    // What the read in flight at the close delivers afterwards: the rest of the line, then more.
    port.emit('data', Buffer.from(':19,"y":0.1161}\r\nx:0.1885,sin:0.1874,y:0.1741\r\n'));
    session.flushBatch();

    assert.equal(emittedAfterClose, 0);
    assert.deepEqual(
      received.map((l) => `${l.kind}:${l.text}`),
      ['line:x:0.1257,sin:0.1253,y:0.1161', 'partial:{"step":2,"x":0.1257,"xq":-123,"yq"'],
    );
    assert.deepEqual(
      records(session.logFile).map((r) => r.kind),
      ['E', 'L', 'P', 'E'],
    );
  });

  it('after a drop, late bytes of the old port are logged as partial, never glued to the reconnected port', async () => {
    await start({ reconnect: { initialDelayMs: 20, maxDelayMs: 100 } });
    await write(device!, 'before\r\nx:3.6');
    await line('before');
    const old = portOf(session);
    const dropped = new Promise((r) => session.once('disconnected', r));
    await new Promise((r) => device!.close(r));
    await pair.stop(); // unplug
    await dropped;
    old.emit('data', Buffer.from('442,sin:-0.4818'));
    const reopened = new Promise((r) => session.once('open', r));
    await pair.start(); // replug under the same names
    await reopened;
    device = await openDevice(pair.b);
    await write(device, 'x:0.0000,sin:0.0000,y:0.0580\r\n');
    await line('x:0.0000,sin:0.0000,y:0.0580');
    await session.close();

    assert.deepEqual(
      received.map((l) => `${l.kind}:${l.text}`),
      ['line:before', 'partial:x:3.6', 'line:x:0.0000,sin:0.0000,y:0.0580'],
    );
    assert.deepEqual(
      records(session.logFile)
        .filter((r) => r.kind !== 'E')
        .map((r) => `${r.kind}:${r.text}`),
      ['L:before', 'P:x:3.6', 'P:442,sin:-0.4818', 'L:x:0.0000,sin:0.0000,y:0.0580'],
    );
  });
});
