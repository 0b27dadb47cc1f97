// Browser compatible. Frame encoders (RFC 6455 §5.2): one allocation per frame,
// the header written in front of the payload and the payload masked in place.
import { SHORT_STRING, asBytes, describe, toBytes, utf8Length, writeUtf8 } from '../primitives/_bytes.ts';
import { randomKey } from '../primitives/_random-key.ts';
import { xorKeyAt, xorKeyInto } from '../primitives/_mask.ts';
import { checkKeys, readBoolean } from '../primitives/_options.ts';
import { MAX_CONTROL_PAYLOAD, isValidCloseCode } from '../rfc6455.ts';
import { isReservedOpcode } from './_header.ts';

/** How a frame is encoded. */
export interface EncodeOptions {
  /** FIN bit: false for every fragment of a message but the last (RFC 6455 §5.4). Default true. */
  fin?: boolean;
  /** RSV1 bit, for an extension that was negotiated, such as permessage-deflate (RFC 7692). Default false. */
  rsv1?: boolean;
  /**
   * Mask the payload (RFC 6455 §5.3), as a client must: `true` draws a fresh key
   * from `crypto.getRandomValues`, or pass the 4-byte key (a `Uint8Array`,
   * `ArrayBuffer` or any `ArrayBufferView`; copied when read, so changing it
   * later changes no frame). Default false: a server must not mask (RFC 6455 §5.1).
   */
  mask?: boolean | Uint8Array | ArrayBuffer | ArrayBufferView;
}

/** RFC 6455 §5.5.1: a Close reason fits in 125 bytes after the 2-byte code. */
const MAX_CLOSE_REASON = 123;

const WHERE = 'Cannot encode frame';
const KEYS = ['fin', 'rsv1', 'mask'];

/**
 * A frame's options, each read once (a getter runs once, and a reentrant call
 * from one cannot change what this call writes): the FIN and RSV1 bits of
 * byte 0, and the mask key, `true` for a fresh random one drawn when the
 * frame is written. Null for no options: written as `options === undefined ?
 * null : settings(...)` at each call, so that V8 sees the constant and drops
 * the masking from the unmasked server path (a shared settings object cost
 * 15% of a 20-byte text frame, bench/encode).
 */
interface Settings { readonly bits: number; readonly key: Uint8Array | true | null }

/**
 * Encodes one frame with any opcode, continuation frames included (RFC 6455 §5.2).
 *
 * @param opcode The opcode (see `Opcode`).
 * @param payload The payload: a `Uint8Array`, `ArrayBuffer` or any `ArrayBufferView` (its own window only), or a string encoded as UTF-8.
 * @param options FIN, RSV1 and masking (see `EncodeOptions`); each read once.
 * @returns The frame's bytes.
 * @throws {RangeError} When the opcode is reserved or not 0-15, when a control frame is fragmented, has RSV1 set or carries over 125 bytes, or when a mask key does not have 4 bytes.
 * @throws {TypeError} When the payload or an option has the wrong type, or an option key is unknown (the message names the nearest known one).
 * @example Send a message in two fragments
 * ```ts
 * socket.write(encodeFrame(Opcode.Text, 'Hel', { fin: false }));
 * socket.write(encodeFrame(Opcode.Continuation, 'lo'));
 * ```
 */
export function encodeFrame(opcode: number, payload: Uint8Array | ArrayBuffer | ArrayBufferView | string, options?: EncodeOptions): Uint8Array {
  checkOpcode(opcode);
  if (typeof payload === 'string') return encodeString(opcode, payload, options);
  const bytes = toBytes(payload, 'frame payload');
  const s = options === undefined ? null : settings(opcode, options);
  checkLength(opcode, bytes.length);
  return build(head(opcode, s), bytes, null, bytes.length, keyOf(s));
}

/**
 * Encodes a text message as one frame (opcode 0x1, RFC 6455 §5.6).
 * Lone surrogates become U+FFFD, as TextEncoder and browsers' `WebSocket.send` do.
 *
 * @param text The message.
 * @param options FIN, RSV1 and masking (see `EncodeOptions`); each read once.
 * @returns The frame's bytes.
 * @throws {TypeError} When `text` is not a string, an option has the wrong type, or an option key is unknown.
 * @throws {RangeError} When a mask key does not have 4 bytes.
 * @example Send a text message from a server
 * ```ts
 * socket.write(encodeTextFrame('Hello')); // 81 05 48 65 6c 6c 6f
 * ```
 */
export function encodeTextFrame(text: string, options?: EncodeOptions): Uint8Array {
  if (typeof text !== 'string') throw new TypeError(`Cannot encode text frame: Expected a string, got ${describe(text)}`);
  return encodeString(0x1, text, options);
}

/**
 * Encodes a binary message as one frame (opcode 0x2, RFC 6455 §5.6).
 *
 * @param data The message: bytes (only a view's own window), or a string sent as its UTF-8 bytes.
 * @param options FIN, RSV1 and masking (see `EncodeOptions`); each read once.
 * @returns The frame's bytes.
 * @throws {TypeError} When `data` is not bytes or a string, an option has the wrong type, or an option key is unknown.
 * @throws {RangeError} When a mask key does not have 4 bytes.
 * @example Send bytes
 * ```ts
 * socket.write(encodeBinaryFrame(new Uint8Array([1, 2, 3]))); // 82 03 01 02 03
 * ```
 */
export function encodeBinaryFrame(data: Uint8Array | ArrayBuffer | ArrayBufferView | string, options?: EncodeOptions): Uint8Array {
  return encodeFrame(0x2, data, options);
}

/**
 * Encodes a Close frame (opcode 0x8, RFC 6455 §5.5.1).
 *
 * @param code The close code; omit it for an empty payload.
 * @param reason A UTF-8 reason of at most 123 bytes; only with a code.
 * @param options Masking (see `EncodeOptions`); each read once. A Close frame is never fragmented.
 * @returns The frame's bytes.
 * @throws {RangeError} When the code may not be sent (anything but the integers 1000-1003, 1007-1014, 3000-4999; RFC 6455 §7.4), the reason is over 123 bytes, `fin: false` or `rsv1: true` is given, or a mask key does not have 4 bytes.
 * @throws {TypeError} When a reason is given without a code, an argument has the wrong type, or an option key is unknown.
 * @example Close normally
 * ```ts
 * socket.end(encodeCloseFrame(1000, 'bye')); // 88 05 03 e8 62 79 65
 * ```
 */
export function encodeCloseFrame(code?: number, reason?: string, options?: EncodeOptions): Uint8Array {
  if (code === undefined) {
    if (reason !== undefined && reason !== '') throw new TypeError('Cannot encode close frame: A reason needs a status code (RFC 6455 §5.5.1)');
    const s = options === undefined ? null : settings(0x8, options);
    return build(head(0x8, s), null, null, 0, keyOf(s));
  }
  if (typeof code !== 'number') throw new TypeError(`Cannot encode close frame: Expected the code to be a number, got ${describe(code)}`);
  if (!isValidCloseCode(code)) throw new RangeError(`Cannot encode close frame: Status code ${code} may not be sent (RFC 6455 §7.4)`);
  if (reason !== undefined && typeof reason !== 'string') throw new TypeError(`Cannot encode close frame: Expected the reason to be a string, got ${describe(reason)}`);
  const text = reason ?? '';
  const reasonLength = utf8Length(text);
  if (reasonLength > MAX_CLOSE_REASON) throw new RangeError(`Cannot encode close frame: The reason is ${reasonLength} bytes, over the 123 allowed (RFC 6455 §5.5)`);
  const payload = new Uint8Array(2 + reasonLength);
  payload[0] = code >> 8;
  payload[1] = code & 255;
  writeUtf8(text, payload, 2);
  const s = options === undefined ? null : settings(0x8, options);
  return build(head(0x8, s), payload, null, payload.length, keyOf(s));
}

/**
 * Encodes a Ping frame (opcode 0x9, RFC 6455 §5.5.2).
 *
 * @param payload Application data of at most 125 bytes (a string is sent as UTF-8).
 * @param options Masking (see `EncodeOptions`); each read once.
 * @returns The frame's bytes.
 * @throws {RangeError} When the payload is over 125 bytes, the frame is fragmented or has RSV1 set, or a mask key does not have 4 bytes.
 * @throws {TypeError} When the payload or an option has the wrong type, or an option key is unknown (the message names the nearest known one).
 * @example Ping a peer
 * ```ts
 * socket.write(encodePingFrame('Hello')); // 89 05 48 65 6c 6c 6f
 * ```
 */
export function encodePingFrame(payload?: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: EncodeOptions): Uint8Array {
  return encodeFrame(0x9, payload === undefined ? EMPTY : payload, options);
}

/**
 * Encodes a Pong frame (opcode 0xA, RFC 6455 §5.5.3). A Pong answering a
 * Ping must carry the Ping's payload.
 *
 * @param payload Application data of at most 125 bytes (a string is sent as UTF-8).
 * @param options Masking (see `EncodeOptions`); each read once.
 * @returns The frame's bytes.
 * @throws {RangeError} When the payload is over 125 bytes, the frame is fragmented or has RSV1 set, or a mask key does not have 4 bytes.
 * @throws {TypeError} When the payload or an option has the wrong type, or an option key is unknown (the message names the nearest known one).
 * @example Answer a ping
 * ```ts
 * socket.write(encodePongFrame(ping.payload));
 * ```
 */
export function encodePongFrame(payload?: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: EncodeOptions): Uint8Array {
  return encodeFrame(0xa, payload === undefined ? EMPTY : payload, options);
}

/**
 * Encodes a text message once, for writing the same bytes to many clients.
 * Server frames are unmasked (RFC 6455 §5.1), so one frame serves every
 * connection: encode once, then `socket.write` it to each.
 *
 * @param text The message.
 * @returns The frame's bytes, the same as `encodeTextFrame(text)`.
 * @throws {TypeError} When `text` is not a string.
 * @example Broadcast
 * ```ts
 * const frame = broadcastEncode('tick');
 * for (const socket of clients) socket.write(frame);
 * ```
 */
export function broadcastEncode(text: string): Uint8Array {
  return encodeTextFrame(text);
}

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function encodeString(opcode: number, text: string, options: EncodeOptions | undefined): Uint8Array {
  const s = options === undefined ? null : settings(opcode, options);
  const n = text.length;
  if (n >= SHORT_STRING) {
    const len = utf8Length(text);
    checkLength(opcode, len);
    return build(head(opcode, s), null, text, len, keyOf(s));
  }
  // Short strings in one pass: written as ASCII while checking that they are,
  // and masked on the way. For ASCII the length is `n`; the first other
  // character sends the string to the general path with its real UTF-8
  // length (the options are not read again). One loop where a length pass
  // and a write pass made two (measured in bench/encode).
  checkLength(opcode, n);
  const key = keyOf(s);
  const at = key === null ? 2 : 6;
  const out = new Uint8Array(at + n);
  // Unmasked is masked with a zero key: one loop, four characters a turn.
  const k0 = key === null ? 0 : key[0], k1 = key === null ? 0 : key[1], k2 = key === null ? 0 : key[2], k3 = key === null ? 0 : key[3];
  let i = 0;
  for (const end = n - 3; i < end; i += 4) {
    const c0 = text.charCodeAt(i), c1 = text.charCodeAt(i + 1), c2 = text.charCodeAt(i + 2), c3 = text.charCodeAt(i + 3);
    if ((c0 | c1 | c2 | c3) >= 0x80) return encodeNonAscii(head(opcode, s), text, key);
    out[at + i] = c0 ^ k0; out[at + i + 1] = c1 ^ k1; out[at + i + 2] = c2 ^ k2; out[at + i + 3] = c3 ^ k3;
  }
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return encodeNonAscii(head(opcode, s), text, key);
    out[at + i] = c ^ ((i & 3) === 0 ? k0 : (i & 3) === 1 ? k1 : k2);
  }
  writeHeader(out, head(opcode, s), n, key);
  return out;
}

function encodeNonAscii(b0: number, text: string, key: Uint8Array | null): Uint8Array {
  const len = utf8Length(text);
  checkLength(b0 & 0x0f, len);
  return build(b0, null, text, len, key);
}

/** Writes the header, then the payload (bytes or text), then masks it. */
function build(b0: number, bytes: Uint8Array | null, text: string | null, len: number, key: Uint8Array | null): Uint8Array {
  const offset = headerSize(len, key);
  const out = new Uint8Array(offset + len);
  writeHeader(out, b0, len, key);
  if (bytes !== null && key !== null) { xorKeyInto(bytes, out, offset, key, 0); return out; }
  if (bytes !== null) out.set(bytes, offset);
  else if (text !== null) writeUtf8(text, out, offset);
  if (key !== null) xorKeyAt(out, offset, len, key);
  return out;
}

/**
 * Reads `options` once into the frame's settings: every key known, each value
 * read exactly once into a local, a mask key copied before it is checked (a
 * getter cannot hand the check one key and the frame another). Then the rules
 * that need no length: RFC 6455 §5.5, a control frame is never fragmented;
 * RFC 7692 §6.1, nor compressed.
 */
function settings(opcode: number, options: EncodeOptions): Settings {
  checkKeys(options, KEYS, WHERE);
  const fin = readBoolean(options.fin, true, 'fin', WHERE);
  const rsv1 = readBoolean(options.rsv1, false, 'rsv1', WHERE);
  const mask: unknown = options.mask;
  const key = mask === true ? true : mask === undefined || mask === false ? null : copyKey(mask);
  if (opcode >= 0x8 && (!fin || rsv1)) controlError(fin);
  return { bits: (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0), key };
}

// The throws in functions of their own keep `settings` small enough for V8 to
// inline into the encoders (bench/encode, masked 20-byte text: it was a call
// of its own, 9% of the time).

/** A caller's key, copied from the view's own slots: the key validated is the key written. */
function copyKey(mask: unknown): Uint8Array {
  const key = new Uint8Array(asBytes(mask, WHERE, '', 'mask (true, false or a 4-byte key)'));
  if (key.length !== 4) throw new RangeError(`${WHERE}: A mask key has 4 bytes, got ${key.length}`);
  return key;
}

function controlError(fin: boolean): never {
  throw new RangeError(fin ? `${WHERE}: RSV1 cannot be set on a control frame (RFC 7692 §6.1)` : `${WHERE}: A control frame cannot be fragmented (RFC 6455 §5.5)`);
}

/** Byte 0 of the header: FIN (set without options), RSV1 and the opcode. */
function head(opcode: number, s: Settings | null): number {
  return (s === null ? 0x80 : s.bits) | opcode;
}

/** RFC 6455 §5.5: a control frame carries at most 125 bytes. */
function checkLength(opcode: number, len: number): void {
  if (opcode >= 0x8 && len > MAX_CONTROL_PAYLOAD) throw new RangeError(`${WHERE}: A control frame carries at most 125 bytes, got ${len} (RFC 6455 §5.5)`);
}

/**
 * The frame's mask key: null, the caller's (a private copy), or a fresh
 * random one. Called only once the options were read, right before the
 * frame is written, so no caller code runs between drawing a key and using it.
 */
function keyOf(s: Settings | null): Uint8Array | null {
  return s === null ? null : s.key === true ? randomKey() : s.key;
}

/** RFC 6455 §5.2: 7-bit lengths up to 125, 126 + 16 bits up to 65535, 127 + 64 bits beyond; then the key. */
function headerSize(len: number, key: Uint8Array | null): number {
  return (len < 126 ? 2 : len < 65536 ? 4 : 10) + (key === null ? 0 : 4);
}

function writeHeader(out: Uint8Array, b0: number, len: number, key: Uint8Array | null): void {
  out[0] = b0;
  let at = 2;
  if (len < 126) {
    out[1] = len;
  } else if (len < 65536) {
    out[1] = 126;
    out[2] = len >>> 8;
    out[3] = len & 255;
    at = 4;
  } else {
    out[1] = 127;
    // Byte by byte, not through a DataView: `out.buffer` would make V8 move a
    // small on-heap array (a lone header) off the heap, which costs more than the frame.
    const hi = Math.floor(len / 0x100000000);
    out[2] = hi >>> 24; out[3] = (hi >>> 16) & 255; out[4] = (hi >>> 8) & 255; out[5] = hi & 255;
    out[6] = len >>> 24; out[7] = (len >>> 16) & 255; out[8] = (len >>> 8) & 255; out[9] = len & 255;
    at = 10;
  }
  if (key !== null) {
    out[1] |= 0x80;
    // Four stores: cheaper than a call to `set` for four bytes.
    out[at] = key[0]; out[at + 1] = key[1]; out[at + 2] = key[2]; out[at + 3] = key[3];
  }
}

/**
 * Encodes only the header of a frame, for writing a large payload without
 * copying it (`socket.write(header); socket.write(payload)`, or one writev).
 * With `mask`, the key is the header's last 4 bytes and the caller masks the
 * payload with it: `maskInPlace(payload, header.subarray(-4))`.
 *
 * @param opcode The opcode (see `Opcode`).
 * @param length The payload's length in bytes.
 * @param options FIN, RSV1 and masking (see `EncodeOptions`); each read once.
 * @returns The header's 2 to 14 bytes.
 * @throws {RangeError} When the opcode is reserved or not 0-15, the length is not a non-negative integer, a control frame is fragmented, has RSV1 set or carries over 125 bytes, or a mask key does not have 4 bytes.
 * @throws {TypeError} When an option has the wrong type or an option key is unknown.
 * @example Send 1 MiB without copying it
 * ```ts
 * socket.write(encodeFrameHeader(Opcode.Binary, payload.length));
 * socket.write(payload);
 * ```
 */
export function encodeFrameHeader(opcode: number, length: number, options?: EncodeOptions): Uint8Array {
  checkOpcode(opcode);
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`Cannot encode frame header: The length must be a non-negative integer, got ${String(length)}`);
  const s = options === undefined ? null : settings(opcode, options);
  checkLength(opcode, length);
  const key = keyOf(s);
  const out = new Uint8Array(headerSize(length, key));
  writeHeader(out, head(opcode, s), length, key);
  return out;
}

function checkOpcode(opcode: number): void {
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15 || isReservedOpcode(opcode)) {
    throw new RangeError(`Cannot encode frame: Opcode ${String(opcode)} is reserved or out of range (RFC 6455 §5.2)`);
  }
}
