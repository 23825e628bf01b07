import assert from 'node:assert/strict';
import { evaluate, integerLiteral } from '../../../../server/src/analysis/firmware/constEval';
import { scan } from '../../../../server/src/analysis/firmware/scanner';

const constants: Record<string, number> = { kA: 3, kB: 4 };
const ctx = { constant: (n: string) => constants[n], sizeOf: (n: string) => (n === 'buf' ? 640 : undefined) };
const value = (expr: string) => evaluate(scan(expr).tokens, ctx);

describe('firmware constant expressions', () => {
  it('evaluates the forms firmware writes arena sizes in', () => {
    assert.equal(value('136 * 1024'), 139_264);
    assert.equal(value('(1 << 10)'), 1024);
    assert.equal(value('kA + kB'), 7);
    assert.equal(value('(kA + kB) * 1024'), 7168);
    assert.equal(value('sizeof(buf) / 2'), 320);
    assert.equal(value('sizeof buf'), 640);
    assert.equal(value('60000UL'), 60_000);
    assert.equal(value('0x6000u'), 24_576);
    assert.equal(value("100'000"), 100_000);
    assert.equal(value('(size_t)(2 * 1024)'), 2048);
    assert.equal(value('static_cast<size_t>(kA) * 8'), 24);
    assert.equal(value('10 - 2 - 3'), 5); // left-associative
    assert.equal(value('2 + 3 * 4'), 14); // precedence
  });

  it('returns undefined for anything unknown', () => {
    assert.equal(value('kUnknown * 2'), undefined);
    assert.equal(value('sizeof(other)'), undefined);
    assert.equal(value('1 / 0'), undefined);
    assert.equal(value('foo(3)'), undefined);
  });

  it('reads integer literals with suffixes and bases', () => {
    assert.equal(integerLiteral('0b1010'), 10);
    assert.equal(integerLiteral('017'), 15);
    assert.equal(integerLiteral('42ull'), 42);
    assert.equal(integerLiteral('1.5'), undefined);
  });
});
