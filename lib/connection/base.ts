// Browser compatible. What both roles of a sans-IO connection share
// (RFC 6455 §5-§7): reading frames into events, writing frames, the closing
// handshake and failing the connection. It owns no socket and reads no clock:
// bytes in (`receive`), events and bytes out (`takeEvents`, `takeOutput`), as
// python-websockets' protocol.py does. server.ts and client.ts add the opening
// handshake of their role.
import { ProtocolError } from '../errors.ts';
import { DEFAULT_MAX_FRAGMENTS, DEFAULT_MAX_MESSAGE_SIZE, isValidCloseCode } from '../rfc6455.ts';
import { ENCODER, asBytes, describe } from '../primitives/_bytes.ts';
import { checkKeys, readBoolean, readLimit } from '../primitives/_options.ts';
import { encodeCloseFrame, encodeFrame, encodePingFrame, encodePongFrame, encodeTextFrame, type EncodeOptions } from '../frame/encode.ts';
import { MessageReader } from '../stream/reader.ts';
import type { Message, MessageReaderOptions } from '../stream/message.ts';
import { InvalidStateError } from './errors.ts';
import type { Extension, ExtensionSession } from './extension.ts';
import { readExtensionList, wholeFrameLength } from './_extensions.ts';
import { POOLED_MAX, endRun, poolBinary, poolHeader, poolText, unpool } from './_out-pool.ts';
import type { ConnectionEvent, ConnectionState, Deadline, SendOptions } from './types.ts';

const SEND_KEYS = ['fin'];
/**
 * A server sends a binary payload from this size (`POOLED_MAX`) as a header
 * plus the caller's bytes, not a copy of both (what ws does with
 * `mask: false`). Below it one small copy into the pool costs less than a
 * second chunk to write.
 */
const ZERO_COPY = POOLED_MAX;
/** A client masks every frame with a fresh key (RFC 6455 §5.3). */
const MASKED: EncodeOptions = /* @__PURE__ */ Object.freeze({ mask: true });

/**
 * The connection's yes/no state, as bits of one small integer (`_flags`):
 * one field instead of seven, 48 B less per connection (issue 14).
 */
const CLIENT = 1, AUTO_PONG = 2, CLOSE_TRANSPORT = 4, SENT_CLOSE = 8, REPLY_DUE = 16, REPLY_ENDS = 32, STREAM_ENCODED = 64;

/**
 * The reader options of the last connection made: the next with the same
 * settings shares them (they are frozen), instead of an object of its own
 * (48 B per connection, issue 14). A server's connections are made with the
 * same options, over and over.
 */
let lastRead: Readonly<MessageReaderOptions> = /* @__PURE__ */ Object.freeze({});

/**
 * The connection both roles share: everything after the opening handshake.
 * `ServerConnection` and `ClientConnection` are the ones to create.
 */
export abstract class Connection {
  /** @internal */ protected _state: ConnectionState = 'connecting';
  /** @internal */ protected _reader: MessageReader | null = null;
  /** @internal */ protected readonly _extensionList: readonly Extension[];
  /** CLIENT, AUTO_PONG, CLOSE_TRANSPORT, SENT_CLOSE, REPLY_DUE, REPLY_ENDS and STREAM_ENCODED. */
  private _flags: number;
  private readonly _read: Readonly<MessageReaderOptions>;
  /** Null while there are none: an array is made for the first, and handed over by `takeEvents`. */
  private _events: ConnectionEvent[] | null = null;
  /** Null while there is none, as `_events`. */
  private _out: Uint8Array[] | null = null;
  private _outBytes = 0;
  /**
   * A Close this side owes (the answer to the peer's Close, or the Close that
   * fails the connection), held back until the application has taken the
   * events that came before it and then `takeOutput` runs: what it sends in
   * answer to those messages goes out first (RFC 6455 §5.5.1 allows data
   * until our Close is sent). Null when none is pending.
   */
  private _reply: Uint8Array | null = null;
  private _session: ExtensionSession | null = null;
  private _protocol = '';
  private _extensions = '';
  /** The opcode of the message being sent in fragments (0 for none); STREAM_ENCODED says whether the extension encodes it. */
  private _stream = 0;

  /** @internal */
  protected constructor(client: boolean, options: Record<string, unknown>, where: string) {
    this._flags = (client ? CLIENT : 0) | (readBoolean(options.autoPong, true, 'autoPong', where) ? AUTO_PONG : 0);
    const role = client ? 'client' : 'server';
    const maxMessageSize = readLimit(options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE, 'maxMessageSize', where);
    const maxFragments = readLimit(options.maxFragments, DEFAULT_MAX_FRAGMENTS, 'maxFragments', where);
    const unmaskInPlace = readBoolean(options.unmaskInPlace, false, 'unmaskInPlace', where);
    const r = lastRead;
    if (r.role !== role || r.maxMessageSize !== maxMessageSize || r.maxFragments !== maxFragments || r.unmaskInPlace !== unmaskInPlace) {
      lastRead = Object.freeze({ role, maxMessageSize, maxFragments, unmaskInPlace });
    }
    this._read = lastRead;
    this._extensionList = readExtensionList(options.extensions, where);
  }

  /** True for a client: it masks every frame it sends (RFC 6455 §5.3). */
  private get _client(): boolean {
    return (this._flags & CLIENT) !== 0;
  }

  /** `'connecting'` until the opening handshake completes, `'open'`, `'closing'` once a Close frame was sent or received (until the closing handshake completes), `'closed'`. */
  get state(): ConnectionState {
    return this._state;
  }

  /** True once the transport must be closed now: after a server's closing handshake, a failure, a refused handshake, or the transport's end. */
  get shouldCloseTransport(): boolean {
    return (this._flags & CLOSE_TRANSPORT) !== 0;
  }

  /** The deadline the adapter must enforce now (see `Deadline`). */
  get deadline(): Deadline {
    if (this._state === 'connecting') return 'handshake';
    if (this._state === 'closing' || (this._state === 'closed' && (this._flags & CLOSE_TRANSPORT) === 0)) return 'close';
    return null;
  }

  /**
   * True while `send`, `ping` and `pong` are allowed: when open, and once
   * the peer's Close or a failure is known, until the Close this side owes is
   * sent (by the `takeOutput` after the `takeEvents` that delivered the
   * `close` event), so that the messages that came before it can be answered.
   */
  get writable(): boolean {
    return this._state === 'open' || this._reply !== null;
  }

  /** Bytes produced for the transport and not yet taken by `takeOutput`. */
  get bufferedAmount(): number {
    return this._outBytes;
  }

  /** The subprotocol in use, `''` for none (until open, too). */
  get protocol(): string {
    return this._protocol;
  }

  /** The extensions in use, as the `Sec-WebSocket-Extensions` value agreed (`''` for none). */
  get extensions(): string {
    return this._extensions;
  }

  /**
   * Feeds bytes the transport read, in any chunking: the handshake, then frames.
   * Bytes after the connection closed are discarded. Bad input never throws:
   * it becomes a refusal, a Close and a `close` event.
   *
   * @param bytes A `Uint8Array`, `ArrayBuffer` or any `ArrayBufferView`.
   * @returns Nothing: see `takeEvents`, `takeOutput` and `shouldCloseTransport`.
   * @throws {TypeError} When `bytes` is not bytes.
   * @example Feed a socket
   * ```ts
   * socket.on('data', (chunk) => { connection.receive(chunk); flush(); });
   * ```
   */
  receive(bytes: Uint8Array | ArrayBuffer | ArrayBufferView): void {
    const b = bytes instanceof Uint8Array ? bytes : asBytes(bytes, 'Cannot receive', '', 'bytes');
    if (this._state === 'connecting') this._handshake(b);
    else if (this._reader !== null) this._frames(b);
  }

  /**
   * Says the transport reached its end (EOF). A connection that had not
   * closed cleanly ends with a `close` event, code 1006.
   *
   * @returns Nothing.
   * @throws Never.
   * @example On the socket's end
   * ```ts
   * socket.on('end', () => { connection.receiveEnd(); flush(); });
   * ```
   */
  receiveEnd(): void {
    this.abort();
  }

  /**
   * Ends the connection now, without a closing handshake: the adapter is
   * dropping the transport (a deadline passed, a heartbeat went unanswered,
   * the transport failed). Unless already closed, a `close` event with code
   * 1006 and `error` follows; nothing is sent (RFC 6455 §7.4.1).
   *
   * @param error Why, for the `close` event.
   * @returns Nothing.
   * @throws Never.
   * @example Enforce the close timeout
   * ```ts
   * setTimeout(() => { connection.abort(new Error('close timeout')); socket.destroy(); }, 5000);
   * ```
   */
  abort(error?: unknown): void {
    if (this._reply !== null) this._replied();
    else if (this._state !== 'closed') this._finish(1006, '', false, error);
    this._flags |= CLOSE_TRANSPORT;
  }

  /**
   * Returns the events since the last call, in order, and forgets them.
   *
   * @returns `request`, `open`, `message`, `ping`, `pong` and `close` events (see `ConnectionEvent`).
   * @throws Never.
   * @example Handle what arrived
   * ```ts
   * for (const event of connection.takeEvents()) if (event.type === 'message') connection.send(event.data);
   * ```
   */
  takeEvents(): ConnectionEvent[] {
    if (this._reply !== null) this._flags |= REPLY_DUE;
    const events = this._events;
    if (events === null) return [];
    this._events = null;
    return events;
  }

  /**
   * Returns the bytes to write to the transport since the last call, in order,
   * and forgets them. Frames sent in a row may share a chunk (a server writes
   * small frames into a shared pool, never rewritten once handed out); large
   * binary payloads a server sends are the caller's own bytes, not copies: do
   * not change them until written.
   *
   * @returns The chunks to write, in order (write them all, then check `shouldCloseTransport`).
   * @throws Never.
   * @example Flush to a socket
   * ```ts
   * for (const chunk of connection.takeOutput()) socket.write(chunk);
   * if (connection.shouldCloseTransport) socket.end();
   * ```
   */
  takeOutput(): Uint8Array[] {
    if (this._flags & REPLY_DUE) {
      this._queue(this._reply as Uint8Array);
      this._replied();
    }
    endRun(this);
    const out = this._out;
    if (out === null) return [];
    this._out = null;
    this._outBytes = 0;
    return out;
  }

  /**
   * Sends a message, or one fragment of a message (RFC 6455 §5.4, §5.6): text
   * for a string (encoded as UTF-8; lone surrogates become U+FFFD), binary for
   * bytes. With `fin: false` the message is streamed: later calls send its
   * next fragments (of the same type) until one with `fin` true ends it;
   * pings, pongs and a Close may go between them. A client masks every frame
   * with a fresh key (RFC 6455 §5.3); a server masks none.
   *
   * @param data A string, or a `Uint8Array`, `ArrayBuffer` or any `ArrayBufferView`.
   * @param options `fin` (default true).
   * @returns Nothing: the frame is in `takeOutput()`.
   * @throws {InvalidStateError} When the connection is not `writable`: connecting, after our Close, or closed.
   * @throws {TypeError} When `data` is neither a string nor bytes, an option is wrong, or a fragment's type differs from its message's.
   * @example Stream a message in three fragments
   * ```ts
   * connection.send('a', { fin: false });
   * connection.send('b', { fin: false });
   * connection.send('c');
   * ```
   */
  send(data: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: SendOptions): void {
    if (this._state !== 'open' && this._reply === null) throw this._notOpen('send');
    let fin = true;
    if (options !== undefined) {
      checkKeys(options, SEND_KEYS, 'Cannot send');
      fin = readBoolean(options.fin, true, 'fin', 'Cannot send');
    }
    const text = typeof data === 'string';
    const opcode = text ? 0x1 : 0x2;
    if (this._stream !== 0 && this._stream !== opcode) {
      throw new TypeError(`Cannot send: A ${this._stream === 0x1 ? 'text' : 'binary'} message is being streamed; its next fragment must be ${this._stream === 0x1 ? 'a string' : 'bytes'}`);
    }
    const first = this._stream === 0;
    // The common case, a whole message from a server with no extension: the
    // encoders' own fast paths, with no options object.
    if (first && fin && !this._client && this._session === null) {
      // Small frames and large payloads' headers are written into the shared pool (_out-pool.ts).
      if (text) {
        const n = poolText(this, data);
        if (n === 0) return this._queue(encodeTextFrame(data));
        this._outBytes += n;
        return;
      }
      const bytes = data instanceof Uint8Array ? data : asBytes(data, 'Cannot send', ' or a string', 'data');
      this._outBytes += bytes.length < ZERO_COPY ? poolBinary(this, bytes) : poolHeader(this, 0x82, bytes.length);
      if (bytes.length >= ZERO_COPY) this._queue(bytes);
      return;
    }
    let payload = text ? ENCODER.encode(data) : data instanceof Uint8Array ? data : asBytes(data, 'Cannot send', ' or a string', 'data');
    if (first) this._flags = this._session !== null && this._session.wants(payload, fin) ? this._flags | STREAM_ENCODED : this._flags & ~STREAM_ENCODED;
    const encoded = (this._flags & STREAM_ENCODED) !== 0;
    if (encoded) payload = (this._session as ExtensionSession).encode(payload, fin);
    this._queue(encodeFrame(first ? opcode : 0x0, payload, { fin, rsv1: first && encoded, mask: this._client }));
    this._stream = fin ? 0 : opcode;
  }

  /**
   * Sends a whole data frame encoded already, such as `broadcastEncode`'s: a
   * message to many connections is encoded once, and its bytes queued on
   * each. Server only: a client masks every frame with a fresh key (RFC 6455
   * §5.3), so its frames cannot be shared. The header is checked (one whole
   * unmasked text or binary frame, FIN set, no RSV bit); the payload is
   * trusted (text must be UTF-8, RFC 6455 §5.6). The bytes are queued as they
   * are: do not change them until written.
   *
   * @param frame The frame's bytes, header included.
   * @returns Nothing: the frame is in `takeOutput()`.
   * @throws {InvalidStateError} When the connection is not `writable`.
   * @throws {TypeError} From a client, while a message is streamed (`fin: false`), or when `frame` is not one whole unmasked data frame.
   * @example Broadcast a message encoded once
   * ```ts
   * const frame = broadcastEncode('tick');
   * for (const connection of connections) connection.sendFrame(frame);
   * ```
   */
  sendFrame(frame: Uint8Array): void {
    if (this._client) throw new TypeError('Cannot send frame: A client masks every frame with a fresh key (RFC 6455 §5.3); use send()');
    if (!this.writable) throw this._notOpen('send frame');
    if (this._stream !== 0) throw new TypeError('Cannot send frame: A message is being streamed; end it first (RFC 6455 §5.4)');
    if (!(frame instanceof Uint8Array) || wholeFrameLength(frame) !== frame.length) throw new TypeError(`Cannot send frame: Expected one whole unmasked text or binary frame with FIN set and no RSV bit, got ${describe(frame)}`);
    this._queue(frame);
  }

  /**
   * Sends a Ping (RFC 6455 §5.5.2); the peer answers with a Pong carrying the same payload.
   *
   * @param data At most 125 bytes: a string (UTF-8) or bytes. Default empty.
   * @returns Nothing.
   * @throws {InvalidStateError} When the connection is not open.
   * @throws {RangeError} When `data` is over 125 bytes.
   * @throws {TypeError} When `data` is neither a string nor bytes.
   * @example Check the peer is alive
   * ```ts
   * connection.ping('hb');
   * ```
   */
  ping(data?: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    if (this._state !== 'open' && this._reply === null) throw this._notOpen('ping');
    this._queue(encodePingFrame(data, this._client ? MASKED : undefined));
  }

  /**
   * Sends an unsolicited Pong (RFC 6455 §5.5.3: a heartbeat that needs no answer),
   * or, with `autoPong: false`, the answer to a Ping.
   *
   * @param data At most 125 bytes: a string (UTF-8) or bytes. Default empty.
   * @returns Nothing.
   * @throws {InvalidStateError} When the connection is not open.
   * @throws {RangeError} When `data` is over 125 bytes.
   * @throws {TypeError} When `data` is neither a string nor bytes.
   * @example Answer a ping yourself
   * ```ts
   * if (event.type === 'ping') connection.pong(event.data);
   * ```
   */
  pong(data?: string | Uint8Array | ArrayBuffer | ArrayBufferView): void {
    if (this._state !== 'open' && this._reply === null) throw this._notOpen('pong');
    this._queue(encodePongFrame(data, this._client ? MASKED : undefined));
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2): sends a Close frame and
   * sends nothing more; the `close` event comes when the peer's Close does.
   * Before the connection is open it is dropped instead (`close` event 1006).
   * Closing a closing or closed connection does nothing.
   *
   * @param code 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4); none sends a Close without a code.
   * @param reason At most 123 bytes of UTF-8; needs a code.
   * @returns Nothing.
   * @throws {RangeError} When the code may not be sent or the reason is too long.
   * @throws {TypeError} When the code is not a number, or the reason is not a string or comes without a code.
   * @example Say goodbye
   * ```ts
   * connection.close(1000, 'done');
   * ```
   */
  close(code?: number, reason?: string): void {
    if (code !== undefined && typeof code !== 'number') throw new TypeError(`Cannot close: Expected code to be a number, got ${describe(code)}`);
    if (code !== undefined && !isValidCloseCode(code)) throw new RangeError(`Cannot close: The code ${code} may not be sent; use 1000-1003, 1007-1014 or 3000-4999 (RFC 6455 §7.4)`);
    if (reason !== undefined && code === undefined) throw new TypeError('Cannot close: A reason needs a code (RFC 6455 §5.5.1)');
    const frame = encodeCloseFrame(code, reason, this._client ? MASKED : undefined);
    if (this._state === 'connecting') return this.abort();
    if (this._state !== 'open') return;
    this._queue(frame);
    this._flags |= SENT_CLOSE;
    this._state = 'closing';
  }

  /** @internal The opening handshake's bytes, before the connection is open. */
  protected abstract _handshake(bytes: Uint8Array): void;

  /** @internal The view of this connection's frames in the shared pool (their bytes were counted as written), in order. */
  _runEnded(view: Uint8Array): void {
    if (this._out === null) this._out = [view];
    else this._out.push(view);
  }

  /**
   * @internal For a transport that will keep `chunks` (from `takeOutput`)
   * waiting: views into the shared pool become copies of their own, so a slow
   * peer does not keep pool buffers alive. A method, not an import of
   * _out-pool.ts, so that adapters use the pool of this bundle.
   */
  _detach(chunks: Uint8Array[]): void {
    unpool(chunks);
  }

  /** @internal Queues bytes for the transport. */
  protected _queue(bytes: Uint8Array): void {
    // After the frames this connection wrote into the shared pool, if they end it.
    endRun(this);
    if (this._out === null) this._out = [bytes];
    else this._out.push(bytes);
    this._outBytes += bytes.length;
  }

  /** @internal Records an event. */
  protected _emit(event: ConnectionEvent): void {
    if (this._events === null) this._events = [event];
    else this._events.push(event);
  }

  /** @internal The handshake succeeded: read frames from now on. */
  protected _open(protocol: string, extensions: string, session: ExtensionSession | null): void {
    this._reader = new MessageReader(session === null ? this._read : { ...this._read, extension: session });
    this._session = session;
    this._protocol = protocol;
    this._extensions = extensions;
    this._state = 'open';
    this._emit({ type: 'open', protocol, extensions });
  }

  /** @internal Frames received once open. */
  protected _frames(bytes: Uint8Array): void {
    let messages: Message[];
    try {
      messages = (this._reader as MessageReader).push(bytes);
    } catch (e) {
      if (e instanceof ProtocolError) {
        // What the chunk completed before the bad frame is delivered first (RFC 6455 §7.1.7).
        this._deliver(e.messages as Message[]);
        this._fail(e.closeCode, e.rule, e);
      } else {
        // An extension's decoder failed unexpectedly: 1011, an internal error (RFC 6455 §7.4.1).
        this._fail(1011, 'internal-error', e);
      }
      return;
    }
    this._deliver(messages);
  }

  /** @internal Ends the connection: closed, a `close` event, and the extension released. */
  protected _finish(code: number, reason: string, wasClean: boolean, error?: unknown, emit = true): void {
    this._state = 'closed';
    this._reader = null;
    if (this._session !== null && typeof this._session.close === 'function') this._session.close();
    this._session = null;
    if (emit) this._emit(error === undefined ? { type: 'close', code, reason, wasClean } : { type: 'close', code, reason, wasClean, error });
  }

  /** @internal Refuses or drops the connection before it opened (`close` event 1006). */
  protected _closeNow(error?: unknown): void {
    this._finish(1006, '', false, error);
    this._flags |= CLOSE_TRANSPORT;
  }

  private _deliver(messages: Message[]): void {
    for (let i = 0; i < messages.length; i++) {
      const m = messages[i];
      if (m.type === 'text' || m.type === 'binary') this._emit({ type: 'message', data: m.data });
      else if (m.type === 'close') this._peerClosed(m.code, m.reason);
      else {
        // RFC 6455 §5.5.2: a Pong with the Ping's payload, as soon as practical; none once our Close is sent (§5.5.1).
        if (m.type === 'ping' && this._flags & AUTO_PONG && this._state === 'open') this._queue(encodePongFrame(m.data, this._client ? MASKED : undefined));
        this._emit({ type: m.type, data: m.data });
      }
    }
  }

  /**
   * The peer's Close (RFC 6455 §5.5.1, §7.1.5). When ours was sent, the
   * handshake is complete. Otherwise it is answered with a Close echoing its
   * code and reason (an empty one for none), held in `_reply` until the next
   * `takeOutput`: the `close` event comes now, in order, and messages that
   * arrived before the Close can still be answered first. Then a server
   * closes the transport; a client waits for the server to (§7.1.1).
   */
  private _peerClosed(code: number, reason: string): void {
    if (this._flags & SENT_CLOSE) {
      this._finish(code, reason, true);
      if (!this._client) this._flags |= CLOSE_TRANSPORT;
      return;
    }
    this._owe(code === 1005 ? encodeCloseFrame(undefined, undefined, this._client ? MASKED : undefined) : encodeCloseFrame(code, reason, this._client ? MASKED : undefined), !this._client);
    this._emit({ type: 'close', code, reason, wasClean: true });
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): a Close with `code` and the rule
   * broken as its reason, unless a Close was sent already; then the transport
   * is closed, in both roles (the peer broke the protocol: its Close is not
   * awaited).
   */
  private _fail(code: number, rule: string, error: unknown): void {
    if (this._state === 'closed' || this._reply !== null) return;
    if (this._flags & SENT_CLOSE) {
      this._finish(code, '', false, error);
      this._flags |= CLOSE_TRANSPORT;
      return;
    }
    this._owe(encodeCloseFrame(code, rule, this._client ? MASKED : undefined), true);
    this._emit({ type: 'close', code, reason: '', wasClean: false, error });
  }

  /** Holds a Close this side owes until the events before it were taken (see `_reply`). */
  private _owe(frame: Uint8Array, ends: boolean): void {
    this._reply = frame;
    this._flags = (this._flags & ~REPLY_DUE & ~REPLY_ENDS) | (ends ? REPLY_ENDS : 0);
    this._state = 'closing';
    this._reader = null;
  }

  /** The Close owed is on its way (or the transport is gone): the connection is closed. */
  private _replied(): void {
    this._reply = null;
    this._flags = (this._flags & ~REPLY_DUE) | SENT_CLOSE;
    this._finish(0, '', true, undefined, false);
    if (this._flags & REPLY_ENDS) this._flags |= CLOSE_TRANSPORT;
  }

  private _notOpen(what: string): InvalidStateError {
    return new InvalidStateError(`Cannot ${what}: The connection is ${this._state}${this._state === 'connecting' ? '; wait for the open event' : ''}`);
  }
}
