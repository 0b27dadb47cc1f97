// Browser compatible. Two WebSockets joined in memory by real RFC 6455 bytes:
// a client and a server connection, each run by the adapters' own driver
// over a transport that hands what one side writes to the other. Application
// code meets the browser's WebSocket surface on both ends; a test sees, and
// may change, every byte between them.
import { asBytes, describe } from '../primitives/_bytes.ts';
import { checkKeys } from '../primitives/_options.ts';
import type { UrlLike } from '../handshake/client.ts';
import { ClientConnection, type ClientConnectionOptions } from '../connection/client.ts';
import { ServerConnection, type ServerConnectionOptions } from '../connection/server.ts';
import type { ServerAdapterOptions, TimerOptions, WebSocketLike } from '../connection/websocket.ts';
import { Driver, SERVER_KEYS, TIMER_KEYS, splitOptions } from '../adapters/_driver.ts';
import { Link } from './_pair-link.ts';

/** Which way a chunk travels, as the tap is told. */
export type PairDirection = 'client-to-server' | 'server-to-client';

/** What a tap may return: other bytes, several chunks (a split), `null` or `[]` to drop the chunk, `undefined` to pass it unchanged. */
export type TapResult = Uint8Array | ArrayBuffer | ArrayBufferView | readonly (Uint8Array | ArrayBuffer | ArrayBufferView)[] | null | undefined | void;

/** A tap: sees every chunk, with its direction, as it is delivered (see `WebSocketPairOptions.tap`). */
export type Tap = (direction: PairDirection, bytes: Uint8Array) => TapResult;

/** The client's options: the timers and the client connection's (`protocols` offered, `headers`, `origin`, `key`, `maxMessageSize`, `autoPong`, `extensions`, …). */
export interface PairClientOptions extends TimerOptions, ClientConnectionOptions {}

/** The server's options: the timers, the `protocols` it selects from, and the server connection's (`maxMessageSize`, `autoPong`, `extensions`, …). */
export interface PairServerOptions extends ServerAdapterOptions, ServerConnectionOptions {}

/** Options of `createWebSocketPair`. */
export interface WebSocketPairOptions {
  /** The URL the client asks for (its host and path go in the upgrade request): a string or a `URL`. Default `'ws://localhost/'`. */
  url?: string | UrlLike;
  /** The client side's options, as `connectWebSocket` takes them. */
  client?: PairClientOptions;
  /** The server side's options, as `acceptWebSocket` takes them. */
  server?: PairServerOptions;
  /**
   * Sees every chunk as it is delivered, with its direction; a chunk is what
   * one side wrote at once (its connection's output for one call, such as
   * one frame), as a copy the tap may change. Return `undefined` to deliver
   * it as it is, other bytes to deliver those instead, an array to deliver
   * each element by its own receive (a split), or `null` or `[]` to drop it.
   * A tap that throws or returns anything else drops the pair with that
   * error (both sides: `error`, then `close` 1006). Copy the bytes to keep
   * them: the receiver gets them next (and one with `unmaskInPlace` changes
   * them).
   */
  tap?: Tap;
  /**
   * Nothing moves until `flush()` is called (for deterministic, step-by-step
   * tests). Default false: each chunk is delivered in a later task, as a
   * socket would. The timers run in both modes, as the adapters' do (each
   * side's handshake deadline from the pair's creation): a test that leaves
   * a pair connecting or closing leaves them pending; `drop()` then `flush()`
   * ends it.
   */
  manual?: boolean;
}

/** What the pair adds to its `[client, server]` array. */
export interface WebSocketPairControls {
  /**
   * Delivers what is in flight now, in the order it was written, and what
   * those deliveries make the sides write, until nothing is left or `limit`
   * deliveries were made; event handlers run inside it. Works in both modes;
   * called from inside an event handler it does nothing.
   *
   * @param limit The most deliveries to make (default `Infinity`): `1` steps one chunk.
   * @returns How many deliveries it made: chunks as written (before the tap), ends of stream and resets.
   */
  flush(limit?: number): number;
  /**
   * Simulates a dropped transport: what is in flight is lost, later writes
   * too, and both sides end with an `error` event, then `close` with code
   * 1006 and `wasClean` false (in the next task, or at the next `flush()`).
   *
   * @param error What the `error` events carry; by default an `Error` saying the transport was dropped.
   */
  drop(error?: unknown): void;
  /**
   * Sends raw bytes from one side to the other, past its connection: any
   * frame, valid or not (`encodeRawFrame`'s), as if that side had written
   * it, after what it wrote before. They go through the tap, are not counted
   * in `bufferedAmount`, and are delivered like the rest (in a later task, or
   * by `flush()`). Nothing is sent once the pair was dropped or that side is
   * gone.
   *
   * @param direction `'client-to-server'` or `'server-to-client'`.
   * @param bytes A `Uint8Array`, `ArrayBuffer` or any `ArrayBufferView` (copied).
   */
  inject(direction: PairDirection, bytes: Uint8Array | ArrayBuffer | ArrayBufferView): void;
  /** How many deliveries wait: chunks, ends of stream and resets. */
  readonly pending: number;
}

/** `[client, server]`, and the controls of the link between them. */
export type WebSocketPair = [client: WebSocketLike, server: WebSocketLike] & WebSocketPairControls;

const WHERE = 'Cannot create WebSocket pair';
const KEYS = ['url', 'client', 'server', 'tap', 'manual'];
/** Keys that belong to one side: named in the error for a caller who put them at the top. */
const SIDE_KEYS = ['protocols', 'maxMessageSize', 'maxFragments', 'unmaskInPlace', 'autoPong', 'extensions', 'headers', 'origin', 'key', ...TIMER_KEYS];

/**
 * Creates two connected WebSockets, a client and a server, joined in memory
 * by real RFC 6455 bytes: the client's GET and the server's 101 (the server
 * selects from its `protocols` the first the client offered, RFC 6455
 * §4.2.2), masked client frames (§5.3), the closing handshake (§7.1.2) and
 * failures with their close codes (§7.1.7). Each side is the `WebSocketLike`
 * the adapters return. Delivery is asynchronous, like a socket: what one
 * side writes reaches the other in a later task, in order, so events never
 * fire inside the caller's `send()`; with `manual: true` nothing moves until
 * `flush()`. `bufferedAmount` counts bytes written and not yet delivered;
 * the link holds any amount (no backpressure), and `drain` follows the
 * delivery that empties it. `terminate()` on one side drops it at once (1006
 * there); the other side receives what was in flight, then fails with 1006.
 *
 * @param options `url`, `client` and `server` options, `tap`, `manual`.
 * @returns `[client, server]`, with `flush()`, `drop()`, `inject()` and `pending` (see `WebSocketPairControls`).
 * @throws {TypeError} When an option has the wrong type or is unknown (one side's own options go in `client` or `server`).
 * @throws {RangeError} When a timer or a limit is out of range.
 * @example A server's failure seen from the client
 * ```ts
 * const pair = createWebSocketPair({
 *   manual: true,
 *   // RFC 6455 §5.1: a client frame without the mask bit fails the connection with 1002.
 *   tap: (direction, bytes) => { if (direction === 'client-to-server' && bytes[0] === 0x81) bytes[1] &= 0x7f; },
 * });
 * const [client] = pair;
 * client.onclose = (e) => console.log(e.code); // 1002
 * pair.flush(); // the handshake: both open
 * client.send('hi');
 * pair.flush();
 * ```
 */
export function createWebSocketPair(options?: WebSocketPairOptions): WebSocketPair {
  const o = readPairOptions(options);
  const c = splitOptions(o.client, TIMER_KEYS, `${WHERE}: client`);
  const s = splitOptions(o.server, SERVER_KEYS, `${WHERE}: server`);
  const clientConn = new ClientConnection(o.url, c.rest);
  const serverConn = new ServerConnection(s.rest);
  const link = new Link(o.tap, o.manual);
  const server = new Driver(serverConn, link.server, '/', s.timers, s.protocols);
  const client = new Driver(clientConn, link.client, typeof o.url === 'string' ? o.url : o.url.href, c.timers);
  link.server.driver = server;
  link.client.driver = client;
  server.flush(); // arms its handshake deadline
  client.flush(); // and the request, on its way
  const pair = [client.socket, server.socket] as WebSocketPair;
  Object.defineProperties(pair, {
    flush: { value: (limit: unknown = Infinity): number => link.flush(readFlushLimit(limit)) },
    drop: { value: (error: unknown = new Error('The transport was dropped')): void => link.drop(error) },
    inject: {
      value: (direction: unknown, bytes: unknown): void => {
        if (direction !== 'client-to-server' && direction !== 'server-to-client') throw new TypeError(`Cannot inject bytes: Expected direction to be 'client-to-server' or 'server-to-client', got ${typeof direction === 'string' ? JSON.stringify(direction) : describe(direction)}`);
        link.inject(direction === 'client-to-server' ? link.client : link.server, asBytes(bytes, 'Cannot inject bytes', '', 'bytes'));
      },
    },
    pending: { get: () => link.pending },
  });
  return pair;
}

function readPairOptions(options: unknown): { url: string | UrlLike; client: unknown; server: unknown; tap: Tap | undefined; manual: boolean } {
  if (options === undefined) return { url: 'ws://localhost/', client: undefined, server: undefined, tap: undefined, manual: false };
  if (options === null || typeof options !== 'object') throw new TypeError(`${WHERE}: Expected options to be an object, got ${describe(options)}`);
  for (const key of Object.keys(options)) {
    if (!KEYS.includes(key) && SIDE_KEYS.includes(key)) throw new TypeError(`${WHERE}: Unknown option "${key}": it is one side's, so put it in client or server`);
  }
  checkKeys(options, KEYS, WHERE);
  const { url = 'ws://localhost/', client, server, tap, manual = false } = options as WebSocketPairOptions;
  // A URL object: ClientConnection checks it as it checks a string.
  if (typeof url !== 'string' && (url === null || typeof url !== 'object')) throw new TypeError(`${WHERE}: Expected url to be a string or a URL, got ${describe(url)}`);
  if (tap !== undefined && typeof tap !== 'function') throw new TypeError(`${WHERE}: Expected tap to be a function, got ${describe(tap)}`);
  if (typeof manual !== 'boolean') throw new TypeError(`${WHERE}: Expected manual to be a boolean, got ${describe(manual)}`);
  return { url, client, server, tap, manual };
}

function readFlushLimit(limit: unknown): number {
  if (typeof limit !== 'number') throw new TypeError(`Cannot flush WebSocket pair: Expected limit to be a number, got ${describe(limit)}`);
  if (!(limit >= 0) || (limit !== Infinity && !Number.isInteger(limit))) throw new RangeError(`Cannot flush WebSocket pair: Expected limit to be a non-negative integer or Infinity, got ${limit}`);
  return limit;
}
