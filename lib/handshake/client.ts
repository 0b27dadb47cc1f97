// Browser compatible. The client's side of the opening handshake
// (RFC 6455 §4.1): writing the upgrade request, reading the server's response
// head (RFC 9112 §4) and judging it. Sans-IO: bytes and strings in and out.
import { HandshakeError } from '../errors.ts';
import { describe } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';
import { decodeBase64, encodeBase64 } from '../primitives/base64.ts';
import { readHead, type HeadRules } from './_head.ts';
import { hasToken, isFieldValue, isToken } from './_http.ts';
import { headerLine, writeHeaders } from './_headers.ts';
import { computeAcceptKey } from './accept.ts';
import { parseExtensions, type ExtensionOffer } from './extensions.ts';

/**
 * Extra request headers: a plain object (a value may be an array, one header
 * line per element), or anything iterable of `[name, value]` pairs: a
 * `Headers`, a `Map`, an array.
 */
export type RequestHeaders =
  | Record<string, string | readonly string[]>
  | Iterable<readonly [string, string | readonly string[]]>;

/**
 * Extensions to offer (RFC 6455 §9.1): a whole `Sec-WebSocket-Extensions`
 * value, or a list whose elements are each one offer, as text
 * (`'permessage-deflate; client_max_window_bits'`), as `{ name, params }`,
 * or as an extension object such as `permessageDeflate()`, whose `offer()`
 * gives its offers.
 */
export type ExtensionOffers = string | readonly (string | ExtensionOffer | OfferingExtension)[];

/**
 * An extension object that makes its own offers, such as
 * `permessageDeflate()`: typed by shape, so that the handshake needs nothing
 * from the connection layer. Each of `offer()`'s parameter sets is one offer.
 */
export interface OfferingExtension {
  readonly name: string;
  offer(): Record<string, string | true>[];
}

/**
 * A `URL`, or anything with the same `href`: typed by its shape, so that the
 * declarations need no `URL` type from a DOM or Node library.
 */
export interface UrlLike {
  readonly href: string;
}

/** Options for `buildUpgradeRequest`. */
export interface UpgradeRequestOptions {
  /** Subprotocols to offer, most preferred first (RFC 6455 §4.1 item 10): tokens, each once. */
  protocols?: string | readonly string[];
  /** Extensions to offer (RFC 6455 §4.1 item 11, §9.1). */
  extensions?: ExtensionOffers;
  /** More request headers, such as `Cookie` or `Authorization`; a name given twice is sent twice, in order. */
  headers?: RequestHeaders;
  /** The `Origin` to send (RFC 6455 §4.1 item 8, RFC 6454 §7). */
  origin?: string;
  /** A `Sec-WebSocket-Key` of your own, base64 of 16 bytes; by default a fresh one from `crypto.getRandomValues`. */
  key?: string;
}

/** What `buildUpgradeRequest` returns. */
export interface UpgradeRequestHead {
  /** The request head, ending in one blank line, ready to write to the socket. */
  request: string;
  /** The `Sec-WebSocket-Key` sent: keep it for `verifyUpgradeResponse`. */
  key: string;
}

/** A parsed response head (RFC 9112 §4), whatever its status. */
export interface UpgradeResponse {
  /** The status code, such as 101. */
  status: number;
  /** The reason phrase, possibly empty; a client ignores it (RFC 9112 §4). */
  statusText: string;
  /**
   * Lower-case names, with no prototype. Repeated headers are joined with
   * ", " (RFC 9110 §5.3), `Cookie` with "; ".
   */
  headers: Record<string, string>;
  /** Every header line as `[name, value]`, in arrival order, names in their original case, values trimmed of OWS. */
  rawHeaders: [string, string][];
  /** Bytes of the head, blank line included: the server's first frames may follow it in the same chunk. */
  headLength: number;
}

/** What the client offered, for `verifyUpgradeResponse`. */
export interface UpgradeOffer {
  /** The `key` `buildUpgradeRequest` returned. */
  key: string;
  /** The subprotocols offered, if any. */
  protocols?: string | readonly string[];
  /** The extensions offered, if any, in any form `buildUpgradeRequest` takes. */
  extensions?: ExtensionOffers;
}

/** What the server agreed to. */
export interface UpgradeAgreement {
  /** The subprotocol the server selected, or undefined for none. */
  protocol: string | undefined;
  /** The extensions in use, in the server's order (RFC 6455 §9.1), with their parameters. */
  extensions: ExtensionOffer[];
}

const WHERE = 'Cannot build upgrade request';
const VERIFY = 'Cannot verify upgrade response';
const OPTIONS = ['protocols', 'extensions', 'headers', 'origin', 'key'] as const;
const OFFER = ['key', 'protocols', 'extensions'] as const;
/** Headers the handshake writes itself, in any case; an extra header may not repeat them. */
const OWN_HEADERS = /^(host|upgrade|connection|origin|sec-websocket-(key|version|protocol|extensions|accept))$/i;

/**
 * Builds the client's opening handshake (RFC 6455 §4.1): a `GET` of the
 * URL's path and query with `Host`, `Upgrade: websocket`,
 * `Connection: Upgrade`, a `Sec-WebSocket-Key` and `Sec-WebSocket-Version: 13`.
 *
 * @param url A `ws:` or `wss:` URL (RFC 6455 §3), as a string, a `URL` or anything with its `href`; `http:` and `https:` are taken as `ws:` and `wss:`, as the WHATWG WebSocket constructor does. No fragment, no user name or password.
 * @param options The `protocols` and `extensions` to offer, the `origin`, extra `headers` (a plain object, a `Headers`, a `Map` or `[name, value]` pairs), and a `key` of your own (by default 16 fresh random bytes).
 * @returns `{ request, key }`: the head to write, and the key to verify the response with.
 * @throws {TypeError} When `url` is not a valid ws/wss URL or has a fragment or credentials, when an option is unknown or of the wrong type, when a protocol is not a token or is repeated, when an extension offer breaks the RFC 6455 §9.1 grammar, when `key` is not base64 of 16 bytes, when a header name is not a token, when a value holds CR, LF, another control character or one above U+00FF (no request splitting), or when an extra header repeats one the handshake sets.
 * @example Open a connection
 * ```ts
 * const { request, key } = buildUpgradeRequest('ws://example.com/chat', { protocols: ['chat'] });
 * socket.write(request);
 * ```
 */
export function buildUpgradeRequest(url: string | UrlLike, options?: UpgradeRequestOptions): UpgradeRequestHead {
  const target = readUrl(url);
  const o = readOptions(options, OPTIONS, WHERE);
  const key = o.key === undefined ? freshKey() : readKey(o.key);
  // RFC 9112 §3.2: a user agent sends Host first.
  let head = `GET ${target.path} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`;
  const protocols = readProtocols(o.protocols, WHERE);
  if (protocols.length > 0) head += 'Sec-WebSocket-Protocol: ' + protocols.join(', ') + '\r\n';
  const extensions = readExtensions(o.extensions, WHERE);
  if (extensions.length > 0) head += 'Sec-WebSocket-Extensions: ' + extensions.map(formatOffer).join(', ') + '\r\n';
  if (o.origin !== undefined) head += headerLine('Origin', o.origin, WHERE);
  if (o.headers !== undefined) head += writeHeaders(o.headers, WHERE, OWN_HEADERS, 'is set by the handshake; use the options instead');
  return { request: head + '\r\n', key };
}

/** The request target and Host of a ws/wss URL (RFC 6455 §3, §4.1 items 3-4). */
function readUrl(url: unknown): { path: string; host: string } {
  // A URL of another realm is a URL too: read its href, never instanceof.
  const href = typeof url === 'string' ? url : url !== null && typeof url === 'object' ? (url as UrlLike).href : undefined;
  if (typeof href !== 'string') throw new TypeError(`${WHERE}: Expected url to be a string or URL, got ${describe(url)}`);
  let u: URL;
  try {
    u = new URL(href);
  } catch {
    throw new TypeError(`${WHERE}: Invalid URL ${JSON.stringify(href.slice(0, 64))}`);
  }
  // WHATWG WebSockets §3.1: http and https stand for ws and wss.
  if (!/^(wss?|https?):$/.test(u.protocol)) throw new TypeError(`${WHERE}: Expected a ws: or wss: URL, got ${u.protocol}`);
  // RFC 6455 §3: "Fragment identifiers are meaningless in the context of
  // WebSocket URIs and MUST NOT be used"; an empty one ("#") counts too.
  if (u.href.includes('#')) throw new TypeError(`${WHERE}: A WebSocket URL may not have a fragment`);
  // RFC 6455 §3: ws-URI = "ws:" "//" host [ ":" port ] path [ "?" query ], no userinfo.
  if (u.username !== '' || u.password !== '') throw new TypeError(`${WHERE}: A WebSocket URL may not hold credentials; send an Authorization header instead`);
  // RFC 6455 §4.1 item 4: the port only when it is not the scheme's default;
  // URL omits 80 for ws/http and 443 for wss/https already.
  // RFC 6455 §3: the resource name keeps "?" with an empty query; URL's `search` drops it.
  const query = u.search === '' && u.href.endsWith('?') ? '?' : u.search;
  return { path: (u.pathname || '/') + query, host: u.host };
}

function freshKey(): string {
  // RFC 6455 §4.1 item 7: a nonce of 16 random bytes, chosen anew for each connection.
  return encodeBase64(globalThis.crypto.getRandomValues(new Uint8Array(16)));
}

function readKey(key: unknown): string {
  if (typeof key !== 'string') throw new TypeError(`${WHERE}: Expected key to be a string, got ${describe(key)}`);
  let n = -1;
  try { n = decodeBase64(key).length; } catch { /* judged below */ }
  if (n !== 16) throw new TypeError(`${WHERE}: The key must be base64 of 16 bytes (RFC 6455 §4.1 item 7), got ${JSON.stringify(key.slice(0, 64))}`);
  return key;
}

/** RFC 6455 §4.1 item 10: tokens (RFC 9110 §5.6.2), each once. */
function readProtocols(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new TypeError(`${where}: Expected protocols to be a string or an array of strings, got ${describe(value)}`);
  const out: string[] = [];
  for (const p of list) {
    if (typeof p !== 'string' || !isToken(p)) throw new TypeError(`${where}: A protocol must be a token, got ${typeof p === 'string' ? JSON.stringify(p.slice(0, 64)) : describe(p)}`);
    if (out.includes(p)) throw new TypeError(`${where}: The protocol ${JSON.stringify(p)} is offered twice`);
    out.push(p);
  }
  return out;
}

/** The offers, each checked against the RFC 6455 §9.1 grammar. */
function readExtensions(value: unknown, where: string): ExtensionOffer[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return parseOffers(value, where);
  if (!Array.isArray(value)) throw new TypeError(`${where}: Expected extensions to be a string or an array, got ${describe(value)}`);
  const out: ExtensionOffer[] = [];
  for (const e of value) {
    if (typeof e === 'string') {
      const one = parseOffers(e, where);
      if (one.length !== 1) throw new TypeError(`${where}: Expected one extension offer per element, got ${JSON.stringify(e.slice(0, 64))}`);
      out.push(one[0]);
      continue;
    }
    if (e === null || typeof e !== 'object') throw new TypeError(`${where}: Expected an extension offer to be a string or { name, params }, got ${describe(e)}`);
    if (typeof (e as OfferingExtension).offer === 'function') {
      // An extension object: its offers, each read as a { name, params } below.
      const name = (e as OfferingExtension).name;
      out.push(...readExtensions((e as OfferingExtension).offer().map((params) => ({ name, params })), where));
      continue;
    }
    const { name, params } = readOptions(e, ['name', 'params'], where);
    if (typeof name !== 'string' || !isToken(name)) throw new TypeError(`${where}: An extension name must be a token, got ${JSON.stringify(name)}`);
    const offer: ExtensionOffer = { name, params: Object.create(null) };
    if (params !== undefined) {
      if (params === null || typeof params !== 'object') throw new TypeError(`${where}: Expected the params of ${name} to be an object, got ${describe(params)}`);
      for (const k of Object.keys(params)) {
        const v = (params as Record<string, unknown>)[k];
        // RFC 6455 §9.1: a parameter value, quoted or not, is a token.
        if (!isToken(k) || (v !== true && (typeof v !== 'string' || !isToken(v)))) throw new TypeError(`${where}: The parameter ${JSON.stringify(k)} of ${name} must be a token with a token value or true`);
        offer.params[k] = v as string | true;
      }
    }
    out.push(offer);
  }
  return out;
}

function parseOffers(text: string, where: string): ExtensionOffer[] {
  if (!isFieldValue(text)) throw new TypeError(`${where}: An extension offer holds CR, LF or another character a header may not hold`);
  try {
    return parseExtensions(text);
  } catch {
    throw new TypeError(`${where}: Malformed extension offer ${JSON.stringify(text.slice(0, 64))} (RFC 6455 §9.1)`);
  }
}

/** RFC 6455 §9.1: extension-token *( ";" extension-param ), values as tokens. */
function formatOffer(offer: ExtensionOffer): string {
  let s = offer.name;
  for (const k of Object.keys(offer.params)) s += '; ' + k + (offer.params[k] === true ? '' : '=' + offer.params[k]);
  return s;
}

/** The response's head rules: a client answers none of them, it fails the connection (lib/rules.ts). */
const RESPONSE_HEAD: HeadRules = {
  where: 'Cannot parse upgrade response',
  tooLarge: 'response-too-large',
  bareCr: 'response-bare-cr',
  malformedHeader: 'response-malformed-header',
  invalidValue: 'response-invalid-header-value',
  // No obsFold rule: RFC 9112 §5.2 has a user agent replace obs-fold with SP.
};

/**
 * RFC 9112 §4: status-line = HTTP-version SP status-code SP [ reason-phrase ],
 * reason-phrase = 1*( HTAB / SP / VCHAR / obs-text ). The SP before an empty
 * reason is often left out (`HTTP/1.1 101`); the reason is ignored anyway.
 * As for header values, a string head is text: any character but a control one.
 */
const STATUS_LINE = /^HTTP\/(\d)\.(\d) (\d{3})(?: ([^\x00-\x08\x0a-\x1f\x7f]*))?$/;

/**
 * Parses the server's response head (RFC 9112 §4, §5), whatever its status:
 * `verifyUpgradeResponse` judges it. Lines end in CRLF; a bare LF is
 * tolerated (RFC 9112 §2.2), and obs-fold is replaced with SP (RFC 9112 §5.2).
 *
 * @param response The bytes received so far: a Uint8Array, an ArrayBuffer or any other ArrayBufferView (its own window), or a string read as text (its `headLength` counts UTF-8 bytes).
 * @returns `{ status, statusText, headers, rawHeaders, headLength }`, or `null` while the head (through the first blank line) is incomplete.
 * @throws {HandshakeError} With the `rule` broken (`status` 0, lib/rules.ts `CLIENT_HANDSHAKE_RULES`): `'malformed-status-line'`, `'response-bare-cr'`, `'response-malformed-header'` (whitespace before the colon included), `'response-invalid-header-value'`, or `'response-too-large'` for a head over 16 KiB.
 * @throws {TypeError} When `response` is not a string, ArrayBuffer or ArrayBufferView.
 * @example Read the head, keep the frames after it
 * ```ts
 * const res = parseUpgradeResponse(buffered);
 * if (res !== null) frames = buffered.subarray(res.headLength);
 * ```
 */
export function parseUpgradeResponse(response: string | ArrayBuffer | ArrayBufferView): UpgradeResponse | null {
  const head = readHead(response, RESPONSE_HEAD);
  if (head === null) return null;
  const m = STATUS_LINE.exec(head.start);
  if (m === null) throw new HandshakeError('malformed-status-line', `Cannot parse upgrade response: Malformed status line ${JSON.stringify(head.start.slice(0, 64))}`);
  return { status: Number(m[3]), statusText: m[4] ?? '', headers: head.headers, rawHeaders: head.rawHeaders, headLength: head.headLength };
}

/**
 * Judges the server's response as RFC 6455 §4.1 has the client do, items 1-6:
 * status 101, `Upgrade` listing `websocket` and `Connection` listing
 * `upgrade` (case-insensitive), `Sec-WebSocket-Accept` matching the key,
 * only offered extensions, and no subprotocol but one offered.
 *
 * @param response The response `parseUpgradeResponse` returned.
 * @param offer What the client offered: the `key` `buildUpgradeRequest` returned, and the `protocols` and `extensions` given to it.
 * @returns `{ protocol, extensions }`: the subprotocol selected (undefined for none) and the extensions in use with their parameters.
 * @throws {HandshakeError} With the `rule` of the first check failed (`status` 0), naming it: `'status-not-101'` (the status is in the message: a 3xx or 401 is for the caller to handle, RFC 6455 §4.1 item 1), `'upgrade-not-websocket'`, `'connection-not-upgrade'`, `'accept-mismatch'`, `'response-malformed-extensions'`, `'extension-not-offered'` or `'protocol-not-offered'`.
 * @throws {TypeError} When `response` is not a parsed response, or `offer` lacks a string `key`, has an unknown key, or offers protocols or extensions `buildUpgradeRequest` would refuse.
 * @example Check the 101 before reading frames
 * ```ts
 * const { protocol } = verifyUpgradeResponse(res, { key, protocols: ['chat'] });
 * ```
 */
export function verifyUpgradeResponse(response: UpgradeResponse, offer: UpgradeOffer): UpgradeAgreement {
  if (response === null || typeof response !== 'object' || typeof response.status !== 'number' || response.headers === null || typeof response.headers !== 'object') {
    throw new TypeError(`${VERIFY}: Expected a response from parseUpgradeResponse, got ${describe(response)}`);
  }
  if (offer === undefined) throw new TypeError(`${VERIFY}: Expected the offer, with the key sent`);
  const o = readOptions(offer, OFFER, VERIFY);
  if (typeof o.key !== 'string') throw new TypeError(`${VERIFY}: Expected key to be a string, got ${describe(o.key)}`);
  const protocols = readProtocols(o.protocols, VERIFY);
  const offered = readExtensions(o.extensions, VERIFY);
  const h = response.headers;
  const fail = (rule: ConstructorParameters<typeof HandshakeError>[0], detail: string) => new HandshakeError(rule, `${VERIFY}: ${detail}`);
  const has = (name: string) => Object.prototype.hasOwnProperty.call(h, name);
  const get = (name: string) => (has(name) ? h[name] : undefined);
  // RFC 6455 §4.1 item 1: anything but 101 is handled as HTTP (a redirect, an auth challenge), not as a WebSocket.
  if (response.status !== 101) throw fail('status-not-101', `The status is ${response.status}, not 101 Switching Protocols`);
  // Items 2-3: "an |Upgrade| header field whose value is not an ASCII
  // case-insensitive match for the value "websocket"", and likewise
  // |Connection| for "Upgrade"; both are lists (RFC 9110 §7.8, §7.6.1).
  if (!hasToken(get('upgrade'), 'websocket')) throw fail('upgrade-not-websocket', `The Upgrade header does not name websocket: ${JSON.stringify((get('upgrade') ?? '(none)').slice(0, 64))}`);
  if (!hasToken(get('connection'), 'upgrade')) throw fail('connection-not-upgrade', `The Connection header does not name upgrade: ${JSON.stringify((get('connection') ?? '(none)').slice(0, 64))}`);
  // Item 4: base64(SHA-1(key + GUID)), compared exactly (it is not a list: two values joined by ", " never match).
  const accept = get('sec-websocket-accept');
  if (accept !== computeAcceptKey(o.key)) throw fail('accept-mismatch', `Sec-WebSocket-Accept is ${accept === undefined ? 'missing' : JSON.stringify(accept.slice(0, 64))}, not the one the key gives`);
  // Item 5: only extensions the client offered.
  let extensions: ExtensionOffer[];
  try {
    extensions = parseExtensions(get('sec-websocket-extensions'));
  } catch (e) {
    const why = (e as Error).message;
    throw fail('response-malformed-extensions', why.slice(why.indexOf(': ') + 2));
  }
  for (const e of extensions) {
    if (!offered.some((x) => x.name === e.name)) throw fail('extension-not-offered', `The server uses the extension ${e.name}, which was not offered`);
    // RFC 7692 §7.1 (for permessage-deflate; an answer is ambiguous for any extension): fail on a repeated parameter.
    if (e.repeated !== undefined) throw fail('response-malformed-extensions', `The server's ${e.name} repeats the parameter ${e.repeated[0]}`);
  }
  // Item 6: no subprotocol, or one of those offered, matched exactly as offered.
  const protocol = get('sec-websocket-protocol');
  if (protocol !== undefined && !protocols.includes(protocol)) {
    throw fail('protocol-not-offered', protocols.length === 0 ? `The server selected the subprotocol ${JSON.stringify(protocol.slice(0, 64))}, but none was offered` : `The server selected the subprotocol ${JSON.stringify(protocol.slice(0, 64))}, which was not offered`);
  }
  return { protocol, extensions };
}
