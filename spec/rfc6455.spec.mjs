// Opcodes (RFC 6455 §5.2, §11.8) and their names.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { Opcode, frameTypeName } from '../dist/index.js';
import { noThrow } from './_util.mjs';

const test = suite('opcode');

test('Opcode holds the RFC 6455 §5.2 values, frozen', () => {
  assert.equal({ ...Opcode }, { Continuation: 0, Text: 1, Binary: 2, Close: 8, Ping: 9, Pong: 10 });
  assert.ok(Object.isFrozen(Opcode));
});

test('frameTypeName for every 4-bit opcode', () => {
  const expected = ['continuation', 'text', 'binary', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown',
    'close', 'ping', 'pong', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown'];
  for (let op = 0; op <= 15; op++) assert.is(frameTypeName(op), expected[op], `opcode ${op}`);
  for (const [name, value] of Object.entries(Opcode)) assert.is(frameTypeName(value), name.toLowerCase());
});

test("frameTypeName is 'unknown' for anything else, never throwing", () => {
  for (const op of [-1, 16, 17, 0x81, 255, 1.5, 8.5, -0.5, NaN, Infinity, -Infinity, '1', '', null, undefined, {}, [1], true, 1n, Symbol('x'), Object.create(null)]) {
    assert.is(noThrow(() => frameTypeName(op), String(typeof op)), 'unknown', String(typeof op));
  }
  assert.is(frameTypeName(-0), 'continuation', '-0 is the integer 0');
});

test.run();
