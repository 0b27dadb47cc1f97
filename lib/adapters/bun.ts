// Browser compatible (imports no Bun module): the Bun adapter. It builds the
// handler objects `Bun.listen` and `Bun.connect` take (`{ socket }`) and runs
// one connection per Bun socket through the shared driver. Bun calls the same
// handlers for every socket, so each socket's state lives in `socket.data`.
//
// What Bun's TCP sockets do, measured on Bun 1.4 (spec/adapters/bun.mjs checks
// each): `write(bytes)` writes what the kernel takes now and returns how many
// bytes that was (-1 once closed), buffering nothing, so the rest waits in the
// queue here until `drain`; `pause()`/`resume()` stop and restart reading;
// each `data` chunk is a fresh buffer (never reused by Bun), so frames are
// unmasked in place; `shutdown()` sends FIN and keeps reading, while `end()`
// closes both halves at once; with Bun's default `allowHalfOpen: false` the
// socket closes right after the `end` handler (the peer's FIN) returns.
import { describe } from '../primitives/_bytes.ts';
import { ClientConnection, type ClientConnectionOptions } from '../connection/client.ts';
import { ServerConnection } from '../connection/server.ts';
import type { ConnectionOptions } from '../connection/types.ts';
import type { UrlLike } from '../handshake/client.ts';
import { Driver, SERVER_KEYS, TIMER_KEYS, lightMessageEvent, splitOptions, type Transport } from './_driver.ts';

/** Bun's `MessageEvent` costs 0.72 us to make, an `Event` with its fields 0.26 us: half the CPU of a small message. */
class BunDriver extends Driver {
  protected override _messageEvent(type: string, data: unknown): Event {
    return lightMessageEvent(type, data);
  }
}
import type { ServerAdapterOptions, TimerOptions, WebSocketLike } from '../connection/websocket.ts';

/** The methods of Bun's TCP `Socket` the adapter calls (the sockets `Bun.listen` and `Bun.connect` hand to their handlers have them all). */
export interface BunSocket {
  /** The handlers keep their per-connection state here. */
  data: unknown;
  /** Writes what the kernel takes now; returns how many bytes, -1 once closed. */
  write(data: Uint8Array): number;
  /** Closes both halves. */
  end(): unknown;
  /** Sends FIN and keeps reading. */
  shutdown(halfClose?: boolean): unknown;
  /** Closes the socket at once. */
  terminate(): unknown;
  pause(): unknown;
  resume(): unknown;
  setNoDelay(noDelay?: boolean): unknown;
}

/** Handlers for `Bun.listen({ socket })` and `Bun.connect({ socket })`. */
export interface BunSocketHandlers {
  /** Chunks as plain `Uint8Array`s (Bun's default would be a `Buffer`, whose `slice` does not copy). */
  readonly binaryType: 'uint8array';
  open(socket: BunSocket): void;
  data(socket: BunSocket, bytes: Uint8Array): void;
  drain(socket: BunSocket): void;
  end(socket: BunSocket): void;
  close(socket: BunSocket, error?: Error): void;
  error(socket: BunSocket, error: Error): void;
  /** The client's: the connection failed before it opened. */
  connectError?(socket: BunSocket, error: Error): void;
}

/** Options of `bunServerHandlers`: the timers, the server's `protocols`, the connection's options, and `onConnection`. */
export interface BunServerOptions extends ServerAdapterOptions, Omit<ConnectionOptions, 'unmaskInPlace'> {
  /** Called with each accepted TCP connection's WebSocket while it is connecting: add listeners, then `open` follows the handshake. */
  onConnection(ws: WebSocketLike): void;
}

/** Options of `bunClientHandlers`: the timers and the client connection's options (`protocols`, `headers`, `origin`, limits, extensions). */
export interface BunClientOptions extends TimerOptions, Omit<ClientConnectionOptions, 'unmaskInPlace'> {}

/** Over this many queued bytes `write` tells the driver to stop reading until the queue drains. */
const HIGH_WATER = 64 * 1024;
/** A chunk from this size is written as it is; smaller ones are copied together, so a batch is one `write` (one syscall, one TCP segment). */
const LARGE = 64 * 1024;
/** The most bytes copied into one `write`. */
const SCRATCH_MAX = 256 * 1024;
/** Shared by every socket: `write` copies what it takes before returning, and what it did not take is copied out. */
let scratch = new Uint8Array(16 * 1024);
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/**
 * A Bun socket as the driver's transport: what `write` could not hand to the
 * kernel waits in a queue (views, not copies, except of the shared scratch
 * buffer), written on `drain`; `end` flushes the queue before the FIN.
 */
class BunTransport implements Transport {
  socket: BunSocket | null;
  driver!: Driver;
  /** The peer sent FIN. */
  eof = false;
  /** Closed, or dropped: nothing more is written. */
  gone = false;
  private _queue: Uint8Array[] = [];
  private _head = 0;
  private _queued = 0;
  private _ending = false;
  private _finished = false;
  private _paused = false;

  constructor(socket: BunSocket | null) {
    this.socket = socket;
  }

  get bufferedAmount(): number {
    return this._queued;
  }

  /** The client's socket connected: the request (queued since creation) goes out. */
  attach(socket: BunSocket): void {
    this.socket = socket;
    socket.setNoDelay(true);
    if (this._paused) socket.pause();
    this.drain();
  }

  write(chunks: Uint8Array[]): boolean {
    if (chunks.length === 1) this._put(chunks[0], false);
    else {
      for (let i = 0; i < chunks.length;) {
        // A run of small chunks becomes one write; a large chunk goes as it is.
        let j = i, total = 0;
        while (j < chunks.length && chunks[j].length < LARGE && total + chunks[j].length <= SCRATCH_MAX) total += chunks[j++].length;
        if (j - i < 2) {
          this._put(chunks[i], false);
          i++;
          continue;
        }
        if (scratch.length < total) scratch = new Uint8Array(Math.min(SCRATCH_MAX, Math.max(total, scratch.length * 2)));
        for (let off = 0; i < j; i++) {
          scratch.set(chunks[i], off);
          off += chunks[i].length;
        }
        this._put(scratch.subarray(0, total), true);
      }
    }
    return this._queued <= HIGH_WATER;
  }

  end(): void {
    this._ending = true;
    if (this._queued === 0) this._fin();
  }

  destroy(): void {
    if (this.gone) return;
    this._drop();
    this.socket?.terminate();
  }

  pause(): void {
    this._paused = true;
    this.socket?.pause();
  }

  resume(): void {
    this._paused = false;
    this.socket?.resume();
  }

  /** Bun's `drain`: the kernel takes bytes again. Writes the queue; once it is empty, the driver hears of it and a pending end is done. */
  drain(): void {
    const s = this.socket;
    if (s === null || this.gone || this._queued === 0) return;
    const q = this._queue;
    while (this._head < q.length) {
      const chunk = q[this._head];
      const n = s.write(chunk);
      if (n < 0) return; // closed: the close handler follows
      this._queued -= n;
      if (n < chunk.length) {
        q[this._head] = chunk.subarray(n);
        return;
      }
      // Written: let go of it now, not when the whole queue is.
      q[this._head++] = EMPTY;
    }
    q.length = 0;
    this._head = 0;
    this.driver.drained();
    if (this._ending) this._fin();
  }

  /** The socket closed, or is being dropped: the queue is let go. */
  _drop(): void {
    this.gone = true;
    this._queue = [];
    this._head = this._queued = 0;
  }

  private _put(bytes: Uint8Array, shared: boolean): void {
    if (this.gone || bytes.length === 0) return;
    const s = this.socket;
    if (s !== null && this._queued === 0) {
      const n = s.write(bytes);
      if (n === bytes.length || n < 0) return; // all taken, or closed (the close handler follows)
      bytes = bytes.subarray(n);
    }
    this._queue.push(shared ? bytes.slice() : bytes);
    this._queued += bytes.length;
  }

  /** FIN once the queue is written: `shutdown` keeps reading, so the peer's own FIN (or its Close) is still seen; after the peer's FIN, `end` closes. */
  private _fin(): void {
    const s = this.socket;
    if (s === null || this.gone || this._finished) return;
    this._finished = true;
    if (this.eof) s.end();
    else s.shutdown();
  }
}

const SERVER_WHERE = 'Cannot create Bun server handlers';
const CLIENT_WHERE = 'Cannot create Bun client handlers';

/** The connection's options as the adapter passes them: its chunks are its own, so frames are unmasked in place. */
function connectionOptions(rest: Record<string, unknown>, where: string): Record<string, unknown> {
  if (rest.unmaskInPlace !== undefined) throw new TypeError(`${where}: Unknown option "unmaskInPlace" (the adapter unmasks Bun's chunks in place itself)`);
  return { ...rest, unmaskInPlace: true };
}

/** The transport of a socket the handlers set up, or null for one they did not. */
function transportOf(socket: BunSocket): BunTransport | null {
  const t = socket.data;
  return t instanceof BunTransport && t.socket === socket ? t : null;
}

/** Bun's `close`: a socket error (a reset) is the connection's error, unless the socket was being dropped; then it is closed. */
function closed(t: BunTransport, error: Error | undefined): void {
  const dropped = t.gone;
  t._drop();
  if (error !== undefined && !dropped) t.driver.error(error);
  t.driver.closed();
}

/**
 * Handlers for `Bun.listen` that serve WebSocket connections: each accepted
 * TCP connection gets a `WebSocketLike`, handed to `onConnection` at once
 * (readyState CONNECTING), which reads the upgrade request, refuses a bad one
 * with the right status, accepts a good one with the first of `protocols` the
 * client offered, and then runs the connection: auto-pong, the closing
 * handshake, the timers, and backpressure (a write queue flushed on Bun's
 * `drain`; reading pauses while it is over 64 KiB). Socket errors end as
 * `error` and `close` (1006) events, never as exceptions. The handlers keep
 * each connection's state in `socket.data`.
 *
 * @param options `onConnection(ws)`; the timers `handshakeTimeout` (default 10000 ms), `closeTimeout` (5000 ms) and `heartbeat: { interval, timeout }`; `protocols` (the server's, most preferred first); the connection's `maxMessageSize`, `maxFragments`, `autoPong` and `extensions`.
 * @returns `{ socket }`: pass `socket` to `Bun.listen`.
 * @throws {TypeError} When `onConnection` is not a function, or an option is unknown or has the wrong type.
 * @throws {RangeError} When a timer or a limit is out of range.
 * @example An echo server
 * ```ts
 * import { bunServerHandlers } from 'websocket-server/bun';
 *
 * const { socket } = bunServerHandlers({
 *   onConnection(ws) { ws.onmessage = (e) => ws.send(e.data); },
 * });
 * Bun.listen({ hostname: '127.0.0.1', port: 8080, socket });
 * ```
 */
export function bunServerHandlers(options: BunServerOptions): { socket: BunSocketHandlers } {
  if (options === null || typeof options !== 'object') throw new TypeError(`${SERVER_WHERE}: Expected options to be an object with onConnection, got ${describe(options)}`);
  const { onConnection, ...others } = options;
  if (typeof onConnection !== 'function') throw new TypeError(`${SERVER_WHERE}: Expected onConnection to be a function, got ${describe(onConnection)}`);
  const { timers, protocols, rest } = splitOptions(others, SERVER_KEYS, SERVER_WHERE);
  const settings = connectionOptions(rest, SERVER_WHERE);
  // Checked now, not at the first connection.
  new ServerConnection(settings);
  const socket: BunSocketHandlers = {
    binaryType: 'uint8array',
    open(s) {
      const t = new BunTransport(s);
      t.driver = new BunDriver(new ServerConnection(settings), t, '', timers, protocols);
      s.data = t;
      s.setNoDelay(true);
      // If it throws, Bun calls `error`, which drops the connection with that error.
      onConnection(t.driver.socket);
      // Arms the handshake timeout.
      t.driver.flush();
    },
    data(s, bytes) {
      transportOf(s)?.driver.receive(bytes);
    },
    drain(s) {
      transportOf(s)?.drain();
    },
    end(s) {
      const t = transportOf(s);
      if (t === null) return;
      t.eof = true;
      t.driver.receiveEnd();
    },
    close(s, error) {
      const t = transportOf(s);
      if (t !== null) closed(t, error);
    },
    error(s, error) {
      const t = transportOf(s);
      if (t === null) s.terminate();
      else t.driver.error(error);
    },
  };
  return { socket };
}

/**
 * Handlers for `Bun.connect` that run a WebSocket client over the TCP
 * connection, and the client's `WebSocketLike`. The upgrade request is
 * written when the socket opens; the response is verified (status 101, the
 * `Upgrade`/`Connection` tokens, `Sec-WebSocket-Accept`, the subprotocol and
 * extensions offered), and a wrong one ends with `error` and `close` (1006)
 * events carrying the `HandshakeError`. Every frame is masked (RFC 6455
 * §5.3); a masked frame from the server fails the connection with 1002. The
 * handshake timeout runs from this call, so it covers connecting too. A
 * failed connect is `error` and `close` (1006) events as well (Bun's
 * `Bun.connect` promise still rejects: catch it). One `Bun.connect` per call.
 *
 * @param url The `ws:` URL (`wss:` needs `Bun.connect({ tls: true })`): its host and path go into the request.
 * @param options The timers `handshakeTimeout` (default 10000 ms), `closeTimeout` (5000 ms) and `heartbeat: { interval, timeout }`; the client connection's `protocols`, `headers`, `origin`, `maxMessageSize`, `maxFragments`, `autoPong` and `extensions`.
 * @returns `{ socket, websocket }`: pass `socket` to `Bun.connect`; `websocket` is the client.
 * @throws {TypeError} When the URL or an option is wrong or unknown.
 * @throws {RangeError} When a timer or a limit is out of range.
 * @example Say hello
 * ```ts
 * import { bunClientHandlers } from 'websocket-server/bun';
 *
 * const { socket, websocket } = bunClientHandlers('ws://127.0.0.1:8080/', { protocols: ['chat'] });
 * websocket.onopen = () => websocket.send('hello');
 * websocket.onmessage = (e) => { console.log(e.data); websocket.close(1000); };
 * Bun.connect({ hostname: '127.0.0.1', port: 8080, socket }).catch(() => {});
 * ```
 */
export function bunClientHandlers(url: string | UrlLike, options?: BunClientOptions): { socket: BunSocketHandlers; websocket: WebSocketLike } {
  const { timers, rest } = splitOptions(options, TIMER_KEYS, CLIENT_WHERE);
  const conn = new ClientConnection(url, connectionOptions(rest, CLIENT_WHERE) as ClientConnectionOptions);
  const t = new BunTransport(null);
  const driver = (t.driver = new BunDriver(conn, t, typeof url === 'string' ? url : url.href, timers));
  // The request goes to the queue (written on open); the handshake timeout starts.
  driver.flush();
  const socket: BunSocketHandlers = {
    binaryType: 'uint8array',
    open(s) {
      // A second connect with the same handlers, or one that came after the timeout: not ours.
      if (t.socket !== null || t.gone) return void s.terminate();
      s.data = t;
      t.attach(s);
    },
    data(s, bytes) {
      if (s === t.socket) driver.receive(bytes);
    },
    drain(s) {
      if (s === t.socket) t.drain();
    },
    end(s) {
      if (s !== t.socket) return;
      t.eof = true;
      driver.receiveEnd();
    },
    close(s, error) {
      if (s === t.socket) closed(t, error);
    },
    error(s, error) {
      if (s === t.socket) driver.error(error);
      else s.terminate();
    },
    connectError(_s, error) {
      if (t.socket !== null) return;
      t._drop();
      driver.error(error);
    },
  };
  return { socket, websocket: driver.socket };
}
