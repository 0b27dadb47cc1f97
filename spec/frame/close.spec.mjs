// Close codes and Close payloads (RFC 6455 §5.5.1, §7.1.5, §7.4).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { ProtocolError, closeCodeReason, isValidCloseCode, parseClosePayload } from '../../dist/index.js';
import { atOffset, concat, expectThrow, hex, noThrow, utf8 } from '../_util.mjs';

const test = suite('close');

// RFC 6455 §7.4.1 / §7.4.2: what a Close frame may carry.
const sendable = (c) => (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014) || (c >= 3000 && c <= 4999);

test('isValidCloseCode for every integer 0..5100 follows RFC 6455 §7.4', () => {
  for (let c = 0; c <= 5100; c++) assert.is(isValidCloseCode(c), sendable(c), `code ${c}`);
  for (const c of [-1, -1000, 65535, 65536, 1e9]) assert.is(isValidCloseCode(c), false, `code ${c}`);
});

test('isValidCloseCode is false for non-integers and non-numbers, never throwing', () => {
  for (const c of [1000.5, NaN, Infinity, -Infinity, '1000', null, undefined, {}, [1000], 1000n, Symbol('x'), Object.create(null)]) {
    assert.is(noThrow(() => isValidCloseCode(c), String(typeof c)), false, String(typeof c));
  }
});

// RFC 6455 §7.4.1 and the IANA registry (§11.7), as the issue lists them.
const NAMES = {
  1000: 'Normal Closure', 1001: 'Going Away', 1002: 'Protocol Error', 1003: 'Unsupported Data',
  1005: 'No Status Received', 1006: 'Abnormal Closure', 1007: 'Invalid Frame Payload Data', 1008: 'Policy Violation',
  1009: 'Message Too Big', 1010: 'Mandatory Extension', 1011: 'Internal Server Error', 1012: 'Service Restart',
  1013: 'Try Again Later', 1014: 'Bad Gateway', 1015: 'TLS Handshake',
};

test('closeCodeReason names every code of RFC 6455 §7.4.1 / IANA', () => {
  for (const [code, name] of Object.entries(NAMES)) assert.is(closeCodeReason(Number(code)), name, code);
  assert.match(closeCodeReason(1004), /reserved/i);
});

test('closeCodeReason describes the ranges of RFC 6455 §7.4.2, with the code', () => {
  const ranges = [
    [[0, 1, 500, 999], /unused|not used|reserved|invalid/i],
    [[1016, 1500, 2000, 2999], /reserved/i],
    [[3000, 3001, 3500, 3999], /registered|iana|librar/i],
    [[4000, 4001, 4500, 4999], /private/i],
    [[5000, 9999, 65535, -1], /unknown|invalid|out of range/i],
  ];
  const byRange = [];
  for (const [codes, pattern] of ranges) {
    const words = new Set();
    for (const c of codes) {
      const s = closeCodeReason(c);
      assert.type(s, 'string');
      assert.match(s, pattern, `code ${c}: ${s}`);
      assert.ok(s.includes(String(c)), `code ${c}: the text names the code: ${s}`);
      assert.not.ok(Object.values(NAMES).includes(s), `code ${c} is not given a defined name`);
      words.add(s.replace(String(c), ''));
    }
    byRange.push([...words].join('|'));
  }
  assert.is(new Set(byRange).size, byRange.length, 'each range reads differently');
});

test('closeCodeReason never throws, whatever the input', () => {
  const garbage = [NaN, Infinity, -Infinity, 1000.5, -0, 1e300, '1000', '', null, undefined, {}, [], [1000], true, 1000n, Symbol('x'),
    () => 1, Object.create(null), { toString() { throw new Error('boom'); } }, { valueOf() { throw new Error('boom'); } },
    new Proxy({}, { get() { throw new Error('trap'); } })];
  for (const g of garbage) {
    const s = noThrow(() => closeCodeReason(g), `closeCodeReason(${typeof g})`);
    assert.type(s, 'string');
    assert.ok(s.length > 0);
  }
  assert.is.not(closeCodeReason('1000'), 'Normal Closure', 'a string is not a close code');
});

test('parseClosePayload: RFC 6455 §7.1.5, an empty payload is 1005 with no reason', () => {
  assert.equal(parseClosePayload(new Uint8Array(0)), { code: 1005, reason: '' });
});

test('parseClosePayload: a code, and a code with a UTF-8 reason', () => {
  assert.equal(parseClosePayload(hex('03 e8')), { code: 1000, reason: '' });
  assert.equal(parseClosePayload(hex('03 e8 62 79 65')), { code: 1000, reason: 'bye' });
  const reason = 'é€😀 done';
  assert.equal(parseClosePayload(concat(hex('0f a0'), utf8(reason))), { code: 4000, reason });
  // U+FEFF at the start is content, not a byte-order mark.
  assert.equal(parseClosePayload(concat(hex('03 e9'), utf8('\ufeffx'))), { code: 1001, reason: '\ufeffx' });
  // A 123-byte reason (the largest a Close frame can carry) and any byteOffset.
  const long = 'é'.repeat(61) + 'a';
  assert.equal(parseClosePayload(atOffset(concat(hex('0b b8'), utf8(long)), 3)), { code: 3000, reason: long });
});

test('parseClosePayload: every sendable code 0..5100 passes, every other is 1002', () => {
  for (let c = 0; c <= 5100; c++) {
    const payload = new Uint8Array([c >> 8, c & 255]);
    if (sendable(c)) assert.is(parseClosePayload(payload).code, c, `code ${c}`);
    else expectThrow(() => parseClosePayload(payload), ProtocolError, { closeCode: 1002, rule: 'invalid-close-code' }, `code ${c}`);
  }
  for (const c of [0xffff, 0x8000, 5000]) expectThrow(() => parseClosePayload(new Uint8Array([c >> 8, c & 255, 0x61])), ProtocolError, { closeCode: 1002, rule: 'invalid-close-code' }, `code ${c}`);
});

test('parseClosePayload: RFC 6455 §5.5.1, a 1-byte payload is 1002', () => {
  for (const b of [0x00, 0x03, 0xe8, 0xff]) expectThrow(() => parseClosePayload(new Uint8Array([b])), ProtocolError, { closeCode: 1002, rule: 'close-body-one-byte' }, `byte ${b}`);
});

test('parseClosePayload: RFC 6455 §8.1, a reason that is not UTF-8 is 1007', () => {
  const bad = [
    'ff', 'fe', '80', 'c0 80', 'c1 bf', 'e0 80 80', 'ed a0 80', 'ed bf bf', 'f0 80 80 80', 'f4 90 80 80', 'f5 80 80 80',
    'c3', 'e2 82', 'f0 9f 98', '61 62 c3', 'c3 28', 'e2 28 a1', '61 ed a0 80 62',
  ];
  for (const b of bad) expectThrow(() => parseClosePayload(concat(hex('03 e8'), hex(b))), ProtocolError, { closeCode: 1007, rule: 'close-reason-invalid-utf8' }, b);
  // An invalid code is reported first, as 1002.
  expectThrow(() => parseClosePayload(hex('03 ed ff')), ProtocolError, { closeCode: 1002, rule: 'invalid-close-code' });
});

test('parseClosePayload: TypeError for input that is not bytes', () => {
  for (const bad of [undefined, null, 'x', 1000, [3, 232], { length: 2, 0: 3, 1: 232 }]) {
    expectThrow(() => parseClosePayload(bad), TypeError, {}, Object.prototype.toString.call(bad));
  }
});

test('issue 13: parseClosePayload reads an ArrayBuffer or any ArrayBufferView, its own window only', () => {
  const body = concat(hex('0f a0'), utf8('hi'));
  const big = new Uint8Array(body.length + 6).fill(0xff);
  big.set(body, 3);
  for (const input of [body.buffer, new DataView(big.buffer, 3, body.length), new Int8Array(big.buffer, 3, body.length), new Uint16Array(body.buffer)]) {
    assert.equal(parseClosePayload(input), { code: 4000, reason: 'hi' }, Object.prototype.toString.call(input));
  }
  // The window's end is the payload's end: one byte more would be invalid UTF-8 (0xff).
  expectThrow(() => parseClosePayload(new DataView(big.buffer, 3, body.length + 1)), ProtocolError, { closeCode: 1007, rule: 'close-reason-invalid-utf8' });
  expectThrow(() => parseClosePayload(new Uint8Array([3]).buffer), ProtocolError, { closeCode: 1002, rule: 'close-body-one-byte' });
});

test.run();
