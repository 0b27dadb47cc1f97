// Browser compatible. The connection's own error: a call the state does not allow.

/**
 * Thrown when a connection is asked for something its state does not allow:
 * sending before the handshake completed or after the connection closed,
 * answering a request twice. Named after the DOM's `InvalidStateError`, which
 * the browser's `WebSocket.send` throws while connecting.
 *
 * @param message What was asked and why it cannot be done.
 * @returns A new InvalidStateError.
 * @throws Never.
 * @example Send only while open
 * ```ts
 * try { connection.send('hi'); }
 * catch (e) { if (e instanceof InvalidStateError) console.log('not open'); }
 * ```
 */
export class InvalidStateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidStateError';
  }
}
