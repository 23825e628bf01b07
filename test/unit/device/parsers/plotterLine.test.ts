import assert from 'node:assert/strict';
import { parseJsonSample, parseNumber, parsePlotterLine, PlotterParser } from '../../../../client/src/device/parsers/plotterLine';

describe('plotter line parsing', () => {
  it('reads space, tab and comma separated values, named by position as Arduino does', () => {
    assert.deepEqual(parsePlotterLine('1 2.5 -3'), { names: ['value 1', 'value 2', 'value 3'], values: [1, 2.5, -3] });
    assert.deepEqual(parsePlotterLine('1\t2\t3\r'), { names: ['value 1', 'value 2', 'value 3'], values: [1, 2, 3] });
    assert.deepEqual(parsePlotterLine('4,5,6'), { names: ['value 1', 'value 2', 'value 3'], values: [4, 5, 6] });
    assert.deepEqual(parsePlotterLine('1e3, .5 ,+7'), { names: ['value 1', 'value 2', 'value 3'], values: [1000, 0.5, 7] });
  });

  it('reads label:value pairs (the example firmware line) and label: value with a space', () => {
    assert.deepEqual(parsePlotterLine('x:0.0628,sin:0.0628,y:0.0580'), { names: ['x', 'sin', 'y'], values: [0.0628, 0.0628, 0.058] });
    assert.deepEqual(parsePlotterLine('temp: 21.5 hum: 40'), { names: ['temp', 'hum'], values: [21.5, 40] });
    assert.deepEqual(parsePlotterLine('a=1 b=-2'), { names: ['a', 'b'], values: [1, -2] });
    // Mixed: unlabelled values keep their position's name.
    assert.deepEqual(parsePlotterLine('a:1 7'), { names: ['a', 'value 2'], values: [1, 7] });
  });

  it('reads JSON objects: numbers, booleans, nested objects and arrays', () => {
    assert.deepEqual(parsePlotterLine('{"step":1,"x":0.0628,"xq":-125,"yq":12,"y":0.0580}'), { names: ['step', 'x', 'xq', 'yq', 'y'], values: [1, 0.0628, -125, 12, 0.058] });
    assert.deepEqual(parseJsonSample('{"acc":{"x":1,"y":2},"ok":true,"v":[3,4],"s":"text"}'), { names: ['acc.x', 'acc.y', 'ok', 'v[0]', 'v[1]'], values: [1, 2, 1, 3, 4] });
    assert.equal(parseJsonSample('{"model":"hello"}'), undefined);
    assert.equal(parseJsonSample('{broken'), undefined);
  });

  it('ignores text lines and empty lines', () => {
    assert.equal(parsePlotterLine('Booting...'), undefined);
    assert.equal(parsePlotterLine('x: high'), undefined);
    assert.equal(parsePlotterLine(''), undefined);
    assert.equal(parsePlotterLine('   '), undefined);
  });

  it('names later values from a header line of names', () => {
    const p = new PlotterParser();
    assert.equal(p.parse('temp humidity'), undefined);
    assert.deepEqual(p.parse('21.5 40'), { names: ['temp', 'humidity'], values: [21.5, 40] });
    assert.deepEqual(p.parse('21.5 40 3'), { names: ['temp', 'humidity', 'value 3'], values: [21.5, 40, 3] });
  });

  it('reads nan and inf as printf prints them', () => {
    assert.ok(Number.isNaN(parseNumber('nan')));
    assert.equal(parseNumber('-inf'), -Infinity);
    assert.equal(parseNumber('1.2.3'), undefined);
  });
});
