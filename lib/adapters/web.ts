// Browser compatible. The WHATWG streams adapter: a WebSocket, in either
// role, over any `{ readable, writable }` byte stream pair — a `Deno.Conn`, a
// workerd `connect()` socket, Node's `Duplex.toWeb(socket)`. It imports no
// runtime module: it pulls from the readable, writes to the writable, and
// leaves the protocol to the sans-IO connection and the shared driver.
import { describe } from '../primitives/_bytes.ts';
import type { UrlLike } from '../handshake/client.ts';
import { ClientConnection, type ClientConnectionOptions } from '../connection/client.ts';
import { ServerConnection, type ServerConnectionOptions } from '../connection/server.ts';
import { Driver, SERVER_KEYS, TIMER_KEYS, splitOptions, type Transport } from './_driver.ts';
import type { ServerAdapterOptions, TimerOptions, WebSocketLike } from '../connection/websocket.ts';

/**
 * A bidirectional byte stream: a `Deno.Conn`, a workerd `Socket`, Node's
 * `Duplex.toWeb(socket)`, or any object with a `readable` `ReadableStream` of
 * `Uint8Array` chunks and a `writable` `WritableStream` that takes them. The
 * adapter locks both. (Typed by the members it checks, so that these
 * declarations need no DOM library: any WHATWG stream pair fits.)
 */
export interface WebStreamPair {
  /** A `ReadableStream` of bytes: a byte stream (BYOB reads) or any other. */
  readonly readable: { readonly locked: boolean; getReader(options?: { mode: 'byob' }): unknown };
  /** A `WritableStream` that takes `Uint8Array` chunks. */
  readonly writable: { readonly locked: boolean; getWriter(): unknown };
  /**
   * Releases the socket (`Deno.Conn.close`, workerd's `Socket.close`): called
   * once both directions are done, or when the connection is dropped. Errors
   * it throws or rejects with are ignored.
   */
  close?(): unknown;
  /**
   * Half-closes the socket (`Deno.TcpConn.closeWrite`: TCP FIN). Where present
   * it ends the sending side instead of closing the writable, which on Deno
   * would close the whole socket and lose what the peer still sends.
   */
  closeWrite?(): unknown;
  /**
   * `Deno.Conn`'s own read (the byte count, null at the end). Where present the
   * adapter reads with it instead of through `readable`: the same bytes into
   * the same reused buffer without a ReadableStream's machinery per read, and
   * the peer's end does not close the socket under the writes still going out
   * (`Deno.Conn.readable` closes it at EOF).
   */
  read?(buffer: Uint8Array): Promise<number | null>;
  /** A workerd socket's promise of its end; its rejection is handled here. */
  readonly closed?: unknown;
  /** A workerd socket's promise of its connection; its rejection is handled here. */
  readonly opened?: unknown;
}

/** Options of `acceptWebSocket`: the timers, the server's `protocols`, and the connection's options. */
export interface WebServerOptions extends ServerAdapterOptions, ServerConnectionOptions {}

/** Options of `connectWebSocket`: the timers and the client connection's options (`protocols`, `headers`, `origin`, …). */
export interface WebClientOptions extends TimerOptions, ClientConnectionOptions {}

/** Bytes per read: one buffer, reused (or a fresh one per read with `unmaskInPlace`). */
const READ_SIZE = 64 * 1024;
/**
 * Bytes written and not yet acknowledged above which `write` says false and
 * reading pauses until they are all written: a peer that stops reading fills
 * its own TCP window, then this, then pushes back on ours. (`drain` follows
 * whenever they are all written, whether or not reading paused.)
 */
const HIGH_WATER = 1024 * 1024;
/**
 * A chunk from this size is written as it is (a large payload, the caller's
 * own bytes); smaller ones are copied into one buffer per batch, so a batch is
 * one write (a stream write costs more than copying a few KiB).
 */
const LARGE = 64 * 1024;

/**
 * Buffers for joined writes from this size come from a pool shared by every
 * connection and go back to it once written: a 16 KiB echo (its header and
 * payload joined) costs a copy, not also a zeroed allocation and its garbage.
 */
const POOLED = 4096;
/** A pooled buffer holds any group: smaller than LARGE, plus one chunk under LARGE. */
const POOL_BYTES = 2 * LARGE;
const POOL_MAX = 16;
const POOL: Uint8Array[] = [];

const noop = (): void => {};

/** Calls an optional method of the stream, ignoring what it throws or rejects with. */
function quietly(stream: WebStreamPair, method: 'close' | 'closeWrite'): Promise<void> {
  try {
    const f = stream[method];
    if (typeof f !== 'function') return Promise.resolve();
    return Promise.resolve(f.call(stream)).then(noop, noop);
  } catch {
    // A Deno.Conn whose resource is already closed throws BadResource.
    return Promise.resolve();
  }
}

/** Attaches a no-op rejection handler, so a promise nobody awaits never becomes an unhandled rejection. */
function handled(p: unknown): void {
  if (p !== null && typeof p === 'object' && typeof (p as Promise<unknown>).then === 'function') (p as Promise<unknown>).then(noop, noop);
}

/** The stream pair, checked before anything is locked. */
function checkStream(stream: unknown, where: string): WebStreamPair {
  const s = stream as WebStreamPair;
  if (s === null || typeof s !== 'object' || s.readable === null || typeof s.readable !== 'object' || typeof s.readable.getReader !== 'function' || s.writable === null || typeof s.writable !== 'object' || typeof s.writable.getWriter !== 'function') {
    throw new TypeError(`${where}: Expected a { readable, writable } stream pair (a Deno.Conn, a workerd Socket, Node's Duplex.toWeb(socket)), got ${describe(stream)}`);
  }
  if (s.readable.locked || s.writable.locked) throw new TypeError(`${where}: The stream's ${s.readable.locked ? 'readable' : 'writable'} is locked: another reader or writer holds it`);
  return s;
}

/**
 * The driver's transport over a stream pair: a read loop feeding the driver,
 * writes chained on one writer, and its own count of bytes written but not
 * yet acknowledged (a WritableStream's `desiredSize` counts chunks, not bytes,
 * and not those its sink is writing).
 */
class StreamTransport implements Transport {
  driver: Driver | null = null;
  private readonly _stream: WebStreamPair;
  /** Null when the stream's own `read` is used. */
  private readonly _reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader | null;
  private readonly _byob: boolean;
  private readonly _fresh: boolean;
  private readonly _writer: WritableStreamDefaultWriter<Uint8Array>;
  private _pending = 0;
  /** The last write: writes complete in order, so when it settles all have. */
  private _last: Promise<void> = Promise.resolve();
  private _paused = false;
  private _wake: (() => void) | null = null;
  private _ended = false;
  private _gone = false;
  private _readDone = false;
  private _writeDone = false;
  private _released = false;

  constructor(stream: WebStreamPair, fresh: boolean) {
    this._stream = stream;
    this._fresh = fresh;
    // A byte stream (Deno, workerd) reads into our buffer, reused; any other
    // (Node's Duplex.toWeb) hands out chunks of its own.
    const readable = stream.readable as ReadableStream<Uint8Array>;
    let reader: ReadableStreamDefaultReader<Uint8Array> | ReadableStreamBYOBReader | null = null;
    if (typeof stream.read === 'function') {
      this._byob = true; // reads into our buffer, as a BYOB reader does
    } else {
      try {
        reader = readable.getReader({ mode: 'byob' });
        this._byob = true;
      } catch {
        reader = readable.getReader();
        this._byob = false;
      }
      handled(reader.closed);
    }
    this._reader = reader;
    this._writer = (stream.writable as WritableStream<Uint8Array>).getWriter();
    handled(this._writer.closed);
    handled(this._writer.ready);
    handled(stream.closed);
    handled(stream.opened);
  }

  get bufferedAmount(): number {
    return this._pending;
  }

  write(chunks: Uint8Array[]): boolean {
    if (this._ended || this._gone) return true;
    // Small chunks are joined into one write; a large one goes on its own,
    // uncopied, after the group before it.
    let from = 0, bytes = 0;
    for (let i = 0; i < chunks.length; i++) {
      const n = chunks[i].length;
      if (n >= LARGE) {
        this._group(chunks, from, i, bytes);
        this._write(chunks[i], null);
        from = i + 1;
        bytes = 0;
      } else if ((bytes += n) >= LARGE) {
        this._group(chunks, from, i + 1, bytes);
        from = i + 1;
        bytes = 0;
      }
    }
    this._group(chunks, from, chunks.length, bytes);
    return this._pending <= HIGH_WATER;
  }

  end(): void {
    if (this._ended || this._gone) return;
    this._ended = true;
    const done = (): void => {
      this._writeDone = true;
      this._settle();
    };
    if (typeof this._stream.closeWrite === 'function') {
      // Deno: FIN once every write is out, and keep reading until the peer's.
      this._last.then(() => quietly(this._stream, 'closeWrite')).then(done, done);
    } else {
      // Waits for the queued writes, then closes (Node: FIN; workerd: shutdown).
      this._writer.close().then(done, done);
    }
  }

  destroy(): void {
    if (this._gone) return;
    this._gone = true;
    this._writer.abort().then(noop, noop);
    if (this._reader !== null) this._reader.cancel().then(noop, noop);
    this._release();
    this._resume();
  }

  pause(): void {
    this._paused = true;
  }

  resume(): void {
    this._paused = false;
    this._resume();
  }

  /** The read loop: each chunk to the driver, EOF to `receiveEnd`, a failure to `error`; waits while paused. */
  async read(): Promise<void> {
    const driver = this.driver as Driver;
    let buffer = this._byob && !this._fresh ? new Uint8Array(READ_SIZE) : null;
    try {
      for (;;) {
        if (this._paused) await new Promise<void>((wake) => (this._wake = wake));
        if (this._gone) break;
        let value: Uint8Array | undefined;
        if (this._reader === null) {
          const into = buffer ?? new Uint8Array(READ_SIZE);
          const n = await (this._stream.read as (b: Uint8Array) => Promise<number | null>).call(this._stream, into);
          value = n === null ? undefined : into.subarray(0, n);
        } else if (this._byob) {
          const r = await (this._reader as ReadableStreamBYOBReader).read(buffer ?? new Uint8Array(READ_SIZE));
          // The read transferred our buffer into its result: take it back.
          if (!r.done && buffer !== null) buffer = new Uint8Array(r.value.buffer as ArrayBuffer, 0, READ_SIZE);
          value = r.done ? undefined : r.value;
        } else {
          const r = await (this._reader as ReadableStreamDefaultReader<Uint8Array>).read();
          value = r.done ? undefined : r.value;
        }
        if (this._gone) break;
        if (value === undefined) {
          this._readDone = true;
          driver.receiveEnd();
          break;
        }
        if (value.length > 0) driver.receive(value);
      }
    } catch (e) {
      this._readDone = true;
      if (!this._gone) driver.error(e);
    }
    this._readDone = true;
    this._settle();
  }

  private _group(chunks: Uint8Array[], from: number, to: number, bytes: number): void {
    if (to - from === 1) return this._write(chunks[from], null);
    if (to === from) return;
    const pooled = bytes >= POOLED ? (POOL.pop() ?? new Uint8Array(POOL_BYTES)) : null;
    const joined = pooled === null ? new Uint8Array(bytes) : pooled.subarray(0, bytes);
    for (let i = from, at = 0; i < to; at += chunks[i].length, i++) joined.set(chunks[i], at);
    this._write(joined, pooled);
  }

  /** Writes `bytes`, after every earlier write; `pooled`, the pool's buffer under them, goes back once written. */
  private _write(bytes: Uint8Array, pooled: Uint8Array | null = null): void {
    const n = bytes.length;
    this._pending += n;
    this._last = this._writer.write(bytes).then(
      () => {
        if (pooled !== null && POOL.length < POOL_MAX) POOL.push(pooled);
        // All written: the driver resumes reading if it paused, and the socket says `drain`.
        this._pending -= n;
        if (this._pending === 0 && !this._gone) (this.driver as Driver).drained();
      },
      (e: unknown) => {
        // Not back to the pool: a sink that failed may still hold it.
        this._pending -= n;
        if (!this._gone && !this._ended) (this.driver as Driver).error(e);
      },
    );
  }

  private _resume(): void {
    const wake = this._wake;
    this._wake = null;
    if (wake !== null) wake();
  }

  /** Both directions done: the socket is released and the driver told. */
  private _settle(): void {
    if (!this._readDone || !(this._writeDone || this._gone) || this._released) return;
    this._release();
    if (!this._gone) {
      this._gone = true;
      (this.driver as Driver).closed();
    }
  }

  private _release(): void {
    if (this._released) return;
    this._released = true;
    void quietly(this._stream, 'close');
  }
}

/** Wires a driver to its transport and starts reading. */
function run(driver: Driver, transport: StreamTransport): WebSocketLike {
  transport.driver = driver;
  driver.flush();
  void transport.read();
  return driver.socket;
}

/**
 * Serves one WebSocket connection over a stream pair, as a server (RFC 6455
 * §4.2): reads the upgrade request from the stream, answers it (the first of
 * `protocols` the client offered is selected), and returns the browser's
 * `WebSocket` surface at once (`readyState` CONNECTING until `open`). A bad
 * request is refused with its status and ends with `error` and `close`
 * (1006). Stream errors never throw: they end as `error` + `close` 1006.
 *
 * @param stream A `Deno.Conn`, a workerd `Socket`, `Duplex.toWeb(socket)`, or any `{ readable, writable }` byte pair; both are locked.
 * @param options `protocols`, `handshakeTimeout`, `closeTimeout`, `heartbeat`, and the connection's `maxMessageSize`, `maxFragments`, `unmaskInPlace`, `autoPong`, `extensions`. From a byte stream (Deno, workerd) the adapter reads into one buffer it reuses, so large messages are copied out; `unmaskInPlace: true` reads into a fresh buffer each time instead and hands out views of it. From any other stream (Node's `Duplex.toWeb`) the chunks are the stream's: set it only if they are yours to give away.
 * @returns The connection's `WebSocketLike`.
 * @throws {TypeError} When `stream` is not a stream pair or is locked, or an option is wrong or unknown.
 * @throws {RangeError} When a timer or a limit is out of range.
 * @example An echo server on Deno
 * ```ts
 * for await (const conn of Deno.listen({ port: 8080 })) {
 *   const ws = acceptWebSocket(conn, { protocols: ['echo'] });
 *   ws.onmessage = (e) => ws.send(e.data);
 * }
 * ```
 */
export function acceptWebSocket(stream: WebStreamPair, options?: WebServerOptions): WebSocketLike {
  const where = 'Cannot accept WebSocket';
  const s = checkStream(stream, where);
  const { timers, protocols, rest } = splitOptions(options, SERVER_KEYS, where);
  const conn = new ServerConnection(rest);
  const transport = new StreamTransport(s, rest.unmaskInPlace === true);
  return run(new Driver(conn, transport, '/', timers, protocols), transport);
}

/**
 * Opens a WebSocket connection over a stream pair, as a client (RFC 6455
 * §4.1): writes the upgrade request at once, verifies the response, and
 * returns the browser's `WebSocket` surface (`open` follows a valid 101).
 * A wrong response ends with `error` (its `error` the `HandshakeError` naming
 * the check that failed) and `close` (1006). The stream is the caller's to
 * open: TCP, or TLS for `wss:`.
 *
 * @param stream A `Deno.Conn`, a workerd `Socket` from `connect()`, `Duplex.toWeb(socket)`, or any `{ readable, writable }` byte pair; both are locked.
 * @param url The `ws:` or `wss:` URL (its host and path go in the request).
 * @param options `protocols`, `headers`, `origin`, `key`, `handshakeTimeout`, `closeTimeout`, `heartbeat`, and the connection's `maxMessageSize`, `maxFragments`, `unmaskInPlace`, `autoPong`, `extensions`.
 * @returns The connection's `WebSocketLike`.
 * @throws {TypeError} When `stream` is not a stream pair or is locked, the URL is wrong, or an option is wrong or unknown.
 * @throws {RangeError} When a timer or a limit is out of range.
 * @example A client on Deno
 * ```ts
 * const ws = connectWebSocket(await Deno.connect({ port: 8080 }), 'ws://127.0.0.1:8080/', { protocols: ['echo'] });
 * ws.onopen = () => ws.send('hello');
 * ws.onmessage = (e) => { console.log(e.data); ws.close(1000); };
 * ```
 */
export function connectWebSocket(stream: WebStreamPair, url: string | UrlLike, options?: WebClientOptions): WebSocketLike {
  const where = 'Cannot connect WebSocket';
  const s = checkStream(stream, where);
  const { timers, rest } = splitOptions(options, TIMER_KEYS, where);
  const conn = new ClientConnection(url, rest);
  const transport = new StreamTransport(s, rest.unmaskInPlace === true);
  return run(new Driver(conn, transport, typeof url === 'string' ? url : url.href, timers), transport);
}
