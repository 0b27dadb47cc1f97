// An independent model of the opening handshake as the library documents it,
// written without its code: reading an HTTP/1.1 head (RFC 9112 §2-§5) for
// either role, the request's verdict in checkUpgradeRequest's documented
// order (RFC 6455 §4.2.1), and the client's judgement of a response (§4.1).
// The fuzz cases compare the library with these functions, never with itself.
import { createHash } from 'node:crypto';

export const MAX = 16 * 1024; // MAX_HEAD_BYTES
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11'; // RFC 6455 §1.3

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/; // RFC 9110 §5.6.2
export const isTok = (s) => typeof s === 'string' && TOKEN.test(s);
/** OWS is SP and HTAB only (RFC 9110 §5.6.3). */
export const trim = (s) => {
  let a = 0, b = s.length;
  while (a < b && (s[a] === ' ' || s[a] === '\t')) a++;
  while (b > a && (s[b - 1] === ' ' || s[b - 1] === '\t')) b--;
  return s.slice(a, b);
};
/** A control character a field value may not hold (RFC 9110 §5.5): C0 but HTAB, and DEL. */
export const hasCtl = (s) => /[\x00-\x08\x0a-\x1f\x7f]/.test(s);
export const listHas = (v, t) => v !== undefined && v.split(',').some((p) => trim(p).toLowerCase() === t);

export function utf8Len(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n++;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

const latin1 = (b) => {
  let s = '';
  for (let i = 0; i < b.length; i += 4096) s += String.fromCharCode.apply(null, b.subarray(i, i + 4096));
  return s;
};

const RULES = {
  request: { tooLarge: 'head-too-large', bareCr: 'bare-cr', malformed: 'malformed-header', invalid: 'invalid-header-value', fold: 'obs-fold' },
  response: { tooLarge: 'response-too-large', bareCr: 'response-bare-cr', malformed: 'response-malformed-header', invalid: 'response-invalid-header-value', fold: null },
};

/**
 * The head at the start of `input` (a string is text sized in UTF-8 bytes,
 * bytes are Latin-1): `{ end: -1 }` while incomplete, `{ rule, end }`, or
 * `{ start, headers, rawHeaders, headLength, end }`; `end` is the index (in
 * units of the input) just past the blank line, or -1. Errors come in the
 * order the lines arrive, a line's own bare CR first; the start line's form
 * is the caller's to judge, after the fields.
 */
export function modelHead(input, role) {
  const R = RULES[role];
  const text = typeof input === 'string' ? input : latin1(input);
  const size = typeof input === 'string' && /[^\x00-\x7f]/.test(input) ? (k) => utf8Len(text.slice(0, k)) : (k) => k;
  // RFC 9112 §2.2: empty lines before the start line are ignored.
  let at = 0;
  for (;;) {
    if (text[at] === '\n') at++;
    else if (text[at] === '\r' && text[at + 1] === '\n') at += 2;
    else break;
  }
  const blank = /\n\r?\n/.exec(text.slice(at));
  if (blank === null) return size(text.length) > MAX ? { rule: R.tooLarge, end: -1 } : { end: -1 };
  const end = at + blank.index + blank[0].length;
  if (size(end) > MAX) return { rule: R.tooLarge, end };
  const lines = text.slice(at, at + blank.index).split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const fail = (rule) => ({ rule, end });
  if (lines[0].includes('\r')) return fail(R.bareCr); // RFC 9112 §2.2
  const headers = Object.create(null);
  const rawHeaders = [];
  for (let k = 1; k < lines.length; k++) {
    const line = lines[k];
    if (line.includes('\r')) return fail(R.bareCr);
    // A server refuses obs-fold (RFC 9112 §5.2); a client reaches here only on the
    // first field line, which has no field to continue (RFC 9112 §2.2).
    if (line[0] === ' ' || line[0] === '\t') return fail(R.fold ?? R.malformed);
    const parts = [];
    if (role === 'response') {
      // RFC 9112 §5.2: a user agent replaces each obs-fold with SP.
      while (k + 1 < lines.length && (lines[k + 1][0] === ' ' || lines[k + 1][0] === '\t')) {
        if (lines[k + 1].includes('\r')) return fail(R.bareCr);
        parts.push(lines[++k]);
      }
    }
    const colon = line.indexOf(':');
    if (colon <= 0 || !isTok(line.slice(0, colon))) return fail(R.malformed); // RFC 9112 §5.1
    const name = line.slice(0, colon);
    const value = [line.slice(colon + 1), ...parts].map(trim).filter((p) => p !== '').join(' ');
    if (hasCtl(value)) return fail(R.invalid);
    const key = name.toLowerCase();
    if (role === 'request' && key === 'host' && key in headers) return fail('duplicate-host'); // RFC 9112 §3.2
    // RFC 9110 §5.3: repeats are one list; Cookie pairs take "; " (RFC 6265 §5.4).
    headers[key] = key in headers ? headers[key] + (key === 'cookie' ? '; ' : ', ') + value : value;
    rawHeaders.push([name, value]);
  }
  return { start: lines[0], headers, rawHeaders, headLength: size(end), end };
}

/** RFC 9112 §4: HTTP-version SP 3DIGIT [ SP reason ], the SP before an empty reason optional. */
function statusLine(s) {
  const d = (c) => c >= '0' && c <= '9';
  if (s.length < 12 || !s.startsWith('HTTP/') || !d(s[5]) || s[6] !== '.' || !d(s[7]) || s[8] !== ' ' || !d(s[9]) || !d(s[10]) || !d(s[11])) return null;
  if (s.length > 12 && (s[12] !== ' ' || hasCtl(s.slice(13)))) return null;
  return { status: Number(s.slice(9, 12)), statusText: s.slice(13) };
}

/** parseUpgradeResponse's outcome: `{ end: -1 }` (null), `{ rule, end }`, or the response with `end`. */
export function modelResponse(input) {
  const h = modelHead(input, 'response');
  if (h.rule !== undefined || h.end < 0) return h;
  const s = statusLine(h.start);
  if (s === null) return { rule: 'malformed-status-line', end: h.end };
  return { status: s.status, statusText: s.statusText, headers: h.headers, rawHeaders: h.rawHeaders, headLength: h.headLength, end: h.end };
}

/** RFC 6455 §4.1: a list of tokens; null when one is not a token. */
export function modelProtocols(v) {
  if (v === undefined) return [];
  const out = v.split(',').map(trim).filter((p) => p !== '');
  return out.every(isTok) ? out : null;
}

const PARAM = /^[ \t]*([^ \t=]*)[ \t]*(?:=[ \t]*(?:"((?:[^"\\]|\\[^])*)"|([^ \t"]*))[ \t]*)?$/;

/**
 * RFC 6455 §9.1: 1#( token *( ";" token [ "=" ( token / quoted-string ) ] ) ),
 * a quoted value a token once unquoted; a parameter given twice keeps its
 * first value and is listed in `repeated`; empty elements ignored. A quoted ',' or ';' is never a token, so splitting on them first
 * cannot turn a malformed value into a good one. Null when malformed.
 */
export function modelExtensions(v) {
  if (v === undefined) return [];
  const out = [];
  for (const el of v.split(',')) {
    if (trim(el) === '') continue;
    const [first, ...rest] = el.split(';');
    const name = trim(first);
    if (!isTok(name)) return null;
    const params = Object.create(null);
    const repeated = [];
    for (const p of rest) {
      const m = PARAM.exec(p);
      if (m === null || !isTok(m[1])) return null;
      const value = m[2] !== undefined ? m[2].replace(/\\([^])/g, '$1') : m[3];
      if (value !== undefined && !isTok(value)) return null;
      if (!(m[1] in params)) params[m[1]] = value ?? true;
      else if (!repeated.includes(m[1])) repeated.push(m[1]);
    }
    out.push(repeated.length === 0 ? { name, params } : { name, params, repeated });
  }
  return out;
}

const STATUS = { 'head-too-large': 431, 'method-not-get': 405, 'unsupported-version': 426 };
export const verdict = (reason) => ({ ok: false, status: STATUS[reason] ?? 400, reason, headers: reason === 'method-not-get' ? { Allow: 'GET' } : reason === 'unsupported-version' ? { 'Sec-WebSocket-Version': '13' } : {} });
/** RFC 4648 §4: 16 bytes are 21 full sextets, one with 2 bits and 4 zero pad bits, and "==". */
const KEY = /^[A-Za-z0-9+/]{21}[AQgw]==$/;

/**
 * checkUpgradeRequest's verdict on a head: null while incomplete, else
 * `{ ok: false, status, reason, headers }` or `{ ok: true, request }`, in the
 * documented order: the head's syntax (its lines, then the request line,
 * Sec-WebSocket-Protocol, Sec-WebSocket-Extensions), then RFC 6455 §4.2.1
 * items 1 (GET: 405; HTTP/1.1 or later), 2 (Host), 3 (Upgrade),
 * 4 (Connection), 5 (key), 6 (version 13: 426).
 */
export function modelCheck(input) {
  return judgeHead(modelHead(input, 'request'));
}

/** modelCheck from a request head modelHead already read. */
export function judgeHead(h) {
  if (h.rule !== undefined) return verdict(h.rule);
  if (h.end < 0) return null;
  const rl = h.start.split(' ');
  if (rl.length !== 3 || !isTok(rl[0]) || !/^[\x21-\x7e]+$/.test(rl[1]) || !/^HTTP\/[0-9]\.[0-9]$/.test(rl[2])) return verdict('malformed-request-line');
  const H = h.headers;
  const protocols = modelProtocols(H['sec-websocket-protocol']);
  if (protocols === null) return verdict('malformed-protocol');
  const extensions = modelExtensions(H['sec-websocket-extensions']);
  if (extensions === null) return verdict('malformed-extensions');
  const [major, minor] = [Number(rl[2][5]), Number(rl[2][7])];
  if (rl[0] !== 'GET') return verdict('method-not-get');
  if (major < 1 || (major === 1 && minor < 1)) return verdict('http-version');
  if (!H.host) return verdict('missing-host');
  if (!isHostPort(H.host)) return verdict('invalid-host');
  if (!listHas(H.upgrade, 'websocket')) return verdict('missing-upgrade');
  if (!listHas(H.connection, 'upgrade')) return verdict('missing-connection');
  if (!KEY.test(H['sec-websocket-key'] ?? '')) return verdict('invalid-key');
  if (H['sec-websocket-version'] !== '13') return verdict('unsupported-version');
  return {
    ok: true,
    request: {
      method: rl[0], path: rl[1], httpVersion: rl[2].slice(5), headers: H, rawHeaders: h.rawHeaders, key: H['sec-websocket-key'],
      version: H['sec-websocket-version'], host: H.host, origin: H.origin, protocols, extensions, headLength: h.headLength,
    },
  };
}

export const acceptOf = (key) => createHash('sha1').update(key + GUID, 'utf8').digest('base64');

/**
 * verifyUpgradeResponse on a modelled response: `{ rule }` or
 * `{ protocol, extensions }`. RFC 6455 §4.1 items 1-6 in order: 101, Upgrade,
 * Connection, the accept value (exactly), extensions (well-formed, then each
 * name offered), then the subprotocol (exactly one offered, when present).
 */
export function modelVerify(res, offer) {
  const H = res.headers;
  if (res.status !== 101) return { rule: 'status-not-101' };
  if (!listHas(H.upgrade, 'websocket')) return { rule: 'upgrade-not-websocket' };
  if (!listHas(H.connection, 'upgrade')) return { rule: 'connection-not-upgrade' };
  if (H['sec-websocket-accept'] !== acceptOf(offer.key)) return { rule: 'accept-mismatch' };
  const extensions = modelExtensions(H['sec-websocket-extensions']);
  if (extensions === null) return { rule: 'response-malformed-extensions' };
  if (!extensions.every((e) => offer.extNames.includes(e.name))) return { rule: 'extension-not-offered' };
  if (extensions.some((e) => e.repeated !== undefined)) return { rule: 'response-malformed-extensions' };
  const protocol = H['sec-websocket-protocol'];
  if (protocol !== undefined && !offer.protocols.includes(protocol)) return { rule: 'protocol-not-offered' };
  return { protocol, extensions };
}

/**
 * RFC 9110 §7.2 Host = uri-host [ ":" port ], uri-host per RFC 3986 §3.2.2,
 * walked character by character (the library uses a regular expression):
 * "[" IPv6 characters or "v" HEXDIG+ "." (unreserved / sub-delims / ":")+ "]",
 * or a reg-name of unreserved, sub-delims and %HH; then ":" and digits.
 */
function isHostPort(host) {
  const unreserved = (c) => /[A-Za-z0-9]/.test(c) || '-._~'.includes(c);
  const subDelim = (c) => "!$&'()*+,;=".includes(c);
  const hex = (c) => c !== undefined && /[0-9A-Fa-f]/.test(c);
  let i = 0;
  if (host[0] === '[') {
    const close = host.indexOf(']');
    if (close < 0) return false;
    const inner = host.slice(1, close);
    if (inner === '') return false;
    if (inner[0] === 'v') {
      const dot = inner.indexOf('.');
      if (dot < 2 || dot === inner.length - 1) return false;
      for (let k = 1; k < dot; k++) if (!hex(inner[k])) return false;
      for (let k = dot + 1; k < inner.length; k++) if (!(unreserved(inner[k]) || subDelim(inner[k]) || inner[k] === ':')) return false;
    } else {
      for (const c of inner) if (!(hex(c) || c === ':' || c === '.')) return false;
    }
    i = close + 1;
  } else {
    while (i < host.length && host[i] !== ':') {
      const c = host[i];
      if (c === '%') {
        if (!hex(host[i + 1]) || !hex(host[i + 2])) return false;
        i += 3;
        continue;
      }
      if (!(unreserved(c) || subDelim(c))) return false;
      i++;
    }
  }
  if (i === host.length) return true;
  if (host[i] !== ':') return false;
  for (let k = i + 1; k < host.length; k++) if (host[k] < '0' || host[k] > '9') return false;
  return true;
}
