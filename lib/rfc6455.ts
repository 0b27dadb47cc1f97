// Browser compatible. The protocol's constants (RFC 6455): the GUID, opcodes,
// close-code ranges, the length encodings, and this library's default limits.
// It imports nothing, so every layer can use it.

/**
 * The opcodes RFC 6455 §5.2 defines. 0x3-0x7 and 0xB-0xF are reserved.
 * @example Compare a decoded frame's opcode
 * ```ts
 * if (frame.opcode === Opcode.Ping) socket.write(encodePongFrame(frame.payload));
 * ```
 */
export const Opcode = Object.freeze({
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const);

/** The name of an opcode, as `frameTypeName` returns it. */
export type OpcodeName = 'continuation' | 'text' | 'binary' | 'close' | 'ping' | 'pong' | 'unknown';

const NAMES: readonly OpcodeName[] = [
  'continuation', 'text', 'binary', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown',
  'close', 'ping', 'pong', 'unknown', 'unknown', 'unknown', 'unknown', 'unknown',
];

/**
 * Names a frame opcode (RFC 6455 §5.2).
 *
 * @param opcode The 4-bit opcode.
 * @returns `"continuation"`, `"text"`, `"binary"`, `"close"`, `"ping"`, `"pong"`, or `"unknown"` for reserved or out-of-range values.
 * @throws Never.
 * @example Name an opcode
 * ```ts
 * frameTypeName(0x9); // 'ping'
 * frameTypeName(0x3); // 'unknown'
 * ```
 */
export function frameTypeName(opcode: number): OpcodeName {
  return Number.isInteger(opcode) && opcode >= 0 && opcode <= 15 ? NAMES[opcode] : 'unknown';
}

/**
 * The GUID a server appends to the client's key (RFC 6455 §1.3, §4.2.2 step 5.4).
 * @example Compute an accept key with another hash
 * ```ts
 * base64(sha1(key + WEBSOCKET_GUID)); // what computeAcceptKey(key) returns
 * ```
 */
export const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/**
 * RFC 6455 §5.5: control frames carry at most 125 payload bytes, so their
 * length always fits the 7-bit field.
 * @example Check a ping payload before sending it
 * ```ts
 * if (data.length > MAX_CONTROL_PAYLOAD) throw new RangeError('ping payload too long');
 * ```
 */
export const MAX_CONTROL_PAYLOAD = 125;

/**
 * RFC 6455 §5.2: a 7-bit length of 126 announces a 16-bit length (126-65535).
 * @example Read the length field
 * ```ts
 * const ext = (b1 & 0x7f) === LENGTH_16 ? 2 : (b1 & 0x7f) === LENGTH_64 ? 8 : 0;
 * ```
 */
export const LENGTH_16 = 126;
/**
 * RFC 6455 §5.2: a 7-bit length of 127 announces a 64-bit length (from 65536; most significant bit 0).
 * @example Read the length field
 * ```ts
 * const ext = (b1 & 0x7f) === LENGTH_64 ? 8 : 0;
 * ```
 */
export const LENGTH_64 = 127;

/**
 * Tells whether a close code may appear in a Close frame (RFC 6455 §7.4):
 * 1000-1003 and 1007-1014 (defined or registered), 3000-3999 (registered
 * with IANA) and 4000-4999 (private use). 1004-1006 and 1015 are reserved
 * for local use and must never be sent (§7.4.1); 0-999 are unused and
 * 1016-2999 are reserved for future revisions (§7.4.2).
 *
 * @param code The close code.
 * @returns True when the code may be sent and received.
 * @throws Never.
 * @example Check a code before closing
 * ```ts
 * isValidCloseCode(1000); // true
 * isValidCloseCode(1005); // false: "No Status Received" is never sent
 * ```
 */
export function isValidCloseCode(code: number): boolean {
  return Number.isInteger(code) && ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999));
}

/**
 * The default `maxPayload` of `decodeFrame`: 100 MiB.
 * @example Decode with half the default
 * ```ts
 * decodeFrame(bytes, { maxPayload: DEFAULT_MAX_PAYLOAD / 2 });
 * ```
 */
export const DEFAULT_MAX_PAYLOAD = 100 * 1024 * 1024;

/**
 * The default `maxMessageSize` of `MessageReader`: 64 MiB.
 * @example Allow a quarter of it
 * ```ts
 * new MessageReader({ maxMessageSize: DEFAULT_MAX_MESSAGE_SIZE / 4 });
 * ```
 */
export const DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024 * 1024;

/**
 * The default `maxFragments`, 2^17 frames per message: twice what Autobahn
 * 9.3.1/9.4.1 send (a 4 MiB message in 64-byte fragments, 65,536 frames),
 * while a flood of empty fragments is cut off after about 786 KB of 6-byte
 * headers. Fragments are copied into one buffer, so their count never
 * multiplies memory; the budget bounds the work a peer can make the reader
 * do for one message (RFC 6455 §10.4 leaves limits to the implementation).
 * @example Tighten it for a chat server
 * ```ts
 * new MessageReader({ maxFragments: 1024 });
 * ```
 */
export const DEFAULT_MAX_FRAGMENTS = 131072;

/**
 * The largest request head read, in bytes: past it, `parseUpgradeRequest`
 * throws `HandshakeError` 431 (RFC 6585 §5).
 * @example Size a read buffer
 * ```ts
 * const head = new Uint8Array(MAX_HEAD_BYTES);
 * ```
 */
export const MAX_HEAD_BYTES = 16 * 1024;
