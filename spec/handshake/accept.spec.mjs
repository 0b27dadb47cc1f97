// computeAcceptKey and buildUpgradeResponse (RFC 6455 §1.3, §4.2.2 step 5):
// the RFC example, WebCrypto as the reference, the exact response bytes and
// no response splitting (RFC 9110 §5.5, §5.6.2).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { WEBSOCKET_GUID, buildUpgradeResponse, computeAcceptKey } from '../../dist/index.js';
import { expectThrow, prng, referenceBase64, referenceSha1, utf8 } from '../_util.mjs';

const test = suite('accept');

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
const HEAD = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + ACCEPT + '\r\n';

async function referenceAccept(key) {
  return referenceBase64(await referenceSha1(utf8(key + '258EAFA5-E914-47DA-95CA-C5AB0DC85B11')));
}

test('RFC 6455 §1.3 / §4.2.2: the example key gives the example accept value', () => {
  assert.is(computeAcceptKey(KEY), ACCEPT);
});

test('WEBSOCKET_GUID is the RFC 6455 §1.3 GUID', () => {
  assert.is(WEBSOCKET_GUID, '258EAFA5-E914-47DA-95CA-C5AB0DC85B11');
});

// The one- and two-block SHA-1 paths split at 19/20 key bytes (55 - 36), the
// allocation-free path ends at 83 (119 - 36); non-ASCII keys take another path.
test('keys of every length 0..130, ASCII and not, match WebCrypto', async () => {
  const rnd = prng(20);
  for (let n = 0; n <= 130; n++) {
    let ascii = '';
    for (let i = 0; i < n; i++) ascii += String.fromCharCode(0x20 + rnd.int(95));
    assert.is(computeAcceptKey(ascii), await referenceAccept(ascii), `ASCII key of ${n} chars`);
    const mixed = rnd.string(n);
    assert.is(computeAcceptKey(mixed), await referenceAccept(mixed), `non-ASCII key of ${n} units`);
  }
  // 0x7f and 0x80 at the edge of the ASCII fast path, and a key of 1000 chars.
  for (const key of ['\x7f'.repeat(24), '\x80'.repeat(24), 'a'.repeat(83) + 'é', 'é' + 'a'.repeat(83), 'k'.repeat(1000)]) {
    assert.is(computeAcceptKey(key), await referenceAccept(key), JSON.stringify(key.slice(0, 8)));
  }
});

test('a call after a long key still gives the right short-key answer (no state leaks)', async () => {
  computeAcceptKey('z'.repeat(83));
  computeAcceptKey('é'.repeat(50));
  assert.is(computeAcceptKey(KEY), ACCEPT);
  assert.is(computeAcceptKey(''), await referenceAccept(''));
});

test('computeAcceptKey: TypeError for a non-string key', () => {
  for (const bad of [undefined, null, 42, utf8(KEY), {}, [KEY]]) expectThrow(() => computeAcceptKey(bad), TypeError);
});

test('buildUpgradeResponse: exact bytes, ending in exactly one blank line', () => {
  const r = buildUpgradeResponse(KEY);
  assert.is(r, HEAD + '\r\n');
  assert.ok(r.endsWith('\r\n\r\n') && !r.endsWith('\r\n\r\n\r\n'));
  assert.is(r.indexOf('\r\n\r\n'), r.length - 4, 'the only blank line is the last');
  assert.is(buildUpgradeResponse(KEY, {}), HEAD + '\r\n', 'empty options');
  assert.is(buildUpgradeResponse(KEY, undefined), HEAD + '\r\n');
});

test('buildUpgradeResponse: protocol, extensions and extra headers, in that order', () => {
  assert.is(buildUpgradeResponse(KEY, { protocol: 'chat' }), HEAD + 'Sec-WebSocket-Protocol: chat\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { extensions: 'permessage-deflate; server_no_context_takeover' }),
    HEAD + 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { headers: { 'Set-Cookie': 'id=1; HttpOnly', 'X-Powered-By': 'ws-server' } }),
    HEAD + 'Set-Cookie: id=1; HttpOnly\r\nX-Powered-By: ws-server\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { protocol: 'v2.chat', extensions: 'x-foo', headers: { 'X-A': 'b' } }),
    HEAD + 'Sec-WebSocket-Protocol: v2.chat\r\nSec-WebSocket-Extensions: x-foo\r\nX-A: b\r\n\r\n');
  // RFC 9110 §5.5: HTAB inside a value is allowed; an empty value is allowed.
  assert.is(buildUpgradeResponse(KEY, { headers: { 'X-Tab': 'a\tb', 'X-Empty': '' } }), HEAD + 'X-Tab: a\tb\r\nX-Empty: \r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { headers: {} }), HEAD + '\r\n');
});

test('buildUpgradeResponse: the accept value follows the key', async () => {
  const key = 'x3JJHMbDL1EzLkh9GBhXDw==';
  assert.ok(buildUpgradeResponse(key).includes(`\r\nSec-WebSocket-Accept: ${await referenceAccept(key)}\r\n`));
});

// Every control character but HTAB, and DEL (RFC 9110 §5.5): CR and LF would
// split the response, NUL truncates it in C servers.
const CTLS = [];
for (let c = 0; c < 0x20; c++) if (c !== 0x09) CTLS.push(String.fromCharCode(c));
CTLS.push('\x7f');

test('response splitting: CR, LF, NUL or another CTL in a header value is a TypeError', () => {
  for (const ctl of CTLS) {
    const value = `a${ctl}b`;
    const label = `U+${ctl.charCodeAt(0).toString(16).padStart(4, '0')}`;
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { 'X-A': value } }), TypeError, {}, `header value with ${label}`);
    expectThrow(() => buildUpgradeResponse(KEY, { extensions: value }), TypeError, {}, `extensions with ${label}`);
    expectThrow(() => buildUpgradeResponse(KEY, { protocol: value }), TypeError, {}, `protocol with ${label}`);
  }
  for (const attack of ['x\r\nSet-Cookie: evil=1', 'x\r\n\r\nHTTP/1.1 200 OK', 'x\nLocation: /', 'x\r', '\r\n']) {
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { 'X-A': attack } }), TypeError, {}, JSON.stringify(attack));
    expectThrow(() => buildUpgradeResponse(KEY, { extensions: attack }), TypeError, {}, JSON.stringify(attack));
    expectThrow(() => buildUpgradeResponse(KEY, { protocol: attack }), TypeError, {}, JSON.stringify(attack));
  }
});

// RFC 9110 §5.5: a field value is octets. A JS character above U+00FF is no
// octet, and a Latin-1 writer (Node's 'latin1'/'binary' encoding) keeps only
// its low byte: U+010D U+010A become CR LF. This is how Node itself was open
// to response splitting (CVE-2016-2216) before it refused such characters.
test('response splitting: a character above U+00FF in a header value is a TypeError', () => {
  for (const value of ['a\u010d\u010aSet-Cookie: x=1', '\u010a', '\u0100', 'caf\u00e9\u2028', '\ud83d\ude00', '\ufeff']) {
    const label = JSON.stringify(value);
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { 'X-A': value } }), TypeError, {}, `header value ${label}`);
    expectThrow(() => buildUpgradeResponse(KEY, { extensions: value }), TypeError, {}, `extensions ${label}`);
  }
  // obs-text (0x80-0xFF) is allowed, as RFC 9110 §5.5 allows it.
  assert.is(buildUpgradeResponse(KEY, { headers: { 'X-A': 'caf\u00e9' } }), HEAD + 'X-A: caf\u00e9\r\n\r\n');
});

test('values are trimmed of SP and HTAB only (RFC 9110 §5.6.3 OWS), nothing else', () => {
  assert.is(buildUpgradeResponse(KEY, { headers: { 'X-A': ' \t v \t ' } }), HEAD + 'X-A: v\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { headers: { 'X-A': '\u00a0v\u00a0' } }), HEAD + 'X-A: \u00a0v\u00a0\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { extensions: ' x-foo ' }), HEAD + 'Sec-WebSocket-Extensions: x-foo\r\n\r\n');
});

test('response splitting: a header name that is not a token is a TypeError', () => {
  const names = ['', 'X A', 'X:A', 'X-A:', ':', 'X\tA', 'X(A)', 'X"A', 'X/A', 'X@A', 'Xé', 'X\u0100', '[X]', '{X}', 'X,A', 'X;A', 'X=A', 'X?A', 'X\\A'];
  for (const ctl of CTLS) names.push(`X${ctl}A`, `X-A${ctl}`);
  for (const name of names) {
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { [name]: 'v' } }), TypeError, {}, JSON.stringify(name));
  }
});

test('RFC 6455 §4.1: a protocol that is not a token is a TypeError', () => {
  for (const p of ['', 'chat, superchat', 'a b', 'a;b', 'a"b', 'a/b', 'é', '(x)', 'a,b', ' chat', 'chat ']) {
    expectThrow(() => buildUpgradeResponse(KEY, { protocol: p }), TypeError, {}, JSON.stringify(p));
  }
});

test('extra headers may not repeat the handshake headers, in any case', () => {
  for (const name of ['Upgrade', 'upgrade', 'CONNECTION', 'Sec-WebSocket-Accept', 'sec-websocket-accept', 'Sec-WebSocket-Protocol', 'SEC-WEBSOCKET-EXTENSIONS']) {
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { [name]: 'x' } }), TypeError, {}, name);
  }
});

test('bad argument types are a TypeError', () => {
  for (const bad of [null, 'chat', 42, true]) expectThrow(() => buildUpgradeResponse(KEY, bad), TypeError, {}, `options ${String(bad)}`);
  for (const bad of [null, 'X-A: b', 42, true]) expectThrow(() => buildUpgradeResponse(KEY, { headers: bad }), TypeError, {}, `headers ${String(bad)}`);
  for (const bad of [42, null, true, {}, ['v']]) {
    if (!Array.isArray(bad)) expectThrow(() => buildUpgradeResponse(KEY, { headers: { 'X-A': bad } }), TypeError, {}, `header value ${String(bad)}`);
    expectThrow(() => buildUpgradeResponse(KEY, { extensions: bad }), TypeError, {}, `extensions ${String(bad)}`);
    expectThrow(() => buildUpgradeResponse(KEY, { protocol: bad }), TypeError, {}, `protocol ${String(bad)}`);
  }
  for (const bad of [undefined, null, 42]) expectThrow(() => buildUpgradeResponse(bad), TypeError, {}, `key ${String(bad)}`);
});

test('an unknown option is a TypeError naming it, and the nearest known name', () => {
  const cases = [
    ['protocols', 'protocol'], ['Protocol', 'protocol'], ['protocl', 'protocol'], ['header', 'headers'], ['Headers', 'headers'],
    ['extension', 'extensions'], ['extentions', 'extensions'], ['subprotocol', 'protocol'],
  ];
  for (const [key, near] of cases) {
    const e = expectThrow(() => buildUpgradeResponse(KEY, { [key]: 'chat' }), TypeError, {}, key);
    assert.ok(e.message.includes(JSON.stringify(key)), `names ${key}: ${e.message}`);
    assert.ok(e.message.includes(`did you mean ${JSON.stringify(near)}`), `suggests ${near}: ${e.message}`);
  }
  for (const key of ['foo', 'x', 'cookies', 'status']) {
    const e = expectThrow(() => buildUpgradeResponse(KEY, { protocol: 'chat', [key]: 1 }), TypeError, {}, key);
    assert.ok(e.message.includes(JSON.stringify(key)) && !e.message.includes('did you mean'), `names ${key}, suggests nothing: ${e.message}`);
  }
  // An unknown key set to undefined is still a mistake; inherited keys are not options.
  expectThrow(() => buildUpgradeResponse(KEY, { protocols: undefined }), TypeError, {}, 'undefined value');
  assert.is(buildUpgradeResponse(KEY, Object.create({ foo: 1 })), HEAD + '\r\n');
});

const TWO_COOKIES = HEAD + 'Set-Cookie: a=1\r\nX-A: x\r\nSet-Cookie: b=2; Path=/\r\n\r\n';

test('headers as a Map or an iterable of [name, value] pairs: one line per pair, in order, a name given twice sent twice', () => {
  const pairs = [['Set-Cookie', 'a=1'], ['X-A', 'x'], ['Set-Cookie', 'b=2; Path=/']];
  assert.is(buildUpgradeResponse(KEY, { headers: pairs }), TWO_COOKIES, 'array of pairs');
  assert.is(buildUpgradeResponse(KEY, { headers: pairs.values() }), TWO_COOKIES, 'iterator');
  assert.is(buildUpgradeResponse(KEY, { headers: (function* () { yield* pairs; })() }), TWO_COOKIES, 'generator');
  assert.is(buildUpgradeResponse(KEY, { headers: { [Symbol.iterator]: () => pairs[Symbol.iterator]() } }), TWO_COOKIES, 'custom iterable');
  // A Map has one value per name: an array value gives the repeats.
  assert.is(buildUpgradeResponse(KEY, { headers: new Map([['Set-Cookie', ['a=1']], ['X-A', 'x']]) }), HEAD + 'Set-Cookie: a=1\r\nX-A: x\r\n\r\n', 'Map');
  assert.is(buildUpgradeResponse(KEY, { headers: new Map([['X-A', 'x'], ['Set-Cookie', ['a=1', 'b=2']]]) }), HEAD + 'X-A: x\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n\r\n', 'Map with an array value');
  assert.is(buildUpgradeResponse(KEY, { headers: [] }), HEAD + '\r\n', 'no pairs');
  assert.is(buildUpgradeResponse(KEY, { headers: new Map() }), HEAD + '\r\n', 'empty Map');
  assert.is(buildUpgradeResponse(KEY, { protocol: 'chat', headers: [['X-B', 'b']] }), HEAD + 'Sec-WebSocket-Protocol: chat\r\nX-B: b\r\n\r\n', 'after the protocol');
});

test('headers as a plain object: an array value is one line per element, in order', () => {
  assert.is(buildUpgradeResponse(KEY, { headers: { 'Set-Cookie': ['a=1', 'b=2; Path=/'], 'X-A': 'x' } }),
    HEAD + 'Set-Cookie: a=1\r\nSet-Cookie: b=2; Path=/\r\nX-A: x\r\n\r\n');
  assert.is(buildUpgradeResponse(KEY, { headers: { 'Set-Cookie': [] } }), HEAD + '\r\n', 'an empty array sends nothing');
  // Two spellings of one name are two keys: both sent, in key order.
  assert.is(buildUpgradeResponse(KEY, { headers: { 'Set-Cookie': 'a=1', 'set-cookie': 'b=2' } }), HEAD + 'Set-Cookie: a=1\r\nset-cookie: b=2\r\n\r\n');
  // A null-prototype object is a plain object too.
  assert.is(buildUpgradeResponse(KEY, { headers: Object.assign(Object.create(null), { 'X-A': 'x' }) }), HEAD + 'X-A: x\r\n\r\n');
});

test('headers as a Headers: each pair it yields is one line, in its order (Set-Cookie apart where the runtime keeps it apart)', () => {
  if (typeof Headers !== 'function') return; // not every runtime has Headers; none is required
  const h = new Headers();
  h.append('Set-Cookie', 'a=1');
  h.append('X-A', 'x');
  h.append('Set-Cookie', 'b=2');
  const yielded = [...h];
  assert.is(buildUpgradeResponse(KEY, { headers: h }), HEAD + yielded.map(([n, v]) => `${n}: ${v}\r\n`).join('') + '\r\n');
  // Fetch §2.2.2 "sort and combine" (what Node 20, Deno, Bun and browsers do) keeps each Set-Cookie apart.
  if (typeof h.getSetCookie === 'function') {
    assert.equal(yielded.filter(([n]) => n === 'set-cookie').map(([, v]) => v), ['a=1', 'b=2']);
    assert.ok(buildUpgradeResponse(KEY, { headers: h }).includes('set-cookie: a=1\r\nset-cookie: b=2\r\n'));
  }
  expectThrow(() => buildUpgradeResponse(KEY, { headers: new Headers({ Connection: 'close' }) }), TypeError, {}, 'a Headers with Connection');
});

test('every form of headers refuses what the handshake sets, bad names and values that would split the response', () => {
  const forms = [
    ['object', (n, v) => ({ [n]: v })],
    ['object with an array value', (n, v) => ({ [n]: ['ok', v] })],
    ['array of pairs', (n, v) => [['X-Ok', 'ok'], [n, v]]],
    ['Map', (n, v) => new Map([[n, v]])],
    ['Map with an array value', (n, v) => new Map([[n, [v]]])],
    ['generator', (n, v) => (function* () { yield ['X-Ok', 'ok']; yield [n, v]; })()],
  ];
  for (const [label, make] of forms) {
    assert.is(buildUpgradeResponse(KEY, { headers: make('X-B', 'b') }).endsWith('X-B: b\r\n\r\n'), true, `${label}: the good case`);
    for (const own of ['Upgrade', 'connection', 'Sec-WebSocket-Accept', 'SEC-WEBSOCKET-PROTOCOL', 'sec-websocket-extensions']) {
      expectThrow(() => buildUpgradeResponse(KEY, { headers: make(own, 'x') }), TypeError, {}, `${label}: ${own}`);
    }
    for (const value of ['x\r\nSet-Cookie: evil=1', 'x\n', 'a\x00b', 'a\u010d\u010ab', 'x\r']) {
      expectThrow(() => buildUpgradeResponse(KEY, { headers: make('X-A', value) }), TypeError, {}, `${label}: value ${JSON.stringify(value)}`);
    }
    for (const name of ['X A', 'X:A', '', 'X\r\nY', 'Xé']) {
      expectThrow(() => buildUpgradeResponse(KEY, { headers: make(name, 'v') }), TypeError, {}, `${label}: name ${JSON.stringify(name)}`);
    }
    for (const value of [1, null, undefined, {}, [['nested']], ['a', 2]]) {
      expectThrow(() => buildUpgradeResponse(KEY, { headers: make('X-A', value) }), TypeError, {}, `${label}: value ${String(value)}`);
    }
  }
});

test('an iterable of anything but [name, value] pairs is a TypeError', () => {
  const bad = [
    ['X-A: b'], [['X-A']], [['X-A', 'b', 'c']], [[1, 'b']], [null], [undefined], [{ 0: 'X-A', 1: 'b', length: 2 }], [[Symbol('x'), 'b']],
    new Set(['X-A']), (function* () { yield 'X-A: b'; })(),
  ];
  for (const headers of bad) expectThrow(() => buildUpgradeResponse(KEY, { headers }), TypeError, {}, Object.prototype.toString.call(headers));
  // A string is iterable, but never headers.
  expectThrow(() => buildUpgradeResponse(KEY, { headers: 'X-A: b' }), TypeError, {}, 'string');
});

test.run();
