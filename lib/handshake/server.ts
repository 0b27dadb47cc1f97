// Browser compatible. Parsing and validating the client's opening handshake
// (RFC 6455 §4.1, §4.2.1) from the raw bytes of an HTTP/1.1 request head (RFC 9112).
import { HandshakeError } from '../errors.ts';
import type { HandshakeRule } from '../rules.ts';
import { readOptions } from '../primitives/_options.ts';
import { readHead, type Head, type HeadRules } from './_head.ts';
import { isToken, trimOws } from './_http.ts';
import { headerLine, writeHeaders } from './_headers.ts';
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
  const head = readHead(request, REQUEST_HEAD);
  return head === null ? null : parseHead(head);
}

/** The request's head rules: a server answers each with its status (lib/rules.ts). */
const REQUEST_HEAD: HeadRules = {
  where: 'Cannot parse upgrade request',
  tooLarge: 'head-too-large',
  bareCr: 'bare-cr',
  obsFold: 'obs-fold',
  malformedHeader: 'malformed-header',
  invalidValue: 'invalid-header-value',
  // RFC 9112 §3.2: more than one Host is answered with 400.
  once: ['host', 'duplicate-host', 'Host'],
};

function bad(rule: HandshakeRule, detail: string): HandshakeError {
  return new HandshakeError(rule, `Cannot parse upgrade request: ${detail}`);
}

/** RFC 9112 §3: request-line = method SP request-target SP HTTP-version; the target is visible ASCII (RFC 3986 §2: other bytes are percent-encoded). */
const REQUEST_LINE = /^([^ ]+) ([\x21-\x7e]+) HTTP\/(\d)\.(\d)$/;

function parseHead({ start: requestLine, headers, rawHeaders, headLength }: Head): UpgradeRequest {
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
  if (extensions !== undefined) head += headerLine('Sec-WebSocket-Extensions', extensions, WHERE);
  if (headers !== undefined) head += writeHeaders(headers, WHERE, OWN_HEADERS, 'is set by the handshake; use the options instead');
  return head + '\r\n';
}
