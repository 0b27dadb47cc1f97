// Opening-handshake heads (RFC 6455 §4.1, §4.2.1 over RFC 9112 HTTP/1.1):
// generated valid ones with their expected parse, structural breakages with
// their expected verdict, and blind byte edits judged by invariants only.
import { HANDSHAKE_RULES, HandshakeError, parseUpgradeRequest, validateUpgradeRequest } from '../../dist/index.js';
import { Violation } from './_reader.mjs';

const ENC = new TextEncoder();
const TCHAR = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const MAX_HEAD = 16 * 1024;

const token = (r, n = r.range(1, 12)) => Array.from({ length: n }, () => r.pick(TCHAR)).join('');
/** RFC 3986 §3.2.2 reg-name characters (unreserved, sub-delims): a Host must be one (RFC 9112 §3.2). */
const REG_NAME = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=";
const regName = (r, n = r.range(1, 12)) => Array.from({ length: n }, () => r.pick(REG_NAME)).join('');
const ows = (r) => (r.chance(0.7) ? r.pick(['', ' ']) : r.pick(['  ', '\t', ' \t ']));
const recase = (r, s) => (r.chance(0.5) ? s : [...s].map((c) => (r.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join(''));
const base64 = (bytes) => btoa(String.fromCharCode(...bytes));

function extensions(r) {
  const offers = [];
  const parts = [];
  for (let k = r.range(1, 3); k > 0; k--) {
    const name = r.chance(0.6) ? r.pick(['permessage-deflate', 'x-webkit-deflate-frame']) : token(r);
    const params = [];
    let text = name;
    const used = new Set();
    for (let p = r.int(4); p > 0; p--) {
      const pn = r.chance(0.6) ? r.pick(['client_max_window_bits', 'server_max_window_bits', 'server_no_context_takeover', '__proto__']) : token(r);
      if (used.has(pn)) continue;
      used.add(pn);
      const v = r.chance(0.4) ? true : r.chance(0.5) ? String(r.range(8, 15)) : token(r);
      text += `${ows(r)};${ows(r)}${pn}`;
      if (v !== true) {
        const quoted = r.chance(0.4) ? `"${[...v].map((c) => (r.chance(0.2) ? '\\' + c : c)).join('')}"` : v;
        text += `${ows(r)}=${ows(r)}${quoted}`;
      }
      params.push([pn, v]);
    }
    offers.push({ name, params });
    parts.push(text);
  }
  return { value: parts.join(`${ows(r)},${r.chance(0.1) ? ' ,' : ''}${ows(r)}`), offers };
}

/**
 * A valid upgrade request: { lines (without EOL), eol, lead (blank lines before), expect }.
 * `expect` holds the fields parseUpgradeRequest must return.
 */
export function genHead(r) {
  const fields = []; // [name, value] in order
  const host = r.pick(['example.com', '127.0.0.1:8080', '[::1]:443', 'a-b.c.example', regName(r), `${regName(r)}:${r.range(0, 65535)}`]);
  fields.push(['Host', host]);
  fields.push(['Upgrade', r.pick(['websocket', 'WebSocket', 'WEBSOCKET', 'h2c, websocket', 'websocket, x'])]);
  fields.push(['Connection', r.pick(['Upgrade', 'upgrade', 'keep-alive, Upgrade', 'Upgrade, HTTP2-Settings', 'close ,UPGRADE'])]);
  const key = base64(r.bytes(16)); // RFC 6455 §4.1: base64 of 16 random bytes
  fields.push(['Sec-WebSocket-Key', key]);
  fields.push(['Sec-WebSocket-Version', '13']);
  const hasProtocols = r.chance(0.4);
  if (hasProtocols) {
    const list = Array.from({ length: r.range(1, 4) }, () => token(r));
    fields.push(['Sec-WebSocket-Protocol', list.map((p) => (r.chance(0.1) ? ` ,${p}` : p)).join(`${ows(r)},${ows(r)}`)]);
  }
  let offers = [];
  if (r.chance(0.4)) { const e = extensions(r); offers = e.offers; fields.push(['Sec-WebSocket-Extensions', e.value]); }
  if (r.chance(0.4)) fields.push(['Origin', r.pick(['http://example.com', 'null', 'https://a.b:8443'])]);
  for (let k = r.weighted([[6, 0], [3, r.range(1, 4)], [1, r.range(5, 20)]]); k > 0; k--) {
    const name = r.chance(0.05) ? r.pick(['__proto__', 'constructor', 'hasOwnProperty']) : 'X-' + token(r);
    const value = r.chance(0.2) ? 'caf\u00e9 \u2603 \u{1f600}' : r.chance(0.5) ? token(r) : `${token(r)} ${token(r)}\t${token(r)}`;
    fields.splice(r.int(fields.length + 1), 0, [name, value]);
  }
  // RFC 9110 §5.3: a repeated field is one comma-joined value (Host excepted).
  if (hasProtocols && r.chance(0.2)) fields.push(['sec-websocket-protocol', token(r)]);
  // RFC 6265 §5.4: cookie pairs, sometimes over several Cookie lines (joined with "; ").
  for (let k = r.weighted([[7, 0], [2, 1], [1, r.range(2, 4)]]); k > 0; k--) fields.push([r.pick(['Cookie', 'cookie', 'COOKIE']), `${token(r)}=${token(r)}${r.chance(0.3) ? `; ${token(r)}=${token(r)}` : ''}`]);
  // Random order keeps the parser honest; the request line stays first.
  for (let k = fields.length - 1; k > 0 && r.chance(0.5); k--) { const j = r.int(k + 1); [fields[k], fields[j]] = [fields[j], fields[k]]; }
  const path = r.chance(0.8) ? '/' + token(r, r.int(20)) + (r.chance(0.3) ? `?${token(r)}=${token(r)}` : '') : r.pick(['/', '*', 'http://example.com/x']);
  const version = r.pick(['1.1', '1.1', '1.1', '1.2', '2.0']);
  const lines = [`GET ${path} HTTP/${version}`, ...fields.map(([n, v]) => `${recase(r, n)}:${ows(r)}${v}${r.chance(0.2) ? ows(r) : ''}`)];
  const headers = Object.create(null); // '__proto__' is a header name like any other
  const rawHeaders = [];
  for (let i = 0; i < fields.length; i++) {
    const n = lines[i + 1].slice(0, lines[i + 1].indexOf(':')); // as sent, in its case
    const k = n.toLowerCase();
    const v = fields[i][1].replace(/^[ \t]+|[ \t]+$/g, ''); // RFC 9110 §5.5: OWS around a value is not part of it
    // RFC 9110 §5.3: ", " between repeats; Cookie pairs take "; " (RFC 6265 §5.4).
    headers[k] = Object.prototype.hasOwnProperty.call(headers, k) ? headers[k] + (k === 'cookie' ? '; ' : ', ') + v : v;
    rawHeaders.push([n, v]);
  }
  // RFC 9110 §5.6.1: list elements are trimmed, empty ones ignored.
  const protocols = (headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const expect = {
    method: 'GET', path, httpVersion: version, headers, rawHeaders, key, version: '13', host, origin: headers.origin,
    protocols, extensions: offers.map((o) => ({ name: o.name, params: Object.fromEntries(o.params) })),
  };
  return { lines, eol: r.chance(0.8) ? '\r\n' : '\n', lead: r.chance(0.1) ? r.pick(['\r\n', '\n', '\r\n\r\n']) : '', expect };
}

export function headText(h) {
  return h.lead + h.lines.map((l) => l + h.eol).join('') + h.eol;
}

/** Structural breakages with the verdict they must get: { rule } (parse throws its HandshakeError) or { valid: false }. */
export function breakHead(r, h) {
  const lines = h.lines.slice();
  const at = r.range(1, Math.max(1, lines.length - 1));
  const drop = (name) => { const i = lines.findIndex((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':')); if (i > 0) lines.splice(i, 1); };
  const set = (name, value) => { drop(name); lines.push(`${name}: ${value}`); };
  let verdict;
  switch (r.int(17)) {
    case 0: lines[0] = lines[0].replace(/^GET/, r.pick(['POST', 'get', 'HEAD', 'OPTIONS'])); verdict = { valid: false }; break; // §4.1: GET
    case 1: lines[0] = lines[0].replace(/HTTP\/\d\.\d$/, r.pick(['HTTP/1.0', 'HTTP/0.9'])); verdict = { valid: false }; break; // §4.1: HTTP/1.1+
    case 2: drop(r.pick(['host', 'upgrade', 'connection', 'sec-websocket-key', 'sec-websocket-version'])); verdict = { valid: false }; break;
    case 3: set('Sec-WebSocket-Version', r.pick(['8', '12', '14', '', '13, 8'])); verdict = { valid: false }; break; // §4.2.1 step 6
    case 4: set('Sec-WebSocket-Key', base64(r.bytes(r.pick([0, 1, 15, 17, 20, 32])))); verdict = { valid: false }; break; // §4.2.1 step 5
    case 5: set('Sec-WebSocket-Key', r.pick(['not base64!', '****************', 'AAAAAAAAAAAAAAAAAAAAA==='])); verdict = { valid: false }; break;
    case 6: set('Upgrade', r.pick(['h2c', 'websockets', 'web socket'])); verdict = { valid: false }; break;
    case 7: set('Connection', r.pick(['keep-alive', 'upgraded', 'close'])); verdict = { valid: false }; break;
    case 8: lines.splice(at, 0, 'Host: other.example'); verdict = { rule: 'duplicate-host' }; break; // RFC 9112 §3.2
    case 9: lines.splice(at, 0, r.pick([' folded', '\tfolded'])); verdict = { rule: 'obs-fold' }; break; // RFC 9112 §5.2
    case 10: lines.splice(at, 0, `X-${r.pick(['A', 'B'])}${r.pick([' ', '\t'])}: v`); verdict = { rule: 'malformed-header' }; break; // RFC 9112 §5.1
    case 11: lines.splice(at, 0, `X-Cr: a\rb`); verdict = { rule: 'bare-cr' }; break; // RFC 9112 §2.2
    case 12: lines.splice(at, 0, `X-Ctl: a${String.fromCharCode(r.pick([0, 1, 8, 0x0b, 0x1f, 0x7f]))}b`); verdict = { rule: 'invalid-header-value' }; break; // RFC 9110 §5.5
    case 13: lines.splice(at, 0, r.pick(['no colon here', ': empty name', '(bad): name'])); verdict = { rule: 'malformed-header' }; break; // RFC 9112 §5.1
    case 14: lines[0] = r.pick(['GET  / HTTP/1.1', 'GET / HTTP/1.1 x', 'GET /', 'GET / HTTP/1', 'GET / http/1.1', ' GET / HTTP/1.1', 'G(T / HTTP/1.1', 'GET /\u00e9t\u00e9 HTTP/1.1', 'GET /a\u2603 HTTP/1.1']); verdict = { rule: 'malformed-request-line' }; break; // RFC 9112 §3
    case 15: // RFC 6455 §4.1, §9.1
      if (r.chance(0.5)) { lines.splice(at, 0, `Sec-WebSocket-Protocol: ${r.pick(['a b', 'a/b', 'x;y', '"q"', 'a, b c'])}`); verdict = { rule: 'malformed-protocol' }; }
      else { lines.splice(at, 0, `Sec-WebSocket-Extensions: ${r.pick(['; x', 'a;', 'a; =b', 'a; b="c d"', 'a; b="x', 'a b', 'a;b=c=d'])}`); verdict = { rule: 'malformed-extensions' }; }
      break;
    default: lines.splice(at, 0, `X-Pad: ${'p'.repeat(MAX_HEAD)}`); verdict = { rule: 'head-too-large' }; break; // RFC 6585 §5
  }
  return { head: { ...h, lines }, verdict };
}

/** Blind edits of a head's text: bit flips, CR/LF/NUL/colon/space/obs-text insertions, drops, duplications. */
export function mutateText(r, s) {
  let t = s;
  for (let k = r.range(1, 4); k > 0; k--) {
    const at = r.int(t.length + 1);
    switch (r.int(7)) {
      case 0: if (t.length) t = t.slice(0, at) + String.fromCharCode(t.charCodeAt(Math.min(at, t.length - 1)) ^ (1 << r.int(8))) + t.slice(at + 1); break;
      case 1: t = t.slice(0, at) + r.pick(['\r', '\n', '\r\n', '\0', ':', ' ', '\t', '"', ',', ';', '=', '\\', '\x7f', '\u00ff', '\u2028', '\ud800', '\r\n\r\n']) + t.slice(at); break;
      case 2: t = t.slice(0, at) + t.slice(at + r.range(1, 10)); break;
      case 3: { const len = r.range(1, 30); t = t.slice(0, at + len) + t.slice(at, at + len) + t.slice(at + len); break; }
      case 4: t = t.slice(0, at); break;
      case 5: t = t.slice(0, at) + String.fromCharCode(r.int(256)) + t.slice(at + 1); break;
      default: t = t.slice(0, at) + t.slice(at).replace(/\r\n|\n/, r.pick(['\n', '\r\n', '\r', '\n\r'])); break;
    }
  }
  return t;
}

/** Latin-1 bytes of a string whose chars are all below 256, else UTF-8. */
export function headBytes(s) {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 255) return ENC.encode(s);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

/** The rules parseUpgradeRequest may throw: the ones of the head's syntax. validateUpgradeRequest judges the rest. */
const PARSE_RULES = new Set(['head-too-large', 'malformed-request-line', 'bare-cr', 'obs-fold', 'malformed-header', 'invalid-header-value', 'duplicate-host', 'malformed-protocol', 'malformed-extensions']);

/**
 * parseUpgradeRequest's outcome: { result } | { rule, status, message }.
 * Anything but a HandshakeError of a parse rule, with the status lib/rules.ts gives that rule, is a violation.
 */
export function parse(input) {
  let result;
  try {
    result = parseUpgradeRequest(input);
  } catch (e) {
    if (!(e instanceof HandshakeError)) throw new Violation(`parseUpgradeRequest threw ${e?.name}: ${e?.message}`);
    if (!PARSE_RULES.has(e.rule)) throw new Violation(`HandshakeError with rule ${JSON.stringify(e.rule)}`);
    if (e.status !== HANDSHAKE_RULES[e.rule].status) throw new Violation(`HandshakeError ${e.rule} with status ${e.status}, not ${HANDSHAKE_RULES[e.rule].status}`);
    return { rule: e.rule, status: e.status, message: e.message };
  }
  if (result === null && input.length > MAX_HEAD) throw new Violation(`parseUpgradeRequest waits for more after ${input.length} bytes, past MAX_HEAD_BYTES`);
  return { result };
}

export function validate(input) {
  let v;
  try {
    v = validateUpgradeRequest(input);
  } catch (e) {
    throw new Violation(`validateUpgradeRequest threw ${e?.name}: ${e?.message}`);
  }
  if (typeof v !== 'boolean') throw new Violation(`validateUpgradeRequest returned ${typeof v}`);
  return v;
}

/** Compares a parse result with the fields expected; returns a difference or null. */
export function diffParsed(got, want, headLength) {
  if (!got) return `no result (${JSON.stringify(got)})`;
  for (const k of ['method', 'path', 'httpVersion', 'key', 'version', 'host', 'origin']) {
    if (got[k] !== want[k]) return `${k}: ${JSON.stringify(got[k])} vs ${JSON.stringify(want[k])}`;
  }
  if (got.headLength !== headLength) return `headLength ${got.headLength} vs ${headLength}`;
  if (Object.getPrototypeOf(got.headers) !== null) return 'headers has a prototype';
  const a = JSON.stringify(Object.entries(got.headers)), b = JSON.stringify(Object.entries(want.headers));
  if (a !== b) return `headers ${a.slice(0, 200)} vs ${b.slice(0, 200)}`;
  if (want.rawHeaders !== undefined) {
    const ra = JSON.stringify(got.rawHeaders), rb = JSON.stringify(want.rawHeaders);
    if (ra !== rb) return `rawHeaders ${ra.slice(0, 200)} vs ${rb.slice(0, 200)}`;
  }
  if (JSON.stringify(got.protocols) !== JSON.stringify(want.protocols)) return `protocols ${JSON.stringify(got.protocols)} vs ${JSON.stringify(want.protocols)}`;
  const ge = JSON.stringify(got.extensions.map((e) => [e.name, Object.entries(e.params)]));
  const we = JSON.stringify(want.extensions.map((e) => [e.name, Object.entries(e.params)]));
  if (ge !== we) return `extensions ${ge} vs ${we}`;
  return null;
}

/** The same expectation as seen through bytes read as Latin-1: each string becomes latin1(utf8(s)). */
export function asLatin1(want) {
  const l1 = (s) => (typeof s === 'string' ? String.fromCharCode(...ENC.encode(s)) : s);
  return {
    ...want,
    path: l1(want.path), host: l1(want.host), origin: l1(want.origin),
    headers: Object.fromEntries(Object.entries(want.headers).map(([k, v]) => [k, l1(v)])),
    rawHeaders: want.rawHeaders?.map(([n, v]) => [n, l1(v)]),
  };
}
