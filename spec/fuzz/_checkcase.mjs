// checkUpgradeRequest (RFC 6455 §4.2.1): one random request, often broken in
// one or more places, given in every shape the function takes: head bytes at
// random split points, text, and { method, url, headers } with the headers as
// an object, a Map, [name, value] pairs, Node's flat rawHeaders and a Headers.
// Each shape's verdict is the model's (_headmodel.mjs) for what that shape
// can carry, and the shapes agree on ok/status/reason except where they
// legitimately differ:
// - obs-fold, a bare CR, a line with no colon: only bytes and text can carry
//   them (a CR in an object's value is invalid-header-value instead);
// - a Headers folds repeated names into one line itself (two Host lines
//   become "a, b": no duplicate-host) and sorts the names, so with two
//   broken lines another may come first;
// - with two syntax errors, a parsed request's method, URL, header names and
//   values are checked before its head is written back, whereas bytes are
//   judged line by line with the request line after the fields;
// - a head within a few bytes of MAX_HEAD_BYTES: the written-back head has
//   its own size;
// - an absolute URL (a Fetch Request's): its host stands in for a missing
//   Host, and its path is percent-encoded by URL, so "/café" is no longer a
//   malformed request line.
import { checkUpgradeRequest, HANDSHAKE_RULES } from '../../dist/index.js';
import { placed } from './_chunks.mjs';
import { headBytes } from './_handshake.mjs';
import { hasCtl, isTok, judgeHead, MAX, modelCheck, modelHead, verdict } from './_headmodel.mjs';
import { headCuts, key16, ows, token } from './_clientcase.mjs';
import { Violation } from './_reader.mjs';

const show = (s) => JSON.stringify(String(s).slice(0, 300));

/** A request: { method, target, version, fields: [name, value] | { raw }, flags }. */
function genRequest(r) {
  const fields = [
    ['Host', r.pick(['example.com', '127.0.0.1:8080', '[::1]:443', token(r)])],
    ['Upgrade', r.pick(['websocket', 'WebSocket', 'h2c, websocket'])],
    ['Connection', r.pick(['Upgrade', 'upgrade', 'keep-alive, Upgrade'])],
    ['Sec-WebSocket-Key', key16(r)],
    ['Sec-WebSocket-Version', '13'],
  ];
  if (r.chance(0.3)) fields.push(['Sec-WebSocket-Protocol', Array.from({ length: r.range(1, 3) }, () => token(r)).join(', ')]);
  if (r.chance(0.3)) fields.push(['Sec-WebSocket-Extensions', r.pick(['permessage-deflate; client_max_window_bits', 'a; b="c", d', 'x-webkit-deflate-frame'])]);
  if (r.chance(0.3)) fields.push(['Origin', 'http://example.com']);
  for (let k = r.weighted([[5, 0], [4, r.range(1, 4)], [1, r.range(5, 15)]]); k > 0; k--) fields.push([r.chance(0.9) ? 'X-' + token(r) : r.pick(['__proto__', 'constructor', 'Cookie']), r.chance(0.8) ? token(r) : `${token(r)} ${token(r)}`]);
  for (let k = fields.length - 1; k > 0 && r.chance(0.6); k--) { const j = r.int(k + 1); [fields[k], fields[j]] = [fields[j], fields[k]]; }
  const q = { method: 'GET', target: '/' + token(r, r.int(12)).replace(/[^A-Za-z0-9]/g, 'x') + (r.chance(0.2) ? `?${token(r)}` : ''), version: '1.1', fields, flags: new Set() };
  let syntax = 0;
  const find = (name) => fields.findIndex((f) => Array.isArray(f) && f[0].toLowerCase() === name.toLowerCase());
  const drop = (name) => { const i = find(name); if (i >= 0) fields.splice(i, 1); };
  const set = (name, value) => { const i = find(name); if (i >= 0) fields[i] = [fields[i][0], value]; else fields.push([name, value]); };
  const insert = (f) => fields.splice(r.int(fields.length + 1), 0, f);
  for (let k = r.weighted([[3, 0], [5, 1], [2, 2], [1, 3]]); k > 0; k--) {
    switch (r.int(17)) {
      case 0: q.method = r.pick(['POST', 'get', 'HEAD', 'CONNECT', 'OPTIONS']); break; // item 1: 405
      case 1: q.method = r.pick(['G(T', 'GE\u00e9T', 'G\tT']); syntax++; break; // RFC 9112 §3: a method is a token
      case 2: q.version = r.pick(['1.0', '0.9', '2.0', '1.2', '3.7']); break; // item 1: HTTP/1.1 or higher
      case 3: q.target = r.pick(['/caf\u00e9', '/a\x7fb', '/\u2603']); syntax++; break; // RFC 9112 §3.2: visible ASCII
      case 4: { const w = r.int(4); if (w === 0) drop('Host'); else if (w === 1) set('Host', r.pick(['', ' '])); else { insert([r.pick(['Host', 'host', 'HOST']), 'other.example']); q.flags.add('repeat'); syntax++; } break; } // item 2, RFC 9112 §3.2
      case 5: if (r.chance(0.4)) drop('Upgrade'); else set('Upgrade', r.pick(['h2c', 'websockets', 'web socket', '', 'WEBSOCKET', ' websocket ,x'])); break; // item 3
      case 6: if (r.chance(0.4)) drop('Connection'); else set('Connection', r.pick(['keep-alive', 'upgraded', 'close', '', 'close, UPGRADE'])); break; // item 4
      case 7: { // item 5: base64 of 16 bytes
        const w = r.int(4);
        if (w === 0) drop('Sec-WebSocket-Key');
        else if (w === 1) set('Sec-WebSocket-Key', r.pick([btoa('x'.repeat(15)), btoa('x'.repeat(17)), 'AAAAAAAAAAAAAAAAAAAAAB==', 'dGhlIHNhbXBsZSBub25jZQ', 'dGhlIHNhbXBsZSBub25jZQ=!', '-GhlIHNhbXBsZSBub25jZQ==']));
        else if (w === 2) { insert(['sec-websocket-key', key16(r)]); q.flags.add('repeat'); }
        else set('Sec-WebSocket-Key', `  ${key16(r)}\t`);
        break;
      }
      case 8: { const w = r.int(4); if (w === 0) drop('Sec-WebSocket-Version'); else if (w === 1) set('Sec-WebSocket-Version', r.pick(['8', '14', '13, 8', '013', ''])); else if (w === 2) { insert(['Sec-WebSocket-Version', '13']); q.flags.add('repeat'); } else set('Sec-WebSocket-Version', ' 13 '); break; } // item 6: 426
      case 9: insert(['Sec-WebSocket-Protocol', r.pick(['a b', 'a/b', 'x;y', '"q"', 'a, b c'])]); q.flags.add('repeat'); syntax++; break; // RFC 6455 §4.1
      case 10: insert(['Sec-WebSocket-Extensions', r.pick(['a;', 'a b', 'x; y="a b"', '; q', 'a; b; b', 'a; b="', 'a;b=c=d'])]); q.flags.add('repeat'); syntax++; break; // RFC 6455 §9.1
      case 11: insert([r.pick(['X A', 'X(A)', 'X-\u00e9', '', 'X\tA', '{x}']), 'v']); syntax++; break; // RFC 9112 §5.1: a name is a token
      case 12: insert(['X-Ctl', `a${r.pick(['\x01', '\x7f', '\0', '\x1f', '\x0b'])}b`]); syntax++; break; // RFC 9110 §5.5
      case 13: insert({ raw: r.pick([' folded', '\tfolded', 'X-Cr: a\rb', 'no colon here', 'X-A : v']) }); q.flags.add('text'); syntax++; break; // RFC 9112 §5.2, §2.2, §5.1
      case 14: { // RFC 6585 §5: over MAX_HEAD_BYTES (near it, each shape has its own size); half as often, 16 KiB is slow to copy
        if (r.chance(0.5)) break;
        const near = r.chance(0.5);
        insert(['X-Pad', 'p'.repeat(near ? r.range(MAX - 400, MAX) : r.range(MAX, MAX + 3000))]);
        if (near) q.flags.add('size');
        syntax++;
        break;
      }
      case 15: for (let j = r.range(2, 3); j > 0; j--) insert([r.pick(['Cookie', 'cookie']), `${token(r)}=${token(r)}`]); q.flags.add('repeat'); break; // RFC 6265 §5.4
      default: insert(['X-Text', r.pick(['caf\u00e9', '\u2603', '\xff'])]); break; // obs-text; text beyond Latin-1 reaches bytes as UTF-8
    }
  }
  if (syntax > 1) q.flags.add('order');
  return q;
}

function headText(r, q) {
  const eol = r.chance(0.85) ? '\r\n' : '\n';
  const lines = [`${q.method} ${q.target} HTTP/${q.version}`, ...q.fields.map((f) => (Array.isArray(f) ? `${f[0]}:${ows(r)}${f[1]}${r.chance(0.1) ? ows(r) : ''}` : f.raw))];
  return (r.chance(0.05) ? '\r\n' : '') + lines.map((l) => l + eol).join('') + eol;
}

/** The documented reading of a parsed request: checked, written back as a head (RFC 9112), parsed with the same grammar, headLength 0. */
function modelObject(method, url, pairs, httpVersion) {
  const v = verdict;
  if (!isTok(method)) return v('malformed-request-line');
  let path = url;
  if (url[0] !== '/') {
    // A Fetch Request's absolute URL: its path and query, and its host when no Host is sent.
    let u;
    try { u = new URL(url); } catch { return v('malformed-request-line'); }
    path = u.pathname + u.search;
    if (!pairs.some(([n]) => n.toLowerCase() === 'host')) pairs = [['Host', u.host], ...pairs];
  }
  if (!/^[\x21-\x7e]+$/.test(path)) return v('malformed-request-line');
  for (const [name, value] of pairs) {
    if (!isTok(name)) return v('malformed-header');
    if (hasCtl(value)) return v('invalid-header-value');
  }
  const head = `${method} ${path} HTTP/${/^[0-9]\.[0-9]$/.test(httpVersion ?? '') ? httpVersion : '1.1'}\r\n` + pairs.map(([n, x]) => `${n}: ${x}\r\n`).join('') + '\r\n';
  const out = modelCheck(head);
  if (out?.ok) out.request.headLength = 0;
  return out;
}

/** checkUpgradeRequest's verdict, normalised; a throw is a violation (every input here is of an accepted shape). */
function libCheck(input) {
  let v;
  try {
    v = checkUpgradeRequest(input);
  } catch (e) {
    throw new Violation(`checkUpgradeRequest threw ${e?.name}: ${e?.message}`);
  }
  if (v === null) return null;
  if (!v.ok) {
    if (HANDSHAKE_RULES[v.reason]?.status !== v.status) throw new Violation(`Reason ${v.reason} with status ${v.status}`);
    return { ok: false, status: v.status, reason: v.reason, headers: v.headers };
  }
  const q = v.request;
  return { ok: true, request: { ...q, headers: Object.entries(q.headers), extensions: q.extensions.map((e) => [e.name, Object.entries(e.params)]) } };
}
const norm = (m) => (m === null || !m.ok ? m : libCheckShape(m.request));
const libCheckShape = (q) => ({ ok: true, request: { ...q, headers: Object.entries(q.headers), extensions: q.extensions.map((e) => [e.name, Object.entries(e.params)]) } });
const KEYS = ['method', 'path', 'httpVersion', 'headers', 'rawHeaders', 'key', 'version', 'host', 'origin', 'protocols', 'extensions', 'headLength'];
const json = (v) => (v === null ? 'null' : !v.ok ? JSON.stringify(v) : JSON.stringify(KEYS.map((k) => v.request[k])));
const brief = (v) => (v === null ? 'null' : v.ok ? 'ok' : `${v.status} ${v.reason}`);

/** Groups pairs by exact name, first appearance first: an object's or Map's one key per name, an array value per repeat. */
function grouped(pairs) {
  const m = new Map();
  for (const [n, v] of pairs) m.set(n, [...(m.get(n) ?? []), v]);
  return [...m].map(([n, vs]) => [n, vs.length === 1 ? vs[0] : vs]);
}
const spread = (g) => g.flatMap(([n, v]) => (Array.isArray(v) ? v.map((x) => [n, x]) : [[n, v]]));

export function checkCase(r) {
  const q = genRequest(r);
  const text = headText(r, q);
  const bytes = headBytes(text);
  const seen = {}; // shape → verdict
  const expect = (shape, input, model) => {
    const got = libCheck(input);
    const want = norm(model);
    if (json(got) !== json(want)) throw new Violation(`checkUpgradeRequest(${shape}): ${json(got).slice(0, 300)} vs model ${json(want).slice(0, 300)} for ${show(text)}`);
    seen[shape] = got;
  };
  // Bytes, as a server accumulates them: null until the blank line, 431 past the limit before it.
  const head = modelHead(bytes, 'request');
  expect('bytes', placed(r, bytes), judgeHead(head));
  const end = head.end;
  for (const p of headCuts(r, bytes.length, end)) {
    const got = libCheck(r.chance(0.5) ? placed(r, bytes.subarray(0, p)) : bytes.slice(0, p).buffer);
    const want = end >= 0 && p >= end ? seen.bytes : p > MAX ? { ok: false, status: 431, reason: 'head-too-large', headers: {} } : null;
    if (brief(got) !== brief(want)) throw new Violation(`After ${p} of ${bytes.length} bytes: ${brief(got)}, expected ${brief(want)} for ${show(text)}`);
  }
  expect('text', text, modelCheck(text));
  if (!q.flags.has('text')) {
    const pairs = q.fields;
    // Now and then the absolute URL a Fetch Request has: its host stands in for a missing Host.
    const absolute = r.chance(0.1);
    const url = absolute ? r.pick(['http://example.com', 'https://a.example:8443', 'ws://[::1]']) + q.target : q.target;
    if (absolute) q.flags.add('absolute');
    const httpVersion = q.version === '1.1' && r.chance(0.5) ? undefined : q.version;
    const g = grouped(pairs);
    const obj = Object.create(null); // '__proto__' is a header name like any other
    for (const [n, v] of g) obj[n] = v;
    // Each case gives one shape of each pair (their model is the same): an object or a Map,
    // pairs or Node's IncomingMessage (flat rawHeaders, which win over headers), and now and then a Headers.
    if (r.chance(0.5)) expect('object', { method: q.method, url, httpVersion, headers: obj }, modelObject(q.method, url, spread(g), httpVersion));
    else expect('Map', { method: q.method, url, httpVersion, headers: new Map(g) }, modelObject(q.method, url, spread(g), httpVersion));
    if (r.chance(0.5)) expect('pairs', { method: q.method, url, httpVersion, headers: pairs }, modelObject(q.method, url, pairs, httpVersion));
    else expect('rawHeaders', { method: q.method, url, httpVersion, headers: { host: 'ignored' }, rawHeaders: pairs.flat() }, modelObject(q.method, url, pairs, httpVersion));
    let h = null;
    try { if (r.chance(0.5)) h = new Headers(pairs); } catch { /* the runtime refuses the name or value itself */ }
    if (h !== null) expect('Headers', { method: q.method, url, httpVersion, headers: h }, modelObject(q.method, url, [...h], httpVersion));
    // The shapes agree, but where the header comment says they may not.
    const base = brief(seen.text);
    if (brief(seen.bytes) !== base && !q.flags.has('size')) throw new Violation(`bytes ${brief(seen.bytes)} vs text ${base} for ${show(text)}`);
    if (!q.flags.has('order') && !q.flags.has('size') && !q.flags.has('absolute')) {
      for (const shape of ['object', 'Map', 'pairs', 'rawHeaders', 'Headers']) {
        if (seen[shape] === undefined || (shape === 'Headers' && q.flags.has('repeat'))) continue;
        if (brief(seen[shape]) !== base) throw new Violation(`${shape} ${brief(seen[shape])} vs text ${base} for ${show(text)}`);
      }
    }
  }
}
