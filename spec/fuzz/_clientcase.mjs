// The client's handshake (RFC 6455 §4.1), judged by _headmodel.mjs:
// parseUpgradeResponse on generated response heads (any status, repeats,
// Cookie/Set-Cookie, obs-fold it must unfold, bare CR, control characters,
// heads around and past MAX_HEAD_BYTES) at random split points with frame
// bytes after the head; verifyUpgradeResponse on a 101 built from a random
// offer with one field changed; and a round trip through both roles.
import {
  buildUpgradeRequest, buildUpgradeResponse, checkUpgradeRequest, CLIENT_HANDSHAKE_RULES, HandshakeError,
  parseUpgradeResponse, selectProtocol, verifyUpgradeResponse,
} from '../../dist/index.js';
import { cutPoints, placed } from './_chunks.mjs';
import { headBytes } from './_handshake.mjs';
import { acceptOf, MAX, modelResponse, modelVerify, utf8Len } from './_headmodel.mjs';
import { Violation } from './_reader.mjs';

const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
export const token = (r, n = r.range(1, 10)) => Array.from({ length: n }, () => r.pick(TCHAR)).join('');
export const ows = (r) => (r.chance(0.7) ? r.pick(['', ' ']) : r.pick(['  ', '\t', ' \t ']));
export const key16 = (r) => btoa(String.fromCharCode(...r.bytes(16)));
const show = (s) => JSON.stringify(String(s).slice(0, 300));

const STATUS_LINES = [
  'HTTP/1.1 101 Switching Protocols', 'HTTP/1.1 101 Switching Protocols', 'HTTP/1.1 101', 'HTTP/1.1 101 ', 'HTTP/1.0 101 OK', 'HTTP/2.0 101 x',
  'HTTP/1.1 101 Sw\titching', 'HTTP/1.1 101 caf\u00e9', 'HTTP/1.1 101 \u2603', 'HTTP/1.1 200 OK', 'HTTP/1.1 401 Unauthorized', 'HTTP/1.1 302 Found',
  'HTTP/1.1 426 Upgrade Required', 'HTTP/1.1 000 zero', 'HTTP/1.1 999 ',
];
// RFC 9112 §4: each is outside status-line = HTTP-version SP 3DIGIT SP [ reason-phrase ].
const BAD_STATUS_LINES = [
  'HTTP/1.1 1011', 'http/1.1 101', 'HTTP/1.1  101', 'HTTP/11 101', 'HTTP/1.1 10', 'HTTP/1.1 101 a\x01b', 'HTTP/1.1 101\tx', 'HTTP/1.1 1O1',
  'HTTP/1.1', 'HTTP/1.1 101 x\x7f', 'ICY 200 OK', 'HTTP/1.1 \u0661\u0660\u0661', 'HTTP/1.1 101 a\0', '',
];

/** Field lines a response may carry, good and bad, for the parse cases. */
function fieldLines(r) {
  const lines = [];
  const add = (l) => lines.splice(r.chance(0.7) ? lines.length : r.int(lines.length + 1), 0, l);
  if (r.chance(0.8)) add(`Upgrade:${ows(r)}${r.pick(['websocket', 'WebSocket', 'h2c, websocket'])}`);
  if (r.chance(0.8)) add(`Connection:${ows(r)}${r.pick(['Upgrade', 'upgrade', 'keep-alive, Upgrade'])}`);
  if (r.chance(0.7)) add(`Sec-WebSocket-Accept: ${acceptOf(key16(r))}`);
  for (let k = r.weighted([[5, 0], [3, r.range(1, 4)], [1, r.range(5, 30)]]); k > 0; k--) {
    const name = r.weighted([[6, () => 'X-' + token(r)], [2, () => r.pick(['Set-Cookie', 'set-cookie', 'Cookie', 'cookie'])], [1, () => r.pick(['__proto__', 'constructor', 'toString', 'Sec-WebSocket-Protocol'])], [1, () => token(r)]])();
    const value = r.weighted([[6, () => token(r)], [2, () => `${token(r)}=${token(r)}; Path=/`], [1, () => `${token(r)} \t${token(r)}`], [1, () => r.pick(['caf\u00e9', '\u2603 x', '', '\xff\x80'])]])();
    add(`${name}:${ows(r)}${value}${r.chance(0.2) ? ows(r) : ''}`);
  }
  // Continuations: a user agent unfolds them (RFC 9112 §5.2); a whitespace-only one adds nothing.
  for (let k = r.weighted([[7, 0], [2, 1], [1, r.range(2, 6)]]); k > 0; k--) {
    lines.splice(r.range(Math.min(1, lines.length), lines.length), 0, r.pick([' more', '\tmore', '  x \t y ', ' ', '\t', ` ${token(r)}`]));
  }
  if (r.chance(0.25)) {
    // One breakage, each with the rule the model must give it.
    const at = r.int(lines.length + 1);
    lines.splice(at, 0, r.pick([
      'X-Cr: a\rb', ' a\rb', 'X-Ctl: a\x01b', 'X-Ctl: \x7f', 'X-Nul: \0', 'X-A : v', 'X-A\t: v', 'no colon', ': empty name', '(bad): x',
      'X-\u00e9: v', ':', 'X-Lf-In-Fold:\r', 'X-Vt: a\x0bb',
    ]));
  }
  return lines;
}

/** A response head as text: a lead, a status line, field lines, each line's end, a blank line. */
function responseText(r, status, lines) {
  const crlf = r.chance(0.85);
  const eols = Array.from({ length: lines.length + 3 }, () => (crlf ? (r.chance(0.97) ? '\r\n' : '\n') : r.chance(0.9) ? '\n' : '\r\n'));
  const lead = r.chance(0.05) ? r.pick(['\r\n', '\n', '\r\n\r\n']) : '';
  const build = (ls) => lead + [status, ...ls].map((l, i) => l + eols[i]).join('') + eols[eols.length - 1];
  const text = build(lines);
  if (!r.chance(0.06)) return text;
  // A head near MAX_HEAD_BYTES (RFC 9110 §5.4 lets a client refuse one too large): pad it to MAX + d bytes.
  const want = MAX + r.pick([-2, -1, 0, 1, 2, r.range(-200, 200), r.range(1, 5000)]);
  const n = want - headBytes(text).length - 'X-Pad: '.length - eols[lines.length + 1].length;
  return n < 1 ? text : build([...lines, 'X-Pad: ' + r.pick(['p', 'p p', 'p\tp']).repeat(n).slice(0, n - 1) + 'p']);
}

/** parseUpgradeResponse's outcome, normalised: null, { rule } or the response. Any other throw is a violation. */
export function libParse(input) {
  let res;
  try {
    res = parseUpgradeResponse(input);
  } catch (e) {
    if (!(e instanceof HandshakeError)) throw new Violation(`parseUpgradeResponse threw ${e?.name}: ${e?.message}`);
    if (!Object.hasOwn(CLIENT_HANDSHAKE_RULES, e.rule) || e.status !== 0) throw new Violation(`parseUpgradeResponse threw rule ${e.rule} with status ${e.status}`);
    return { rule: e.rule };
  }
  if (res === null) return null;
  if (Object.getPrototypeOf(res.headers) !== null) throw new Violation('Response headers have a prototype');
  return { status: res.status, statusText: res.statusText, headers: Object.entries(res.headers), rawHeaders: res.rawHeaders, headLength: res.headLength, res };
}

const norm = (m) => (m.rule !== undefined ? { rule: m.rule } : m.end < 0 ? null : { status: m.status, statusText: m.statusText, headers: Object.entries(m.headers), rawHeaders: m.rawHeaders, headLength: m.headLength });
const same = (a, b) => JSON.stringify(a, (k, v) => (k === 'res' ? undefined : v)) === JSON.stringify(b);

const FORMS = [(b) => b, (b) => b.slice().buffer, (b) => new DataView(b.buffer, b.byteOffset, b.byteLength)];

/**
 * A response head (and what follows it) against the model, whole, as text,
 * and as every buffer a client accumulates at the cut points: null until the
 * head is complete (431-like refusal only past MAX_HEAD_BYTES), then the
 * whole's outcome exactly. Returns the library's parse of the whole.
 */
export function checkResponse(r, text, tail) {
  const head = headBytes(text);
  const all = new Uint8Array(head.length + tail.length);
  all.set(head);
  all.set(tail, head.length);
  const model = modelResponse(all);
  const want = norm(model);
  const form = r.pick(FORMS);
  const whole = libParse(form(placed(r, all)));
  if (!same(whole, want)) throw new Violation(`parseUpgradeResponse vs model: ${JSON.stringify(whole).slice(0, 300)} vs ${JSON.stringify(want).slice(0, 300)} for ${show(text)}`);
  if (whole?.headLength !== undefined && model.end !== whole.headLength) throw new Violation('headLength is not the first byte after the blank line');
  // The same head as text: its headLength counts UTF-8 bytes.
  const s = libParse(text), sw = norm(modelResponse(text));
  if (!same(s, sw)) throw new Violation(`parseUpgradeResponse(text) vs model: ${JSON.stringify(s).slice(0, 300)} vs ${JSON.stringify(sw).slice(0, 300)} for ${show(text)}`);
  const points = headCuts(r, all.length, model.end);
  for (const p of points) {
    const got = libParse(form(placed(r, all.subarray(0, p))));
    const expect = model.end >= 0 && p >= model.end ? want : p > MAX ? { rule: 'response-too-large' } : null;
    if (!same(got, expect)) throw new Violation(`After ${p} of ${all.length} bytes: ${JSON.stringify(got).slice(0, 200)}, expected ${JSON.stringify(expect).slice(0, 200)} for ${show(text)}`);
  }
  return whole;
}

/**
 * Where a head's buffer is read, as a client or server accumulating chunks
 * reads it: every byte of a short head now and then, else up to 10 cuts from
 * cutPoints plus the bytes around the head's end and the limit (each read is
 * O(n): hundreds of them per head would dominate the stage).
 */
export function headCuts(r, n, end) {
  if (n <= 300 && r.chance(0.08)) return Array.from({ length: n }, (_, i) => i);
  const cuts = cutPoints(r, n, [end]);
  const set = new Set(cuts.length <= 10 ? cuts : Array.from({ length: 10 }, () => r.pick(cuts)));
  for (const p of [end - 1, end, end + 1, MAX, MAX + 1]) if (r.chance(0.5)) set.add(p);
  return [...set].filter((p) => p > 0 && p < n).sort((a, b) => a - b);
}

const frameTail = (r) => (r.chance(0.4) ? new Uint8Array(0) : r.chance(0.8) ? Uint8Array.of(0x81, 0x05, ...r.bytes(5)) : r.bytes(r.int(40)));

/** parseUpgradeResponse on generated heads, good and bad. */
export function responseCase(r) {
  const status = r.chance(0.85) ? r.pick(STATUS_LINES) : r.pick(BAD_STATUS_LINES);
  let text = responseText(r, status, fieldLines(r));
  if (r.chance(0.05)) text = text.slice(0, r.int(text.length)); // cut short: never complete
  checkResponse(r, text, frameTail(r));
}

/** Extension offers: names, and the option in one of the forms buildUpgradeRequest takes. */
export function genOffers(r) {
  const offers = [];
  for (let k = r.weighted([[4, 0], [4, 1], [2, r.range(2, 3)]]); k > 0; k--) {
    const name = r.chance(0.6) ? r.pick(['permessage-deflate', 'x-webkit-deflate-frame', 'permessage-foo']) : token(r);
    if (offers.some((o) => o.name === name)) continue;
    const params = Object.create(null);
    for (let p = r.int(3); p > 0; p--) params[r.chance(0.5) ? r.pick(['client_max_window_bits', 'server_no_context_takeover']) : token(r)] = r.chance(0.5) ? true : r.chance(0.5) ? String(r.range(8, 15)) : token(r);
    offers.push({ name, params });
  }
  const text = (o) => o.name + Object.entries(o.params).map(([k, v]) => `; ${k}${v === true ? '' : `=${v}`}`).join('');
  const option = offers.length === 0 ? (r.chance(0.5) ? undefined : []) : r.weighted([[1, () => offers.map(text).join(', ')], [1, () => offers.map(text)], [1, () => offers.map((o) => ({ name: o.name, params: { ...o.params } }))]])();
  return { offers, option, text };
}

export function genProtocols(r) {
  const list = [];
  for (let k = r.weighted([[4, 0], [4, 1], [2, r.range(2, 5)]]); k > 0; k--) {
    const p = r.chance(0.5) ? r.pick(['chat', 'Chat', 'v2.chat', 'mqtt', 'graphql-ws']) : token(r);
    if (!list.includes(p)) list.push(p);
  }
  return { list, option: list.length === 1 && r.chance(0.5) ? list[0] : list.length === 0 && r.chance(0.5) ? undefined : list };
}

function libVerify(res, offer) {
  try {
    const a = verifyUpgradeResponse(res, offer);
    return { protocol: a.protocol, extensions: a.extensions.map((e) => [e.name, Object.entries(e.params)]) };
  } catch (e) {
    if (!(e instanceof HandshakeError)) throw new Violation(`verifyUpgradeResponse threw ${e?.name}: ${e?.message}`);
    if (!Object.hasOwn(CLIENT_HANDSHAKE_RULES, e.rule) || e.status !== 0) throw new Violation(`verifyUpgradeResponse threw rule ${e.rule} with status ${e.status}`);
    return { rule: e.rule };
  }
}

const normVerify = (m) => (m.rule !== undefined ? m : { protocol: m.protocol, extensions: m.extensions.map((e) => [e.name, Object.entries(e.params)]) });

/** verifyUpgradeResponse: a 101 built from a random offer, with one field changed; the model names the verdict. */
export function verifyCase(r) {
  const key = r.chance(0.9) ? key16(r) : r.pick([token(r, 30), 'k\u00e9y', 'x'.repeat(r.range(80, 130)), '']);
  const prot = genProtocols(r);
  const ext = genOffers(r);
  const offer = { key, protocols: prot.list, extNames: ext.offers.map((o) => o.name) };
  const fields = [
    ['Upgrade', r.pick(['websocket', 'WebSocket', 'websocket, h2c', 'WEBSOCKET'])],
    ['Connection', r.pick(['Upgrade', 'upgrade', 'keep-alive, Upgrade', 'UPGRADE'])],
    ['Sec-WebSocket-Accept', acceptOf(key)],
  ];
  if (prot.list.length && r.chance(0.7)) fields.push(['Sec-WebSocket-Protocol', r.pick(prot.list)]);
  const used = ext.offers.filter(() => r.chance(0.6));
  if (used.length) fields.push(['Sec-WebSocket-Extensions', used.map(ext.text).join(r.pick([', ', ',', ' , ']))]);
  if (r.chance(0.3)) fields.push(['Set-Cookie', `${token(r)}=${token(r)}`], ['Set-Cookie', `${token(r)}=${token(r)}`]);
  let status = 'HTTP/1.1 101 Switching Protocols';
  const set = (name, value) => { const f = fields.find(([n]) => n === name); if (f) f[1] = value; else fields.push([name, value]); };
  const drop = (name) => { const i = fields.findIndex(([n]) => n === name); if (i >= 0) fields.splice(i, 1); };
  for (let k = r.weighted([[2, 0], [6, 1], [2, 2]]); k > 0; k--) {
    switch (r.int(9)) {
      case 0: status = `HTTP/1.1 ${r.pick(['100', '200', '204', '301', '401', '403', '426', '500', '102', '111'])} X`; break; // §4.1 item 1
      case 1: if (r.chance(0.5)) drop('Upgrade'); else set('Upgrade', r.pick(['h2c', 'websockets', 'web socket', '', 'websocket2', 'WebSocket, h2c'])); break; // item 2
      case 2: if (r.chance(0.5)) drop('Connection'); else set('Connection', r.pick(['keep-alive', 'upgraded', 'close', '', 'close, upgrade'])); break; // item 3
      case 3: { // item 4: exact base64(SHA-1(key + GUID)); OWS around it is not part of the value, a fold is one SP
        const a = acceptOf(key);
        const pick = r.int(7);
        if (pick === 0) drop('Sec-WebSocket-Accept');
        else if (pick === 1) set('Sec-WebSocket-Accept', a.toLowerCase());
        else if (pick === 2) set('Sec-WebSocket-Accept', acceptOf(key16(r)));
        else if (pick === 3) set('Sec-WebSocket-Accept', a.slice(0, -2) + '=');
        else if (pick === 4) fields.push(['Sec-WebSocket-Accept', a]);
        else if (pick === 5) set('Sec-WebSocket-Accept', `\t${a}  `);
        else set('Sec-WebSocket-Accept', `\r\n ${a}`);
        break;
      }
      case 4: set('Sec-WebSocket-Protocol', r.pick([token(r), 'CHAT', '', prot.list[0]?.toUpperCase() ?? 'x', `${prot.list[0] ?? 'a'}, ${prot.list[0] ?? 'a'}`])); break; // item 6
      case 5: if (prot.list.length) fields.push(['Sec-WebSocket-Protocol', prot.list[0]]); break; // repeated: "a, a" is no offer
      case 6: set('Sec-WebSocket-Extensions', r.pick([token(r), 'x-unknown; a=1', (ext.offers[0]?.name ?? 'q').toUpperCase(), `${ext.offers[0]?.name ?? 'q'}, x-more`])); break; // item 5
      case 7: set('Sec-WebSocket-Extensions', r.pick(['a;', 'a b', 'x; y="a b"', '; q', 'a; b; b', 'a; b="', `${ext.offers[0]?.name ?? 'q'}; p=""`])); break; // §9.1 grammar
      default: set(r.pick(['Upgrade', 'Connection']), r.pick(['', '  ', ','])); break;
    }
  }
  const text = status + '\r\n' + fields.map(([n, v]) => `${r.chance(0.2) ? n.toLowerCase() : n}:${ows(r)}${v}`).join('\r\n') + '\r\n\r\n';
  const parsed = checkResponse(r, text, frameTail(r));
  if (parsed === null || parsed.rule !== undefined) return;
  const model = modelResponse(headBytes(text));
  const want = normVerify(modelVerify(model, offer));
  const got = libVerify(parsed.res, { key, protocols: prot.option, extensions: ext.option });
  if (!same(got, want)) throw new Violation(`verifyUpgradeResponse: ${JSON.stringify(got)} vs model ${JSON.stringify(want)} for ${show(text)} offering ${JSON.stringify({ protocols: prot.list, extensions: ext.option })}`);
}

const DEFAULT_PORT = { 'ws:': 80, 'wss:': 443, 'http:': 80, 'https:': 443 };
const PCHAR = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=:@';
const pchars = (r, n) => Array.from({ length: n }, () => (r.chance(0.03) ? '%4' + r.pick('1A9F') : r.pick(PCHAR))).join('');

/** A ws/wss (or http/https) URL from parts, with the path and Host it must give (RFC 6455 §3, §4.1 items 3-4). */
function genUrl(r) {
  const scheme = r.pick(['ws:', 'ws:', 'wss:', 'http:', 'https:']);
  const labels = () => Array.from({ length: r.range(1, 3) }, () => Array.from({ length: r.range(1, 8) }, () => r.pick('abcdefghijklmnopqrstuvwxyz')).join('')).join('.');
  const host = r.pick(['example.com', 'EXAMPLE.com', '127.0.0.1', '[::1]', 'localhost', labels()]);
  const port = r.pick([undefined, undefined, DEFAULT_PORT[scheme], r.range(1, 65535)]);
  let path = '';
  for (let k = r.int(4); k > 0; k--) path += '/' + pchars(r, r.int(8)).replace(/^\.+$/, 'x');
  if (r.chance(0.3)) path += '/';
  const query = r.chance(0.3) ? '?' + pchars(r, r.int(12)) + (r.chance(0.3) ? '/?' : '') : '';
  const href = `${scheme}//${host}${port === undefined ? '' : ':' + port}${path}${query}`;
  // RFC 6455 §3: the resource name keeps "?" with an empty query (WHATWG URL's `search` drops it).
  return { href, path: (path || '/') + query, host: host.toLowerCase() + (port === undefined || port === DEFAULT_PORT[scheme] ? '' : ':' + port) };
}

function extraHeaders(r) {
  const pairs = [];
  for (let k = r.int(4); k > 0; k--) {
    const name = r.pick(['Cookie', 'Authorization', 'User-Agent', 'X-' + token(r)]);
    if (pairs.some(([n]) => n.toLowerCase() === name.toLowerCase())) continue;
    pairs.push([name, r.chance(0.8) ? `${token(r)}=${token(r)}` : `a \t b\u00e9`]);
  }
  const form = r.int(4);
  const value = form === 0 ? Object.fromEntries(pairs) : form === 1 ? new Map(pairs) : form === 2 ? pairs : new Headers(pairs);
  return { value, pairs: form === 3 ? [...value] : pairs };
}

/**
 * buildUpgradeRequest(random URL, random options) → checkUpgradeRequest(its
 * bytes) accepts it with that key, path, Host, offers and headers →
 * buildUpgradeResponse(key, { protocol: selectProtocol(offered, supported) })
 * → parseUpgradeResponse (chunked) → verifyUpgradeResponse agrees on both.
 */
export function roundTripCase(r) {
  const url = genUrl(r);
  const prot = genProtocols(r);
  const ext = genOffers(r);
  const extra = r.chance(0.4) ? extraHeaders(r) : null;
  const options = {};
  if (prot.option !== undefined) options.protocols = prot.option;
  if (ext.option !== undefined) options.extensions = ext.option;
  if (r.chance(0.3)) options.origin = r.pick(['http://example.com', 'null', 'https://caf\u00e9.example']);
  if (extra) options.headers = extra.value;
  if (r.chance(0.5)) options.key = key16(r);
  const target = r.pick([url.href, new URL(url.href), { href: url.href }]);
  const { request, key } = buildUpgradeRequest(target, r.chance(0.1) && Object.keys(options).length === 0 ? undefined : options);
  if (options.key !== undefined && key !== options.key) throw new Violation('buildUpgradeRequest did not send the key given');
  if (!/^[A-Za-z0-9+/]{21}[AQgw]==$/.test(key)) throw new Violation(`buildUpgradeRequest made the key ${key}`);
  const bytes = headBytes(request);
  const asText = r.chance(0.5);
  const v = checkUpgradeRequest(asText ? request : placed(r, bytes));
  if (v === null || !v.ok) throw new Violation(`checkUpgradeRequest refused buildUpgradeRequest's head: ${v?.reason} ${v?.message} for ${show(request)}`);
  const q = v.request;
  const want = {
    method: 'GET', path: url.path, httpVersion: '1.1', host: url.host, key, version: '13', origin: options.origin,
    protocols: prot.list, extensions: ext.offers.map((o) => [o.name, Object.entries(o.params)]), headLength: asText ? utf8Len(request) : bytes.length,
    rawHeaders: [['Host', url.host], ['Upgrade', 'websocket'], ['Connection', 'Upgrade'], ['Sec-WebSocket-Key', key], ['Sec-WebSocket-Version', '13'],
      ...(prot.list.length ? [['Sec-WebSocket-Protocol', prot.list.join(', ')]] : []), ...(ext.offers.length ? [['Sec-WebSocket-Extensions', ext.offers.map(ext.text).join(', ')]] : []),
      ...(options.origin !== undefined ? [['Origin', options.origin]] : []), ...(extra ? extra.pairs : [])],
  };
  const got = { ...q, extensions: q.extensions.map((e) => [e.name, Object.entries(e.params)]) };
  for (const k of Object.keys(want)) {
    if (JSON.stringify(got[k]) !== JSON.stringify(want[k])) throw new Violation(`Round trip: request ${k} ${JSON.stringify(got[k])} vs ${JSON.stringify(want[k])} for ${show(request)}`);
  }
  // RFC 6455 §4.2.2 step 5.4: the server's first supported protocol that was offered.
  const supported = [...prot.list.filter(() => r.chance(0.5)), token(r), 'chat'].sort(() => r.float() - 0.5);
  const protocol = selectProtocol(q.protocols, supported);
  const pick = supported.find((p) => q.protocols.includes(p));
  if (protocol !== pick) throw new Violation(`selectProtocol(${JSON.stringify(q.protocols)}, ${JSON.stringify(supported)}) = ${protocol}, not ${pick}`);
  const accepted = ext.offers.filter(() => r.chance(0.5));
  const resOptions = { protocol };
  if (accepted.length) resOptions.extensions = accepted.map(ext.text).join(', ');
  if (r.chance(0.3)) resOptions.headers = { 'Set-Cookie': [`a=${token(r)}`, `b=${token(r)}`] };
  const response = buildUpgradeResponse(q.key, resOptions);
  const parsed = checkResponse(r, response, frameTail(r));
  if (parsed === null || parsed.rule !== undefined || parsed.status !== 101) throw new Violation(`buildUpgradeResponse's head parsed as ${JSON.stringify(parsed)}`);
  const agreed = libVerify(parsed.res, { key, protocols: prot.option, extensions: ext.option });
  const wantAgreed = { protocol, extensions: accepted.map((o) => [o.name, Object.entries(o.params)]) };
  if (!same(agreed, wantAgreed)) throw new Violation(`Round trip: verifyUpgradeResponse gave ${JSON.stringify(agreed)}, expected ${JSON.stringify(wantAgreed)}`);
}
