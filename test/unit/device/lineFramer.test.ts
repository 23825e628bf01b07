import assert from 'node:assert/strict';
import { encodeLine, hexDump, LineFramer, parseHexBytes } from '../../../client/src/device/lineFramer';

describe('lineFramer', () => {
  it('frames \\n, \\r\\n and lone \\r, also when the terminator is split across chunks', () => {
    const f = new LineFramer();
    const out: string[] = [];
    for (const c of ['one\r', '\ntwo\n', 'thr', 'ee\rfour\r', '\r\n', 'five']) out.push(...f.push(Buffer.from(c)));
    // "four\r" then "\r\n": the second \r ends an empty line, its \n belongs to it.
    assert.deepEqual(out, ['one', 'two', 'three', 'four', '']);
    assert.equal(f.partial, 'five');
    assert.equal(f.flush(), 'five');
    assert.equal(f.flush(), undefined);
  });

  it('keeps a UTF-8 character split between chunks', () => {
    const f = new LineFramer();
    const bytes = Buffer.from('µs=3\n', 'utf8');
    assert.deepEqual([...f.push(bytes.subarray(0, 1)), ...f.push(bytes.subarray(1))], ['µs=3']);
  });

  it('encodes each line ending', () => {
    assert.deepEqual(encodeLine('AT', 'none'), Buffer.from('AT'));
    assert.deepEqual(encodeLine('AT', 'lf'), Buffer.from('AT\n'));
    assert.deepEqual(encodeLine('AT', 'cr'), Buffer.from('AT\r'));
    assert.deepEqual(encodeLine('AT', 'crlf'), Buffer.from('AT\r\n'));
  });

  it('parses hex to send and dumps received bytes', () => {
    assert.deepEqual(parseHexBytes('0x48, 65 6c6C'), Buffer.from('Hell'));
    assert.throws(() => parseHexBytes('4'), /hex bytes/);
    assert.deepEqual(hexDump(Buffer.from('Hello\n'), 0x20), ['00000020  48 65 6c 6c 6f 0a                                 |Hello.|']);
  });
});
