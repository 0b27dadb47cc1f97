// Browser compatible. Typed errors. A server maps each one straight onto the
// wire: a `ProtocolError` becomes a Close frame with its `closeCode`
// (RFC 6455 §7.4.1), a `HandshakeError` an HTTP response with its `status`
// (RFC 6455 §4.2.2), or, with status 0, a client closing the connection
// (§4.1). Both carry the stable `rule` identifier of `rules.ts`: tell two
// 1002s apart by `rule`, never by message text.
import { CLIENT_HANDSHAKE_RULES, FRAME_RULES, HANDSHAKE_RULES, type ClientHandshakeRule, type FrameRule, type HandshakeRule } from './rules.ts';

/**
 * Thrown when received frames break RFC 6455. The connection must be failed
 * (RFC 6455 §7.1.7) by sending a Close frame with `closeCode`.
 *
 * @param rule The rule broken (a key of `FRAME_RULES`); it sets `closeCode`.
 * @param message Why the frames were rejected.
 * @returns A new ProtocolError.
 * @throws {TypeError} When `rule` is not a key of `FRAME_RULES`.
 * @example Fail the connection with the right code
 * ```ts
 * try { reader.push(chunk); }
 * catch (e) { if (e instanceof ProtocolError) socket.end(encodeCloseFrame(e.closeCode)); }
 * ```
 */
export class ProtocolError<M = unknown> extends Error {
  /** The RFC 6455 §7.4.1 status code to close the connection with: 1002, 1007 or 1009. */
  readonly closeCode: number;
  /** The stable identifier of the rule broken, such as `'non-minimal-length'`. */
  readonly rule: FrameRule;
  /**
   * The messages `MessageReader.push` completed from the same chunk before the
   * bad frame, in order, so that none is lost. Empty from other functions.
   */
  messages: M[] = [];
  constructor(rule: FrameRule, message: string) {
    super(message);
    const entry = Object.prototype.hasOwnProperty.call(FRAME_RULES, rule) ? FRAME_RULES[rule] : undefined;
    if (entry === undefined) throw new TypeError(`Cannot create ProtocolError: Unknown rule ${JSON.stringify(rule)}`);
    this.name = 'ProtocolError';
    this.rule = rule;
    this.closeCode = entry.closeCode;
  }
}

/**
 * Thrown when an HTTP upgrade request cannot be parsed: answer with `status`
 * and close the connection (RFC 6455 §4.2.1, RFC 9112 §2.2). Thrown too when
 * a client finds the server's response wrong (a `CLIENT_HANDSHAKE_RULES`
 * rule, `status` 0): there is nothing to answer, close the connection
 * (RFC 6455 §4.1).
 *
 * @param rule The rule broken (a key of `HANDSHAKE_RULES` or `CLIENT_HANDSHAKE_RULES`); it sets `status`.
 * @param message Why the request was rejected.
 * @returns A new HandshakeError.
 * @throws {TypeError} When `rule` is not a key of `HANDSHAKE_RULES`.
 * @example Answer a malformed request
 * ```ts
 * try { parseUpgradeRequest(head); }
 * catch (e) { if (e instanceof HandshakeError) socket.end(`HTTP/1.1 ${e.status} Bad Request\r\n\r\n`); }
 * ```
 */
export class HandshakeError extends Error {
  /** The HTTP status code to answer with; 0 for a client's rule, where there is none. */
  readonly status: number;
  /** The stable identifier of the rule broken, such as `'head-too-large'` or `'accept-mismatch'`. */
  readonly rule: HandshakeRule | ClientHandshakeRule;
  constructor(rule: HandshakeRule | ClientHandshakeRule, message: string) {
    super(message);
    const has = Object.prototype.hasOwnProperty;
    const entry: { status: number } | undefined = has.call(HANDSHAKE_RULES, rule) ? HANDSHAKE_RULES[rule as HandshakeRule]
      : has.call(CLIENT_HANDSHAKE_RULES, rule) ? CLIENT_HANDSHAKE_RULES[rule as ClientHandshakeRule] : undefined;
    if (entry === undefined) throw new TypeError(`Cannot create HandshakeError: Unknown rule ${JSON.stringify(rule)}`);
    this.name = 'HandshakeError';
    this.rule = rule;
    this.status = entry.status;
  }
}
