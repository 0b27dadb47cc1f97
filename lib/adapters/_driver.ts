// Browser compatible. What every adapter shares: it runs a sans-IO connection
// over a transport — writes what the connection produces, dispatches its
// events on the WebSocketLike, closes the transport when told, and runs the
// timers the connection asks for (handshake and close deadlines, heartbeats)
// and backpressure. An adapter only turns its runtime's socket into a
// `Transport` and feeds the driver what the socket reads.
import { describe } from '../primitives/_bytes.ts';
import { checkKeys } from '../primitives/_options.ts';
import { selectProtocol } from '../handshake/check.ts';
import type { Connection } from '../connection/base.ts';
import type { ServerConnection } from '../connection/server.ts';
import type { ConnectionEvent, Deadline } from '../connection/types.ts';
import { WebSocketLike, type TimerOptions } from '../connection/websocket.ts';
import { LightMessageEvent, SocketCloseEventImpl, SocketErrorEventImpl, SocketEventImpl, SocketMessageEventImpl } from '../connection/_events.ts';

/** A runtime's socket, as an adapter wraps it for the driver. */
export interface Transport {
  /** Writes the chunks in order; returns false when the socket's buffer is over its high-water mark (reading then pauses until `drained`). */
  write(chunks: Uint8Array[]): boolean;
  /** Writes what is buffered, then closes the socket's sending side (TCP FIN). */
  end(): void;
  /** Drops the socket now. */
  destroy(): void;
  /** Stops delivering received bytes. */
  pause(): void;
  /** Delivers them again. */
  resume(): void;
  /** Bytes written and not yet sent. */
  readonly bufferedAmount: number;
}

export const TIMER_KEYS = ['handshakeTimeout', 'closeTimeout', 'heartbeat'];
export const SERVER_KEYS = [...TIMER_KEYS, 'protocols'];

export interface Timers { readonly handshake: number; readonly close: number; readonly interval: number; readonly pong: number; readonly autoPong: boolean }

/** Timer settings seen so far, by value: every connection made with the same ones shares one frozen object (64 B a connection less). */
const timerSets = /* @__PURE__ */ new Map<string, Timers>();

/** The timers with the server's `protocols`: what a driver keeps, one object shared by the connections made alike. */
interface Settings extends Timers { readonly protocols: readonly string[] | undefined }

const withList = /* @__PURE__ */ new WeakMap<Timers, Map<readonly string[] | undefined, Settings>>();

function withProtocols(timers: Timers, protocols: readonly string[] | undefined): Settings {
  let byList = withList.get(timers);
  if (byList === undefined) withList.set(timers, (byList = new Map()));
  let settings = byList.get(protocols);
  if (settings === undefined) {
    settings = Object.freeze({ ...timers, protocols });
    // Bounded as timerSets is; a list is kept as given (the caller's array, not a copy: selectProtocol reads it as it is then).
    if (byList.size < 16) byList.set(protocols, settings);
  }
  return settings;
}

function internTimers(handshake: number, close: number, interval: number, pong: number, autoPong: boolean): Timers {
  const key = `${handshake} ${close} ${interval} ${pong} ${autoPong}`;
  let t = timerSets.get(key);
  if (t === undefined) {
    t = Object.freeze({ handshake, close, interval, pong, autoPong });
    // Bounded: a server that makes up new timeouts for every connection shares nothing, but never grows this past 64.
    if (timerSets.size < 64) timerSets.set(key, t);
  }
  return t;
}

/**
 * Splits an adapter's options into the timers (checked here) and the rest
 * (the connection's, which the connection checks). `autoPong` moves to the
 * driver: it answers a Ping as it dispatches the `ping` event, after the
 * replies to the events before it and before those to the events after it,
 * which a connection that answers as it reads cannot order.
 */
export function splitOptions(options: unknown, known: readonly string[], where: string): { timers: Timers; protocols: readonly string[] | undefined; rest: Record<string, unknown> } {
  const rest: Record<string, unknown> = {};
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') throw new TypeError(`${where}: Expected options to be an object, got ${describe(options)}`);
    Object.assign(rest, options);
  }
  const ms = (name: string, fallback: number, v: unknown = rest[name]): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw (typeof v === 'number' ? RangeError : TypeError)(`${where}: Expected ${name} to be a positive number of milliseconds, got ${describe(v)}`);
    return v;
  };
  const hb = rest.heartbeat as TimerOptions['heartbeat'];
  if (hb !== undefined) {
    checkKeys(hb, ['interval', 'timeout'], `${where}: heartbeat`);
    if (hb.interval === undefined || hb.timeout === undefined) throw new TypeError(`${where}: heartbeat needs an interval and a timeout`);
  }
  if (rest.autoPong !== undefined && typeof rest.autoPong !== 'boolean') throw new TypeError(`${where}: Expected autoPong to be a boolean, got ${describe(rest.autoPong)}`);
  const timers = internTimers(ms('handshakeTimeout', 10000), ms('closeTimeout', 5000), hb === undefined ? 0 : ms('heartbeat.interval', 0, hb.interval), hb === undefined ? 0 : ms('heartbeat.timeout', 0, hb.timeout), rest.autoPong !== false);
  rest.autoPong = false;
  // Only a server's `protocols` is its list to select from; a client's is its offer, the connection's option.
  const protocols = known.includes('protocols') ? (rest.protocols as readonly string[] | undefined) : undefined;
  if (protocols !== undefined && (!Array.isArray(protocols) || !protocols.every((p) => typeof p === 'string'))) throw new TypeError(`${where}: Expected protocols to be an array of strings, got ${describe(protocols)}`);
  for (const k of known) delete rest[k];
  return { timers, protocols, rest };
}

/** `LightMessageEvent`, for an adapter whose runtime makes `MessageEvent`s slowly (Bun). */
export const lightMessageEvent = (type: string, data: unknown): Event => new LightMessageEvent(type, data);

const FLUSHING = 1;
const DRAIN_OWED = 2;
const PAUSED = 4;
const ENDED = 8;
const GONE = 16;
/** Where the `readyState` (0-3) sits in the flags. */
const READY_SHIFT = 5;
/** A bit of the flags a subclass may use for itself. */
export const SUBCLASS_FLAG = 128;

/**
 * Runs one connection over one transport: writes what the connection
 * produces, dispatches its events on the `WebSocketLike`, closes the
 * transport when told, and runs the timers. Adapters call `receive`,
 * `receiveEnd`, `error`, `drained` and `closed` from their socket's callbacks.
 */
export class Driver {
  readonly conn: Connection;
  readonly transport: Transport;
  readonly socket: WebSocketLike;
  /** The socket's `readyState`, advanced as events are dispatched (a message before a Close sees OPEN): bits 5-6 of the flags. */
  get ready(): number {
    return (this._f >>> READY_SHIFT) & 3;
  }
  private readonly _t: Settings;
  /**
   * FLUSHING, DRAIN_OWED (bytes waited in the transport since the last `drain`
   * event), PAUSED, ENDED and GONE, as bits of one small integer rather than
   * five fields: 32 B less for every open connection.
   */
  protected _f = 0;
  private _deadline: Deadline | 'ended' = null;
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _beat: ReturnType<typeof setTimeout> | undefined;
  private _pong: ReturnType<typeof setTimeout> | undefined;

  /** `transport` null: this driver is its own transport (a subclass that implements `Transport`: one object less a connection). */
  constructor(conn: Connection, transport: Transport | null, url: string, timers: Timers, protocols?: readonly string[]) {
    this.conn = conn;
    this.transport = transport ?? (this as unknown as Transport);
    this._t = withProtocols(timers, protocols);
    this.socket = new WebSocketLike(this, url);
  }

  /** Bytes the socket read. */
  receive(bytes: Uint8Array): void {
    this.conn.receive(bytes);
    this.flush();
  }

  /** The socket reached EOF. */
  receiveEnd(): void {
    this.conn.receiveEnd();
    this.flush();
  }

  /** The socket failed: the connection ends (1006, with the error) and the socket is dropped. */
  error(error: unknown): void {
    this.drop(error);
  }

  /** The transport holds too much unwritten: stop reading until `drained` (backpressure). */
  throttle(): void {
    if ((this._f & (PAUSED | GONE)) === 0) {
      this._f |= PAUSED;
      this.transport.pause();
    }
  }

  /** The socket's write buffer emptied. */
  drained(): void {
    if ((this._f & PAUSED) !== 0) {
      this._f &= ~PAUSED;
      if ((this._f & GONE) === 0) this.transport.resume();
    }
    // Once per time bytes waited, whichever of the transport's signals comes first.
    if ((this._f & DRAIN_OWED) !== 0 && this.socket.bufferedAmount === 0 && this.ready === 1) {
      this._f &= ~DRAIN_OWED;
      this.socket.dispatchEvent(new SocketEventImpl('drain'));
    }
  }

  /** The socket is closed for good. */
  closed(): void {
    this._f |= GONE;
    if (this.conn.state !== 'closed') this.conn.abort();
    this.flush();
    this._clear();
  }

  /** Drops the transport now, ending the connection with 1006 and `error`. */
  drop(error: unknown): void {
    this.conn.abort(error);
    this.flush();
    if ((this._f & GONE) === 0) {
      this._f |= GONE;
      this.transport.destroy();
    }
    this._clear();
  }

  /** Writes what the connection produced and dispatches its events, until neither is left; then the transport and the timers. */
  flush(): void {
    if ((this._f & FLUSHING) !== 0) return;
    this._f |= FLUSHING;
    try {
      for (;;) {
        const out = this.conn.takeOutput();
        if (out.length > 0 && (this._f & (ENDED | GONE)) === 0) {
          // Bytes wait already: these will too, and a view into the shared pool would keep its whole buffer alive.
          if (this.transport.bufferedAmount > 0) this.conn._detach(out);
          if (!this.transport.write(out)) this.throttle();
          // Bytes wait in the transport: a `drain` event is owed once they are gone.
          if (this.transport.bufferedAmount > 0) this._f |= DRAIN_OWED;
        }
        const events = this.conn.takeEvents();
        if (events.length === 0) break;
        for (let i = 0; i < events.length; i++) this._event(events[i]);
      }
      if (this.conn.shouldCloseTransport && (this._f & (ENDED | GONE)) === 0) {
        this._f |= ENDED;
        this.transport.end();
      }
      this._arm();
    } finally {
      this._f &= ~FLUSHING;
    }
  }

  /** A `message`, `ping` or `pong` event: the runtime's `MessageEvent` (an adapter may make a lighter one). */
  protected _messageEvent(type: string, data: unknown): Event {
    return new SocketMessageEventImpl(type, data);
  }

  private _event(ev: ConnectionEvent): void {
    const ws = this.socket;
    switch (ev.type) {
      case 'request':
        // The socket's url is the path the client asked for (the adapter could not know it before).
        (ws as { url: string }).url = ev.request.path;
        (this.conn as ServerConnection).accept({ protocol: this._t.protocols === undefined ? undefined : selectProtocol(ev.request.protocols, this._t.protocols) });
        return;
      case 'open':
        this._ready(1);
        this._heartbeat();
        ws.dispatchEvent(new SocketEventImpl('open'));
        return;
      case 'message':
        ws.dispatchEvent(this._messageEvent('message', typeof ev.data === 'string' ? ev.data : ws._binary(ev.data)));
        return;
      case 'ping':
      case 'pong':
        // RFC 6455 §5.5.2: a Pong with the Ping's payload, as soon as practical; none once our Close is sent (§5.5.1).
        if (ev.type === 'ping' && this._t.autoPong && this.conn.writable) this.conn.pong(ev.data);
        if (ev.type === 'pong' && this._pong !== undefined) {
          clearTimeout(this._pong);
          this._pong = undefined;
        }
        ws.dispatchEvent(this._messageEvent(ev.type, ev.data));
        return;
      case 'close':
        this._ready(3);
        clearTimeout(this._beat);
        clearTimeout(this._pong);
        if (!ev.wasClean) ws.dispatchEvent(new SocketErrorEventImpl(ev.error ?? new Error(`The connection closed abnormally (${ev.code})`)));
        ws.dispatchEvent(new SocketCloseEventImpl(ev.code, ev.reason, ev.wasClean));
    }
  }

  /** Arms the timer the connection's deadline asks for (and, once the transport was ended, the one that drops it if the peer never closes). */
  private _ready(state: number): void {
    this._f = (this._f & ~(3 << READY_SHIFT)) | (state << READY_SHIFT);
  }

  private _arm(): void {
    if (this.ready === 1 && this.conn.state === 'closing') this._ready(2);
    const want = (this._f & GONE) !== 0 ? null : (this._f & ENDED) !== 0 ? 'ended' : this.conn.deadline;
    if (want === this._deadline) return;
    this._deadline = want;
    clearTimeout(this._timer);
    this._timer = undefined;
    if (want === null) return;
    const ms = want === 'handshake' ? this._t.handshake : this._t.close;
    const what = want === 'handshake' ? 'opening handshake' : 'closing handshake';
    this._timer = setTimeout(() => this.drop(new Error(`The ${what} did not finish within ${ms} ms`)), ms);
  }

  private _heartbeat(): void {
    if (this._t.interval <= 0) return;
    this._beat = setTimeout(() => {
      if (this.conn.state !== 'open') return;
      this.conn.ping();
      this.flush();
      if (this._pong === undefined) this._pong = setTimeout(() => this.drop(new Error(`No pong within ${this._t.pong} ms of a ping`)), this._t.pong);
      this._heartbeat();
    }, this._t.interval);
  }

  private _clear(): void {
    clearTimeout(this._timer);
    clearTimeout(this._beat);
    clearTimeout(this._pong);
    this._timer = this._beat = this._pong = undefined;
    this._deadline = null;
  }
}
