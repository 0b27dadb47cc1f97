// checkUpgradeRequest, validateUpgradeRequest, buildRejectResponse and
// selectProtocol (RFC 6455 §4.2.1-§4.2.2, RFC 9110 §15): every refusal with
// its status, rule and headers, the order of the checks, every split point,
// the 431 before the blank line, the same verdict from every input shape,
// and refusals parsed back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  HANDSHAKE_RULES, MAX_HEAD_BYTES, buildRejectResponse, buildUpgradeResponse, checkUpgradeRequest, parseUpgradeRequest, selectProtocol, validateUpgradeRequest,
} from '../../dist/index.js';
import { expectThrow, noThrow, replaceHeader, utf8 } from '../_util.mjs';

const test = suite('check');

// RFC 6455 §1.2: the example client handshake.
const LINES = [
  'GET /chat?room=1 HTTP/1.1',
  'Host: server.example.com',
  'Upgrade: websocket',
  'Connection: Upgrade',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  'Origin: http://example.com',
  'Sec-WebSocket-Protocol: chat, superchat',
  'Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits',
  'Sec-WebSocket-Version: 13',
];
const head = (lines) => lines.join('\r\n') + '\r\n\r\n';
const REQUEST = head(LINES);

/** LINES with the header `name` replaced by `line` (removed when null, added when absent). */
const withHeader = (name, line, lines = LINES) => replaceHeader(lines, name, line);
const withMethod = (method, lines = LINES) => [lines[0].replace(/^\S+/, method), ...lines.slice(1)];

const NONE = {};
const ALLOW = { Allow: 'GET' };
const VERSION = { 'Sec-WebSocket-Version': '13' };

/** [label, lines, status, rule, headers]: one row per refusal path, RFC 6455 §4.2.1 in its order. */
const REFUSALS = [
  ['POST', withMethod('POST'), 405, 'method-not-get', ALLOW],
  ['HEAD', withMethod('HEAD'), 405, 'method-not-get', ALLOW],
  ['get (methods are case-sensitive, RFC 9110 §9.1)', withMethod('get'), 405, 'method-not-get', ALLOW],
  // Item 1 comes first: a POST with every other field wrong is still a 405.
  ['POST, version 8, no Host', withMethod('POST', withHeader('Host', null, withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8'))), 405, 'method-not-get', ALLOW],
  ['HTTP/1.0', [LINES[0].replace('1.1', '1.0'), ...LINES.slice(1)], 400, 'http-version', NONE],
  ['HTTP/0.9, no Host', [LINES[0].replace('1.1', '0.9'), ...withHeader('Host', null).slice(1)], 400, 'http-version', NONE],
  ['no Host', withHeader('Host', null), 400, 'missing-host', NONE],
  ['a Host that is not host[:port] (RFC 9112 §3.2)', withHeader('Host', 'Host: a b'), 400, 'invalid-host', NONE],
  ['a Host with a port that is not digits', withHeader('Host', 'Host: example.com:80x'), 400, 'invalid-host', NONE],
  ['empty Host', withHeader('Host', 'Host: '), 400, 'missing-host', NONE],
  ['no Host, no Upgrade', withHeader('Upgrade', null, withHeader('Host', null)), 400, 'missing-host', NONE],
  ['no Upgrade', withHeader('Upgrade', null), 400, 'missing-upgrade', NONE],
  ['Upgrade: h2c', withHeader('Upgrade', 'Upgrade: h2c'), 400, 'missing-upgrade', NONE],
  ['Upgrade: websockets', withHeader('Upgrade', 'Upgrade: websockets'), 400, 'missing-upgrade', NONE],
  ['no Upgrade, no Connection', withHeader('Connection', null, withHeader('Upgrade', null)), 400, 'missing-upgrade', NONE],
  ['no Connection', withHeader('Connection', null), 400, 'missing-connection', NONE],
  ['Connection: keep-alive', withHeader('Connection', 'Connection: keep-alive'), 400, 'missing-connection', NONE],
  ['no key', withHeader('Sec-WebSocket-Key', null), 400, 'invalid-key', NONE],
  ['key of 15 bytes', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA'), 400, 'invalid-key', NONE],
  ['key not base64', withHeader('Sec-WebSocket-Key', 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ!!'), 400, 'invalid-key', NONE],
  // Item 5 before item 6: a bad key with a bad version is a 400.
  ['no key, version 8', withHeader('Sec-WebSocket-Key', null, withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8')), 400, 'invalid-key', NONE],
  ['no version', withHeader('Sec-WebSocket-Version', null), 426, 'unsupported-version', VERSION],
  ['version 8', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 8'), 426, 'unsupported-version', VERSION],
  ['version 14', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 14'), 426, 'unsupported-version', VERSION],
  ['versions 13, 8', withHeader('Sec-WebSocket-Version', 'Sec-WebSocket-Version: 13, 8'), 426, 'unsupported-version', VERSION],
  ['malformed protocol', withHeader('Sec-WebSocket-Protocol', 'Sec-WebSocket-Protocol: a b'), 400, 'malformed-protocol', NONE],
  ['malformed extensions', withHeader('Sec-WebSocket-Extensions', 'Sec-WebSocket-Extensions: x;'), 400, 'malformed-extensions', NONE],
  ['two Host lines', [...LINES, 'Host: other.example'], 400, 'duplicate-host', NONE],
  // Syntax errors come before every §4.2.1 check, even a 405's.
  ['POST with a malformed header', [...withMethod('POST'), 'Bad Header: x'], 400, 'malformed-header', NONE],
];
/** Rows only a byte head can carry: a fetch Request or Node has already refused them. */
const HEAD_ONLY = [
  ['malformed request line', ['GET  / HTTP/1.1', ...LINES.slice(1)], 400, 'malformed-request-line', NONE],
  ['obs-fold', [...LINES, ' folded'], 400, 'obs-fold', NONE],
  ['bare CR', [...LINES, 'X-A: a\rb'], 400, 'bare-cr', NONE],
  ['NUL in a value', [...LINES, 'X-A: a\0b'], 400, 'invalid-header-value', NONE],
  ['a complete head over 16 KiB', [...LINES, 'X-Pad: ' + 'p'.repeat(MAX_HEAD_BYTES)], 431, 'head-too-large', NONE],
];

function expectRefusal(result, status, rule, headers, label) {
  assert.ok(result !== null && typeof result === 'object', `${label}: a result`);
  assert.is(result.ok, false, `${label}: ok`);
  assert.is(result.reason, rule, `${label}: reason (${result.message})`);
  assert.is(result.status, status, `${label}: status`);
  assert.is(HANDSHAKE_RULES[rule].status, status, `${label}: the status is the rule's`);
  assert.equal(result.headers, headers, `${label}: headers`);
  assert.type(result.message, 'string');
  assert.ok(/^[A-Z]/.test(result.message) && !result.message.endsWith('.'), `${label}: message style: ${result.message}`);
}

test('RFC 6455 §1.2: the example request is accepted, as text and bytes, with the request parseUpgradeRequest gives', () => {
  for (const input of [REQUEST, utf8(REQUEST), utf8(REQUEST).buffer, new DataView(utf8(REQUEST).buffer)]) {
    const r = checkUpgradeRequest(input);
    assert.equal(Object.keys(r), ['ok', 'request']);
    assert.is(r.ok, true);
    assert.equal(r.request, parseUpgradeRequest(REQUEST));
    assert.is(validateUpgradeRequest(input), true);
  }
});

test('every refusal: its status, its rule, the headers its status needs, as text and bytes', () => {
  const seen = new Set();
  for (const [label, lines, status, rule, headers] of [...REFUSALS, ...HEAD_ONLY]) {
    const text = head(lines);
    for (const input of [text, utf8(text)]) {
      expectRefusal(checkUpgradeRequest(input), status, rule, headers, label);
      assert.is(validateUpgradeRequest(input), false, label);
    }
    seen.add(rule);
  }
  // Every handshake rule has a row: a rule no path reaches is dead.
  assert.equal([...Object.keys(HANDSHAKE_RULES)].filter((r) => !seen.has(r)), []);
  // Each result has its own headers object.
  const a = checkUpgradeRequest(head(withMethod('POST'))), b = checkUpgradeRequest(head(withMethod('POST')));
  assert.is.not(a.headers, b.headers);
});

test('null at every split point of a valid head, the result once complete', () => {
  const bytes = utf8(REQUEST);
  for (let n = 0; n < REQUEST.length; n++) {
    assert.is(checkUpgradeRequest(REQUEST.slice(0, n)), null, `string prefix of ${n}`);
    assert.is(checkUpgradeRequest(bytes.subarray(0, n)), null, `byte prefix of ${n}`);
    assert.is(validateUpgradeRequest(bytes.subarray(0, n)), false, `byte prefix of ${n}`);
  }
  assert.is(checkUpgradeRequest(bytes).ok, true);
  // A refusal too is only known once the head is complete.
  const post = head(withMethod('POST'));
  for (let n = 0; n < post.length; n++) assert.is(checkUpgradeRequest(post.slice(0, n)), null, `POST prefix of ${n}`);
  assert.is(checkUpgradeRequest(post).status, 405);
});

test('RFC 6585 §5: 431 as soon as the bytes exceed MAX_HEAD_BYTES, before any blank line', () => {
  const start = 'GET / HTTP/1.1\r\nX-Pad: ';
  const exact = utf8(start + 'p'.repeat(MAX_HEAD_BYTES - start.length));
  assert.is(exact.length, MAX_HEAD_BYTES);
  assert.is(checkUpgradeRequest(exact), null, 'exactly the limit: still waiting');
  const over = utf8(start + 'p'.repeat(MAX_HEAD_BYTES - start.length + 1));
  expectRefusal(checkUpgradeRequest(over), 431, 'head-too-large', NONE, 'one byte over');
  expectRefusal(checkUpgradeRequest(start + 'é'.repeat(MAX_HEAD_BYTES / 2)), 431, 'head-too-large', NONE, 'over in UTF-8 bytes, not in characters');
  assert.is(validateUpgradeRequest(over), false);
});

// The same request in each shape a server may hold it in.
const parts = (lines) => {
  const [method, path, version] = lines[0].split(' ');
  const pairs = lines.slice(1).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]);
  return { method, path, pairs, httpVersion: version.slice(5) };
};
function objectOf(pairs) {
  const o = {};
  for (const [n, v] of pairs) { const k = n.toLowerCase(); o[k] = o[k] === undefined ? v : `${o[k]}, ${v}`; }
  return o;
}
/** A fetch Request that keeps these headers: a browser drops forbidden ones (Connection, Upgrade, Sec-*). */
const REQUEST_KEEPS = (() => {
  try { return new Request('http://h/', { headers: { Upgrade: 'websocket', 'Sec-WebSocket-Key': 'k' } }).headers.has('sec-websocket-key'); } catch { return false; }
})();
const SHAPES = {
  'string': (l) => head(l),
  'bytes': (l) => utf8(head(l)),
  '{ method, url, headers: object }': (l) => { const { method, path, pairs } = parts(l); return { method, url: path, headers: objectOf(pairs) }; },
  '{ method, url, headers: Map }': (l) => { const { method, path, pairs } = parts(l); return { method, url: path, headers: new Map(Object.entries(objectOf(pairs))) }; },
  '{ method, url, headers: pairs }': (l) => { const { method, path, pairs } = parts(l); return { method, url: path, headers: pairs }; },
  '{ method, url, headers: Headers }': (l) => { const { method, path, pairs } = parts(l); return { method, url: path, headers: new Headers(pairs) }; },
  'IncomingMessage-like': (l) => { const { method, path, pairs, httpVersion } = parts(l); return { method, url: path, httpVersion, headers: objectOf(pairs), rawHeaders: pairs.flat() }; },
  ...(REQUEST_KEEPS ? { 'Request': (l) => { const { method, path, pairs } = parts(l); return new Request('http://server.example.com' + path, { method, headers: pairs }); } } : {}),
};

/** The fields a request object can carry (headLength and rawHeaders' case depend on the shape). */
const comparable = (r) => r.ok
  ? { ok: true, method: r.request.method, path: r.request.path, httpVersion: r.request.httpVersion, key: r.request.key, version: r.request.version, host: r.request.host, origin: r.request.origin, protocols: r.request.protocols, extensions: r.request.extensions, headers: { ...r.request.headers } }
  : { ok: false, status: r.status, reason: r.reason, headers: r.headers };

test('every input shape gives the same verdict for the same request', () => {
  const rows = [['valid', LINES], ...REFUSALS.map(([label, lines]) => [label, lines])];
  for (const [label, lines] of rows) {
    const want = comparable(checkUpgradeRequest(head(lines)));
    for (const [shape, make] of Object.entries(SHAPES)) {
      // An object, a Map, a Headers and a Request hold one Host; Fetch upper-cases "get" and
      // takes its URL's host as Host; only Node's object says its HTTP version. Checked apart, below.
      if (/object|Map|Headers|Request/.test(shape) && /two Host/.test(label)) continue;
      if (/Request/.test(shape) && /get \(|no Host|empty Host/.test(label)) continue;
      if (/Headers|Request/.test(shape) && /malformed header/.test(label)) continue; // Headers refuses the name itself
      if (/\{|Request/.test(shape) && /HTTP\//.test(label)) continue;
      let input;
      try { input = make(lines); } catch (e) { assert.unreachable(`${label}, ${shape}: cannot build the input: ${e.message}`); }
      const got = checkUpgradeRequest(input);
      assert.equal(comparable(got), want, `${label} as ${shape}`);
      if (got.ok) {
        assert.is(Object.getPrototypeOf(got.request.headers), null, `${shape}: null-prototype headers`);
        assert.is(got.request.headLength, /string|bytes/.test(shape) ? utf8(head(lines)).length : 0, `${shape}: headLength`);
      }
      assert.is(validateUpgradeRequest(input), want.ok, `${label} as ${shape}: validate`);
    }
  }
  assert.ok(Object.keys(SHAPES).length >= 7);
});

test('a parsed request: rawHeaders, Cookie joined with "; ", Set-Cookie arrays, undefined values, path from a URL', () => {
  const lines = [...LINES, 'Cookie: a=1', 'X-A: 1', 'cookie: b=2'];
  const { pairs } = parts(lines);
  const r = checkUpgradeRequest({ method: 'GET', url: '/chat?room=1', headers: pairs }).request;
  assert.is(r.headers.cookie, 'a=1; b=2');
  assert.equal(r.rawHeaders, pairs);
  assert.equal(r, { ...parseUpgradeRequest(head(lines)), headLength: 0 });
  // Node: rawHeaders wins over headers (it keeps case and repeats); array values are lines.
  const node = checkUpgradeRequest({ method: 'GET', url: '/chat?room=1', headers: { junk: 1 }, rawHeaders: pairs.flat() }).request;
  assert.equal(node.rawHeaders, pairs);
  const arrays = checkUpgradeRequest({ method: 'GET', url: '/', headers: { ...objectOf(parts(LINES).pairs), 'x-a': ['1', '2'], 'x-b': undefined } }).request;
  assert.is(arrays.headers['x-a'], '1, 2');
  assert.ok(!('x-b' in arrays.headers), 'an undefined value is no header');
  // An absolute URL gives the path and query, and the host when no Host header is sent.
  const noHost = objectOf(parts(withHeader('Host', null)).pairs);
  const abs = checkUpgradeRequest({ method: 'GET', url: 'http://h.example:81/a/b?c=d#frag', headers: noHost });
  assert.is(abs.ok, true);
  assert.is(abs.request.path, '/a/b?c=d');
  assert.is(abs.request.host, 'h.example:81');
  assert.is(abs.request.headers.host, 'h.example:81');
  const both = checkUpgradeRequest({ method: 'GET', url: 'http://url.example/', headers: objectOf(parts(LINES).pairs) });
  assert.is(both.request.host, 'server.example.com', 'a Host header is kept');
  if (REQUEST_KEEPS) {
    const req = new Request('http://server.example.com/chat?room=1', { headers: parts(withHeader('Host', null)).pairs });
    assert.is(checkUpgradeRequest(req).request.host, 'server.example.com', "a Request's URL host counts as Host");
  }
  // Node's httpVersion is read.
  expectRefusal(checkUpgradeRequest({ method: 'GET', url: '/', httpVersion: '1.0', headers: objectOf(parts(LINES).pairs) }), 400, 'http-version', NONE, 'Node HTTP/1.0');
});

test('a parsed request: a header that could split the head is a 400, never a second line', () => {
  const base = objectOf(parts(withHeader('Sec-WebSocket-Version', null)).pairs);
  for (const value of ['x\r\nSec-WebSocket-Version: 13', 'x\nSec-WebSocket-Version: 13', 'x\rb', 'a\0b', 'a\x7fb']) {
    for (const headers of [{ ...base, 'x-a': value }, [...Object.entries(base), ['X-A', value]], new Map([...Object.entries(base), ['x-a', value]])]) {
      expectRefusal(checkUpgradeRequest({ method: 'GET', url: '/', headers }), 400, 'invalid-header-value', NONE, JSON.stringify(value));
    }
  }
  for (const name of ['Bad Name', 'x:y', 'x\r\ny', '', 'Hóst']) {
    expectRefusal(checkUpgradeRequest({ method: 'GET', url: '/', headers: [...Object.entries(base), [name, 'v']] }), 400, 'malformed-header', NONE, JSON.stringify(name));
  }
  for (const [method, url] of [['G T', '/'], ['GET', '/a b'], ['GET', '*'], ['GET', 'not a url'], ['GET', '/\u00e9'], ['GET', ''], ['', '/']]) {
    expectRefusal(checkUpgradeRequest({ method, url, headers: base }), 400, 'malformed-request-line', NONE, `${method} ${url}`);
  }
  // A head written from an object is held to the same 16 KiB.
  expectRefusal(checkUpgradeRequest({ method: 'GET', url: '/', headers: { ...base, 'x-pad': 'p'.repeat(MAX_HEAD_BYTES) } }), 431, 'head-too-large', NONE, 'large object');
});

test('checkUpgradeRequest: TypeError for input of no accepted shape; validateUpgradeRequest: false, never a throw', () => {
  const headers = objectOf(parts(LINES).pairs);
  const bad = [
    undefined, null, 42, true, Symbol('s'), () => 1, {}, [], new String(REQUEST), { method: 'GET', headers }, { url: '/', headers },
    { method: 1, url: '/', headers }, { method: 'GET', url: new URL('http://a/'), headers }, { method: 'GET', url: '/' },
    { method: 'GET', url: '/', headers: 'Host: a' }, { method: 'GET', url: '/', headers: [['a']] }, { method: 'GET', url: '/', headers: [[1, 'a']] },
    { method: 'GET', url: '/', headers: { ...headers, 'x-a': 5 } }, { method: 'GET', url: '/', headers: { ...headers, 'x-a': ['1', 2] } },
  ];
  for (const input of bad) {
    expectThrow(() => checkUpgradeRequest(input), TypeError, {}, Object.prototype.toString.call(input));
    assert.is(noThrow(() => validateUpgradeRequest(input)), false);
  }
  const trap = new Proxy({}, { get() { throw new Error('trap'); } });
  assert.is(noThrow(() => validateUpgradeRequest(trap)), false);
});

/** A response head and body, parsed back strictly: CRLF lines, one status line, Content-Length in UTF-8 bytes. */
function parseResponse(text) {
  const end = text.indexOf('\r\n\r\n');
  assert.ok(end > 0, 'a blank line ends the head');
  const [statusLine, ...lines] = text.slice(0, end).split('\r\n');
  const m = /^HTTP\/1\.1 (\d{3}) ([\x20-\x7e]*)$/.exec(statusLine);
  assert.ok(m, `status line: ${JSON.stringify(statusLine)}`);
  const headers = [];
  for (const line of lines) {
    const h = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ([^\r\n\0]*)$/.exec(line);
    assert.ok(h, `header line: ${JSON.stringify(line)}`);
    headers.push([h[1], h[2]]);
  }
  const get = (name) => headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  const body = text.slice(end + 4);
  assert.equal(get('Content-Length'), [String(utf8(body).length)], 'Content-Length is the body in UTF-8 bytes');
  assert.equal(get('Connection'), ['close']);
  assert.equal(get('Content-Type'), ['text/plain; charset=utf-8']);
  return { status: Number(m[1]), phrase: m[2], headers, get, body };
}

test('buildRejectResponse: RFC 9110 §15 reason phrases, a text body, Content-Length and Connection: close', () => {
  const PHRASES = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 426: 'Upgrade Required', 429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 503: 'Service Unavailable' };
  for (const [status, phrase] of Object.entries(PHRASES)) {
    const r = parseResponse(buildRejectResponse(Number(status)));
    assert.is(r.status, Number(status));
    assert.is(r.phrase, phrase);
    assert.is(r.body, phrase, 'the body is the phrase when no reason is given');
  }
  const odd = parseResponse(buildRejectResponse(499));
  assert.is(odd.phrase, '', 'RFC 9112 §4: the reason phrase may be empty');
  assert.is(odd.body, '499');
  const text = parseResponse(buildRejectResponse(403, 'Origin não permitida ☕'));
  assert.is(text.body, 'Origin não permitida ☕');
  assert.is(parseResponse(buildRejectResponse(400, '')).body, '');
  assert.is(buildRejectResponse(400, 'x'), 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx');
});

test("buildRejectResponse(result.status, result.reason, result.headers) is the whole refusal, every status path", () => {
  for (const [label, lines, status, rule, headers] of [...REFUSALS, ...HEAD_ONLY]) {
    const result = checkUpgradeRequest(head(lines));
    const r = parseResponse(buildRejectResponse(result.status, result.reason, result.headers));
    assert.is(r.status, status, label);
    assert.is(r.body, rule, label);
    assert.equal(r.get('Allow'), headers === ALLOW ? ['GET'] : [], `${label}: Allow`);
    assert.equal(r.get('Sec-WebSocket-Version'), headers === VERSION ? ['13'] : [], `${label}: Sec-WebSocket-Version`);
  }
});

test('buildRejectResponse: extra headers in every form buildUpgradeResponse takes, in order', () => {
  const want = [['Retry-After', '5'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']];
  const forms = [
    { 'Retry-After': '5', 'Set-Cookie': ['a=1', 'b=2'] },
    new Map([['Retry-After', '5'], ['Set-Cookie', ['a=1', 'b=2']]]),
    [['Retry-After', '5'], ['Set-Cookie', 'a=1'], ['Set-Cookie', 'b=2']],
  ];
  for (const headers of forms) {
    const r = parseResponse(buildRejectResponse(429, undefined, headers));
    assert.equal(r.headers.slice(0, 3), want);
    // The same lines buildUpgradeResponse writes for the same headers.
    const up = buildUpgradeResponse('dGhlIHNhbXBsZSBub25jZQ==', { headers });
    assert.ok(up.includes('Retry-After: 5\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\n'));
  }
  if (typeof Headers === 'function') {
    const r = parseResponse(buildRejectResponse(401, undefined, new Headers({ 'WWW-Authenticate': 'Basic' })));
    assert.equal(r.get('www-authenticate'), ['Basic']);
  }
});

test('buildRejectResponse: misuse is a TypeError or RangeError, never a split response', () => {
  for (const status of [399, 600, 100, 200, 101, 400.5, NaN, Infinity, -400]) expectThrow(() => buildRejectResponse(status), RangeError, {}, String(status));
  for (const status of ['400', undefined, null, 400n, {}]) expectThrow(() => buildRejectResponse(status), TypeError, {}, String(status));
  for (const reason of [5, null, {}, ['x']]) expectThrow(() => buildRejectResponse(400, reason), TypeError, {}, String(reason));
  for (const reason of ['a\r\nb', 'a\nb', 'a\r', '\r\nHTTP/1.1 200 OK']) expectThrow(() => buildRejectResponse(400, reason), TypeError, {}, JSON.stringify(reason));
  const badHeaders = [
    { 'X-A': 'a\r\nSet-Cookie: evil' }, { 'X-A': 'a\nb' }, { 'X-A': 'a\0b' }, { 'X-A': '\u010a' }, { 'Bad Name': 'x' }, { 'X:y': 'x' },
    { 'X-A': 5 }, { 'X-A': ['1', 2] }, [['X-A']], 'X-A: 1', 5, null,
    { 'Content-Length': '0' }, { connection: 'keep-alive' }, { 'content-type': 'text/html' }, { 'Transfer-Encoding': 'chunked' },
  ];
  for (const headers of badHeaders) expectThrow(() => buildRejectResponse(400, 'x', headers), TypeError, {}, JSON.stringify(headers));
});

test('selectProtocol: RFC 6455 §4.2.2 step 5.4, the server\'s first choice that the client offered', () => {
  const CASES = [
    [['chat', 'superchat'], ['superchat', 'chat'], 'superchat'],
    [['chat', 'superchat'], ['chat', 'superchat'], 'chat'],
    [['a', 'b', 'c'], ['x', 'c', 'b'], 'c'],
    [['chat'], ['Chat'], undefined], // tokens compare case-sensitively
    [['chat'], [], undefined],
    [[], ['chat'], undefined],
    [[], [], undefined],
  ];
  for (const [offered, supported, want] of CASES) assert.is(selectProtocol(offered, supported), want, `${offered} / ${supported}`);
  assert.is(selectProtocol(checkUpgradeRequest(REQUEST).request.protocols, ['superchat']), 'superchat');
  for (const [offered, supported] of [['chat', ['chat']], [['chat'], 'chat'], [undefined, []], [[], null], [[1], ['1']], [['a'], [undefined]], [new Set(['a']), ['a']]]) {
    expectThrow(() => selectProtocol(offered, supported), TypeError, {}, `${String(offered)} / ${String(supported)}`);
  }
});

test.run();
