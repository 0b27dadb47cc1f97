// Browser compatible. The browser's WebSocket surface that every adapter
// returns, over a sans-IO connection: an EventTarget with the events, methods
// and properties every JS developer knows, plus backpressure (`drain`).
import { describe } from '../primitives/_bytes.ts';
import type { Connection } from './base.ts';
import { InvalidStateError } from './errors.ts';

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

/**
 * A constructor whose prototype is the runtime's `EventTarget.prototype` but
 * which never runs the runtime's `EventTarget` constructor: `WebSocketLike`
 * extends it, so `ws instanceof EventTarget` holds while it keeps its own
 * listeners. Node's constructor alone makes two `Map`s per object (440 B,
 * +100 B with one listener), which was 540 B of an idle connection's
 * 3.4 KiB on our Node echo server (issue 14). The class inherits the
 * runtime's statics too, as the browser's `WebSocket` does: Node's
 * `util.inspect` asks the constructor whether the object is an EventTarget.
 */
const EventTargetBase: new () => EventTargetLike = /* @__PURE__ */ (() => {
  const ET = globalThis.EventTarget;
  function Base(): void {}
  Base.prototype = ET.prototype;
  Object.setPrototypeOf(Base, ET);
  return Base as unknown as new () => EventTargetLike;
})();

// A listener entry's flags (DOM §2.7 "event listener": capture, once, passive; HTML's event handler).
const CAPTURE = 1;
const ONCE = 2;
const PASSIVE = 4;
/** The entry of an `on…` property (HTML §8.1.8.1): its callback is replaced in place, and it is not a listener `removeEventListener` can name. */
const HANDLER = 8;

/** What the dispatcher keeps on an event (see lib/connection/_events.ts): target, phase, stop-immediate flag, in a passive listener. */
interface Dispatched extends Event {
  _t: unknown;
  _p: number;
  _s: boolean;
  _n?: boolean;
}

/**
 * Reports a listener's exception as the runtime reports an uncaught one
 * (DOM §2.10 "inner invoke", HTML "report an exception"): `reportError`
 * where it exists, else thrown from a microtask (Node 20 has no
 * `reportError`; its own EventTarget throws from `process.nextTick`, which
 * also ends as `uncaughtException`). Looked up at each call, so a test or an
 * app may wrap either.
 */
function report(error: unknown): void {
  const r = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (typeof r === 'function') r(error);
  else queueMicrotask(() => { throw error; });
}

/**
 * Gives an event that is not one of ours (`ws.dispatchEvent(new Event('x'))`)
 * the fields and members the dispatcher relies on, as own properties, once:
 * the runtime's own slots cannot be set without its `dispatchEvent`. What
 * differs from the DOM: `srcElement` and `composedPath()` are the runtime's
 * (null, []); `target` stays ours if the event is later dispatched by another
 * EventTarget; a stop-propagation flag set before or during our dispatch is
 * not cleared after it (the runtime's `cancelBubble` cannot be unset). A
 * frozen event cannot be adopted: the engine's TypeError.
 */
function adopt(event: Event): Dispatched {
  const proto = Object.getPrototypeOf(event) as Event;
  const own = (value: unknown): PropertyDescriptor => ({ value, writable: true, configurable: true });
  const get = (f: (this: Dispatched) => unknown): PropertyDescriptor => ({ get: f, configurable: true });
  return Object.defineProperties(event, {
    _t: own(null),
    _p: own(0),
    _s: own(false),
    target: get(function () { return this._t; }),
    currentTarget: get(function () { return this._p ? this._t : null; }),
    eventPhase: get(function () { return this._p; }),
    stopImmediatePropagation: own(function (this: Dispatched) { this._s = true; proto.stopImmediatePropagation.call(this); }),
    // DOM §2.7 "passive": preventDefault() does nothing while a passive listener runs.
    preventDefault: own(function (this: Dispatched) { if (!this._n) proto.preventDefault.call(this); }),
  }) as Dispatched;
}

/** The capture flag of `addEventListener`'s or `removeEventListener`'s options (DOM §2.7 "flatten"). */
function captureOf(options: unknown): boolean {
  if (options === undefined || options === null) return false;
  if (typeof options === 'object' || typeof options === 'function') return Boolean((options as { capture?: unknown }).capture);
  return Boolean(options);
}

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
  private _l: unknown[] | null = null;

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
    // DOM §2.7 "add an event listener", after WebIDL's conversions.
    const t = `${type}`;
    if (listener === null || listener === undefined) return;
    if (typeof listener !== 'function' && typeof listener !== 'object') throw new TypeError(`Cannot add event listener: Expected a function or an object, got ${describe(listener)}`);
    let flags = captureOf(options) ? CAPTURE : 0;
    let signal: { readonly aborted: boolean; addEventListener(type: string, f: () => void, o: { once: boolean }): void } | undefined;
    if (options !== null && (typeof options === 'object' || typeof options === 'function')) {
      const o = options as { once?: unknown; passive?: unknown; signal?: unknown };
      if (o.once) flags |= ONCE;
      if (o.passive) flags |= PASSIVE;
      if (o.signal !== undefined) {
        // Every runtime this runs in has AbortSignal (the lookup through globalThis keeps the typings free of it).
        if (!(o.signal instanceof (globalThis as unknown as { AbortSignal: new () => object }).AbortSignal)) throw new TypeError(`Cannot add event listener: Expected signal to be an AbortSignal, got ${describe(o.signal)}`);
        signal = o.signal as typeof signal & object;
        if (signal.aborted) return;
      }
    }
    const l = this._l;
    // A literal of the exact size: a first push() would grow the array to 17 slots (224 B with one handler, measured; 80 B this way).
    if (l === null) this._l = [0, t, listener, flags];
    else if (find(l, t, listener, flags & CAPTURE) >= 0) return;
    else l.push(t, listener, flags);
    // DOM: removed when the signal aborts. By identity, so a listener removed and added again before the abort is removed too.
    if (signal !== undefined) signal.addEventListener('abort', () => this.removeEventListener(t, listener, (flags & CAPTURE) !== 0), { once: true });
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
    const l = this._l;
    if (l === null || listener === null || listener === undefined) return;
    const i = find(l, `${type}`, listener, captureOf(options) ? CAPTURE : 0);
    if (i >= 0) remove(this as unknown as Holder, l, i);
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
    if (!(event instanceof Event)) throw new TypeError(`Cannot dispatch: Expected an Event, got ${describe(event)}`);
    let ev = event as Dispatched;
    if (ev._p === undefined) {
      ev = adopt(ev);
      // DOM §2.9: a stop-propagation flag set before the dispatch leaves every listener out.
      if (ev.cancelBubble) ev._s = true;
    } else {
      if (ev._p === 2) throw new InvalidStateError(`Cannot dispatch: The ${ev.type} event is being dispatched already`);
      ev._s = false;
    }
    ev._t = this;
    ev._p = 2;
    const l = this._l;
    if (l !== null && !ev._s) {
      l[0] = (l[0] as number) + 2;
      try {
        // DOM §2.9: at the target, the capturing pass (capture listeners), then the bubbling pass; stopPropagation() in the first ends the dispatch.
        const captured = invoke(this, l, ev, CAPTURE);
        if (!ev._s && !(captured && ev.cancelBubble)) invoke(this, l, ev, 0);
      } finally {
        const state = (l[0] as number) - 2;
        l[0] = state;
        if (state === 1) compact(this as unknown as Holder, l);
      }
    }
    ev._p = 0;
    return !ev.defaultPrevented;
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
    return data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? (data.buffer as ArrayBuffer) : (data.slice().buffer as ArrayBuffer);
  }

}

for (const o of [WebSocketLike, WebSocketLike.prototype]) ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach((name, value) => Object.defineProperty(o, name, { value, enumerable: true }));

/** A WebSocketLike, as the functions below see it (its listener array is private to the class). */
interface Holder { _l: unknown[] | null }

/**
 * Calls the entries of `event`'s type whose capture flag is `capture`, in
 * order, up to the array's length now: an entry added during the dispatch
 * is not called (DOM §2.10 "invoke" clones the list), a removed one is
 * skipped (its callback is null). Returns whether an entry ran. Functions
 * of the module rather than private methods: their names minify (this file
 * has a size budget, spec/runtimes/size.mjs).
 */
function invoke(ws: WebSocketLike, l: unknown[], ev: Dispatched, capture: number): boolean {
  const type = ev.type;
  const n = l.length;
  let ran = false;
  for (let i = 1; i < n; i += 3) {
    const flags = l[i + 2] as number;
    const cb = l[i + 1] as ((this: unknown, e: Event) => unknown) | { handleEvent(e: Event): unknown } | null;
    if (l[i] !== type || (flags & CAPTURE) !== capture || cb === null) continue;
    ran = true;
    // DOM §2.10 "inner invoke": a once listener is removed before it is called.
    if (flags & ONCE) remove(ws as unknown as Holder, l, i);
    if (flags & PASSIVE) ev._n = true;
    try {
      // HTML §8.1.8.1 "event handler processing": a handler returning false cancels the event.
      if (typeof cb !== 'function') cb.handleEvent(ev);
      else if (cb.call(ws, ev) === false && flags & HANDLER) ev.preventDefault();
    } catch (error) {
      report(error);
    }
    if (flags & PASSIVE) ev._n = false;
    if (ev._s) break;
  }
  return ran;
}

/** Removes entry `i`: at once when no dispatch runs, else marked (callback null) for `compact`. */
function remove(ws: Holder, l: unknown[], i: number): void {
  const state = l[0] as number;
  if (state > 1) {
    l[i + 1] = null;
    l[0] = state | 1;
  } else {
    l.splice(i, 3);
    if (l.length < 2) ws._l = null;
  }
}

/** Drops the entries removed during the dispatch that just ended. */
function compact(ws: Holder, l: unknown[]): void {
  let j = 1;
  for (let i = 1; i < l.length; i += 3) {
    if (l[i + 1] !== null) {
      l[j++] = l[i];
      l[j++] = l[i + 1];
      l[j++] = l[i + 2];
    }
  }
  l.length = j;
  l[0] = 0;
  if (j < 2) ws._l = null;
}

/** The index of `type`'s `on…` entry in `l`, or -1. */
function handlerAt(l: unknown[] | null, type: string): number {
  if (l !== null) for (let i = 1; i < l.length; i += 3) if (l[i] === type && l[i + 2] === HANDLER && l[i + 1] !== null) return i;
  return -1;
}

/** An `on…` property's value. */
function handlerOf(ws: Holder, type: string): unknown {
  const i = handlerAt(ws._l, type);
  return i < 0 ? null : ws._l![i + 1];
}

/**
 * Sets an `on…` property (HTML §8.1.8.1): a function takes the entry's
 * place, or is added as the last entry if there was none; anything else is
 * null and removes the entry (a later function is added last again).
 */
function setHandler(ws: Holder, type: string, f: unknown): void {
  const l = ws._l;
  const i = handlerAt(l, type);
  if (typeof f === 'function') {
    if (i >= 0) l![i + 1] = f;
    else if (l === null) ws._l = [0, type, f, HANDLER];
    else l.push(type, f, HANDLER);
  } else if (i >= 0) remove(ws, l!, i);
}

/** The index of the listener entry (type, callback, capture) in `l`, or -1: DOM §2.7's identity. `on…` entries are not listeners. */
function find(l: unknown[], type: string, callback: unknown, capture: number): number {
  for (let i = 1; i < l.length; i += 3) {
    if (l[i] === type && l[i + 1] === callback && ((l[i + 2] as number) & (CAPTURE | HANDLER)) === capture) return i;
  }
  return -1;
}
