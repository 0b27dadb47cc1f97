// Imports no runtime module. The Node adapter: a connection over a `node:net`
// socket (or a `node:tls` one, or any Duplex with the same methods), given as
// an argument; Bun and Deno's `node:net` sockets fit too. Each received chunk
// is fed to the driver between `cork()` and `uncork()`, so that what it
// produces leaves in one write; small chunks of output are copied into one
// buffer (Node's per-write path and its turning of each Uint8Array into a
// Buffer cost more than the protocol), large payloads are written as they are.
import { describe } from '../primitives/_bytes.ts';
import type { UpgradeRequestLike } from '../handshake/check.ts';
import type { UrlLike } from '../handshake/client.ts';
import { ServerConnection } from '../connection/server.ts';
import { ClientConnection, type ClientConnectionOptions } from '../connection/client.ts';
import type { ConnectionOptions } from '../connection/types.ts';
import { QuickMessageEvent } from '../connection/_quick-event.ts';
import { Driver, SERVER_KEYS, SUBCLASS_FLAG, TIMER_KEYS, splitOptions, type Timers, type Transport } from './_driver.ts';

/** An empty write's callback is awaited (`watch`). */
const WATCHING = SUBCLASS_FLAG;
import type { ServerAdapterOptions, TimerOptions, WebSocketLike } from '../connection/websocket.ts';

/**
 * What the adapter uses of a `net.Socket` or `tls.TLSSocket`: the methods it
 * calls, `writableLength`, and the events `data`, `end`, `drain`, `error` and
 * `close`. Any Duplex stream has them; `setNoDelay` is used when present.
 */
export interface NodeSocket {
  write(data: Uint8Array, callback?: (error?: Error | null) => void): boolean;
  /** How many cork() calls are not yet uncorked (Node 13.2+). */
  readonly writableCorked?: number;
  end(): unknown;
  destroy(): unknown;
  pause(): unknown;
  resume(): unknown;
  cork(): void;
  uncork(): void;
  on(event: string, listener: (...args: any[]) => void): unknown;
  setNoDelay?(noDelay?: boolean): unknown;
  /** Node's idle timeout on the socket; handleUpgrade lifts one node:http set (the driver's timers take over). */
  setTimeout?(ms: number): unknown;
  /** The idle timeout `setTimeout` set (Node: undefined until one was). */
  readonly timeout?: number;
  /** Bytes written and not yet sent. */
  readonly writableLength: number;
  /** Where `write` starts answering false (Node: 16 KiB by default). */
  readonly writableHighWaterMark: number;
  readonly destroyed?: boolean;
}

/** Options of `handleUpgrade` and `acceptSocket`: the timers, the server's `protocols`, and the connection's options. */
export interface NodeServerOptions extends ServerAdapterOptions, Omit<ConnectionOptions, 'unmaskInPlace'> {}

/** Options of `connectSocket`: the timers and the client connection's options (`protocols` is the offer). */
export interface NodeClientOptions extends TimerOptions, Omit<ClientConnectionOptions, 'unmaskInPlace'> {}

/** Output chunks from this size are written as they are (a payload the connection did not copy); smaller ones are coalesced. */
const LARGE_CHUNK = 4096;
/**
 * Small chunks of one batch are copied into a slice of a shared slab rather
 * than a fresh array each: one allocation serves many batches. A slice is
 * never reused (the socket may hold it until sent), so a full slab is simply
 * replaced; a batch over half a slab gets its own array.
 */
const SLAB_SIZE = 16384;
let slab = /* @__PURE__ */ new Uint8Array(0);
let slabUsed = 0;

/** One buffer holding `chunks[from..to)`, `n` bytes in all. */
function coalesce(chunks: Uint8Array[], from: number, to: number, n: number): Uint8Array {
  let out: Uint8Array;
  if (n > SLAB_SIZE >>> 1) out = new Uint8Array(n);
  else {
    if (slabUsed + n > slab.length) {
      slab = new Uint8Array(SLAB_SIZE);
      slabUsed = 0;
    }
    out = slab.subarray(slabUsed, slabUsed + n);
    slabUsed += n;
  }
  for (let i = from, at = 0; i < to; i++) {
    out.set(chunks[i], at);
    at += chunks[i].length;
  }
  return out;
}

const NOTHING = /* @__PURE__ */ new Uint8Array(0);

/**
 * The clock for message events' `timeStamp`, read once per received chunk
 * (-1 until read) while `onData` runs (`inData`); outside it, once per event.
 */
let stamp = -1;
let inData = false;

/** The driver of a connection over a Node socket, and its transport too (one object a connection rather than two: 40 B). */
class NodeDriver extends Driver implements Transport {
  readonly s: NodeSocket;
  private _flushed: (() => void) | undefined;

  constructor(socket: NodeSocket, conn: ServerConnection | ClientConnection, url: string, timers: Timers, protocols?: readonly string[]) {
    super(conn, null, url, timers, protocols);
    this.s = socket;
  }

  get bufferedAmount(): number {
    return this.s.writableLength;
  }

  /** A `QuickMessageEvent`: a `MessageEvent` that Node's constructor does not make (see its comment). */
  protected override _messageEvent(type: string, data: unknown): Event {
    const t = !inData ? performance.now() : stamp < 0 ? (stamp = performance.now()) : stamp;
    return new QuickMessageEvent(type, data, t) as unknown as Event;
  }

  /**
   * One write for a single chunk; else runs of small chunks coalesced, each
   * large chunk as it is, all corked into one writev. Returns whether the
   * bytes left the process or wait below the high-water mark, not what
   * `write` said: Node answers false for any chunk from the high-water mark
   * up (16 KiB) before it tries to write it, and pausing the socket on that
   * paused and resumed it about every other 16 KiB echo (76,000 times in
   * 4 s, each a readStop and a readStart) while the kernel took every byte.
   * While corked (around a received chunk) nothing is written yet: `watch`
   * judges after the uncork.
   */
  write(chunks: Uint8Array[]): boolean {
    const s = this.s;
    if (chunks.length === 1) s.write(chunks[0]);
    else {
      s.cork();
      for (let i = 0; i < chunks.length; ) {
        let j = i, n = 0;
        while (j < chunks.length && chunks[j].length < LARGE_CHUNK) n += chunks[j++].length;
        if (j - i === 1) s.write(chunks[i]);
        else if (j > i) s.write(coalesce(chunks, i, j, n));
        if (j < chunks.length) s.write(chunks[j++]);
        i = j;
      }
      s.uncork();
    }
    this.watch();
    return (s.writableCorked ?? 0) > 0 || s.writableLength <= s.writableHighWaterMark;
  }

  /**
   * Node emits `drain` only after a `write` returned false; the socket's
   * surface promises one whenever `bufferedAmount` falls back to 0. So while
   * bytes wait below the high-water mark, an empty write's callback says when
   * they are gone (one closure per connection, made the first time).
   */
  watch(): void {
    const s = this.s;
    // While corked (onData, around a batch) every write waits: the watch runs after the uncork.
    if (s.writableLength === 0 || (s.writableCorked ?? 0) > 0) return;
    // Over the high-water mark once written: stop reading until `drain` (Node emits it, as write answered false).
    if (s.writableLength > s.writableHighWaterMark) this.throttle();
    if ((this._f & WATCHING) !== 0) return;
    this._f |= WATCHING;
    s.write(NOTHING, (this._flushed ??= () => {
      this._f &= ~WATCHING;
      if (s.writableLength === 0) this.drained();
    }));
  }

  end(): void {
    this.s.end();
  }

  destroy(): void {
    this.s.destroy();
  }

  pause(): void {
    this.s.pause();
  }

  resume(): void {
    this.s.resume();
  }
}

function checkSocket(socket: unknown, where: string): asserts socket is NodeSocket {
  const s = socket as Record<string, unknown> | null;
  if (s === null || typeof s !== 'object' || !['write', 'end', 'destroy', 'pause', 'resume', 'cork', 'uncork', 'on'].every((m) => typeof s[m] === 'function')) {
    throw new TypeError(`${where}: Expected socket to be a net.Socket, tls.TLSSocket or Duplex stream, got ${describe(socket)}`);
  }
}

/** The adapter's options: `unmaskInPlace` is the adapter's to decide, not the caller's. */
function adapterOptions(options: unknown, known: readonly string[], where: string): ReturnType<typeof splitOptions> {
  const o = splitOptions(options, known, where);
  if ('unmaskInPlace' in o.rest) throw new TypeError(`${where}: Unknown option "unmaskInPlace" (the adapter sets it)`);
  return o;
}

/** Where a socket's listeners find its driver: one set of listeners serves every socket, with no closures per connection. */
/**
 * Each socket's driver, for the listeners (shared functions: `this` is the
 * socket). A WeakMap rather than a property on the socket: a new property on
 * a node:http socket cost ~140 B a connection (measured over 2,000 idle
 * ones), an entry here ~30 B, and its lookup once a chunk is no cost we
 * could measure on small messages.
 */
const drivers = /* @__PURE__ */ new WeakMap<NodeSocket, NodeDriver>();

function onData(this: NodeSocket, chunk: Uint8Array): void {
  const d = drivers.get(this) as NodeDriver;
  // Corked: what this chunk produces (echoes, pongs, a Close) leaves in one writev.
  this.cork();
  inData = true;
  stamp = -1;
  try {
    d.receive(chunk);
  } finally {
    inData = false;
    this.uncork();
  }
  d.watch();
}
function onEnd(this: NodeSocket): void {
  drivers.get(this)?.receiveEnd();
}
function onDrain(this: NodeSocket): void {
  drivers.get(this)?.drained();
}
function onError(this: NodeSocket, e: unknown): void {
  drivers.get(this)?.error(e);
}
function onClose(this: NodeSocket): void {
  drivers.get(this)?.closed();
}

/**
 * Node allocates 64 KiB for every socket read, and glibc's malloc gives the
 * top of its heap back to the kernel whenever 128 KiB of it is free
 * (M_TRIM_THRESHOLD): under 16 KiB echoes the heap shrank and grew again
 * hundreds of times a second (`brk`), each growth faulting its pages in
 * again. Measured on the Node echo server, 16 connections x 2 in flight:
 * about half the processes ran so, at 0.6-1.5 minor faults and ~100 k echoes
 * a second, the others at 0.03 faults and ~140 k, depending on whether
 * something in the process had happened to free a large mapped chunk. glibc
 * raises both thresholds when a mapped chunk is freed (mallopt(3), the
 * dynamic mmap threshold): one untouched 8 MiB ArrayBuffer, dropped here and
 * freed by the next GC, sets them to 8 and 16 MiB, and 6 of 6 processes ran
 * at 0.001-0.012 faults an echo (2 and 4 MiB were not always enough). It
 * costs no memory (calloc maps it and nothing touches it); at most 16 MiB of
 * freed heap stays with the process instead of going back. glibc leaves the
 * thresholds alone in a process started with MALLOC_TRIM_THRESHOLD_ or
 * MALLOC_MMAP_THRESHOLD_ set, and other allocators (musl, Bun's) ignore this.
 */
let allocatorHinted = false;
function hintAllocator(): void {
  if (allocatorHinted) return;
  allocatorHinted = true;
  new ArrayBuffer(8 << 20);
}

/**
 * Feeds the driver from the socket's events. Socket errors end the
 * connection (`error`, then `close` 1006), never the process.
 */
function wire(driver: NodeDriver, socket: NodeSocket): void {
  hintAllocator();
  drivers.set(socket, driver);
  socket.setNoDelay?.(true);
  socket.on('data', onData);
  socket.on('end', onEnd);
  socket.on('drain', onDrain);
  socket.on('error', onError);
  socket.on('close', onClose);
}

/**
 * Takes over a socket from `node:http`'s `upgrade` event, as `ws`'s
 * `handleUpgrade` does: the request node:http parsed is judged (a bad one is
 * refused with its status, 400, 405, 426, and the socket closed), a good one
 * accepted with the first of `protocols` the client offered, and the bytes
 * after the head (`head`) read as the first frames. Authenticate before
 * calling it: refuse a request by writing your own response instead.
 *
 * The events are dispatched from a microtask, never inside this call:
 * listeners added right after it see `open` (or `error` and `close` for a
 * refusal) and every message.
 *
 * @param req The request (`http.IncomingMessage`, or `{ method, url, headers }`).
 * @param socket The `upgrade` event's socket.
 * @param head The `upgrade` event's `head`: bytes the client sent after its head.
 * @param options `protocols` (the server's, most preferred first), the timers (`handshakeTimeout`, `closeTimeout`, `heartbeat`), and the connection's options (`maxMessageSize`, `maxFragments`, `autoPong`, `extensions`).
 * @returns The WebSocket, in `readyState` 0 (CONNECTING) until `open`.
 * @throws {TypeError} When an argument is wrong or an option unknown (the message names the nearest known one).
 * @throws {RangeError} When a limit or a timer is out of range.
 * @example An echo server on node:http
 * ```ts
 * import { createServer } from 'node:http';
 * const server = createServer((req, res) => res.writeHead(404).end());
 * server.on('upgrade', (req, socket, head) => {
 *   const ws = handleUpgrade(req, socket, head, { protocols: ['chat'] });
 *   ws.onmessage = (e) => ws.send(e.data);
 * });
 * server.listen(8080);
 * ```
 */
export function handleUpgrade(req: UpgradeRequestLike, socket: NodeSocket, head: Uint8Array | undefined, options?: NodeServerOptions): WebSocketLike {
  const where = 'Cannot handle upgrade';
  checkSocket(socket, where);
  if (head !== undefined && !(head instanceof Uint8Array)) throw new TypeError(`${where}: Expected head to be a Uint8Array, got ${describe(head)}`);
  const { timers, protocols, rest } = adapterOptions(options, SERVER_KEYS, where);
  // Node hands each chunk over: ours to unmask where it lies.
  const conn = new ServerConnection({ ...rest, unmaskInPlace: true });
  conn.receiveRequest(req);
  // Queued, not dispatched: bytes `data` brings later go after these.
  if (head !== undefined && head.length > 0) conn.receive(head);
  const driver = new NodeDriver(socket, conn, typeof req.url === 'string' ? req.url : '', timers, protocols);
  // A socket idle timeout (node:http lifts its own at an upgrade; another server may not) would drop a quiet WebSocket: the heartbeat is for that.
  // Only when one is set: setTimeout adds properties to a socket that has none (~140 B a connection).
  if (socket.timeout) socket.setTimeout?.(0);
  wire(driver, socket);
  queueMicrotask(() => (socket.destroyed === true ? driver.closed() : driver.flush()));
  return driver.socket;
}

/**
 * Runs the server's side over a raw socket (`net.Server`'s `connection`
 * event): the request head is read from the socket's bytes, in any chunking;
 * a bad one is refused with its status (400, 405, 426, 431) and the socket
 * closed; a good one accepted with the first of `protocols` the client
 * offered. A head not complete within `handshakeTimeout` is dropped.
 *
 * @param socket A connected socket.
 * @param options `protocols` (the server's, most preferred first), the timers (`handshakeTimeout`, `closeTimeout`, `heartbeat`), and the connection's options (`maxMessageSize`, `maxFragments`, `autoPong`, `extensions`).
 * @returns The WebSocket, in `readyState` 0 (CONNECTING) until `open`.
 * @throws {TypeError} When an argument is wrong or an option unknown (the message names the nearest known one).
 * @throws {RangeError} When a limit or a timer is out of range.
 * @example An echo server on node:net
 * ```ts
 * import { createServer } from 'node:net';
 * createServer((socket) => {
 *   const ws = acceptSocket(socket, { maxMessageSize: 1 << 20 });
 *   ws.onmessage = (e) => ws.send(e.data);
 * }).listen(8080);
 * ```
 */
export function acceptSocket(socket: NodeSocket, options?: NodeServerOptions): WebSocketLike {
  const where = 'Cannot accept socket';
  checkSocket(socket, where);
  const { timers, protocols, rest } = adapterOptions(options, SERVER_KEYS, where);
  const conn = new ServerConnection({ ...rest, unmaskInPlace: true });
  const driver = new NodeDriver(socket, conn, '', timers, protocols);
  wire(driver, socket);
  // Nothing to dispatch before the head arrives: this only starts the handshake timer.
  if (socket.destroyed === true) queueMicrotask(() => driver.closed());
  else driver.flush();
  return driver.socket;
}

/**
 * Runs the client's side over a socket the caller connected (`net.connect`,
 * `tls.connect`): writes the upgrade request at once (a socket still
 * connecting holds it until connected), verifies the server's 101, and opens.
 * A wrong response (status, `Upgrade`, `Connection`, `Sec-WebSocket-Accept`,
 * a protocol or extension not offered) ends with `error` and `close` (1006),
 * the error a `HandshakeError` naming the check.
 *
 * @param socket A connected or connecting socket.
 * @param url The `ws:` or `wss:` URL (its host and path go in the request; the socket decides where it goes).
 * @param options `protocols` to offer, `headers`, `origin`, the timers (`handshakeTimeout`, `closeTimeout`, `heartbeat`), and the connection's options (`maxMessageSize`, `maxFragments`, `autoPong`, `extensions`).
 * @returns The WebSocket, in `readyState` 0 (CONNECTING) until `open`.
 * @throws {TypeError} When an argument is wrong or an option unknown (the message names the nearest known one).
 * @throws {RangeError} When a limit or a timer is out of range.
 * @example A client over node:net
 * ```ts
 * import { connect } from 'node:net';
 * const ws = connectSocket(connect(8080, '127.0.0.1'), 'ws://127.0.0.1:8080/', { protocols: ['chat'] });
 * ws.onopen = () => ws.send('hello');
 * ws.onmessage = (e) => { console.log(e.data); ws.close(1000); };
 * ```
 */
export function connectSocket(socket: NodeSocket, url: string | UrlLike, options?: NodeClientOptions): WebSocketLike {
  const where = 'Cannot connect socket';
  checkSocket(socket, where);
  const { timers, rest } = adapterOptions(options, TIMER_KEYS, where);
  const conn = new ClientConnection(url, rest);
  const driver = new NodeDriver(socket, conn, typeof url === 'string' ? url : url.href, timers);
  wire(driver, socket);
  // The first output is the request; nothing is dispatched yet.
  if (socket.destroyed === true) queueMicrotask(() => driver.closed());
  else driver.flush();
  return driver.socket;
}
