// Browser compatible. The rule table: one stable identifier per RFC rule that
// a peer can break, with the close code or HTTP status it is answered with and
// the section that states it. `ProtocolError` and `HandshakeError` take their
// code from here, so an identifier can never be reported with two codes; the
// test-harness inspector reports the same identifiers.

/**
 * Every rule a received frame or message can break (RFC 6455), with the close
 * code to fail the connection with (§7.4.1) and the section that states it.
 * @example Look up a rule's close code
 * ```ts
 * FRAME_RULES['non-minimal-length'].closeCode; // 1002
 * ```
 */
export const FRAME_RULES = /* @__PURE__ */ Object.freeze({
  'rsv-without-extension': { closeCode: 1002, rfc: 'RFC 6455 §5.2' },
  'rsv1-not-first-frame': { closeCode: 1002, rfc: 'RFC 7692 §6.1' },
  'reserved-opcode': { closeCode: 1002, rfc: 'RFC 6455 §5.2' },
  'fragmented-control': { closeCode: 1002, rfc: 'RFC 6455 §5.5' },
  'control-too-long': { closeCode: 1002, rfc: 'RFC 6455 §5.5' },
  'non-minimal-length': { closeCode: 1002, rfc: 'RFC 6455 §5.2' },
  'length-msb-set': { closeCode: 1002, rfc: 'RFC 6455 §5.2' },
  'client-frame-unmasked': { closeCode: 1002, rfc: 'RFC 6455 §5.1' },
  'server-frame-masked': { closeCode: 1002, rfc: 'RFC 6455 §5.1' },
  'unexpected-continuation': { closeCode: 1002, rfc: 'RFC 6455 §5.4' },
  'expected-continuation': { closeCode: 1002, rfc: 'RFC 6455 §5.4' },
  'close-body-one-byte': { closeCode: 1002, rfc: 'RFC 6455 §5.5.1' },
  'invalid-close-code': { closeCode: 1002, rfc: 'RFC 6455 §7.4' },
  'close-reason-invalid-utf8': { closeCode: 1007, rfc: 'RFC 6455 §5.5.1' },
  'invalid-utf8': { closeCode: 1007, rfc: 'RFC 6455 §8.1' },
  'frame-too-big': { closeCode: 1009, rfc: 'RFC 6455 §10.4' },
  'message-too-big': { closeCode: 1009, rfc: 'RFC 6455 §10.4' },
  'too-many-fragments': { closeCode: 1009, rfc: 'RFC 6455 §10.4' },
  'invalid-compressed-data': { closeCode: 1007, rfc: 'RFC 7692 §6.2' },
} as const);

/** A frame rule's identifier: a key of `FRAME_RULES`. */
export type FrameRule = keyof typeof FRAME_RULES;

/**
 * Every rule an opening handshake can break (RFC 6455 §4, RFC 9110, RFC 9112),
 * with the HTTP status to answer with and the section that states it. The
 * parse rules (`head-too-large` to `malformed-extensions`) are thrown by
 * `parseUpgradeRequest`; the rest, from `method-not-get`, are the checks of
 * `checkUpgradeRequest`, which returns them as its verdict's `reason` with the
 * headers the refusal needs: a 405 `Allow: GET` (RFC 9110 §15.5.6), a 426
 * `Sec-WebSocket-Version: 13` (RFC 6455 §4.4).
 * @example Look up a rule's status
 * ```ts
 * HANDSHAKE_RULES['head-too-large'].status; // 431
 * ```
 */
export const HANDSHAKE_RULES = /* @__PURE__ */ Object.freeze({
  'head-too-large': { status: 431, rfc: 'RFC 6585 §5' },
  'malformed-request-line': { status: 400, rfc: 'RFC 9112 §3' },
  'bare-cr': { status: 400, rfc: 'RFC 9112 §2.2' },
  'obs-fold': { status: 400, rfc: 'RFC 9112 §5.2' },
  'malformed-header': { status: 400, rfc: 'RFC 9112 §5.1' },
  'invalid-header-value': { status: 400, rfc: 'RFC 9110 §5.5' },
  'duplicate-host': { status: 400, rfc: 'RFC 9112 §3.2' },
  'malformed-protocol': { status: 400, rfc: 'RFC 6455 §4.1' },
  'malformed-extensions': { status: 400, rfc: 'RFC 6455 §9.1' },
  'method-not-get': { status: 405, rfc: 'RFC 6455 §4.2.1' },
  'http-version': { status: 400, rfc: 'RFC 6455 §4.2.1' },
  'missing-host': { status: 400, rfc: 'RFC 6455 §4.2.1' },
  'invalid-host': { status: 400, rfc: 'RFC 9112 §3.2' },
  'missing-upgrade': { status: 400, rfc: 'RFC 6455 §4.2.1' },
  'missing-connection': { status: 400, rfc: 'RFC 6455 §4.2.1' },
  'invalid-key': { status: 400, rfc: 'RFC 6455 §4.2.1' },
  'unsupported-version': { status: 426, rfc: 'RFC 6455 §4.2.2' },
} as const);

/** A handshake rule's identifier: a key of `HANDSHAKE_RULES`. */
export type HandshakeRule = keyof typeof HANDSHAKE_RULES;

/**
 * Every rule a server's opening-handshake response can break, as the client
 * judges it (RFC 6455 §4.1, RFC 9110, RFC 9112). A client answers nothing:
 * it fails the connection (RFC 6455 §4.1: "the client MUST _Fail the
 * WebSocket Connection_", §7.1.7: close the TCP connection), so `status` is
 * 0 for every rule here, and `HandshakeError.status` is 0 for them. That is
 * why these are not in `HANDSHAKE_RULES`, whose status is what a server
 * answers: a malformed response line gets an id of its own, not the 400 of
 * the same mistake in a request. The parse rules (`response-too-large` to
 * `response-invalid-header-value`) are thrown by `parseUpgradeResponse`, the
 * rest by `verifyUpgradeResponse`.
 * @example A rule's section
 * ```ts
 * CLIENT_HANDSHAKE_RULES['accept-mismatch'].rfc; // 'RFC 6455 §4.1'
 * ```
 */
export const CLIENT_HANDSHAKE_RULES = /* @__PURE__ */ Object.freeze({
  'response-too-large': { status: 0, rfc: 'RFC 9110 §5.4' },
  'malformed-status-line': { status: 0, rfc: 'RFC 9112 §4' },
  'response-bare-cr': { status: 0, rfc: 'RFC 9112 §2.2' },
  'response-malformed-header': { status: 0, rfc: 'RFC 9112 §5.1' },
  'response-invalid-header-value': { status: 0, rfc: 'RFC 9110 §5.5' },
  'status-not-101': { status: 0, rfc: 'RFC 6455 §4.1' },
  'upgrade-not-websocket': { status: 0, rfc: 'RFC 6455 §4.1' },
  'connection-not-upgrade': { status: 0, rfc: 'RFC 6455 §4.1' },
  'accept-mismatch': { status: 0, rfc: 'RFC 6455 §4.1' },
  'response-malformed-extensions': { status: 0, rfc: 'RFC 6455 §9.1' },
  'extension-not-offered': { status: 0, rfc: 'RFC 6455 §4.1' },
  'protocol-not-offered': { status: 0, rfc: 'RFC 6455 §4.1' },
  'extension-params-rejected': { status: 0, rfc: 'RFC 7692 §7.1' },
} as const);

/** A client handshake rule's identifier: a key of `CLIENT_HANDSHAKE_RULES`. */
export type ClientHandshakeRule = keyof typeof CLIENT_HANDSHAKE_RULES;
