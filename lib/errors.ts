/**
 * Typed errors. A server maps each one straight onto the wire: a
 * `ProtocolError` becomes a Close frame with its `closeCode` (RFC 6455 §7.4.1),
 * a `HandshakeError` becomes an HTTP response with its `status` (RFC 6455 §4.2.2).
 * @module
 */
import type { Message } from './reader.ts';

/**
 * Thrown when received frames break RFC 6455. The connection must be failed
 * (RFC 6455 §7.1.7) by sending a Close frame with `closeCode`.
 *
 * @param closeCode The close code to send: 1002 (protocol error), 1007 (invalid payload data), 1009 (message too big) …
 * @param message Why the frames were rejected.
 * @returns A new ProtocolError.
 * @throws Never.
 * @example Fail the connection with the right code
 * ```ts
 * try { reader.push(chunk); }
 * catch (e) { if (e instanceof ProtocolError) socket.end(encodeCloseFrame(e.closeCode)); }
 * ```
 */
export class ProtocolError extends Error {
  /** The RFC 6455 §7.4.1 status code to close the connection with. */
  readonly closeCode: number;
  /**
   * The messages `MessageReader.push` completed from the same chunk before the
   * bad frame, in order, so that none is lost. Empty from other functions.
   */
  messages: Message[] = [];
  constructor(closeCode: number, message: string) {
    super(message);
    this.name = 'ProtocolError';
    this.closeCode = closeCode;
  }
}

/**
 * Thrown when an HTTP upgrade request cannot be parsed. Answer with `status`
 * and close the connection (RFC 6455 §4.2.1, RFC 9112 §2.2).
 *
 * @param status The HTTP status to answer with: 400 (bad request) or 431 (header fields too large).
 * @param message Why the request was rejected.
 * @returns A new HandshakeError.
 * @throws Never.
 * @example Answer a malformed request
 * ```ts
 * try { parseUpgradeRequest(head); }
 * catch (e) { if (e instanceof HandshakeError) socket.end(`HTTP/1.1 ${e.status} Bad Request\r\n\r\n`); }
 * ```
 */
export class HandshakeError extends Error {
  /** The HTTP status code to answer with. */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.name = 'HandshakeError';
    this.status = status;
  }
}
