// Browser compatible. The extension hook (RFC 6455 §9): how an extension such
// as permessage-deflate (RFC 7692) negotiates on a connection and transforms
// its messages. The connection owns the frames; an extension sees payloads.
import type { MessageTransform } from '../stream/message.ts';

/** An extension's parameters (RFC 6455 §9.1): a parameter without a value is `true`. */
export type ExtensionParams = Record<string, string | true>;

/**
 * An extension a connection may negotiate, passed in `extensions` to
 * `ServerConnection` and `ClientConnection`. The server answers the client's
 * offers with `negotiate`; the client offers `offer()` and takes the server's
 * answer with `accept`. At most one extension that claims RSV bits is used on
 * a connection (the first one both sides agree on), and it may claim RSV1 only,
 * the bit RFC 7692 gives permessage-deflate.
 *
 * @example The shape of an extension (permessage-deflate is one)
 * ```ts
 * const identity: Extension = {
 *   name: 'x-identity',
 *   offer: () => [{}],
 *   accept: () => session,
 *   negotiate: () => ({ params: {}, session }),
 * };
 * ```
 */
export interface Extension {
  /** The extension token, such as `'permessage-deflate'`. */
  readonly name: string;
  /** Client: the offers to send in `Sec-WebSocket-Extensions`, most preferred first. */
  offer(): ExtensionParams[];
  /**
   * Client: the server accepted with `params`. Returns this connection's
   * session; throws a `HandshakeError` when the parameters are not acceptable
   * (RFC 6455 §9.1: the client then fails the connection).
   */
  accept(params: ExtensionParams): ExtensionSession;
  /**
   * Server: the client's offers of this extension, in the client's order.
   * Returns the parameters to answer with and this connection's session, or
   * undefined to decline every offer.
   */
  negotiate(offers: readonly ExtensionParams[]): { params: ExtensionParams; session: ExtensionSession } | undefined;
}

/**
 * One connection's side of a negotiated extension: it decodes received
 * messages that carry its RSV bits (`MessageTransform`) and encodes the
 * messages it chooses to send.
 */
export interface ExtensionSession extends MessageTransform {
  /**
   * Whether to encode the outgoing message that starts with `first` (its first
   * fragment, or the whole message when `fin`): its frames then go through
   * `encode` and its first frame carries `rsv`.
   */
  wants(first: Uint8Array, fin: boolean): boolean;
  /** Encodes one fragment of a message `wants` took; `fin` on its last. Returns the bytes to send (maybe none). */
  encode(data: Uint8Array, fin: boolean): Uint8Array;
  /** The connection has ended: free what the session holds. */
  close?(): void;
}
