// Browser compatible. Parsing and validating the client's opening handshake
// (RFC 6455 §4.1, §4.2.1) from the raw bytes of an HTTP/1.1 request head (RFC 9112).
import { HandshakeError } from '../errors.ts';
import type { HandshakeRule } from '../rules.ts';
import { asBytes, describe, utf8Length } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';
import { MAX_HEAD_BYTES } from '../rfc6455.ts';
import { isFieldValue, isToken, trimOws } from './_http.ts';
import { computeAcceptKey } from './accept.ts';
import { parseExtensions, type ExtensionOffer } from './extensions.ts';

/** A parsed upgrade request. */
export interface UpgradeRequest {
  method: string;
  /** The request target, query included. */
  path: string;
  /** Such as `"1.1"`. */
  httpVersion: string;
  /**
   * Lower-case names, with no prototype: a `__proto__` or `constructor`
   * header is a header like any other, and no inherited name shadows an
   * absent one. Repeated headers are joined with ", " (RFC 9110 §5.3),
   * `Cookie` with "; " (RFC 6265 §5.4, RFC 9113 §8.2.3).
   */
  headers: Record<string, string>;
  /** Every header line as `[name, value]`, in arrival order, names in their original case, values trimmed of OWS. */
  rawHeaders: [string, string][];
  key: string | undefined;
  version: string | undefined;
  host: string | undefined;
  origin: string | undefined;
  /** `Sec-WebSocket-Protocol` offers, in the client's order of preference. */
  protocols: string[];
  extensions: ExtensionOffer[];
  /** Bytes of the head, blank line included: a frame pipelined after it starts here. */
  headLength: number;
}

/**
 * Parses an HTTP/1.1 request head (RFC 9112 §2-§5) and the WebSocket fields
 * in it. It parses; `validateUpgradeRequest` judges.
 * Lines end in CRLF; a bare LF is tolerated (RFC 9112 §2.2), as are empty
 * lines before the request line.
 *
 * @param request The bytes received so far: a Uint8Array, an ArrayBuffer or any other ArrayBufferView (its own window), or a string read as text (its `headLength` counts UTF-8 bytes).
 * @returns The request, or `null` while the head (through the first blank line) is incomplete.
 * @throws {HandshakeError} With the `rule` broken and its `status` (lib/rules.ts): 400 `'malformed-request-line'`, `'bare-cr'`, `'obs-fold'`, `'malformed-header'` (whitespace before the colon included), `'invalid-header-value'`, `'duplicate-host'`, `'malformed-protocol'` or `'malformed-extensions'`; 431 `'head-too-large'` for a head over 16 KiB.
 * @throws {TypeError} When `request` is not a string, ArrayBuffer or ArrayBufferView.
 * @example Read the head, keep what follows it
 * ```ts
 * const req = parseUpgradeRequest(buffered);
 * if (req !== null) frames = buffered.subarray(req.headLength);
 * ```
 */
export function parseUpgradeRequest(request: string | ArrayBuffer | ArrayBufferView): UpgradeRequest | null {
  let text: string;
  let headLength: number;
  if (typeof request === 'string') {
    const end = findHeadEnd(request.length, (i) => request.charCodeAt(i));
    // The limit is in bytes: a string under 16 Ki characters may still be over 16 KiB of UTF-8.
    if (end < 0) {
      if (utf8Length(request) > MAX_HEAD_BYTES) throw tooLarge();
      return null;
    }
    text = request.slice(0, end);
    headLength = utf8Length(text);
    if (headLength > MAX_HEAD_BYTES) throw tooLarge();
  } else {
    const bytes = asBytes(request, 'Cannot parse upgrade request', 'a string or ');
    const end = findHeadEnd(bytes.length, (i) => bytes[i]);
    if (end < 0) return null;
    // Header bytes are octets (RFC 9110 §5.5); Latin-1 keeps one char per byte.
    text = latin1(bytes, end);
    headLength = end;
  }
  return parseHead(text, headLength);
}

/** Index just past the blank line ending the head, or -1; throws 431 past the limit. */
function findHeadEnd(n: number, at: (i: number) => number): number {
  let i = 0;
  // RFC 9112 §2.2: ignore empty lines before the request line.
  while (i < n && i < MAX_HEAD_BYTES && (at(i) === 0x0a || (at(i) === 0x0d && i + 1 < n && at(i + 1) === 0x0a))) i += at(i) === 0x0a ? 1 : 2;
  const limit = Math.min(n, MAX_HEAD_BYTES + 1);
  for (; i < limit; i++) {
    if (at(i) !== 0x0a) continue;
    const end = i + 1 < n && at(i + 1) === 0x0a ? i + 2 : i + 2 < n && at(i + 1) === 0x0d && at(i + 2) === 0x0a ? i + 3 : -1;
    if (end < 0) continue;
    if (end > MAX_HEAD_BYTES) throw tooLarge();
    return end;
  }
  if (n > MAX_HEAD_BYTES) throw tooLarge();
  return -1;
}

function tooLarge(): HandshakeError {
  return new HandshakeError('head-too-large', `Cannot parse upgrade request: The head is over ${MAX_HEAD_BYTES} bytes`);
}

function latin1(bytes: Uint8Array, end: number): string {
  let s = '';
  for (let i = 0; i < end; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  return s;
}

function bad(rule: HandshakeRule, detail: string): HandshakeError {
  return new HandshakeError(rule, `Cannot parse upgrade request: ${detail}`);
}

/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version; the target is visible ASCII (RFC 3986 §2: other bytes are percent-encoded). */
const REQUEST_LINE = /^([^ ]+) ([\x21-\x7e]+) HTTP\/(\d)\.(\d)$/;

function parseHead(text: string, headLength: number): UpgradeRequest {
  const lines = text.split('\n');
  // The head ends with an empty line, so the split leaves two empty strings (or "\r" and "").
  lines.length -= 2;
  let first = 0;
  while (lines[first] === '' || lines[first] === '\r') first++;
  // No prototype: '__proto__' is stored as a header, and 'constructor' is absent until sent.
  const headers: Record<string, string> = Object.create(null);
  const rawHeaders: [string, string][] = [];
  let requestLine = '';
  for (let l = first; l < lines.length; l++) {
    let line = lines[l];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    // RFC 9112 §2.2: a bare CR is invalid.
    if (line.includes('\r')) throw bad('bare-cr', 'A bare CR in the head');
    if (l === first) { requestLine = line; continue; }
    // RFC 9112 §5.2: obs-fold is rejected with 400.
    if (line[0] === ' ' || line[0] === '\t') throw bad('obs-fold', 'Obsolete line folding');
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    // RFC 9112 §5.1: field-name ":" OWS field-value OWS, with no whitespace between the name and the colon.
    if (colon < 0 || !isToken(name)) throw bad('malformed-header', `Malformed header line ${JSON.stringify(line.slice(0, 64))}`);
    const value = trimOws(line.slice(colon + 1));
    if (!isFieldValue(value, true)) throw bad('invalid-header-value', `The value of ${name} holds a control character`);
    const key = name.toLowerCase();
    const prior = headers[key];
    // RFC 9112 §3.2: more than one Host is answered with 400.
    if (prior !== undefined && key === 'host') throw bad('duplicate-host', 'More than one Host header');
    // RFC 9110 §5.3: a repeated field is one list joined with ", "; Cookie
    // pairs are separated by "; " instead (RFC 6265 §5.4), as HTTP/2 joins
    // its cookie crumbs (RFC 9113 §8.2.3).
    headers[key] = prior === undefined ? value : prior + (key === 'cookie' ? '; ' : ', ') + value;
    rawHeaders.push([name, value]);
  }
  const m = REQUEST_LINE.exec(requestLine);
  if (m === null || !isToken(m[1])) throw bad('malformed-request-line', `Malformed request line ${JSON.stringify(requestLine.slice(0, 64))}`);
  return {
    method: m[1],
    path: m[2],
    httpVersion: `${m[3]}.${m[4]}`,
    headers,
    rawHeaders,
    key: headers['sec-websocket-key'],
    version: headers['sec-websocket-version'],
    host: headers.host,
    origin: headers.origin,
    protocols: parseProtocols(headers['sec-websocket-protocol']),
    extensions: parseExtensions(headers['sec-websocket-extensions']),
    headLength,
  };
}

/** RFC 6455 §4.1: Sec-WebSocket-Protocol is a comma-separated list of tokens. */
function parseProtocols(value: string | undefined): string[] {
  if (value === undefined) return [];
  const out: string[] = [];
  for (const part of value.split(',')) {
    const p = trimOws(part);
    if (p === '') continue; // RFC 9110 §5.6.1: empty list elements are ignored
    if (!isToken(p)) throw bad('malformed-protocol', `Invalid subprotocol ${JSON.stringify(p.slice(0, 64))}`);
    out.push(p);
  }
  return out;
}

/**
 * Extra response headers: a plain object (a value may be an array, one
 * header line per element), or anything iterable of `[name, value]` pairs:
 * a `Headers`, a `Map`, an array.
 */
export type ResponseHeaders =
  | Record<string, string | readonly string[]>
  | Iterable<readonly [string, string | readonly string[]]>;

/** Options for `buildUpgradeResponse`. */
export interface UpgradeResponseOptions {
  /** The subprotocol selected from the client's offer (RFC 6455 §4.2.2 step 5.5): a token. */
  protocol?: string;
  /** The extensions accepted, as a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1). */
  extensions?: string;
  /** More response headers, such as `Set-Cookie`; a name given twice is sent twice, in order. */
  headers?: ResponseHeaders;
}

const WHERE = 'Cannot build upgrade response';
const OPTIONS = ['protocol', 'extensions', 'headers'] as const;
/** Headers the handshake writes itself, in any case; an extra header may not repeat them. */
const OWN_HEADERS = /^(upgrade|connection|sec-websocket-(accept|protocol|extensions))$/i;

/**
 * Builds the server's `101 Switching Protocols` response (RFC 6455 §4.2.2 step 5).
 *
 * @param key The client's `Sec-WebSocket-Key`.
 * @param options The selected `protocol`, the accepted `extensions`, and extra `headers`: a plain object (an array value gives one line per element), a `Headers`, a `Map` or an iterable of `[name, value]` pairs, each line written in the order given.
 * @returns The response head, ending in one blank line, ready to write to the socket.
 * @throws {TypeError} When an argument has the wrong type, when an option is unknown (naming the nearest known one), when a header name is not a token, when a value holds CR, LF or another character a header may not hold (no response splitting), or when an extra header repeats one the handshake sets.
 * @example Accept a connection, with two cookies
 * ```ts
 * socket.write(buildUpgradeResponse(request.key, { protocol: 'chat', headers: { 'Set-Cookie': ['a=1', 'b=2'] } }));
 * ```
 */
export function buildUpgradeResponse(key: string, options?: UpgradeResponseOptions): string {
  let head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + computeAcceptKey(key) + '\r\n';
  if (options === undefined) return head + '\r\n';
  const { protocol, extensions, headers } = readOptions(options, OPTIONS, WHERE);
  if (protocol !== undefined) {
    // RFC 6455 §4.1: a subprotocol is a token.
    if (typeof protocol !== 'string' || !isToken(protocol)) throw new TypeError(`${WHERE}: The protocol must be a token, got ${JSON.stringify(protocol)}`);
    head += 'Sec-WebSocket-Protocol: ' + protocol + '\r\n';
  }
  if (extensions !== undefined) head += line('Sec-WebSocket-Extensions', extensions);
  if (headers === undefined) return head + '\r\n';
  if (headers === null || typeof headers !== 'object') throw new TypeError(`${WHERE}: Expected headers to be an object or iterable, got ${describe(headers)}`);
  // Anything iterable (Headers, Map, an array) is read as pairs; it is never
  // required to be a Headers, which not every runtime has.
  const pairs = typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function'
    ? (headers as Iterable<unknown>)
    : Object.keys(headers).map((name) => [name, (headers as Record<string, unknown>)[name]]);
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw new TypeError(`${WHERE}: Expected [name, value] pairs, got ${describe(pair)}`);
    const [name, value] = pair as [string, unknown];
    if (OWN_HEADERS.test(name)) throw new TypeError(`${WHERE}: ${name} is set by the handshake; use the options instead`);
    // One line per element: Set-Cookie cannot be joined with commas (RFC 6265 §3).
    if (Array.isArray(value)) for (const v of value) head += line(name, v);
    else head += line(name, value);
  }
  return head + '\r\n';
}

function line(name: string, value: unknown): string {
  if (!isToken(name)) throw new TypeError(`${WHERE}: Invalid header name ${JSON.stringify(name)}`);
  if (typeof value !== 'string') throw new TypeError(`${WHERE}: The value of ${name} must be a string, got ${describe(value)}`);
  if (!isFieldValue(value)) throw new TypeError(`${WHERE}: The value of ${name} holds CR, LF or another character a header may not hold`);
  return name + ': ' + trimOws(value) + '\r\n';
}
