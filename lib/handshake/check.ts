// Browser compatible. Judging a client's opening handshake (RFC 6455 §4.2.1)
// and answering a refusal (§4.2.2, RFC 9110 §15): the result says what to
// send, not only whether the request is good.
import { HandshakeError } from '../errors.ts';
import type { HandshakeRule } from '../rules.ts';
import { describe, utf8Length } from '../primitives/_bytes.ts';
import { decodeBase64 } from '../primitives/base64.ts';
import { hasToken, isFieldValue, isToken } from './_http.ts';
import { headerPairs, writeHeaders } from './_headers.ts';
import { parseUpgradeRequest, type ResponseHeaders, type UpgradeRequest } from './server.ts';

/**
 * A request already parsed by a server: a Fetch `Request`, Node's
 * `IncomingMessage`, or a plain object. `url` is a path (`/chat?x=1`) or an
 * absolute URL; `headers` a plain object (an array value is one line per
 * element), a `Headers`, a `Map` or `[name, value]` pairs. Node's flat
 * `rawHeaders` and its `httpVersion`, when present, are used.
 */
export interface UpgradeRequestLike {
  method?: string;
  url?: string;
  // The forEach form types a Headers where TypeScript's DOM.Iterable is off; at run time it is iterated.
  headers: Record<string, string | readonly string[] | undefined> | Iterable<readonly [string, string | readonly string[]]> | { forEach(callback: (value: string, name: string) => void): void };
  rawHeaders?: readonly string[];
  httpVersion?: string;
}

/** What `checkUpgradeRequest` reads: the head's bytes or text, or a parsed request. */
export type UpgradeInput = string | ArrayBuffer | ArrayBufferView | UpgradeRequestLike;

/** A refused handshake: answer with `buildRejectResponse(status, reason, headers)`. */
export interface UpgradeRejection {
  ok: false;
  /** 400, 405, 426 or 431: `HANDSHAKE_RULES[reason].status`. */
  status: number;
  /** The stable identifier of the rule broken (lib/rules.ts). */
  reason: HandshakeRule;
  /** A sentence for logs; never match on it. */
  message: string;
  /** Headers the status requires: `Allow: GET` for 405 (RFC 9110 §15.5.6), `Sec-WebSocket-Version: 13` for 426 (RFC 6455 §4.4); else none. */
  headers: Record<string, string>;
}

/** `checkUpgradeRequest`'s verdict. */
export type UpgradeCheck = { ok: true; request: UpgradeRequest } | UpgradeRejection;

const WHERE = 'Cannot accept upgrade request';
/** RFC 9112 §3.2: origin-form, visible ASCII (RFC 3986 §2). */
const TARGET = /^[\x21-\x7e]+$/;
const VERSION = /^\d\.\d$/;
/**
 * RFC 3986 §3.2.2 uri-host, then an optional port (§3.2.3: digits): an
 * IP-literal in brackets (IPv6 checked for its characters only, or IPvFuture),
 * or an IPv4 address or reg-name (unreserved, pct-encoded, sub-delims).
 */
const HOST = /^(?:\[(?:[0-9A-Fa-f:.]+|v[0-9A-Fa-f]+\.[\w\-.~!$&'()*+,;=:]+)\]|(?:[\w\-.~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)(?::[0-9]*)?$/;

/**
 * Judges an opening handshake (RFC 6455 §4.2.1). Checks run in a fixed
 * order, the order of §4.2.1's list, and the first failure is the answer:
 * the head's syntax (the rule `parseUpgradeRequest` throws, 400 or 431),
 * then item 1 `GET` (405, so a `POST` with a bad version is a 405) and
 * HTTP/1.1 or later, item 2 a non-empty `Host`, item 3 `Upgrade` listing
 * `websocket`, item 4 `Connection` listing `upgrade` (case-insensitive
 * lists, RFC 9110 §7.6.1, §7.8), item 5 a `Sec-WebSocket-Key` that is base64
 * of 16 bytes, item 6 `Sec-WebSocket-Version: 13` (426).
 * A parsed request is written back as a head and parsed with the same
 * grammar, so it gives the same `UpgradeRequest` as its bytes would, with
 * `headLength` 0, `path` the URL's path and query, and the URL's host as
 * `Host` when no Host header is given (a Fetch `Request`).
 *
 * @param input The head received so far (a string, Uint8Array, ArrayBuffer or ArrayBufferView, as `parseUpgradeRequest` takes), or a parsed request: a Fetch `Request`, Node's `IncomingMessage`, or `{ method, url, headers }`.
 * @returns `null` while a byte head is incomplete (a head over 16 KiB is refused at once, complete or not), `{ ok: true, request }`, or `{ ok: false, status, reason, message, headers }`.
 * @throws {TypeError} When `input` is none of these shapes, or a header name or value is not a string.
 * @example Answer a Node upgrade
 * ```ts
 * const result = checkUpgradeRequest(req);
 * if (result !== null && !result.ok) socket.end(buildRejectResponse(result.status, result.reason, result.headers));
 * ```
 */
export function checkUpgradeRequest(input: UpgradeInput): UpgradeCheck | null {
  let req: UpgradeRequest | null;
  try {
    req = typeof input === 'string' || ArrayBuffer.isView(input) || input instanceof ArrayBuffer ? parseUpgradeRequest(input) : fromObject(input);
  } catch (e) {
    // parseUpgradeRequest throws request rules only (the client table is verifyUpgradeResponse's).
    if (e instanceof HandshakeError) return reject(e.rule as HandshakeRule, e.message);
    throw e;
  }
  return req === null ? null : judge(req);
}

/**
 * Tells whether a request is a valid WebSocket opening handshake: the
 * boolean form of `checkUpgradeRequest` (RFC 6455 §4.2.1).
 *
 * @param request The request head, as a string or bytes (a Uint8Array, an ArrayBuffer or any other ArrayBufferView), or a parsed request (`Request`, `IncomingMessage`, `{ method, url, headers }`).
 * @returns True only for a complete, valid upgrade request; false for anything else.
 * @throws Never, whatever the input.
 * @example Gate the handshake
 * ```ts
 * if (!validateUpgradeRequest(head)) socket.end(buildRejectResponse(400));
 * ```
 */
export function validateUpgradeRequest(request: UpgradeInput): boolean {
  try {
    return checkUpgradeRequest(request)?.ok === true;
  } catch {
    return false;
  }
}

function judge(req: UpgradeRequest): UpgradeCheck {
  const h = req.headers;
  // RFC 6455 §4.2.1 item 1: "An HTTP/1.1 or higher GET request".
  if (req.method !== 'GET') return reject('method-not-get', `${WHERE}: The method is ${req.method}, not GET`);
  const [major, minor] = req.httpVersion.split('.').map(Number);
  if (major < 1 || (major === 1 && minor < 1)) return reject('http-version', `${WHERE}: HTTP/${req.httpVersion} is older than HTTP/1.1`);
  // Items 2-4: Host, then the two tokens.
  if (req.host === undefined || req.host === '') return reject('missing-host', `${WHERE}: No Host header`);
  // RFC 9112 §3.2: a Host that is not uri-host [ ":" port ] (RFC 9110 §7.2) MUST be answered with 400.
  if (!HOST.test(req.host)) return reject('invalid-host', `${WHERE}: Host ${JSON.stringify(req.host.slice(0, 64))} is not a host[:port]`);
  if (!hasToken(h.upgrade, 'websocket')) return reject('missing-upgrade', `${WHERE}: The Upgrade header does not list websocket`);
  if (!hasToken(h.connection, 'upgrade')) return reject('missing-connection', `${WHERE}: The Connection header does not list upgrade`);
  // Item 5: "a base64-encoded value that, when decoded, is 16 bytes in length".
  if (!isKey(req.key)) return reject('invalid-key', `${WHERE}: Sec-WebSocket-Key is not base64 of 16 bytes`);
  // Item 6: "The value of this header field MUST be 13".
  if (req.version !== '13') return reject('unsupported-version', `${WHERE}: Sec-WebSocket-Version is ${req.version === undefined ? 'missing' : JSON.stringify(req.version)}, not 13`);
  return { ok: true, request: req };
}

function isKey(key: string | undefined): boolean {
  if (key === undefined) return false;
  try {
    return decodeBase64(key).length === 16;
  } catch {
    return false;
  }
}

function reject(reason: HandshakeRule, message: string): UpgradeRejection {
  const error = new HandshakeError(reason, message);
  const headers: Record<string, string> = {};
  if (error.status === 405) headers.Allow = 'GET';
  if (error.status === 426) headers['Sec-WebSocket-Version'] = '13';
  return { ok: false, status: error.status, reason, message, headers };
}

/** A parsed request, written back as a head: one grammar and one shape for both kinds of input. */
function fromObject(input: unknown): UpgradeRequest {
  if (input === null || typeof input !== 'object') throw new TypeError(`${WHERE}: Expected a string, bytes or a request object, got ${describe(input)}`);
  const { method, url, headers, rawHeaders, httpVersion } = input as Record<string, unknown>;
  if (typeof method !== 'string' || typeof url !== 'string') throw new TypeError(`${WHERE}: Expected a request with a string method and url, got ${describe(input)}`);
  // Node's rawHeaders keeps every line, in its case: two Host lines stay two.
  const pairs: [string, string][] = [];
  if (Array.isArray(rawHeaders) && rawHeaders.length % 2 === 0 && rawHeaders.every((s) => typeof s === 'string')) {
    for (let i = 0; i < rawHeaders.length; i += 2) pairs.push([rawHeaders[i], rawHeaders[i + 1]]);
  } else {
    pairs.push(...headerPairs(headers, WHERE, true));
  }
  if (!isToken(method)) throw bad('malformed-request-line', `Invalid method ${JSON.stringify(method.slice(0, 64))}`);
  let path = url;
  let host: string | undefined;
  // An absolute URL (a Fetch Request's) gives the path, and the host when no Host header is sent.
  if (url[0] !== '/') {
    let u: URL;
    try { u = new URL(url); } catch { throw bad('malformed-request-line', `Invalid request target ${JSON.stringify(url.slice(0, 64))}`); }
    path = u.pathname + u.search;
    host = u.host;
  }
  if (!TARGET.test(path)) throw bad('malformed-request-line', `Invalid request target ${JSON.stringify(path.slice(0, 64))}`);
  let head = `${method} ${path} HTTP/${typeof httpVersion === 'string' && VERSION.test(httpVersion) ? httpVersion : '1.1'}\r\n`;
  if (host !== undefined && !pairs.some(([name]) => name.toLowerCase() === 'host')) head += `Host: ${host}\r\n`;
  for (const [name, value] of pairs) {
    // Checked before they are written: a CR or LF in a value would start a line of its own.
    if (!isToken(name)) throw bad('malformed-header', `Invalid header name ${JSON.stringify(name.slice(0, 64))}`);
    if (!isFieldValue(value, true)) throw bad('invalid-header-value', `The value of ${name} holds a control character`);
    head += name + ': ' + value + '\r\n';
  }
  const req = parseUpgradeRequest(head + '\r\n') as UpgradeRequest;
  req.headLength = 0;
  return req;
}

function bad(rule: HandshakeRule, detail: string): HandshakeError {
  return new HandshakeError(rule, `${WHERE}: ${detail}`);
}

/** RFC 9110 §15 (and RFC 6585 §3-§5) reason phrases of the refusals a WebSocket server sends. */
const PHRASES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 408: 'Request Timeout', 409: 'Conflict', 410: 'Gone', 413: 'Content Too Large',
  414: 'URI Too Long', 421: 'Misdirected Request', 426: 'Upgrade Required', 428: 'Precondition Required',
  429: 'Too Many Requests', 431: 'Request Header Fields Too Large', 500: 'Internal Server Error',
  501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Timeout',
};
/** Headers the refusal writes itself; an extra header may not repeat them. */
const OWN_HEADERS = /^(content-length|content-type|connection|transfer-encoding)$/i;
const REJECT = 'Cannot build reject response';

/**
 * Builds a complete HTTP/1.1 refusal (RFC 9110 §15, RFC 9112 §4): the status
 * line, the extra `headers`, `Content-Type: text/plain; charset=utf-8`,
 * `Content-Length` and `Connection: close` (RFC 9112 §9.6: the server closes
 * after it), then a short text body. An unlisted status gets an empty reason
 * phrase, which RFC 9112 §4 allows.
 *
 * @param status An integer from 400 to 599.
 * @param reason The body text, such as a rejection's `reason`; the status's phrase when omitted. No CR or LF.
 * @param headers Extra headers, as `buildUpgradeResponse` takes them: a plain object (an array value gives one line per element), a `Headers`, a `Map` or `[name, value]` pairs.
 * @returns The whole response as a string; write it as UTF-8 (`Content-Length` counts UTF-8 bytes), then close.
 * @throws {RangeError} When `status` is not an integer from 400 to 599.
 * @throws {TypeError} When `status` is not a number, `reason` is not a string or holds CR or LF, a header name is not a token, a value holds CR, LF or another character a header may not hold (no response splitting), or an extra header repeats one the response sets.
 * @example Refuse what checkUpgradeRequest refused
 * ```ts
 * const result = checkUpgradeRequest(head);
 * if (result !== null && !result.ok) socket.end(buildRejectResponse(result.status, result.reason, result.headers));
 * ```
 */
export function buildRejectResponse(status: number, reason?: string, headers?: ResponseHeaders): string {
  if (typeof status !== 'number') throw new TypeError(`${REJECT}: Expected status to be a number, got ${describe(status)}`);
  if (!Number.isInteger(status) || status < 400 || status > 599) throw new RangeError(`${REJECT}: The status must be an integer from 400 to 599, got ${status}`);
  if (reason !== undefined && typeof reason !== 'string') throw new TypeError(`${REJECT}: Expected reason to be a string, got ${describe(reason)}`);
  if (reason !== undefined && /[\r\n]/.test(reason)) throw new TypeError(`${REJECT}: The reason holds CR or LF`);
  const phrase = PHRASES[status] ?? '';
  const body = reason ?? (phrase || String(status));
  return `HTTP/1.1 ${status} ${phrase}\r\n` + (headers === undefined ? '' : writeHeaders(headers, REJECT, OWN_HEADERS, 'is set by the response itself')) +
    `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${utf8Length(body)}\r\nConnection: close\r\n\r\n` + body;
}

/**
 * Picks the subprotocol (RFC 6455 §4.2.2 step 5.4): the first of the
 * server's `supported`, in the server's order of preference, that the client
 * offered. Tokens compare case-sensitively.
 *
 * @param offered The client's offers, such as `request.protocols`.
 * @param supported The server's subprotocols, most preferred first.
 * @returns The selected subprotocol, or `undefined` when none is shared (then send no `Sec-WebSocket-Protocol`).
 * @throws {TypeError} When an argument is not an array of strings.
 * @example Accept with a shared subprotocol
 * ```ts
 * socket.write(buildUpgradeResponse(request.key, { protocol: selectProtocol(request.protocols, ['v2.chat', 'chat']) }));
 * ```
 */
export function selectProtocol(offered: readonly string[], supported: readonly string[]): string | undefined {
  for (const list of [offered, supported]) {
    if (!Array.isArray(list) || !list.every((p) => typeof p === 'string')) throw new TypeError(`Cannot select protocol: Expected an array of strings, got ${describe(list)}`);
  }
  for (const p of supported) if (offered.includes(p)) return p;
  return undefined;
}
