// Browser compatible. Parsing and validating the client's opening handshake
// (RFC 6455 §4.1, §4.2.1) from the raw bytes of an HTTP/1.1 request head (RFC 9112).
import { HandshakeError } from '../errors.ts';
import type { HandshakeRule } from '../rules.ts';
import { describe, utf8Length } from '../primitives/_bytes.ts';
import { decodeBase64 } from '../primitives/base64.ts';
import { MAX_HEAD_BYTES } from '../rfc6455.ts';
import { hasToken, isFieldValue, isToken, trimOws } from './_http.ts';
import { computeAcceptKey } from './accept.ts';
import { parseExtensions, type ExtensionOffer } from './extensions.ts';

/** A parsed upgrade request. */
export interface UpgradeRequest {
  method: string;
  /** The request target, query included. */
  path: string;
  /** Such as `"1.1"`. */
  httpVersion: string;
  /** Lower-case names; repeated headers joined with ", " (RFC 9110 §5.3). */
  headers: Record<string, string>;
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
 * @param request The bytes received so far (a string is read as text; its `headLength` counts UTF-8 bytes).
 * @returns The request, or `null` while the head (through the first blank line) is incomplete.
 * @throws {HandshakeError} 400 for a malformed request line, header line (obs-fold and whitespace before the colon included), repeated Host, or malformed `Sec-WebSocket-Protocol`/`Sec-WebSocket-Extensions`; 431 for a head over 16 KiB.
 * @throws {TypeError} When `request` is not a string or Uint8Array.
 * @example Read the head, keep what follows it
 * ```ts
 * const req = parseUpgradeRequest(buffered);
 * if (req !== null) frames = buffered.subarray(req.headLength);
 * ```
 */
export function parseUpgradeRequest(request: string | Uint8Array): UpgradeRequest | null {
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
  } else if (request instanceof Uint8Array) {
    const end = findHeadEnd(request.length, (i) => request[i]);
    if (end < 0) return null;
    // Header bytes are octets (RFC 9110 §5.5); Latin-1 keeps one char per byte.
    text = latin1(request, end);
    headLength = end;
  } else {
    throw new TypeError(`Cannot parse upgrade request: Expected a string or Uint8Array, got ${describe(request)}`);
  }
  return parseHead(text, headLength);
}

/**
 * Tells whether a request is a valid WebSocket opening handshake
 * (RFC 6455 §4.2.1): `GET`, HTTP/1.1 or later, a non-empty `Host`, `Upgrade`
 * listing `websocket` and `Connection` listing `upgrade` (case-insensitive
 * lists, as Firefox sends `keep-alive, Upgrade`), a `Sec-WebSocket-Key` that
 * is base64 of 16 bytes, and `Sec-WebSocket-Version: 13`.
 *
 * @param request The request head, as a string or bytes.
 * @returns True only for a complete, valid upgrade request; false for anything else.
 * @throws Never, whatever the input.
 * @example Gate the handshake
 * ```ts
 * if (!validateUpgradeRequest(head)) socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
 * ```
 */
export function validateUpgradeRequest(request: string | Uint8Array): boolean {
  let req: UpgradeRequest | null;
  try {
    req = parseUpgradeRequest(request);
  } catch {
    return false;
  }
  if (req === null || req.method !== 'GET') return false;
  // RFC 6455 §4.1 step 2: HTTP/1.1 or higher.
  const [major, minor] = req.httpVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 1)) return false;
  if (req.host === undefined || req.host === '') return false;
  const h = req.headers;
  if (!hasToken(h.upgrade, 'websocket') || !hasToken(h.connection, 'upgrade')) return false;
  if (req.version !== '13') return false;
  // RFC 6455 §4.2.1 step 5: a base64-encoded value that decodes to 16 bytes.
  if (req.key === undefined) return false;
  try {
    return decodeBase64(req.key).length === 16;
  } catch {
    return false;
  }
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
  const headers: Record<string, string> = {};
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
    if (colon < 0) throw bad('malformed-header', `A header line without a colon: ${JSON.stringify(line.slice(0, 64))}`);
    const name = line.slice(0, colon);
    // RFC 9112 §5.1: no whitespace between the field name and the colon.
    if (!isToken(name)) throw bad('malformed-header', `Invalid header name ${JSON.stringify(name.slice(0, 64))}`);
    const value = trimOws(line.slice(colon + 1));
    if (!isFieldValue(value, true)) throw bad('invalid-header-value', `The value of ${name} holds a control character`);
    const key = name.toLowerCase();
    const prior = Object.prototype.hasOwnProperty.call(headers, key) ? headers[key] : undefined;
    // RFC 9112 §3.2: more than one Host is answered with 400.
    if (prior !== undefined && key === 'host') throw bad('duplicate-host', 'More than one Host header');
    Object.defineProperty(headers, key, { value: prior === undefined ? value : prior + ', ' + value, enumerable: true, writable: true, configurable: true });
  }
  const m = REQUEST_LINE.exec(requestLine);
  if (m === null || !isToken(m[1])) throw bad('malformed-request-line', `Malformed request line ${JSON.stringify(requestLine.slice(0, 64))}`);
  const get = (k: string): string | undefined => (Object.prototype.hasOwnProperty.call(headers, k) ? headers[k] : undefined);
  return {
    method: m[1],
    path: m[2],
    httpVersion: `${m[3]}.${m[4]}`,
    headers,
    key: get('sec-websocket-key'),
    version: get('sec-websocket-version'),
    host: get('host'),
    origin: get('origin'),
    protocols: parseProtocols(get('sec-websocket-protocol')),
    extensions: parseExtensions(get('sec-websocket-extensions')),
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

/** Options for `buildUpgradeResponse`. */
export interface UpgradeResponseOptions {
  /** The subprotocol selected from the client's offer (RFC 6455 §4.2.2 step 5.5): a token. */
  protocol?: string;
  /** The extensions accepted, as a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1). */
  extensions?: string;
  /** More response headers, such as `Set-Cookie`. */
  headers?: Record<string, string>;
}

/** Headers the handshake writes itself; an extra header may not repeat them. */
const OWN_HEADERS = new Set(['upgrade', 'connection', 'sec-websocket-accept', 'sec-websocket-protocol', 'sec-websocket-extensions']);

/**
 * Builds the server's `101 Switching Protocols` response (RFC 6455 §4.2.2 step 5).
 *
 * @param key The client's `Sec-WebSocket-Key`.
 * @param options The selected `protocol`, the accepted `extensions`, and extra `headers`.
 * @returns The response head, ending in one blank line, ready to write to the socket.
 * @throws {TypeError} When an argument has the wrong type, when a header name is not a token, when a value holds CR, LF or another character a header may not hold (no response splitting), or when an extra header repeats one the handshake sets.
 * @example Accept a connection
 * ```ts
 * socket.write(buildUpgradeResponse(request.key, { protocol: 'chat' }));
 * ```
 */
export function buildUpgradeResponse(key: string, options?: UpgradeResponseOptions): string {
  let head = 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ' + computeAcceptKey(key) + '\r\n';
  if (options === undefined) return head + '\r\n';
  if (options === null || typeof options !== 'object') throw new TypeError(`Cannot build upgrade response: Expected options to be an object, got ${describe(options)}`);
  const { protocol, extensions, headers } = options;
  if (protocol !== undefined) {
    // RFC 6455 §4.1: a subprotocol is a token.
    if (typeof protocol !== 'string' || !isToken(protocol)) throw new TypeError(`Cannot build upgrade response: The protocol must be a token, got ${JSON.stringify(protocol)}`);
    head += 'Sec-WebSocket-Protocol: ' + protocol + '\r\n';
  }
  if (extensions !== undefined) {
    head += header('Sec-WebSocket-Extensions', extensions);
  }
  if (headers !== undefined) {
    if (headers === null || typeof headers !== 'object') throw new TypeError(`Cannot build upgrade response: Expected headers to be an object, got ${describe(headers)}`);
    for (const name of Object.keys(headers)) {
      if (OWN_HEADERS.has(name.toLowerCase())) throw new TypeError(`Cannot build upgrade response: ${name} is set by the handshake; use the options instead`);
      head += header(name, headers[name]);
    }
  }
  return head + '\r\n';
}

function header(name: string, value: unknown): string {
  if (!isToken(name)) throw new TypeError(`Cannot build upgrade response: Invalid header name ${JSON.stringify(name)}`);
  if (typeof value !== 'string') throw new TypeError(`Cannot build upgrade response: The value of ${name} must be a string, got ${describe(value)}`);
  if (!isFieldValue(value)) throw new TypeError(`Cannot build upgrade response: The value of ${name} holds a character a header may not hold (CR, LF, NUL or a control character)`);
  return name + ': ' + trimOws(value) + '\r\n';
}
