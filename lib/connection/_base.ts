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
import { encodeBinaryFrame, encodeCloseFrame, encodeFrame, encodeFrameHeader, encodePingFrame, encodePongFrame, encodeTextFrame, type EncodeOptions } from '../frame/encode.ts';
import { isToken } from '../handshake/_http.ts';
import { MessageReader } from '../stream/reader.ts';
import type { Message } from '../stream/message.ts';
import { InvalidStateError } from './errors.ts';
import type { Extension, ExtensionParams, ExtensionSession } from './extension.ts';
import type { ConnectionEvent, ConnectionState, Deadline, SendOptions } from './types.ts';

export const CONNECTION_KEYS = ['maxMessageSize', 'maxFragments', 'unmaskInPlace', 'autoPong', 'extensions'];
const SEND_KEYS = ['fin'];
/**
 * A server sends a binary payload from this size as a header plus the
 * caller's bytes, not a copy of both (what ws does with `mask: false`).
 * Below it one small copy costs less than a second chunk to write.
 */
const ZERO_COPY = 4096;
/** A client masks every frame with a fresh key (RFC 6455 §5.3). */
const MASKED: EncodeOptions = /* @__PURE__ */ Object.freeze({ mask: true });

/** The reader's settings, read from the options once. */
interface ReadSettings { maxMessageSize: number; maxFragments: number; unmaskInPlace: boolean }

/**
 * The connection both roles share: everything after the opening handshake.
 * `ServerConnection` and `ClientConnection` are the ones to create.
 */
export abstract class Connection {
  /** @internal */ protected _state: ConnectionState = 'connecting';
  /** @internal */ protected _reader: MessageReader | null = null;
  /** @internal */ protected readonly _extensionList: readonly Extension[];
  private readonly _client: boolean;
  private readonly _autoPong: boolean;
  private readonly _read: ReadSettings;
  private _events: ConnectionEvent[] = [];
  private _out: Uint8Array[] = [];
  private _outBytes = 0;
  private _closeTransport = false;
  private _sentClose = false;
  private _session: ExtensionSession | null = null;
  private _protocol = '';
  private _extensions = '';
  /** The opcode of the message being sent in fragments (0 for none), and whether the extension encodes it. */
  private _stream = 0;
  private _streamEncoded = false;
  /**
   * What was read but not acted on yet: a Ping to answer, a Close, or the
   * failure a bad frame caused (`_failure`, after them all) wait until the
   * events before them were taken, so that the application's answers to
   * those events go out first, and `send` still works while it handles a
   * message that arrived before a Close (RFC 6455 §7.1.7: what came before a
   * bad frame is handled in order). Messages after a waiting one wait too.
   */
  private _held: Message[] = [];
  private _failure: unknown = undefined;

  /** @internal */
  protected constructor(client: boolean, options: Record<string, unknown>, where: string) {
    this._client = client;
    this._autoPong = readBoolean(options.autoPong, true, 'autoPong', where);
    this._read = {
      maxMessageSize: readLimit(options.maxMessageSize, DEFAULT_MAX_MESSAGE_SIZE, 'maxMessageSize', where),
      maxFragments: readLimit(options.maxFragments, DEFAULT_MAX_FRAGMENTS, 'maxFragments', where),
      unmaskInPlace: readBoolean(options.unmaskInPlace, false, 'unmaskInPlace', where),
    };
    this._extensionList = readExtensionList(options.extensions, where);
  }

  /** `'connecting'` until the opening handshake completes, `'open'`, `'closing'` once a Close frame was sent or received, `'closed'`. */
  get state(): ConnectionState {
    return this._state;
  }

  /** True once the transport must be closed now: after a server's closing handshake, a failure, a refused handshake, or the transport's end. */
  get shouldCloseTransport(): boolean {
    return this._closeTransport;
  }

  /** The deadline the adapter must enforce now (see `Deadline`). */
  get deadline(): Deadline {
    if (this._state === 'connecting') return 'handshake';
    if (this._state === 'closing' || (this._state === 'closed' && !this._closeTransport)) return 'close';
    return null;
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
    // A Close (or a failure) read before the end counts: it is acted on now.
    if (this._held.length > 0 || this._failure !== undefined) this._release(true);
    if (this._state !== 'closed') this._finish(1006, '', false, error);
    this._closeTransport = true;
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
    if (this._events.length === 0 && (this._held.length > 0 || this._failure !== undefined)) this._release(false);
    const events = this._events;
    if (events.length > 0) this._events = [];
    else return [];
    return events;
  }

  /**
   * Returns the bytes to write to the transport since the last call, in order,
   * and forgets them. Large binary payloads a server sends are the caller's
   * own bytes, not copies: do not change them until written.
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
    // The events were taken (and answered): what waited for that is acted on now, its output after the answers.
    if (this._events.length === 0 && (this._held.length > 0 || this._failure !== undefined)) this._release(false);
    const out = this._out;
    if (out.length === 0) return [];
    this._out = [];
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
   * @throws {InvalidStateError} When the connection is not open (connecting, closing or closed).
   * @throws {TypeError} When `data` is neither a string nor bytes, an option is wrong, or a fragment's type differs from its message's.
   * @example Stream a message in three fragments
   * ```ts
   * connection.send('a', { fin: false });
   * connection.send('b', { fin: false });
   * connection.send('c');
   * ```
   */
  send(data: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: SendOptions): void {
    if (this._state !== 'open') throw this._notOpen('send');
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
      if (text) return this._queue(encodeTextFrame(data));
      const bytes = data instanceof Uint8Array ? data : asBytes(data, 'Cannot send', ' or a string', 'data');
      if (bytes.length < ZERO_COPY) return this._queue(encodeBinaryFrame(bytes));
      this._queue(encodeFrameHeader(0x2, bytes.length));
      return this._queue(bytes);
    }
    let payload = text ? ENCODER.encode(data) : data instanceof Uint8Array ? data : asBytes(data, 'Cannot send', ' or a string', 'data');
    if (first) this._streamEncoded = this._session !== null && this._session.wants(payload, fin);
    if (this._streamEncoded) payload = (this._session as ExtensionSession).encode(payload, fin);
    this._queue(encodeFrame(first ? opcode : 0x0, payload, { fin, rsv1: first && this._streamEncoded, mask: this._client }));
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
   * @throws {InvalidStateError} When the connection is not open.
   * @throws {TypeError} From a client, while a message is streamed (`fin: false`), or when `frame` is not one whole unmasked data frame.
   * @example Broadcast a message encoded once
   * ```ts
   * const frame = broadcastEncode('tick');
   * for (const connection of connections) connection.sendFrame(frame);
   * ```
   */
  sendFrame(frame: Uint8Array): void {
    if (this._client) throw new TypeError('Cannot send frame: A client masks every frame with a fresh key (RFC 6455 §5.3); use send()');
    if (this._state !== 'open') throw this._notOpen('send frame');
    if (this._stream !== 0) throw new TypeError('Cannot send frame: A message is being streamed; end it first (RFC 6455 §5.4)');
    if (!(frame instanceof Uint8Array) || frameLength(frame) !== frame.length) throw new TypeError(`Cannot send frame: Expected one whole unmasked text or binary frame with FIN set and no RSV bit, got ${describe(frame)}`);
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
    if (this._state !== 'open') throw this._notOpen('ping');
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
    if (this._state !== 'open') throw this._notOpen('pong');
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
    this._sentClose = true;
    this._state = 'closing';
  }

  /** @internal The opening handshake's bytes, before the connection is open. */
  protected abstract _handshake(bytes: Uint8Array): void;

  /** @internal Queues bytes for the transport. */
  protected _queue(bytes: Uint8Array): void {
    this._out.push(bytes);
    this._outBytes += bytes.length;
  }

  /** @internal Records an event. */
  protected _emit(event: ConnectionEvent): void {
    this._events.push(event);
  }

  /** @internal The handshake succeeded: read frames from now on. */
  protected _open(protocol: string, extensions: string, session: ExtensionSession | null): void {
    this._reader = new MessageReader({ role: this._client ? 'client' : 'server', ...this._read, ...(session === null ? {} : { extension: session }) });
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
      // What the chunk completed before the bad frame is delivered first (RFC 6455 §7.1.7); nothing is read past it.
      messages = e instanceof ProtocolError ? (e.messages as Message[]) : [];
      this._reader = null;
      this._failure = e;
    }
    if (this._held.length > 0) {
      for (let i = 0; i < messages.length; i++) this._held.push(messages[i]);
      return this._release(false);
    }
    const done = this._deliver(messages, false);
    if (done < messages.length) this._held = messages.slice(done);
    else if (this._failure !== undefined && this._events.length === 0) this._release(false);
  }

  /** Acts on what was held: all of it when `force`, else up to the next item that must wait for the events before it to be taken. */
  private _release(force: boolean): void {
    const held = this._held;
    this._held = [];
    const done = this._deliver(held, force);
    if (done < held.length && this._state !== 'closed') {
      this._held = held.slice(done);
      return;
    }
    const e = this._failure;
    if (e === undefined || (!force && this._events.length > 0)) return;
    this._failure = undefined;
    // An extension's decoder failed unexpectedly: 1011, an internal error (RFC 6455 §7.4.1).
    if (e instanceof ProtocolError) this._fail(e.closeCode, e.rule, e);
    else this._fail(1011, 'internal-error', e);
  }

  /** @internal Ends the connection: closed, a `close` event, and the extension released. */
  protected _finish(code: number, reason: string, wasClean: boolean, error?: unknown): void {
    this._state = 'closed';
    this._reader = null;
    if (this._session !== null && typeof this._session.close === 'function') this._session.close();
    this._session = null;
    this._emit(error === undefined ? { type: 'close', code, reason, wasClean } : { type: 'close', code, reason, wasClean, error });
  }

  /** @internal Refuses or drops the connection before it opened (`close` event 1006). */
  protected _closeNow(error?: unknown): void {
    this._finish(1006, '', false, error);
    this._closeTransport = true;
  }

  /**
   * Delivers `messages` in order; returns how many. It stops, unless `force`,
   * at a Close or a Ping to answer while events are untaken: their effects
   * wait for the application's answers to those events (see `_held`).
   * Nothing is delivered after a Close.
   */
  private _deliver(messages: Message[], force: boolean): number {
    for (let i = 0; i < messages.length; i++) {
      if (this._state === 'closed') return messages.length;
      const m = messages[i];
      if (m.type === 'text' || m.type === 'binary') {
        this._emit({ type: 'message', data: m.data });
        continue;
      }
      const answer = m.type === 'close' || (m.type === 'ping' && this._autoPong && this._state === 'open');
      if (answer && !force && this._events.length > 0) {
        // Read on past a held Close would deliver what follows it: the reader stops at a Close anyway.
        return i;
      }
      if (m.type === 'close') this._peerClosed(m.code, m.reason);
      else {
        // RFC 6455 §5.5.2: a Pong with the Ping's payload, as soon as practical; none once our Close is sent (§5.5.1).
        if (answer) this._queue(encodePongFrame(m.data, this._client ? MASKED : undefined));
        this._emit({ type: m.type, data: m.data });
      }
    }
    return messages.length;
  }

  /**
   * The peer's Close (RFC 6455 §5.5.1, §7.1.5): answered with a Close echoing
   * its code and reason (an empty one for none) unless ours was sent. Then a
   * server closes the transport; a client waits for the server to (§7.1.1).
   */
  private _peerClosed(code: number, reason: string): void {
    if (!this._sentClose) {
      this._queue(code === 1005 ? encodeCloseFrame(undefined, undefined, this._client ? MASKED : undefined) : encodeCloseFrame(code, reason, this._client ? MASKED : undefined));
      this._sentClose = true;
    }
    this._finish(code, reason, true);
    if (!this._client) this._closeTransport = true;
  }

  /**
   * Fails the connection (RFC 6455 §7.1.7): a Close with `code` and the rule
   * broken as its reason, unless a Close was sent already; then the transport
   * is closed at once, in both roles (the peer broke the protocol: its Close
   * is not awaited).
   */
  private _fail(code: number, rule: string, error: unknown): void {
    if (this._state === 'closed') return;
    if (!this._sentClose) {
      this._queue(encodeCloseFrame(code, rule, this._client ? MASKED : undefined));
      this._sentClose = true;
    }
    this._finish(code, '', false, error);
    this._closeTransport = true;
  }

  private _notOpen(what: string): InvalidStateError {
    return new InvalidStateError(`Cannot ${what}: The connection is ${this._state}${this._state === 'connecting' ? '; wait for the open event' : ''}`);
  }
}

/**
 * The length of the frame whose header starts `b` when it is a final,
 * unmasked text or binary frame with no RSV bit and a minimal length
 * (RFC 6455 §5.2), else -1.
 */
function frameLength(b: Uint8Array): number {
  if (b.length < 2 || (b[0] !== 0x81 && b[0] !== 0x82) || b[1] > 127) return -1;
  const n = b[1];
  if (n < 126) return 2 + n;
  if (n === 126) return b.length < 4 || ((b[2] << 8) | b[3]) < 126 ? -1 : 4 + ((b[2] << 8) | b[3]);
  // A Uint8Array holds under 2^53 bytes: the top 16 bits of the 64-bit length are 0.
  if (b.length < 10 || b[2] !== 0 || b[3] !== 0) return -1;
  const n64 = ((b[4] << 8) | b[5]) * 2 ** 32 + ((b[6] << 24) >>> 0) + ((b[7] << 16) | (b[8] << 8) | b[9]);
  return n64 < 65536 ? -1 : 10 + n64;
}

/** The `extensions` option: a list of extensions with the hook's methods, each name once. */
function readExtensionList(value: unknown, where: string): readonly Extension[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new TypeError(`${where}: Expected extensions to be an array, got ${describe(value)}`);
  const names = new Set<string>();
  for (const e of value as Extension[]) {
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || !isToken(e.name) || typeof e.offer !== 'function' || typeof e.accept !== 'function' || typeof e.negotiate !== 'function') {
      throw new TypeError(`${where}: An extension is an object with a token name and offer, accept and negotiate functions, got ${describe(e)}`);
    }
    if (names.has(e.name)) throw new TypeError(`${where}: The extension ${e.name} is given twice`);
    names.add(e.name);
  }
  return [...value] as Extension[];
}

/**
 * An agreed extension as a `Sec-WebSocket-Extensions` element (RFC 6455 §9.1):
 * `name; a=1; b`. Values must be tokens, which every registered parameter is.
 */
export function formatExtension(name: string, params: ExtensionParams, where: string): string {
  let out = name;
  for (const key of Object.keys(params)) {
    const v: unknown = params[key];
    if (!isToken(key) || (v !== true && (typeof v !== 'string' || !isToken(v)))) throw new TypeError(`${where}: The ${name} parameter ${JSON.stringify(key)} must be a token with a token value or true, got ${describe(v)}`);
    out += v === true ? `; ${key}` : `; ${key}=${v}`;
  }
  return out;
}

/** A session an extension returned: it must claim RSV1 (the only bit the encoders set) and have the hook's functions. */
export function checkSession(session: unknown, name: string, where: string): ExtensionSession {
  const s = session as ExtensionSession | null;
  if (s === null || typeof s !== 'object' || typeof s.decode !== 'function' || typeof s.encode !== 'function' || typeof s.wants !== 'function' || s.rsv !== 0x40) {
    throw new TypeError(`${where}: The extension ${name} returned a session without rsv 0x40 and decode, encode and wants functions`);
  }
  return s;
}

