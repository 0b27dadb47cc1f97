// Browser compatible. The browser's WebSocket surface that every adapter
// returns, over a sans-IO connection: an EventTarget with the events, methods
// and properties every JS developer knows, plus backpressure (`drain`).
import { describe } from '../primitives/_bytes.ts';
import type { Connection } from './base.ts';
import { InvalidStateError } from './errors.ts';
import { EventTargetBase as _EventTargetBase, addListener, dispatch, handlerOf, removeListener, setHandler, type Holder } from './_listeners.ts';

/** Timer options every adapter takes, in milliseconds. */
export interface TimerOptions {
  /** Drop a peer that has not finished the opening handshake by then. Default 10000. */
  handshakeTimeout?: number;
  /** Drop a peer that has not finished the closing handshake, or closed its side, by then. Default 5000. */
  closeTimeout?: number;
  /** Ping every `interval` ms once open; drop the peer when no Pong comes within `timeout` ms (the `close` event then reports 1006). Default none. */
  heartbeat?: { interval: number; timeout: number };
}

/** Options of server adapters: the timers, and the subprotocols the server speaks. */
export interface ServerAdapterOptions extends TimerOptions {
  /** The server's subprotocols, most preferred first: the first the client offered is selected (`selectProtocol`). */
  protocols?: readonly string[];
}

/** What `binaryType` may be: binary messages as an `ArrayBuffer` (the default), a `Blob`, or a `Uint8Array` (no copy; not in the browser's API). */
export type BinaryType = 'arraybuffer' | 'blob' | 'uint8array';

/**
 * The events of a `WebSocketLike`, typed by their shape so that the
 * declarations need no DOM or Node library: at run time each is a subclass
 * of the runtime's own `Event`, `MessageEvent` or `CloseEvent` (an `Event`
 * with the same fields where the runtime has no `CloseEvent`, as Node 20;
 * an `Event` with `data` for Bun's messages), so `instanceof` holds.
 */
export interface SocketEvent {
  /** `'open'`, `'message'`, `'error'`, `'close'`, `'drain'`, `'ping'` or `'pong'`. */
  readonly type: string;
}

/** A `Blob`, by the members a message handler uses. */
export interface BlobLike {
  readonly size: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/**
 * A `message` event: text as a string; binary as `binaryType` says, an
 * `ArrayBuffer` (the default), a `Uint8Array` or a `Blob` (see `BlobLike`).
 * Typed `any`, as the DOM's `MessageEvent.data` is, so that an echo
 * (`ws.send(e.data)`) needs no cast; narrow it with `typeof` or `instanceof`.
 */
export interface SocketMessageEvent extends SocketEvent {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the DOM's own type for it
  readonly data: any;
}

/** A `ping` or `pong` event: the control frame's payload. */
export interface SocketControlEvent extends SocketEvent {
  readonly data: Uint8Array;
}

/** An `error` event: what failed, as the browser's `ErrorEvent` carries it. */
export interface SocketErrorEvent extends SocketEvent {
  readonly error: unknown;
  readonly message: string;
}

/** A `close` event, as the browser's `CloseEvent`. */
export interface SocketCloseEvent extends SocketEvent {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
}

/** The event of each type `WebSocketLike` dispatches. */
export interface SocketEventMap {
  open: SocketEvent;
  message: SocketMessageEvent;
  error: SocketErrorEvent;
  close: SocketCloseEvent;
  drain: SocketEvent;
  ping: SocketControlEvent;
  pong: SocketControlEvent;
}

/** A listener: a function, or an object with `handleEvent`, as `EventTarget` takes. */
export type SocketListener<E> = ((event: E) => void) | { handleEvent(event: E): void };

/** An `AbortSignal`, by the members `addEventListener` uses. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** `addEventListener`'s options, as `EventTarget` takes them: `signal` removes the listener when it aborts. */
export interface SocketListenerOptions {
  once?: boolean;
  capture?: boolean;
  passive?: boolean;
  signal?: AbortSignalLike;
}

/** `EventTarget`, by shape (see `SocketEvent`). */
interface EventTargetLike {
  addEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | SocketListenerOptions): void;
  removeEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | { capture?: boolean }): void;
  dispatchEvent(event: SocketEvent): boolean;
}

/** The base: the runtime's `EventTarget.prototype`, its constructor never run (lib/connection/_listeners.ts). */
const EventTargetBase = _EventTargetBase as new () => EventTargetLike;

/** What a `WebSocketLike` runs on: the adapter's driver. */
export interface SocketHost {
  readonly conn: Connection;
  readonly transport: { readonly bufferedAmount: number };
  /** The `readyState`, advanced as events are dispatched. */
  readonly ready: number;
  /** Writes and dispatches what the connection produced. */
  flush(): void;
  /** Drops the transport now. */
  drop(error: unknown): void;
}

/**
 * The browser's `WebSocket` surface over one connection: an `EventTarget`
 * with `open`, `message`, `error` and `close` events (and their `on…`
 * properties), `send`, `close`, `readyState`, `bufferedAmount`, `protocol`,
 * `extensions` and `binaryType`. Beyond the browser's: a `drain` event when
 * `bufferedAmount` falls to 0 (wait for it before sending more, to apply
 * backpressure), `ping` and `pong` events and methods, `terminate()`, and
 * `send(data, { fin: false })` to stream a message in fragments.
 *
 * @example Echo with backpressure
 * ```ts
 * ws.addEventListener('message', (e) => {
 *   ws.send(e.data);
 *   if (ws.bufferedAmount > 1 << 20) ws.close(1008, 'too slow');
 * });
 * ```
 */
export class WebSocketLike extends EventTargetBase {
  // On the class and its prototype (below), not on each object, as the browser's `WebSocket` has them.
  declare static readonly CONNECTING: 0;
  declare static readonly OPEN: 1;
  declare static readonly CLOSING: 2;
  declare static readonly CLOSED: 3;
  declare readonly CONNECTING: 0;
  declare readonly OPEN: 1;
  declare readonly CLOSING: 2;
  declare readonly CLOSED: 3;
  /** The URL: the client's, or the path the server was asked for. */
  readonly url: string;
  private readonly _d: SocketHost;
  private _binaryType: BinaryType = 'arraybuffer';
  /**
   * The listeners, null until the first: one flat array, `[state, type,
   * callback, flags, type, callback, flags, ...]`, so that a connection with
   * only `onmessage` pays for one array of 4 slots instead of a Map per type.
   * `state` is the depth of dispatches running (times 2) plus 1 when an entry
   * was removed during one: a removed entry's callback becomes null (DOM §2.7
   * "removed" flag: a running dispatch skips it) and the array is compacted
   * when the outermost dispatch ends, so indices never move under a dispatch.
   */
  protected _l: unknown[] | null = null;

  /** @internal Adapters create it. */
  constructor(driver: SocketHost, url: string) {
    super(); // EventTargetBase: sets nothing
    this._d = driver;
    this.url = url;
  }

  /** 0 connecting, 1 open, 2 closing, 3 closed, as the browser's `WebSocket.readyState`. */
  get readyState(): number {
    return this._d.ready;
  }

  /** Bytes sent and not yet written to the network: the connection's and the socket's. */
  get bufferedAmount(): number {
    return this._d.conn.bufferedAmount + this._d.transport.bufferedAmount;
  }

  /** The subprotocol selected, `''` for none. */
  get protocol(): string {
    return this._d.conn.protocol;
  }

  /** The extensions in use, as agreed in `Sec-WebSocket-Extensions`; `''` for none. */
  get extensions(): string {
    return this._d.conn.extensions;
  }

  /** How binary messages arrive: `'arraybuffer'` (default), `'blob'` or `'uint8array'`. */
  get binaryType(): BinaryType {
    return this._binaryType;
  }

  set binaryType(value: BinaryType) {
    if (value !== 'arraybuffer' && value !== 'blob' && value !== 'uint8array') throw new TypeError(`Cannot set binaryType: Expected 'arraybuffer', 'blob' or 'uint8array', got ${describe(value)}`);
    this._binaryType = value;
  }

  get onopen(): ((event: SocketEvent) => void) | null { return handlerOf(this as unknown as Holder, 'open') as ((event: SocketEvent) => void) | null; }
  set onopen(f: ((event: SocketEvent) => void) | null) { setHandler(this as unknown as Holder, 'open', f); }
  get onmessage(): ((event: SocketMessageEvent) => void) | null { return handlerOf(this as unknown as Holder, 'message') as ((event: SocketMessageEvent) => void) | null; }
  set onmessage(f: ((event: SocketMessageEvent) => void) | null) { setHandler(this as unknown as Holder, 'message', f); }
  get onerror(): ((event: SocketErrorEvent) => void) | null { return handlerOf(this as unknown as Holder, 'error') as ((event: SocketErrorEvent) => void) | null; }
  set onerror(f: ((event: SocketErrorEvent) => void) | null) { setHandler(this as unknown as Holder, 'error', f); }
  get onclose(): ((event: SocketCloseEvent) => void) | null { return handlerOf(this as unknown as Holder, 'close') as ((event: SocketCloseEvent) => void) | null; }
  set onclose(f: ((event: SocketCloseEvent) => void) | null) { setHandler(this as unknown as Holder, 'close', f); }

  /**
   * Adds a listener, typed by the event's name (see `SocketEventMap`).
   *
   * @param type The event's name.
   * @param listener A function or an object with `handleEvent`.
   * @param options `capture` (or a boolean for it), `once`, `passive` and `signal`, as `EventTarget` takes them.
   * @returns Nothing.
   * @throws {TypeError} When the listener is neither a function, an object nor null, or `signal` is not an `AbortSignal`.
   * @example Log every message
   * ```ts
   * ws.addEventListener('message', (e) => console.log(e.data));
   * ```
   */
  override addEventListener<K extends keyof SocketEventMap>(type: K, listener: SocketListener<SocketEventMap[K]> | null, options?: boolean | SocketListenerOptions): void;
  override addEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | SocketListenerOptions): void;
  override addEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | SocketListenerOptions): void {
    addListener(this as unknown as Holder, type, listener, options);
  }

  /**
   * Removes a listener added with `addEventListener`.
   *
   * @param type The event's name.
   * @param listener The listener added.
   * @param options `capture` (or a boolean for it), as it was added.
   * @returns Nothing.
   * @throws Never.
   * @example Stop listening
   * ```ts
   * ws.removeEventListener('message', onMessage);
   * ```
   */
  override removeEventListener<K extends keyof SocketEventMap>(type: K, listener: SocketListener<SocketEventMap[K]> | null, options?: boolean | { capture?: boolean }): void;
  override removeEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | { capture?: boolean }): void;
  override removeEventListener(type: string, listener: SocketListener<never> | null, options?: boolean | { capture?: boolean }): void {
    removeListener(this as unknown as Holder, type, listener, options);
  }

  /**
   * Dispatches an event to the listeners and `on…` handler of its type, as
   * the DOM's `dispatchEvent` does on a target with no parent (DOM §2.9
   * "dispatch": capture listeners first, then the others; during it,
   * `target` and `currentTarget` are this socket and `eventPhase` is 2).
   * A listener's exception does not stop the others: it is reported as an
   * uncaught one (`reportError`, or thrown from a microtask). Our own
   * dispatch of a message event to one `onmessage`: 0.019 µs against 0.031
   * through Node 20's EventTarget, 0.045 against 0.119 through Bun 1.4's
   * (10^6 events made beforehand, in batches of 10^4).
   *
   * @param event The event; an event of the runtime's (`new Event('x')`)
   *   gets own `target`, `currentTarget`, `eventPhase`,
   *   `stopImmediatePropagation` and `preventDefault` for this.
   * @returns False when a listener canceled it (`preventDefault()` on a cancelable event), else true.
   * @throws {TypeError} When `event` is not an `Event`, or is frozen.
   * @throws {InvalidStateError} When the event is being dispatched already.
   * @example Dispatch an event of one's own
   * ```ts
   * ws.addEventListener('tick', () => console.log('tick'));
   * ws.dispatchEvent(new Event('tick'));
   * ```
   */
  override dispatchEvent(event: SocketEvent): boolean {
    return dispatch(this as unknown as Holder, event as Event);
  }

  /**
   * Sends a message: text for a string, binary for bytes. Once the closing
   * handshake has begun the data is discarded, as the browser's `send` does.
   *
   * @param data A string, an `ArrayBuffer` or any `ArrayBufferView`.
   * @param options `fin: false` streams a message in fragments (see `ServerConnection.send`).
   * @returns Nothing.
   * @throws {InvalidStateError} While connecting.
   * @throws {TypeError} When `data` is neither a string nor bytes.
   * @example Send JSON
   * ```ts
   * ws.send(JSON.stringify({ hello: 'world' }));
   * ```
   */
  send(data: string | ArrayBuffer | ArrayBufferView, options?: { fin?: boolean }): void {
    const conn = this._d.conn;
    if (conn.state === 'connecting') throw new InvalidStateError('Cannot send: The connection is connecting; wait for the open event');
    if (!conn.writable) return;
    conn.send(data, options);
    this._d.flush();
  }

  /**
   * Sends a whole text or binary frame encoded already (server only), such as
   * `broadcastEncode`'s: a message to many clients is encoded once. As `send`
   * does, it discards the frame once the closing handshake has begun. See
   * `ServerConnection.sendFrame`.
   *
   * @param frame The frame's bytes; do not change them until written.
   * @returns Nothing.
   * @throws {InvalidStateError} While connecting.
   * @throws {TypeError} On a client, while a message is streamed, or when `frame` is not one whole unmasked data frame.
   * @example Broadcast
   * ```ts
   * const frame = broadcastEncode(JSON.stringify(update));
   * for (const ws of clients) ws.sendFrame(frame);
   * ```
   */
  sendFrame(frame: Uint8Array): void {
    const conn = this._d.conn;
    if (conn.state === 'connecting') throw new InvalidStateError('Cannot send frame: The connection is connecting; wait for the open event');
    if (!conn.writable) return;
    conn.sendFrame(frame);
    this._d.flush();
  }

  /**
   * Starts the closing handshake (RFC 6455 §7.1.2); the `close` event follows
   * the peer's Close. While connecting, the connection is dropped instead.
   *
   * @param code 1000-1003, 1007-1014 or 3000-4999; none sends a Close without a code.
   * @param reason At most 123 bytes of UTF-8.
   * @returns Nothing.
   * @throws {RangeError} When the code may not be sent or the reason is too long.
   * @throws {TypeError} When the code is not a number or the reason is not a string.
   * @example Close normally
   * ```ts
   * ws.close(1000, 'bye');
   * ```
   */
  close(code?: number, reason?: string): void {
    this._d.conn.close(code, reason);
    this._d.flush();
  }

  /**
   * Sends a Ping (RFC 6455 §5.5.2); a `pong` event follows the answer.
   *
   * @param data At most 125 bytes.
   * @returns Nothing.
   * @throws {InvalidStateError} When the connection is not open.
   * @throws {RangeError} When `data` is over 125 bytes.
   * @example Probe the peer
   * ```ts
   * ws.ping();
   * ```
   */
  ping(data?: string | Uint8Array): void {
    this._d.conn.ping(data);
    this._d.flush();
  }

  /**
   * Sends a Pong (RFC 6455 §5.5.3): an unsolicited heartbeat.
   *
   * @param data At most 125 bytes.
   * @returns Nothing.
   * @throws {InvalidStateError} When the connection is not open.
   * @throws {RangeError} When `data` is over 125 bytes.
   * @example A one-way heartbeat
   * ```ts
   * ws.pong();
   * ```
   */
  pong(data?: string | Uint8Array): void {
    this._d.conn.pong(data);
    this._d.flush();
  }

  /**
   * Drops the connection now, without a closing handshake: `error` and
   * `close` (1006) events follow.
   *
   * @returns Nothing.
   * @throws Never.
   * @example Drop a client that stopped reading
   * ```ts
   * if (ws.bufferedAmount > 16 << 20) ws.terminate();
   * ```
   */
  terminate(): void {
    this._d.drop(new Error('The connection was terminated'));
  }

  /** @internal Binary data in the form `binaryType` asks for. */
  _binary(data: Uint8Array): ArrayBuffer | BlobLike | Uint8Array {
    if (this._binaryType === 'uint8array') return data;
    if (this._binaryType === 'blob') return new Blob([data as Uint8Array<ArrayBuffer>]);
    // Copied out of the buffer, not `data.slice()`: a Node Buffer's `slice` is a view, whose `.buffer` is the whole socket chunk.
    return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : (data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  }
}

for (const o of [WebSocketLike, WebSocketLike.prototype]) ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, value) => Object.defineProperty(o, name, { value, enumerable: true }));
