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
  for (const bad of [null, 'X-A: b', 42]) expectThrow(() => buildUpgradeResponse(KEY, { headers: bad }), TypeError, {}, `headers ${String(bad)}`);
  for (const bad of [42, null, true, {}, ['v']]) {
    expectThrow(() => buildUpgradeResponse(KEY, { headers: { 'X-A': bad } }), TypeError, {}, `header value ${String(bad)}`);
    expectThrow(() => buildUpgradeResponse(KEY, { extensions: bad }), TypeError, {}, `extensions ${String(bad)}`);
    expectThrow(() => buildUpgradeResponse(KEY, { protocol: bad }), TypeError, {}, `protocol ${String(bad)}`);
  }
  for (const bad of [undefined, null, 42]) expectThrow(() => buildUpgradeResponse(bad), TypeError, {}, `key ${String(bad)}`);
});

test.run();
