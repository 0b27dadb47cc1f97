// Browser compatible. The server's sans-IO connection (RFC 6455 §4.2): it
// reads the upgrade request from the bytes, refuses a bad one with the right
// status by itself, and lets the application accept or reject a good one.
import { HandshakeError } from '../errors.ts';
import { MAX_HEAD_BYTES } from '../rfc6455.ts';
import { ENCODER } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';
import { buildRejectResponse, checkUpgradeRequest, type UpgradeCheck, type UpgradeRejection, type UpgradeRequestLike } from '../handshake/check.ts';
import { buildUpgradeResponse, type ResponseHeaders, type UpgradeRequest } from '../handshake/server.ts';
import { Connection } from './base.ts';
import { CONNECTION_KEYS, checkSession, formatExtension } from './_extensions.ts';
import type { ConnectionOptions } from './types.ts';
import { InvalidStateError } from './errors.ts';
import type { ExtensionSession } from './extension.ts';

/** Options for `ServerConnection`: those of every connection (see `ConnectionOptions`). */
export type ServerConnectionOptions = ConnectionOptions;

/** How `accept` answers. */
export interface AcceptOptions {
  /** The subprotocol selected, one the client offered (RFC 6455 §4.2.2 step 5.4); see `selectProtocol`. */
  protocol?: string;
  /** More response headers, such as `Set-Cookie`. */
  headers?: ResponseHeaders;
}

const WHERE = 'Cannot create server connection';
const ACCEPT_KEYS = ['protocol', 'headers'];
/**
 * Bytes a client may send after its head before the application answers (a
 * pipelined first frame is kept, not lost); past this the request is refused,
 * so an unanswered connection holds a bounded amount.
 */
const MAX_EARLY_BYTES = 1024 * 1024;
/** The head before its first byte: never written to (`_handshake` makes a new array), so shared. */
const NO_HEAD = /* @__PURE__ */ new Uint8Array(0);

/**
 * A request waiting for its answer, and the chunks that came after its head
 * meanwhile (a copy each; null for none), `earlyBytes` in all. One object
 * made when the request arrives and let go when it is answered: an open
 * connection holds one null field, not four (issue 14).
 */
interface Waiting { request: UpgradeRequest; early: Uint8Array[] | null; earlyBytes: number }

/**
 * The server's side of one WebSocket connection, sans-IO: feed it the bytes
 * the socket reads (`receive`), write what it produces (`takeOutput`), and
 * handle its events (`takeEvents`). A bad upgrade request is refused by
 * itself (400, 405 with `Allow: GET`, 426 with `Sec-WebSocket-Version: 13`,
 * 431) and ends with a `close` event whose `error` is the `HandshakeError`;
 * a good one is a `request` event, answered with `accept` or `reject`.
 *
 * @example An echo server over any socket
 * ```ts
 * const connection = new ServerConnection();
 * socket.on('data', (chunk) => {
 *   connection.receive(chunk);
 *   for (const event of connection.takeEvents()) {
 *     if (event.type === 'request') connection.accept();
 *     else if (event.type === 'message') connection.send(event.data);
 *   }
 *   for (const bytes of connection.takeOutput()) socket.write(bytes);
 *   if (connection.shouldCloseTransport) socket.end();
 * });
 * ```
 */
export class ServerConnection extends Connection {
  /** The request head so far, until it is complete (then null). */
  private _head: Uint8Array | null = NO_HEAD;
  private _waiting: Waiting | null = null;

  /**
   * @param options `maxMessageSize`, `maxFragments`, `unmaskInPlace`, `autoPong` and `extensions` (see `ConnectionOptions`).
   * @throws {TypeError} When an option has the wrong type or is unknown (the message names the nearest known one).
   * @throws {RangeError} When a limit is not a non-negative integer or `Infinity`.
   */
  constructor(options?: ServerConnectionOptions) {
    super(false, readOptions(options, CONNECTION_KEYS, WHERE), WHERE);
  }

  /**
   * The upgrade request while it waits for an answer (from the `request`
   * event until `accept` or `reject`); null before and after. The connection
   * lets it go once answered (an idle connection holds ~1.8 KiB less): keep
   * the event's `request` if you need it later.
   */
  get request(): UpgradeRequest | null {
    return this._waiting === null ? null : this._waiting.request;
  }

  /**
   * Accepts the request (RFC 6455 §4.2.2): writes the 101 with the subprotocol
   * and the extensions negotiated, opens the connection (`open` event), and
   * reads any frames the client sent after its head.
   *
   * @param options The `protocol` selected (one the client offered) and extra `headers`.
   * @returns Nothing.
   * @throws {InvalidStateError} When no request is waiting for an answer.
   * @throws {TypeError} When an option is unknown or wrong, or the protocol was not offered.
   * @example Accept with the first protocol both sides speak
   * ```ts
   * connection.accept({ protocol: selectProtocol(event.request.protocols, ['chat']) });
   * ```
   */
  accept(options?: AcceptOptions): void {
    const { request, early } = this._answering('accept');
    const o = readOptions(options, ACCEPT_KEYS, 'Cannot accept');
    const protocol = o.protocol;
    if (protocol !== undefined && (typeof protocol !== 'string' || !request.protocols.includes(protocol))) {
      throw new TypeError(`Cannot accept: The protocol ${JSON.stringify(protocol)} was not offered (RFC 6455 §4.2.2 step 5.4); offered: ${JSON.stringify(request.protocols)}`);
    }
    // RFC 6455 §9.1: the first extension of ours the client offered and the
    // extension agrees to; its answer names the parameters in use.
    let session: ExtensionSession | null = null, agreed = '';
    for (const ext of this._extensionList) {
      // An offer that repeats a parameter is ambiguous: declined (RFC 7692 §7.1 says so for permessage-deflate).
      const offers = request.extensions.filter((e) => e.name === ext.name && e.repeated === undefined).map((e) => e.params);
      if (offers.length === 0) continue;
      const answer = ext.negotiate(offers);
      if (answer === undefined) continue;
      session = checkSession(answer.session, ext.name, 'Cannot accept');
      agreed = formatExtension(ext.name, answer.params, 'Cannot accept');
      break;
    }
    const head = buildUpgradeResponse(request.key as string, { protocol: protocol as string | undefined, extensions: agreed === '' ? undefined : agreed, headers: o.headers as ResponseHeaders | undefined });
    this._queue(ENCODER.encode(head));
    this._waiting = null;
    this._open((protocol as string | undefined) ?? '', agreed, session);
    if (early !== null) for (const bytes of early) if (this._reader !== null) this._frames(bytes);
  }

  /**
   * Refuses the request with an HTTP response (RFC 6455 §4.2.2 item 1), then
   * the transport is to be closed; a `close` event (1006) ends the connection.
   *
   * @param status 400 to 599, such as 401, 403 or 404.
   * @param reason The body text; the status's phrase when omitted.
   * @param headers Extra headers, such as `WWW-Authenticate`.
   * @returns Nothing.
   * @throws {InvalidStateError} When no request is waiting for an answer.
   * @throws {RangeError} When `status` is not 400-599.
   * @throws {TypeError} When an argument is wrong (see `buildRejectResponse`).
   * @example Refuse a foreign origin
   * ```ts
   * if (event.request.origin !== 'https://example.com') connection.reject(403);
   * ```
   */
  reject(status: number, reason?: string, headers?: ResponseHeaders): void {
    this._answering('reject');
    this._queue(ENCODER.encode(buildRejectResponse(status, reason, headers)));
    this._waiting = null;
    this._closeNow();
  }

  /**
   * Starts from a request an HTTP server parsed already (Node's
   * `IncomingMessage` in an `upgrade` event, a Fetch `Request`, or
   * `{ method, url, headers }`) instead of its bytes: it is judged as
   * `checkUpgradeRequest` judges it, then refused or a `request` event.
   * Frames that followed the head (Node's `head` argument) go to `receive`.
   *
   * @param request The parsed request.
   * @returns Nothing: see `takeEvents` and `takeOutput`.
   * @throws {InvalidStateError} When a request has been received already.
   * @throws {TypeError} When `request` has none of these shapes.
   * @example Take over from node:http
   * ```ts
   * server.on('upgrade', (req, socket, head) => { connection.receiveRequest(req); connection.receive(head); });
   * ```
   */
  receiveRequest(request: UpgradeRequestLike): void {
    if (this._head === null || this._head.length > 0 || this._state !== 'connecting') throw new InvalidStateError('Cannot receive request: The request has been received already');
    if (request === null || typeof request !== 'object' || ArrayBuffer.isView(request)) throw new TypeError('Cannot receive request: Expected a parsed request ({ method, url, headers }); give bytes to receive()');
    this._judge(checkUpgradeRequest(request) as UpgradeCheck, new Uint8Array(0));
  }

  /** @internal The request head, in any chunking, never more than MAX_HEAD_BYTES; bytes after it wait for the answer. */
  protected _handshake(bytes: Uint8Array): void {
    const waiting = this._waiting;
    if (waiting !== null) {
      waiting.earlyBytes += bytes.length;
      if (waiting.earlyBytes > MAX_EARLY_BYTES) {
        const why = `Over ${MAX_EARLY_BYTES} bytes arrived before the request was answered`;
        this._waiting = null;
        this._queue(ENCODER.encode(buildRejectResponse(400, why)));
        return this._closeNow(new RangeError(`Cannot receive: ${why}`));
      }
      // A view of the caller's chunk would change under `unmaskInPlace` or a reused buffer: a copy
      // (not `slice()`, which is a view on a Node Buffer).
      (waiting.early ??= []).push(new Uint8Array(bytes));
      return;
    }
    const had = (this._head as Uint8Array).length;
    const head = new Uint8Array(had + bytes.length);
    head.set(this._head as Uint8Array);
    head.set(bytes, had);
    this._head = head;
    // Parsed only when the head may have ended (a new LF) or grown too big:
    // a head trickled a byte at a time is not parsed again for every byte.
    if (!bytes.includes(0x0a) && head.length <= MAX_HEAD_BYTES) return;
    const result = checkUpgradeRequest(head);
    if (result !== null) this._judge(result, head);
  }

  /** A request judged: refused, or a `request` event with the bytes after its head kept. */
  private _judge(result: UpgradeCheck, head: Uint8Array): void {
    if (!result.ok) return this._refuse(result, result.message);
    this._head = null;
    const rest = head.subarray(result.request.headLength);
    this._waiting = { request: result.request, early: rest.length > 0 ? [rest] : null, earlyBytes: rest.length };
    this._emit({ type: 'request', request: result.request });
  }

  private _refuse(result: UpgradeRejection, message: string): void {
    this._head = null;
    this._queue(ENCODER.encode(buildRejectResponse(result.status, message, result.headers)));
    this._closeNow(new HandshakeError(result.reason, message));
  }

  private _answering(what: string): Waiting {
    if (this._state !== 'connecting') throw new InvalidStateError(`Cannot ${what}: The connection is ${this._state}; its request was answered already or never came`);
    if (this._waiting === null) throw new InvalidStateError(`Cannot ${what}: No upgrade request has arrived`);
    return this._waiting;
  }
}
