// parseUpgradeRequest and validateUpgradeRequest (RFC 6455 §4.1, §4.2.1 on
// top of RFC 9112's request head): parsing, incompleteness, every malformed
// line with its rule and status, the size limit, and the validation truth table.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { HANDSHAKE_RULES, HandshakeError, MAX_HEAD_BYTES, encodeTextFrame, parseUpgradeRequest, validateUpgradeRequest } from '../../dist/index.js';
import { bytesEqual, concat, expectThrow, noThrow, prng, replaceHeader, utf8 } from '../_util.mjs';

const test = suite('handshake');

// RFC 6455 §1.2: the example client handshake.
const LINES = [
  'GET /chat?room=1&x=%20 HTTP/1.1',
  'Host: server.example.com',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Origin: http://example.com',
  'Sec-WebSocket-Protocol: chat, superchat',
  'Sec-WebSocket-Version: 13',
];
const head = (lines, eol = '\r\n') => lines.join(eol) + eol + eol;
const REQUEST = head(LINES);

/** An object with no prototype holding `fields`: what `headers` must deeply equal. */
const bare = (fields) => Object.assign(Object.create(null), fields);

/** Asserts `fn` throws the HandshakeError of `rule`, with the status lib/rules.ts gives it. */
function expectRule(fn, rule, label) {
  assert.ok(Object.hasOwn(HANDSHAKE_RULES, rule), `${rule} is a HANDSHAKE_RULES key`);
  return expectThrow(fn, HandshakeError, { rule, status: HANDSHAKE_RULES[rule].status }, label);
}

/** The head of LINES with the header `name` replaced by `line` (or removed when line is null). */
const withHeader = (name, line) => head(replaceHeader(LINES, name, line));

test('parses the RFC 6455 §1.2 example request', () => {
  const r = parseUpgradeRequest(REQUEST);
  assert.is(r.method, 'GET');
  assert.is(r.path, '/chat?room=1&x=%20');
  assert.is(r.httpVersion, '1.1');
  assert.is(r.host, 'server.example.com');
  assert.is(r.origin, 'http://example.com');
  assert.is(r.key, 'dGhlIHNhbXBsZSBub25jZQ==');
  assert.is(r.version, '13');
  assert.equal(r.protocols, ['chat', 'superchat']);
  assert.equal(r.extensions, []);
  assert.is(r.headLength, REQUEST.length);
  assert.equal(r.headers, bare({
    host: 'server.example.com',
    upgrade: 'websocket',
    connection: 'Upgrade',
    'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    origin: 'http://example.com',
    'sec-websocket-protocol': 'chat, superchat',
    'sec-websocket-version': '13',
  }));
  assert.is(Object.getPrototypeOf(r.headers), null, 'headers has no prototype');
  assert.equal(r.rawHeaders, LINES.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
});

test('string and Uint8Array input give the same result', () => {
  assert.equal(parseUpgradeRequest(utf8(REQUEST)), parseUpgradeRequest(REQUEST));
  // At an odd byteOffset too.
  const big = new Uint8Array(REQUEST.length + 3);
  big.set(utf8(REQUEST), 3);
  assert.equal(parseUpgradeRequest(big.subarray(3)), parseUpgradeRequest(REQUEST));
});

test('null on every proper prefix of a valid head (string and bytes)', () => {
  const bytes = utf8(REQUEST);
  for (let n = 0; n < REQUEST.length; n++) {
    assert.is(parseUpgradeRequest(REQUEST.slice(0, n)), null, `string prefix of ${n}`);
    assert.is(parseUpgradeRequest(bytes.subarray(0, n)), null, `byte prefix of ${n}`);
  }
  const lf = head(LINES, '\n');
  for (let n = 0; n < lf.length; n++) assert.is(parseUpgradeRequest(lf.slice(0, n)), null, `bare-LF prefix of ${n}`);
});

test('headLength is exact and a pipelined frame after the head is not lost', () => {
  const frame = encodeTextFrame('early', { mask: new Uint8Array([1, 2, 3, 4]) });
  const bytes = concat(utf8(REQUEST), frame);
  const r = parseUpgradeRequest(bytes);
  assert.is(r.headLength, utf8(REQUEST).length);
  bytesEqual(bytes.subarray(r.headLength), frame);
  // A second request's bytes (or a blank line) after the head do not change it.
  assert.is(parseUpgradeRequest(REQUEST + REQUEST).headLength, REQUEST.length);
  assert.is(parseUpgradeRequest(REQUEST + '\r\n\r\n').headLength, REQUEST.length);
});

test('headLength of a string counts UTF-8 bytes', () => {
  const text = head([...LINES, 'X-Name: café ☕']);
  const r = parseUpgradeRequest(text);
  assert.is(r.headLength, utf8(text).length);
  assert.is(r.headers['x-name'], 'café ☕');
});

test('RFC 9112 §2.2: bare LF line ends are tolerated, also mixed with CRLF', () => {
  const lf = head(LINES, '\n');
  const r = parseUpgradeRequest(lf);
  assert.is(r.headLength, lf.length);
  assert.is(r.key, 'dGhlIHNhbXBsZSBub25jZQ==');
  assert.ok(validateUpgradeRequest(lf));
  const mixed = LINES.join('\n') + '\r\n\n';
  assert.is(parseUpgradeRequest(mixed).headLength, mixed.length);
  const mixed2 = LINES.join('\r\n') + '\n\r\n';
  assert.is(parseUpgradeRequest(mixed2).headLength, mixed2.length);
  assert.equal(parseUpgradeRequest(mixed2).headers, parseUpgradeRequest(REQUEST).headers);
});

test('RFC 9112 §2.2: empty lines before the request line are skipped and counted', () => {
  for (const lead of ['\r\n', '\n', '\r\n\r\n', '\n\r\n']) {
    const r = parseUpgradeRequest(lead + REQUEST);
    assert.ok(r !== null, JSON.stringify(lead));
    assert.is(r.method, 'GET');
    assert.is(r.headLength, lead.length + REQUEST.length);
    assert.is(parseUpgradeRequest(lead), null, 'only empty lines: still incomplete');
  }
});

test('header names are lower-cased, values trimmed of OWS', () => {
  const r = parseUpgradeRequest(head(['GET / HTTP/1.1', 'HOST: a', 'x-MiXeD:   v  w \t', 'Empty:', 'Tab:\tt']));
  assert.equal(r.headers, bare({ host: 'a', 'x-mixed': 'v  w', empty: '', tab: 't' }));
  assert.is(r.host, 'a');
  assert.equal(r.rawHeaders, [['HOST', 'a'], ['x-MiXeD', 'v  w'], ['Empty', ''], ['Tab', 't']], 'rawHeaders keep the case, not the OWS');
});

test('RFC 9110 §5.3: repeated headers are joined with ", "', () => {
  const r = parseUpgradeRequest(head([...LINES, 'X-A: 1', 'x-a: 2', 'X-A: 3', 'Sec-WebSocket-Protocol: v3']));
  assert.is(r.headers['x-a'], '1, 2, 3');
  assert.is(r.headers['sec-websocket-protocol'], 'chat, superchat, v3');
  assert.equal(r.protocols, ['chat', 'superchat', 'v3']);
});

test('RFC 6265 §5.4: repeated Cookie headers are joined with "; ", in any case, as bytes too', () => {
  const text = head([...LINES, 'Cookie: a=1', 'X-A: 1', 'cookie: b=2; c=3', 'COOKIE: d=4', 'X-A: 2']);
  for (const input of [text, utf8(text)]) {
    const r = parseUpgradeRequest(input);
    assert.is(r.headers.cookie, 'a=1; b=2; c=3; d=4');
    assert.is(r.headers['x-a'], '1, 2', 'other headers still join with ", "');
  }
  assert.is(parseUpgradeRequest(head([...LINES, 'Cookie: a=1, b'])).headers.cookie, 'a=1, b', 'one Cookie line is kept as sent');
  // Set-Cookie is a response header; in a request it is one more list, joined with ", ".
  assert.is(parseUpgradeRequest(head([...LINES, 'Set-Cookie: a=1', 'Set-Cookie: b=2'])).headers['set-cookie'], 'a=1, b=2');
});

test('rawHeaders: every line in arrival order, original case, repeats kept apart', () => {
  const lines = ['GET / HTTP/1.1', 'Host: h', 'cookie: a=1', 'X-Dup: 1', 'COOKIE:  b=2 ', 'x-dup:2', '__proto__: p', 'Constructor: c'];
  for (const input of [head(lines), utf8(head(lines, '\n'))]) {
    const r = parseUpgradeRequest(input);
    assert.equal(r.rawHeaders, [['Host', 'h'], ['cookie', 'a=1'], ['X-Dup', '1'], ['COOKIE', 'b=2'], ['x-dup', '2'], ['__proto__', 'p'], ['Constructor', 'c']]);
    assert.ok(r.rawHeaders.every((pair) => Array.isArray(pair) && pair.length === 2), 'pairs');
  }
  assert.equal(parseUpgradeRequest('GET / HTTP/1.1\r\n\r\n').rawHeaders, []);
  // Each parse has its own arrays.
  const a = parseUpgradeRequest(REQUEST), b = parseUpgradeRequest(REQUEST);
  assert.is.not(a.rawHeaders, b.rawHeaders);
  assert.is.not(a.headers, b.headers);
});

test('absent headers are undefined; protocols and extensions empty', () => {
  const r = parseUpgradeRequest('GET / HTTP/1.1\r\n\r\n');
  assert.equal(r.headers, bare({}));
  for (const k of ['host', 'origin', 'key', 'version']) assert.is(r[k], undefined, k);
  assert.equal(r.protocols, []);
  assert.equal(r.extensions, []);
});

test('RFC 6455 §4.1: protocols are split, trimmed, empty elements dropped', () => {
  const r = parseUpgradeRequest(withHeader('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol:  a ,,b,\t c.v2 , '));
  assert.equal(r.protocols, ['a', 'b', 'c.v2']);
});

test('RFC 6455 §9.1: extension offers with params, quoted values unquoted', () => {
  const value = 'permessage-deflate; client_max_window_bits, permessage-deflate ; server_max_window_bits="10" ;client_no_context_takeover,x-foo;a=1;b="q\\rs"';
  const r = parseUpgradeRequest(withHeader('Sec-WebSocket-Extensions', `Sec-WebSocket-Extensions: ${value}`));
  assert.equal(r.extensions, [
    { name: 'permessage-deflate', params: bare({ client_max_window_bits: true }) },
    { name: 'permessage-deflate', params: bare({ server_max_window_bits: '10', client_no_context_takeover: true }) },
    { name: 'x-foo', params: bare({ a: '1', b: 'qrs' }) },
  ]);
  // Empty list elements are ignored (RFC 9110 §5.6.1).
  const e = parseUpgradeRequest(withHeader('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: , a ,, b;x ,'));
  assert.equal(e.extensions, [{ name: 'a', params: bare({}) }, { name: 'b', params: bare({ x: true }) }]);
});

test('RFC 7692 §7.1: a repeated extension parameter is no parse error; the first value is kept and the name listed in repeated', () => {
  const r = parseUpgradeRequest(withHeader('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: x; a=1; b; a=2; a, y; c'));
  assert.equal(r.extensions, [{ name: 'x', params: bare({ a: '1', b: true }), repeated: ['a'] }, { name: 'y', params: bare({ c: true }) }]);
  assert.is('repeated' in r.extensions[1], false, 'an offer without repeats has no repeated key');
});

test("'__proto__' and other Object.prototype names are plain headers and params: no pollution, no shadowing", () => {
  const r = parseUpgradeRequest(head(['GET / HTTP/1.1', '__proto__: polluted', 'constructor: c', 'hasOwnProperty: h', 'Sec-WebSocket-Extensions: x; __proto__=1; constructor']));
  assert.is(Object.getPrototypeOf(r.headers), null);
  assert.equal(Object.keys(r.headers), ['__proto__', 'constructor', 'hasownproperty', 'sec-websocket-extensions']);
  // A repeated '__proto__' header joins like any other, and never becomes a prototype.
  const twice = parseUpgradeRequest(head(['GET / HTTP/1.1', '__proto__: a', '__PROTO__: b', 'toString: t']));
  assert.is(twice.headers['__proto__'], 'a, b');
  assert.is(Object.getPrototypeOf(twice.headers), null);
  assert.is(twice.headers.tostring, 't');
  assert.ok(Object.prototype.hasOwnProperty.call(r.headers, '__proto__'));
  assert.is(r.headers['__proto__'], 'polluted');
  assert.is(r.headers.constructor, 'c');
  assert.is(r.headers.hasownproperty, 'h');
  const params = r.extensions[0].params;
  assert.is(Object.getPrototypeOf(params), null, "params has no prototype either");
  assert.ok(Object.prototype.hasOwnProperty.call(params, '__proto__'));
  assert.is(params['__proto__'], '1');
  assert.is(params.constructor, true);
  assert.is({}.polluted, undefined, 'Object.prototype untouched');
  // Inherited names do not masquerade as headers that are absent (no shadowing).
  const none = parseUpgradeRequest('GET / HTTP/1.1\r\n\r\n');
  assert.is(none.host, undefined);
  for (const name of ['constructor', 'hasOwnProperty', 'toString', 'valueOf', '__proto__', '__defineGetter__', 'isPrototypeOf']) {
    assert.is(none.headers[name], undefined, `${name} reads as absent`);
    assert.is(name in none.headers, false, `${name} in headers`);
  }
});

const BAD_REQUEST_LINES = [
  'GET /', 'GET / HTTP/1.1 ', 'GET  / HTTP/1.1', ' GET / HTTP/1.1', 'GET / HTTP/11', 'GET / HTTP/1', 'GET / HTTPS/1.1',
  'GET / http/1.1', 'GET /a b HTTP/1.1', 'GET\t/\tHTTP/1.1', 'G@T / HTTP/1.1', 'GE(T / HTTP/1.1', '/ HTTP/1.1',
  'GET / HTTP/1.1x', 'GET /\x01 HTTP/1.1', 'GET /\x7f HTTP/1.1', 'GET / HTTP/1.10', 'HTTP/1.1', 'GET', '',
  'GET /caf\u00e9 HTTP/1.1', // RFC 3986 §2: a request target is visible ASCII; other bytes are percent-encoded
];
/** [line, the rule it breaks] */
const BAD_HEADER_LINES = [
  ['Host example.com', 'malformed-header'],             // RFC 9112 §5.1: no colon
  ['Host : example.com', 'malformed-header'],           // RFC 9112 §5.1: whitespace before the colon
  ['Host\t: example.com', 'malformed-header'],
  [': value', 'malformed-header'],                      // empty name
  ['Ho@st: a', 'malformed-header'], ['Ho st: a', 'malformed-header'], ['Hóst: a', 'malformed-header'], ['"Host": a', 'malformed-header'],
  [' folded', 'obs-fold'],                              // RFC 9112 §5.2: obs-fold
  ['\tfolded', 'obs-fold'],
  ['X-A: a\rb', 'bare-cr'],                             // RFC 9112 §2.2: bare CR
  ['X-A: ok\r', 'bare-cr'],                             // a CR before the CRLF: still a bare CR
  ...['X-A: a\x00b', 'X-A: a\x01b', 'X-A: a\x1bb', 'X-A: a\x7fb', 'X-A: a\x0bb', 'X-A: a\x0cb'].map((l) => [l, 'invalid-header-value']), // RFC 9110 §5.5
  ['Host: second.example', 'duplicate-host'],           // RFC 9112 §3.2: two Host headers
  ['Sec-WebSocket-Protocol: a b', 'malformed-protocol'], // RFC 6455 §4.1: tokens only
  ['Sec-WebSocket-Protocol: a;b', 'malformed-protocol'],
  ['Sec-WebSocket-Protocol: "chat"', 'malformed-protocol'],
  ...[
    'x y', 'x;', ';x', '=x', 'x; a=', 'x; a="b', 'x; a="b c"', 'x; a=""', 'x; a=b c', 'x, "y"',
  ].map((v) => [`Sec-WebSocket-Extensions: ${v}`, 'malformed-extensions']), // RFC 6455 §9.1 syntax
];

test('a malformed request line is HandshakeError 400 malformed-request-line', () => {
  for (const line of BAD_REQUEST_LINES) {
    const text = head([line, 'Host: a']);
    expectRule(() => parseUpgradeRequest(text), 'malformed-request-line', JSON.stringify(line));
    expectRule(() => parseUpgradeRequest(utf8(text)), 'malformed-request-line', JSON.stringify(line) + ' as bytes');
  }
});

test('a malformed header line is HandshakeError 400 with the rule it breaks', () => {
  for (const [line, rule] of BAD_HEADER_LINES) {
    const text = head([...LINES, line]);
    const e = expectRule(() => parseUpgradeRequest(text), rule, JSON.stringify(line));
    assert.is(e.status, 400);
    assert.is(e.name, 'HandshakeError');
    assert.instance(e, Error);
    expectRule(() => parseUpgradeRequest(utf8(text)), rule, JSON.stringify(line) + ' as bytes');
  }
});

test('every rule parseUpgradeRequest throws is in HANDSHAKE_RULES with its status', () => {
  const seen = new Set(BAD_HEADER_LINES.map(([, rule]) => rule).concat('malformed-request-line', 'head-too-large'));
  for (const rule of seen) {
    assert.ok(Object.hasOwn(HANDSHAKE_RULES, rule), rule);
    assert.ok(/^RFC \d+ §[\d.]+$/.test(HANDSHAKE_RULES[rule].rfc), `${rule} cites its section: ${HANDSHAKE_RULES[rule].rfc}`);
  }
  assert.is(HANDSHAKE_RULES['head-too-large'].status, 431);
});

test('RFC 6585 §5: a complete head over 16 KiB is 431; exactly 16 KiB parses', () => {
  assert.is(MAX_HEAD_BYTES, 16384);
  const base = head(['GET / HTTP/1.1', 'X-Pad: ']).length; // a head with an empty X-Pad value
  const exact = head(['GET / HTTP/1.1', 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES - base)]);
  assert.is(exact.length, MAX_HEAD_BYTES);
  assert.is(parseUpgradeRequest(exact).headLength, MAX_HEAD_BYTES);
  assert.is(parseUpgradeRequest(utf8(exact)).headLength, MAX_HEAD_BYTES);
  const over = head(['GET / HTTP/1.1', 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES - base + 1)]);
  expectRule(() => parseUpgradeRequest(over), 'head-too-large', 'string');
  expectRule(() => parseUpgradeRequest(utf8(over)), 'head-too-large', 'bytes');
  // Leading empty lines count toward the limit.
  expectRule(() => parseUpgradeRequest('\r\n' + exact), 'head-too-large', 'leading CRLF');
  expectRule(() => parseUpgradeRequest(head(['GET / HTTP/1.1', 'X-Pad: ' + 'p'.repeat(40000)])), 'head-too-large');
});

test('an incomplete head already over 16 KiB is 431, not null', () => {
  const partial = 'GET / HTTP/1.1\r\nX-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES);
  expectRule(() => parseUpgradeRequest(partial), 'head-too-large', 'string');
  expectRule(() => parseUpgradeRequest(utf8(partial)), 'head-too-large', 'bytes');
  expectRule(() => parseUpgradeRequest('\r\n'.repeat(MAX_HEAD_BYTES)), 'head-too-large', 'only empty lines');
  // Under the limit and incomplete: still waiting for more.
  assert.is(parseUpgradeRequest('GET / HTTP/1.1\r\nX-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES - 100)), null);
});

test('the 16 KiB limit counts UTF-8 bytes of a string head, complete or not', () => {
  // 6000 "é" are 6000 UTF-16 units but 12000 bytes; 9000 are 18000 bytes.
  const complete = head(['GET / HTTP/1.1', 'X-Pad: ' + 'é'.repeat(9000)]);
  expectRule(() => parseUpgradeRequest(complete), 'head-too-large', 'complete');
  assert.ok(parseUpgradeRequest(head(['GET / HTTP/1.1', 'X-Pad: ' + 'é'.repeat(6000)])) !== null);
  const partial = 'GET / HTTP/1.1\r\nX-Pad: ' + 'é'.repeat(9000);
  expectRule(() => parseUpgradeRequest(partial), 'head-too-large', 'incomplete');
});

test('parseUpgradeRequest: an ArrayBuffer or any ArrayBufferView is read as its own window of bytes', () => {
  // An even number of bytes, so that a Uint16Array can hold exactly the head.
  const text = REQUEST.length % 2 === 0 ? REQUEST : head([...LINES, 'X: yz']);
  const want = parseUpgradeRequest(text);
  const bytes = utf8(text);
  // 0xFF filler around the window: a parser reading past it finds no blank line, only a bad byte.
  const inside = new Uint8Array(bytes.length + 11).fill(0xff);
  inside.set(bytes, 5);
  const even = new Uint8Array(bytes.length + 10).fill(0xff);
  even.set(bytes, 4);
  const cases = [
    ['ArrayBuffer', bytes.slice().buffer],
    ['DataView at offset 5', new DataView(inside.buffer, 5, bytes.length)],
    ['Int8Array at offset 5', new Int8Array(inside.buffer, 5, bytes.length)],
    ['Uint8ClampedArray at offset 5', new Uint8ClampedArray(inside.buffer, 5, bytes.length)],
    ['Uint16Array at offset 4', new Uint16Array(even.buffer, 4, bytes.length / 2)],
  ];
  for (const [label, input] of cases) {
    assert.equal(parseUpgradeRequest(input), want, label);
    assert.is(validateUpgradeRequest(input), true, label);
  }
  // A window that stops before the blank line is incomplete, whatever follows it in the buffer.
  assert.is(parseUpgradeRequest(new DataView(inside.buffer, 5, bytes.length - 1)), null, 'DataView one byte short');
  assert.is(parseUpgradeRequest(new Uint8Array(0).buffer), null, 'empty ArrayBuffer');
  // A window over bytes that break a rule breaks it through any view.
  const bad = utf8(head([...LINES, 'X-A: a\x01b']));
  expectRule(() => parseUpgradeRequest(new DataView(bad.buffer)), 'invalid-header-value', 'DataView');
  expectRule(() => parseUpgradeRequest(bad.buffer), 'invalid-header-value', 'ArrayBuffer');
});

test('parseUpgradeRequest: TypeError for input that is not a string or bytes', () => {
  for (const bad of [undefined, null, 42, {}, [71, 69, 84], new String('GET / HTTP/1.1\r\n\r\n'), { buffer: new ArrayBuffer(4), byteOffset: 0, byteLength: 4 }]) {
    expectThrow(() => parseUpgradeRequest(bad), TypeError, {}, Object.prototype.toString.call(bad));
  }
});

test('validateUpgradeRequest: the RFC 6455 §1.2 request is valid, as string and bytes', () => {
  assert.is(validateUpgradeRequest(REQUEST), true);
  assert.is(validateUpgradeRequest(utf8(REQUEST)), true);
  const minimal = head(['GET / HTTP/1.1', 'Host: h', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA==', 'Sec-WebSocket-Version: 13']);
  assert.is(validateUpgradeRequest(minimal), true, 'no Origin, no protocols');
});

// RFC 6455 §4.2.1: each required condition, removed in turn.
const FALSE_CASES = [
  ['no Host', withHeader('Host', null)],
  ['empty Host', withHeader('Host', 'Host: ')],
  ['no Upgrade', withHeader('Upgrade', null)],
  ['Upgrade: h2c', withHeader('Upgrade', 'Upgrade: h2c')],
  ['Upgrade: websockets', withHeader('Upgrade', 'Upgrade: websockets')],
  ['Upgrade: web socket', withHeader('Upgrade', 'Upgrade: web socket')],
  ['no Connection', withHeader('Connection', null)],
  ['Connection: keep-alive', withHeader('Connection', 'Connection: keep-alive')],
  ['Connection: upgraded', withHeader('Connection', 'Connection: upgraded')],
  ['Connection: keep-alive upgrade', withHeader('Connection', 'Connection: keep-alive upgrade')],
  ['no key', withHeader('Sec-WebSocket-Key', null)],
  ['empty key', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: ')],
  ['key of 15 bytes', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA')],
  ['key of 17 bytes', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA8=')],
  ['key of 18 bytes', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAA')],
  ['key not base64', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ!!')],
  ['key without padding', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ')],
  ['key with non-zero pad bits', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==')],
  ['two keys', head([...LINES, 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=='])],
  ['no version', withHeader('Sec-WebSocket-Version', null)],
  ['version 8', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8')],
  ['version 12', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 12')],
  ['version 14', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 14')],
  ['version 013', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 013')],
  ['versions 13, 8', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 13, 8')],
  ['HTTP/1.0', REQUEST.replace('HTTP/1.1', 'HTTP/1.0')],
  ['HTTP/0.9', REQUEST.replace('HTTP/1.1', 'HTTP/0.9')],
  ['POST', REQUEST.replace('GET', 'POST')],
  ['get (methods are case-sensitive)', REQUEST.replace('GET', 'get')],
  ['HEAD', REQUEST.replace('GET', 'HEAD')],
  ['incomplete head', REQUEST.slice(0, -2)],
  ['malformed header (400)', head([...LINES, 'Bad Header: x'])],
  ['too large (431)', head([...LINES, 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES)])],
];

test('validateUpgradeRequest: false when any required condition is missing', () => {
  for (const [label, text] of FALSE_CASES) {
    assert.is(validateUpgradeRequest(text), false, label);
    assert.is(validateUpgradeRequest(utf8(text)), false, label + ' (bytes)');
  }
});

test('validateUpgradeRequest: tokens are case-insensitive list elements', () => {
  const TRUE_CASES = [
    withHeader('Connection', 'Connection: keep-alive, Upgrade'), // Firefox
    withHeader('Connection', 'Connection: UPGRADE'),
    withHeader('Connection', 'Connection: upgrade'),
    withHeader('Connection', 'Connection: Upgrade , keep-alive'),
    withHeader('Connection', 'Connection:keep-alive,upgrade'),
    head([...LINES.filter((l) => !l.startsWith('Connection')), 'Connection: keep-alive', 'Connection: Upgrade']), // joined with ", "
    withHeader('Upgrade', 'Upgrade: WebSocket'),
    withHeader('Upgrade', 'Upgrade: WEBSOCKET'),
    withHeader('Upgrade', 'Upgrade: h2c, websocket'),
    withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version:   13  '),
    REQUEST.replace('HTTP/1.1', 'HTTP/1.2'), // "HTTP/1.1 or later"
    head(LINES.map((l) => l.replace(/^[^:]+:/, (n) => n.toUpperCase()))), // header names in any case
  ];
  for (const text of TRUE_CASES) assert.is(validateUpgradeRequest(text), true, text.split('\r\n').join(' | '));
});

test('validateUpgradeRequest: never throws, whatever the input', () => {
  const garbage = [
    undefined, null, 0, 42, NaN, -1, 1n, true, false, '', ' ', '\r\n\r\n', {}, [], [1, 2], () => 1, Symbol('s'),
    new ArrayBuffer(8), new DataView(new ArrayBuffer(8)), new Uint16Array(4), new Float64Array(3), Object.create(null),
    { toString() { throw new Error('boom'); } }, new Proxy({}, { get() { throw new Error('trap'); }, getPrototypeOf() { throw new Error('trap'); } }),
    'GET / HTTP/1.1\r\n\r\n', 'GET / HTTP/1.1\r\nHost: a\r\n\r\n', '\0'.repeat(100), 'x'.repeat(MAX_HEAD_BYTES * 2),
  ];
  for (const g of garbage) {
    const result = noThrow(() => validateUpgradeRequest(g), typeof g);
    assert.is(result, false, String(typeof g));
  }
  const rnd = prng(30);
  for (let i = 0; i < 300; i++) {
    const bytes = rnd.bytes(rnd.int(200));
    // Random bytes, and a valid head with random bytes spliced in.
    const spliced = utf8(REQUEST);
    const at = rnd.int(spliced.length);
    spliced[at] = rnd.next() & 255;
    for (const input of [bytes, spliced, String.fromCharCode(...bytes)]) {
      assert.type(noThrow(() => validateUpgradeRequest(input), `random input ${i}`), 'boolean');
    }
  }
});

test.run();
