// The client's opening handshake (RFC 6455 §4.1): buildUpgradeRequest's head
// byte for byte, its URL and option rules and misuse; parseUpgradeResponse on
// every split point with a pipelined frame, every malformed line with its
// rule; verifyUpgradeResponse's checks, items 1-6, each failing with its own
// rule; and a round trip through the server's functions.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  CLIENT_HANDSHAKE_RULES, HandshakeError, MAX_HEAD_BYTES, buildUpgradeRequest, buildUpgradeResponse, computeAcceptKey,
  decodeBase64, encodeTextFrame, parseUpgradeRequest, parseUpgradeResponse, verifyUpgradeResponse,
} from '../../dist/index.js';
import { bytesEqual, concat, expectThrow, utf8 } from '../_util.mjs';

const test = suite('client handshake');

const bare = (fields) => Object.assign(Object.create(null), fields);
const head = (lines, eol = '\r\n') => lines.join(eol) + eol + eol;

/** Asserts `fn` throws the HandshakeError of the client rule `rule`, with status 0. */
function expectRule(fn, rule, label) {
  assert.ok(Object.hasOwn(CLIENT_HANDSHAKE_RULES, rule), `${rule} is a CLIENT_HANDSHAKE_RULES key`);
  return expectThrow(fn, HandshakeError, { rule, status: 0 }, label);
}

// RFC 6455 §1.2 and §1.3: the example key, its accept value and the example response.
const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';
const ACCEPT = 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=';
const RESPONSE_LINES = ['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${ACCEPT}`, 'Sec-WebSocket-Protocol: chat'];
const RESPONSE = head(RESPONSE_LINES);

test('RFC 6455 §1.2: the example request, byte for byte (Host first, RFC 9112 §3.2)', () => {
  const { request, key } = buildUpgradeRequest('ws://server.example.com/chat', { key: KEY, protocols: ['chat', 'superchat'], origin: 'http://example.com' });
  assert.is(key, KEY);
  assert.is(request, head([
    'GET /chat HTTP/1.1', 'Host: server.example.com', 'Upgrade: websocket', 'Connection: Upgrade',
    `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13', 'Sec-WebSocket-Protocol: chat, superchat', 'Origin: http://example.com',
  ]));
});

test('RFC 6455 §1.3: the example response parses and verifies, selecting chat', () => {
  const r = parseUpgradeResponse(RESPONSE);
  assert.equal(r, {
    status: 101, statusText: 'Switching Protocols',
    headers: bare({ upgrade: 'websocket', connection: 'Upgrade', 'sec-websocket-accept': ACCEPT, 'sec-websocket-protocol': 'chat' }),
    rawHeaders: RESPONSE_LINES.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
    headLength: RESPONSE.length,
  });
  assert.is(Object.getPrototypeOf(r.headers), null);
  assert.equal(verifyUpgradeResponse(r, { key: KEY, protocols: ['chat', 'superchat'] }), { protocol: 'chat', extensions: [] });
});

test('RFC 6455 §4.1 item 7: a fresh key per request, base64 of 16 random bytes', () => {
  const seen = new Set();
  for (let i = 0; i < 64; i++) {
    const { request, key } = buildUpgradeRequest('ws://h/');
    assert.is(decodeBase64(key).length, 16);
    assert.ok(request.includes(`\r\nSec-WebSocket-Key: ${key}\r\n`));
    seen.add(key);
  }
  assert.is(seen.size, 64, 'no key repeats');
});

test('the request is one the server side parses, with every field intact', () => {
  const { request, key } = buildUpgradeRequest(new URL('wss://example.com:8443/a/b?c=d&e'), {
    protocols: 'v2', extensions: ['permessage-deflate; client_max_window_bits', { name: 'x-y', params: { a: '1', b: true } }],
    origin: 'https://example.com', headers: { Cookie: 'a=1', 'X-List': ['1', '2'] },
  });
  const r = parseUpgradeRequest(request);
  assert.is(r.headLength, request.length);
  assert.is(r.method, 'GET');
  assert.is(r.path, '/a/b?c=d&e');
  assert.is(r.httpVersion, '1.1');
  assert.is(r.host, 'example.com:8443');
  assert.is(r.key, key);
  assert.is(r.version, '13');
  assert.is(r.origin, 'https://example.com');
  assert.equal(r.protocols, ['v2']);
  assert.equal(r.extensions, [
    { name: 'permessage-deflate', params: bare({ client_max_window_bits: true }) },
    { name: 'x-y', params: bare({ a: '1', b: true }) },
  ]);
  assert.is(r.headers.upgrade, 'websocket');
  assert.is(r.headers.connection, 'Upgrade');
  assert.is(r.headers.cookie, 'a=1');
  assert.equal(r.rawHeaders.filter(([n]) => n === 'X-List'), [['X-List', '1'], ['X-List', '2']]);
});

test('RFC 6455 §3, §4.1 items 3-4: the request target and Host from the URL, the default port left out', () => {
  const CASES = [
    ['ws://h', '/', 'h'], ['ws://h/', '/', 'h'], ['ws://h:80/', '/', 'h'], ['wss://h:443/x', '/x', 'h'],
    ['ws://h:443/', '/', 'h:443'], ['wss://h:80/', '/', 'h:80'], ['ws://H.Example:9000/P?Q=1', '/P?Q=1', 'h.example:9000'],
    ['ws://[::1]:8080/p', '/p', '[::1]:8080'], ['ws://127.0.0.1/', '/', '127.0.0.1'], ['ws://h/a b?c d', '/a%20b?c%20d', 'h'],
    ['ws://h/?', '/?', 'h'], ['ws://h?', '/?', 'h'], ['ws://h?q', '/?q', 'h'], ['ws://bücher.example/', '/', 'xn--bcher-kva.example'],
    // WHATWG WebSockets §3.1: http and https stand for ws and wss, their default ports too.
    ['http://h:80/x', '/x', 'h'], ['https://h:443/', '/', 'h'], ['https://h:80/', '/', 'h:80'],
  ];
  for (const [url, path, host] of CASES) {
    for (const input of [url, new URL(url)]) {
      const { request } = buildUpgradeRequest(input);
      assert.ok(request.startsWith(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\n`), `${url}: ${request.split('\r\n', 2).join(' | ')}`);
    }
  }
});

test('RFC 6455 §3: TypeError for another scheme, a fragment (even empty), credentials, or no URL', () => {
  const BAD = ['ftp://h/', 'file:///x', 'ws://h/#f', 'ws://h/#', 'wss://h/p?q#', 'ws://u@h/', 'ws://u:p@h/', 'ws://:p@h/', 'not a url', '', 'ws://', 42, null, undefined, {}, { href: 42 }, { href: 'ws://h/#x' }];
  for (const url of BAD) expectThrow(() => buildUpgradeRequest(url), TypeError, {}, String(url));
  // A URL of another realm, or anything with its href, is read by its href.
  assert.ok(buildUpgradeRequest({ href: 'ws://h/p' }).request.startsWith('GET /p HTTP/1.1\r\nHost: h\r\n'));
});

test('extension offers are serialised with the §9.1 grammar, in order, and may be a whole header value', () => {
  const ext = (e) => /\r\nSec-WebSocket-Extensions: ([^\r]*)\r\n/.exec(buildUpgradeRequest('ws://h/', { extensions: e }).request)?.[1];
  assert.is(ext(['a']), 'a');
  assert.is(ext([{ name: 'a' }, { name: 'b', params: { x: true, y: '10' } }]), 'a, b; x; y=10');
  assert.is(ext(['b ;x;  y="10"', 'a']), 'b; x; y=10, a', 'quoted values unquoted, spacing normalised');
  assert.is(ext('a; x, b'), 'a; x, b');
  assert.is(ext([]), undefined, 'nothing offered, no header');
  assert.is(ext(''), undefined);
  // An extension object (permessageDeflate() is one) offers what its offer() gives, each a checked offer.
  const made = { name: 'x-z', offer: () => [{ a: '1' }, {}], accept() {}, negotiate() {} };
  assert.is(ext([made, 'b']), 'x-z; a=1, x-z, b');
  expectThrow(() => ext([{ name: 'x-z', offer: () => [{ a: 'v w' }] }]), TypeError, {}, 'its offers are checked like any other');
  const p = /\r\nSec-WebSocket-Protocol: ([^\r]*)\r\n/;
  assert.is(p.exec(buildUpgradeRequest('ws://h/', { protocols: [] }).request), null);
  assert.is(p.exec(buildUpgradeRequest('ws://h/', { protocols: ['a', 'A', 'b.c'] }).request)[1], 'a, A, b.c', 'tokens differ by case');
});

test('extra headers: an object (arrays give one line each), a Map, pairs, a Headers; written in order', () => {
  const extra = (headers) => buildUpgradeRequest('ws://h/', { key: KEY, headers }).request.split('\r\n').slice(6, -2);
  assert.equal(extra({ 'X-A': '1', Cookie: ['a=1', 'b=2'], 'X-B': '  t  ' }), ['X-A: 1', 'Cookie: a=1', 'Cookie: b=2', 'X-B: t']);
  assert.equal(extra(new Map([['X-A', '1'], ['Authorization', 'Bearer t']])), ['X-A: 1', 'Authorization: Bearer t']);
  assert.equal(extra([['X-A', '1'], ['X-A', '2']]), ['X-A: 1', 'X-A: 2']);
  assert.equal(extra({}), []);
  assert.equal(extra({ 'X-Latin': 'caf\u00e9' }), ['X-Latin: caf\u00e9'], 'Latin-1 values are octets');
  if (typeof Headers === 'function') assert.equal(extra(new Headers({ 'X-A': '1' })), ['x-a: 1']);
});

/** [label, url, options]: each a TypeError. */
const MISUSE = [
  ['unknown option', { protocol: 'chat' }], ['options not an object', 'chat'], ['options null', null],
  ['protocols not a token', { protocols: ['a b'] }], ['protocol with a comma', { protocols: 'a,b' }], ['empty protocol', { protocols: [''] }],
  ['protocol twice', { protocols: ['a', 'b', 'a'] }], ['protocol a number', { protocols: [1] }], ['protocols an object', { protocols: {} }],
  ['protocol above U+00FF', { protocols: ['caf\u00e9'] }],
  ['extension not a token', { extensions: ['a b'] }], ['two offers in one element', { extensions: ['a, b'] }], ['malformed offer', { extensions: ['a;'] }],
  ['empty offer element', { extensions: [''] }], ['offer name not a token', { extensions: [{ name: 'a b' }] }], ['offer without name', { extensions: [{ params: {} }] }],
  ['param value not a token', { extensions: [{ name: 'a', params: { k: 'v w' } }] }], ['param value a number', { extensions: [{ name: 'a', params: { k: 10 } }] }],
  ['param value false', { extensions: [{ name: 'a', params: { k: false } }] }], ['param name not a token', { extensions: [{ name: 'a', params: { 'k k': true } }] }],
  ['unknown offer key', { extensions: [{ name: 'a', param: {} }] }], ['offer a number', { extensions: [1] }], ['extensions a number', { extensions: 1 }],
  ['extensions header with CR LF', { extensions: 'a\r\nX-Evil: 1' }],
  ['origin with CR LF', { origin: 'http://a\r\nX-Evil: 1' }], ['origin above U+00FF', { origin: 'http://a\u010a' }], ['origin a number', { origin: 1 }],
  ['key too short', { key: 'AAAAAAAAAAAAAAAAAAAA' }], ['key of 17 bytes', { key: 'AAAAAAAAAAAAAAAAAAAAAA8=' }], ['key not base64', { key: 'dGhlIHNhbXBsZSBub25jZQ!!' }],
  ['key with CR LF', { key: 'dGhlIHNhbXBsZSBub25jZQ==\r\nX: 1' }], ['key bytes', { key: new Uint8Array(16) }],
  ['extra Host', { headers: { Host: 'evil' } }], ['extra upgrade', { headers: { upgrade: 'h2c' } }], ['extra Sec-WebSocket-Key', { headers: [['SEC-WEBSOCKET-KEY', KEY]] }],
  ['extra Sec-WebSocket-Version', { headers: { 'Sec-WebSocket-Version': '8' } }], ['extra Origin', { headers: { Origin: 'x' } }],
  ['extra Sec-WebSocket-Protocol', { headers: { 'Sec-WebSocket-Protocol': 'x' } }], ['extra Connection', { headers: new Map([['Connection', 'close']]) }],
  ['value with CR LF (request splitting)', { headers: { 'X-A': 'a\r\nX-Evil: 1' } }], ['value with LF', { headers: { 'X-A': 'a\nb' } }],
  ['value with U+010A (LF as Latin-1)', { headers: { 'X-A': 'a\u010ab' } }], ['value with NUL', { headers: { 'X-A': 'a\0' } }],
  ['name not a token', { headers: { 'X A': '1' } }], ['name with colon', { headers: { 'X:A': '1' } }], ['value a number', { headers: { 'X-A': 1 } }],
  ['value array with a number', { headers: { 'X-A': ['1', 2] } }], ['a pair of one', { headers: [['X-A']] }], ['headers a string', { headers: 'X-A: 1' }],
  ['headers null', { headers: null }],
];

test('misuse: TypeError naming the problem, never a malformed request', () => {
  for (const [label, options] of MISUSE) expectThrow(() => buildUpgradeRequest('ws://h/', options), TypeError, {}, label);
  const e = expectThrow(() => buildUpgradeRequest('ws://h/', { protocol: 'chat' }), TypeError);
  assert.match(e.message, /did you mean "protocols"/);
});

// A 101 with a frame pipelined behind it, as a server may send in one chunk.
const FRAME = encodeTextFrame('hello');
const ACCEPTED = head(['HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Accept: ${ACCEPT}`]);

test('parseUpgradeResponse: null on every split point, then headLength points at the pipelined frame', () => {
  const bytes = concat(utf8(ACCEPTED), FRAME);
  for (let n = 0; n < ACCEPTED.length; n++) {
    assert.is(parseUpgradeResponse(bytes.subarray(0, n)), null, `byte prefix of ${n}`);
    assert.is(parseUpgradeResponse(ACCEPTED.slice(0, n)), null, `string prefix of ${n}`);
  }
  for (let n = ACCEPTED.length; n <= bytes.length; n++) {
    const r = parseUpgradeResponse(bytes.subarray(0, n));
    assert.is(r?.headLength, ACCEPTED.length, `prefix of ${n}`);
    bytesEqual(bytes.subarray(r.headLength, n), FRAME.subarray(0, n - ACCEPTED.length));
    assert.equal(verifyUpgradeResponse(r, { key: KEY }), { protocol: undefined, extensions: [] });
  }
  const lf = head(RESPONSE_LINES, '\n');
  for (let n = 0; n < lf.length; n++) assert.is(parseUpgradeResponse(lf.slice(0, n)), null, `bare-LF prefix of ${n}`);
  assert.is(parseUpgradeResponse(lf).headLength, lf.length);
});

test('parseUpgradeResponse: an ArrayBuffer or any ArrayBufferView is read as its own window', () => {
  const bytes = utf8(RESPONSE.length % 2 === 0 ? RESPONSE : head([...RESPONSE_LINES, 'X: 12']));
  assert.is(bytes.length % 2, 0);
  const want = parseUpgradeResponse(bytes);
  const inside = new Uint8Array(bytes.length + 10).fill(0x0a);
  inside.set(bytes, 4);
  for (const input of [bytes.slice().buffer, new DataView(inside.buffer, 4, bytes.length), new Uint16Array(inside.buffer, 4, bytes.length / 2), new Int8Array(inside.buffer, 4, bytes.length)]) {
    assert.equal(parseUpgradeResponse(input), want, Object.prototype.toString.call(input));
  }
  assert.is(parseUpgradeResponse(new DataView(inside.buffer, 4, bytes.length - 1)), null, 'one byte short of the window');
  for (const bad of [undefined, null, 42, {}, [72], new String(RESPONSE)]) expectThrow(() => parseUpgradeResponse(bad), TypeError, {}, String(bad));
});

test('RFC 9112 §4: any status, the reason phrase may be empty, missing or Latin-1', () => {
  const CASES = [
    ['HTTP/1.1 101 Switching Protocols', 101, 'Switching Protocols'], ['HTTP/1.1 101 ', 101, ''], ['HTTP/1.1 101', 101, ''],
    ['HTTP/1.1 404 Not Found', 404, 'Not Found'], ['HTTP/1.0 200 OK', 200, 'OK'], ['HTTP/1.1 426 Upgrade  Required\t', 426, 'Upgrade  Required\t'],
    ['HTTP/1.1 999 x', 999, 'x'], ['HTTP/1.1 000 zero', 0, 'zero'], ['HTTP/1.1 302 Trouv\u00e9', 302, 'Trouv\u00e9'],
  ];
  // A string is text, as for header values: any character but a control one.
  assert.is(parseUpgradeResponse(head(['HTTP/1.1 101 \u2603'])).statusText, '\u2603');
  for (const [line, status, statusText] of CASES) {
    for (const input of [head([line, 'X: y']), Uint8Array.from(head([line, 'X: y']), (c) => c.charCodeAt(0))]) {
      const r = parseUpgradeResponse(input);
      assert.is(r.status, status, line);
      assert.is(r.statusText, statusText, line);
      assert.equal(r.headers, bare({ x: 'y' }));
    }
  }
});

const BAD_STATUS_LINES = [
  '', 'HTTP/1.1', 'HTTP/1.1 ', 'HTTP/1.1 1011 x', 'HTTP/1.1 10 x', 'HTTP/1.1 1x1 x', 'http/1.1 101 x', 'HTTP/1.1  101 x', 'HTTP/1.1\t101 x',
  'HTTP/11 101 x', 'HTTP/1 101 x', 'HTTPS/1.1 101 x', ' HTTP/1.1 101 x', 'HTTP/1.1 101 a\x01b', 'HTTP/1.1 101 a\x7f', 'ICY 200 OK',
  'GET / HTTP/1.1',
];
/** [line, rule]: header lines a response may not hold. */
const BAD_HEADER_LINES = [
  ['Upgrade websocket', 'response-malformed-header'], ['Upgrade : websocket', 'response-malformed-header'], ['Upgrade\t: websocket', 'response-malformed-header'],
  [': v', 'response-malformed-header'], ['X@: v', 'response-malformed-header'], ['X\u00e9: v', 'response-malformed-header'],
  ['X-A: a\rb', 'response-bare-cr'], ['X-A: a\r', 'response-bare-cr'],
  ...['\x00', '\x01', '\x1b', '\x7f', '\x0b', '\x0c'].map((c) => [`X-A: a${c}b`, 'response-invalid-header-value']),
];

test('a malformed status line or header line is a HandshakeError with status 0 and its rule', () => {
  for (const line of BAD_STATUS_LINES) {
    const text = head([line, 'Upgrade: websocket']);
    expectRule(() => parseUpgradeResponse(text), 'malformed-status-line', JSON.stringify(line));
    expectRule(() => parseUpgradeResponse(utf8(text)), 'malformed-status-line', JSON.stringify(line) + ' as bytes');
  }
  for (const [line, rule] of BAD_HEADER_LINES) {
    const text = head([...RESPONSE_LINES, line]);
    const e = expectRule(() => parseUpgradeResponse(text), rule, JSON.stringify(line));
    assert.match(e.message, /^Cannot parse upgrade response: /);
    expectRule(() => parseUpgradeResponse(utf8(text)), rule, JSON.stringify(line) + ' as bytes');
  }
});

test('RFC 9112 §5.2: obs-fold in a response is replaced with SP; whitespace before the first field is refused', () => {
  const r = parseUpgradeResponse(head([...RESPONSE_LINES, 'X-A: a ', ' \t b', '\tc', 'X-B: d']));
  assert.is(r.headers['x-a'], 'a b c');
  assert.is(r.headers['x-b'], 'd');
  assert.equal(r.rawHeaders.slice(-2), [['X-A', 'a b c'], ['X-B', 'd']]);
  expectRule(() => parseUpgradeResponse(head(['HTTP/1.1 101 Switching Protocols', ' X-A: a', 'X-B: b'])), 'response-malformed-header');
  expectRule(() => parseUpgradeResponse(head([...RESPONSE_LINES, 'X-A: a', ' b\rc'])), 'response-bare-cr', 'a bare CR in a continuation');
});

test('headers: lower-case names, no prototype, repeats joined with ", " (Cookie "; ")', () => {
  const r = parseUpgradeResponse(head(['HTTP/1.1 101 OK', 'Set-Cookie: a=1', 'SET-COOKIE: b=2', 'Cookie: c', 'cookie: d', '__proto__: p', 'X:  ', 'X-Tab:\tt\t']));
  assert.equal(r.headers, bare({ 'set-cookie': 'a=1, b=2', cookie: 'c; d', ['__proto__']: 'p', x: '', 'x-tab': 't' }));
  assert.is(Object.getPrototypeOf(r.headers), null);
  assert.is({}.p, undefined);
  assert.equal(r.rawHeaders[0], ['Set-Cookie', 'a=1']);
  assert.is(r.headers.constructor, undefined, 'no inherited names');
});

test('RFC 9110 §5.4: a head over 16 KiB is response-too-large, complete or not; exactly 16 KiB parses', () => {
  const base = head(['HTTP/1.1 101 OK', 'X-Pad: ']).length;
  const exact = head(['HTTP/1.1 101 OK', 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES - base)]);
  assert.is(parseUpgradeResponse(exact).headLength, MAX_HEAD_BYTES);
  const over = head(['HTTP/1.1 101 OK', 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES - base + 1)]);
  expectRule(() => parseUpgradeResponse(over), 'response-too-large', 'string');
  expectRule(() => parseUpgradeResponse(utf8(over)), 'response-too-large', 'bytes');
  expectRule(() => parseUpgradeResponse('HTTP/1.1 101 OK\r\nX: ' + 'p'.repeat(MAX_HEAD_BYTES)), 'response-too-large', 'incomplete');
  expectRule(() => parseUpgradeResponse(head(['HTTP/1.1 101 OK', 'X: ' + '\u00e9'.repeat(9000)])), 'response-too-large', 'UTF-8 bytes of a string');
});

/** The example 101 with `changes`: a header name mapped to its new line, or null to drop it; extra lines appended. */
function response(changes = {}, status = 'HTTP/1.1 101 Switching Protocols') {
  const lines = [status];
  const rest = { ...changes };
  for (const l of RESPONSE_LINES.slice(1)) {
    const name = l.slice(0, l.indexOf(':'));
    if (name in rest) { if (rest[name] !== null) lines.push(rest[name]); delete rest[name]; } else lines.push(l);
  }
  for (const v of Object.values(rest)) if (v !== null) lines.push(v);
  return parseUpgradeResponse(head(lines));
}
const OFFER = { key: KEY, protocols: ['chat', 'superchat'], extensions: ['permessage-deflate; client_max_window_bits', { name: 'x-a' }] };

test('verify: what passes (RFC 6455 §4.1: case-insensitive tokens, lists, no protocol, offered extensions)', () => {
  const CASES = [
    [{}, 'chat', []],
    [{ Upgrade: 'Upgrade: WebSocket' }, 'chat', []], [{ Upgrade: 'Upgrade: h2c, websocket' }, 'chat', []],
    [{ Connection: 'Connection: keep-alive, upgrade' }, 'chat', []], [{ Connection: 'Connection: UPGRADE' }, 'chat', []],
    [{ 'Sec-WebSocket-Protocol': 'Sec-WebSocket-Protocol: superchat' }, 'superchat', []],
    [{ 'Sec-WebSocket-Protocol': null }, undefined, []],
    [{ X: 'Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=10' }, 'chat',
      [{ name: 'permessage-deflate', params: bare({ server_no_context_takeover: true, client_max_window_bits: '10' }) }]],
    [{ X: 'Sec-WebSocket-Extensions: x-a, permessage-deflate' }, 'chat', [{ name: 'x-a', params: bare({}) }, { name: 'permessage-deflate', params: bare({}) }]],
    [{ X: 'Sec-WebSocket-Extensions: ' }, 'chat', []],
  ];
  for (const [changes, protocol, extensions] of CASES) {
    assert.equal(verifyUpgradeResponse(response(changes), OFFER), { protocol, extensions }, JSON.stringify(changes));
  }
  assert.equal(verifyUpgradeResponse(response({ 'Sec-WebSocket-Protocol': null }), { key: KEY }), { protocol: undefined, extensions: [] }, 'nothing offered, nothing selected');
  assert.equal(verifyUpgradeResponse(response(), { key: KEY, protocols: 'chat', extensions: 'x-b' }).protocol, 'chat', 'offers in their string forms');
});

/** [label, response, rule, what the message must name]: each check of RFC 6455 §4.1 items 1-6 failing alone. */
const FAILURES = [
  ['200', response({}, 'HTTP/1.1 200 OK'), 'status-not-101', /status is 200/],
  ['301 redirect', response({}, 'HTTP/1.1 301 Moved Permanently'), 'status-not-101', /status is 301/],
  ['401', response({}, 'HTTP/1.1 401 Unauthorized'), 'status-not-101', /status is 401/],
  ['426', response({}, 'HTTP/1.1 426 Upgrade Required'), 'status-not-101', /status is 426/],
  ['no Upgrade', response({ Upgrade: null }), 'upgrade-not-websocket', /Upgrade/],
  ['Upgrade: h2c', response({ Upgrade: 'Upgrade: h2c' }), 'upgrade-not-websocket', /Upgrade.*h2c/],
  ['Upgrade: websockets', response({ Upgrade: 'Upgrade: websockets' }), 'upgrade-not-websocket', /Upgrade/],
  ['no Connection', response({ Connection: null }), 'connection-not-upgrade', /Connection/],
  ['Connection: keep-alive', response({ Connection: 'Connection: keep-alive' }), 'connection-not-upgrade', /Connection/],
  ['Connection: upgraded', response({ Connection: 'Connection: upgraded' }), 'connection-not-upgrade', /Connection/],
  ['no accept', response({ 'Sec-WebSocket-Accept': null }), 'accept-mismatch', /Sec-WebSocket-Accept is missing/],
  ['accept of another key', response({ 'Sec-WebSocket-Accept': `Sec-WebSocket-Accept: ${computeAcceptKey('AAAAAAAAAAAAAAAAAAAAAA==')}` }), 'accept-mismatch', /Sec-WebSocket-Accept/],
  ['accept in lower case', response({ 'Sec-WebSocket-Accept': `Sec-WebSocket-Accept: ${ACCEPT.toLowerCase()}` }), 'accept-mismatch', /Sec-WebSocket-Accept/],
  ['the key echoed', response({ 'Sec-WebSocket-Accept': `Sec-WebSocket-Accept: ${KEY}` }), 'accept-mismatch', /Sec-WebSocket-Accept/],
  ['accept twice', response({ X: `Sec-WebSocket-Accept: ${ACCEPT}` }), 'accept-mismatch', /Sec-WebSocket-Accept/],
  ['extension not offered', response({ X: 'Sec-WebSocket-Extensions: x-b' }), 'extension-not-offered', /x-b/],
  ['one of two not offered', response({ X: 'Sec-WebSocket-Extensions: x-a, x-c; p' }), 'extension-not-offered', /x-c/],
  ['malformed extensions', response({ X: 'Sec-WebSocket-Extensions: x-a;' }), 'response-malformed-extensions', /Sec-WebSocket-Extensions/],
  ['a repeated extension parameter (RFC 7692 §7.1)', response({ X: 'Sec-WebSocket-Extensions: x-a; p=1; p=2' }), 'response-malformed-extensions', /repeats the parameter p/],
  ['protocol not offered', response({ 'Sec-WebSocket-Protocol': 'Sec-WebSocket-Protocol: other' }), 'protocol-not-offered', /subprotocol "other", which was not offered/],
  ['protocol in another case', response({ 'Sec-WebSocket-Protocol': 'Sec-WebSocket-Protocol: Chat' }), 'protocol-not-offered', /"Chat"/],
  ['two protocols', response({ 'Sec-WebSocket-Protocol': 'Sec-WebSocket-Protocol: chat, superchat' }), 'protocol-not-offered', /"chat, superchat"/],
  ['protocol twice', response({ X: 'Sec-WebSocket-Protocol: chat' }), 'protocol-not-offered', /"chat, chat"/],
  ['empty protocol', response({ 'Sec-WebSocket-Protocol': 'Sec-WebSocket-Protocol: ' }), 'protocol-not-offered', /""/],
];

test('verify: each failed check is its own rule, status 0, and the message names it', () => {
  for (const [label, res, rule, names] of FAILURES) {
    const e = expectRule(() => verifyUpgradeResponse(res, OFFER), rule, label);
    assert.match(e.message, /^Cannot verify upgrade response: /, label);
    assert.match(e.message, names, `${label}: ${e.message}`);
  }
  // RFC 6455 §4.1 item 6: a protocol when none was offered, an extension when none was.
  const none = expectRule(() => verifyUpgradeResponse(response(), { key: KEY }), 'protocol-not-offered', 'none offered');
  assert.match(none.message, /none was offered/);
  expectRule(() => verifyUpgradeResponse(response({ 'Sec-WebSocket-Protocol': null, X: 'Sec-WebSocket-Extensions: x-a' }), { key: KEY }), 'extension-not-offered', 'no extension offered');
  // The checks run in the RFC's order: a 200 without any header is reported as its status.
  expectRule(() => verifyUpgradeResponse(parseUpgradeResponse('HTTP/1.1 200 OK\r\n\r\n'), OFFER), 'status-not-101');
  expectRule(() => verifyUpgradeResponse(response(), { ...OFFER, key: 'AAAAAAAAAAAAAAAAAAAAAA==' }), 'accept-mismatch', 'the response to another key');
});

test('verify: every rule of CLIENT_HANDSHAKE_RULES is thrown by some case here, with its section', () => {
  // extension-params-rejected is an extension's own verdict on the answer it accepted (its
  // accept()): spec/extensions/negotiation.spec.mjs throws it.
  const seen = new Set([...FAILURES.map(([, , rule]) => rule), ...BAD_HEADER_LINES.map(([, rule]) => rule), 'malformed-status-line', 'response-too-large', 'extension-params-rejected']);
  assert.equal([...seen].sort(), Object.keys(CLIENT_HANDSHAKE_RULES).sort());
  for (const [rule, { status, rfc }] of Object.entries(CLIENT_HANDSHAKE_RULES)) {
    assert.is(status, 0, rule);
    assert.match(rfc, /^RFC \d+ §[\d.]+$/, rule);
  }
});

test('verify: TypeError for a response that was not parsed or an offer without its key', () => {
  const ok = response();
  const BAD = [
    ['no response', undefined, OFFER], ['null response', null, OFFER], ['a string', RESPONSE, OFFER], ['status a string', { ...ok, status: '101' }, OFFER],
    ['headers null', { ...ok, headers: null }, OFFER], ['no offer', ok, undefined], ['offer null', ok, null], ['no key', ok, {}], ['key a number', ok, { key: 1 }],
    ['unknown offer key', ok, { key: KEY, protocol: 'chat' }], ['protocols malformed', ok, { key: KEY, protocols: ['a b'] }], ['extensions malformed', ok, { key: KEY, extensions: ['a;'] }],
  ];
  for (const [label, res, offer] of BAD) expectThrow(() => verifyUpgradeResponse(res, offer), TypeError, {}, label);
});

test('round trip through the server side: request, 101, verify, for each offer', () => {
  const OFFERS = [
    [{}, {}, { protocol: undefined, extensions: [] }],
    [{ protocols: ['a', 'b'] }, { protocol: 'b' }, { protocol: 'b', extensions: [] }],
    [{ extensions: ['permessage-deflate; client_max_window_bits'] }, { extensions: 'permessage-deflate; client_max_window_bits=15' },
      { protocol: undefined, extensions: [{ name: 'permessage-deflate', params: bare({ client_max_window_bits: '15' }) }] }],
  ];
  for (const [options, answer, want] of OFFERS) {
    const { request, key } = buildUpgradeRequest('ws://h/', options);
    const req = parseUpgradeRequest(request);
    const res = parseUpgradeResponse(buildUpgradeResponse(req.key, answer));
    assert.is(res.status, 101);
    assert.equal(verifyUpgradeResponse(res, { key, ...options }), want);
  }
});

test.run();
