// Browser compatible. A connection's types: its options, its state, its events, its deadlines.
import type { UpgradeRequest } from '../handshake/server.ts';
import type { Extension } from './extension.ts';

/** A connection's state, as the WebSocket `readyState` names it. */
export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

/**
 * The deadline an adapter must enforce now (the connection reads no clock):
 * `'handshake'` while the opening handshake is under way, `'close'` while the
 * closing handshake is (or while a client waits for the server to close the
 * transport, RFC 6455 §7.1.1), null otherwise. When it passes, the adapter
 * drops the transport and calls `abort()`.
 */
export type Deadline = 'handshake' | 'close' | null;

/** What `takeEvents` returns, in the order it happened. */
export type ConnectionEvent =
  /** Server: a valid upgrade request; answer with `accept()` or `reject()`, now or later. */
  | { type: 'request'; request: UpgradeRequest }
  /** The opening handshake is complete: the subprotocol and the extensions in use (`''` for none). */
  | { type: 'open'; protocol: string; extensions: string }
  /** A whole message: a string for text, a `Uint8Array` for binary. */
  | { type: 'message'; data: string | Uint8Array }
  /** A Ping or Pong frame and its payload (a Ping is answered already, unless `autoPong: false`). */
  | { type: 'ping' | 'pong'; data: Uint8Array }
  /**
   * The connection ended. `code` is the peer's (1005 for a Close with no code),
   * the one this side failed the connection with (1002, 1007, 1009, 1011), or
   * 1006 when the transport ended without a closing handshake (never sent on
   * the wire, RFC 6455 §7.4.1). `wasClean` is true when both Close frames
   * were exchanged. `error` says why a connection failed.
   */
  | { type: 'close'; code: number; reason: string; wasClean: boolean; error?: unknown };

/** Options both roles take. */
export interface ConnectionOptions {
  /** The largest message received, in bytes (`MessageReader`'s option; default 64 MiB). Over it the connection fails with 1009. */
  maxMessageSize?: number;
  /** The most frames one received message may have (`MessageReader`'s option; default 131,072). Over it the connection fails with 1009. */
  maxFragments?: number;
  /** Unmask received frames inside the chunks given to `receive`, which must then be yours to give away (`MessageReader`'s option). Default false. */
  unmaskInPlace?: boolean;
  /** Answer each Ping with a Pong carrying its payload (RFC 6455 §5.5.2). Default true. */
  autoPong?: boolean;
  /** Extensions to negotiate, such as permessage-deflate: most preferred first. */
  extensions?: readonly Extension[];
}

/** The options of `send`. */
export interface SendOptions {
  /** False for every fragment of a message but the last (RFC 6455 §5.4): the message is streamed. Default true. */
  fin?: boolean;
}
