import assert from 'node:assert/strict';
import { numericField, parseDeviceResult } from '../../../../client/src/device/parsers/resultLine';

describe('device result lines', () => {
  it('reads `result: label=score ...`', () => {
    assert.deepEqual(parseDeviceResult('result: yes=0.91 no=0.05'), { kind: 'scores', scores: [{ label: 'yes', value: 0.91 }, { label: 'no', value: 0.05 }] });
    assert.deepEqual(parseDeviceResult('Result: silence:0.1, unknown:0.2'), { kind: 'scores', scores: [{ label: 'silence', value: 0.1 }, { label: 'unknown', value: 0.2 }] });
  });

  it('reads a class index or label', () => {
    assert.deepEqual(parseDeviceResult('result: 3'), { kind: 'class', index: 3 });
    assert.deepEqual(parseDeviceResult('prediction: yes'), { kind: 'class', label: 'yes' });
  });

  it('reads JSON lines as fields', () => {
    const r = parseDeviceResult('{"step":1,"x":0.0628,"xq":-125,"yq":12,"y":0.0580}');
    assert.deepEqual(r, { kind: 'json', fields: { step: 1, x: 0.0628, xq: -125, yq: 12, y: 0.058 } });
    assert.deepEqual(numericField((r as { fields: Record<string, unknown> }).fields, 'yq'), [12]);
    assert.deepEqual(numericField({ scores: [1, 2] }, 'scores'), [1, 2]);
    assert.equal(numericField({ s: 'a' }, 's'), undefined);
  });

  it('ignores other lines', () => {
    assert.equal(parseDeviceResult('x:0.0628,sin:0.0628,y:0.0580'), undefined);
    assert.equal(parseDeviceResult('result:'), undefined);
    assert.equal(parseDeviceResult('result: yes=high'), undefined);
    assert.equal(parseDeviceResult('{not json'), undefined);
  });
});
