// Browser compatible. Close codes and Close frame payloads (RFC 6455 §5.5.1, §7.4).
import { ProtocolError } from '../errors.ts';
import { DECODER, asBytes } from '../primitives/_bytes.ts';
import { isValidUtf8 } from '../primitives/_utf8.ts';
import { isValidCloseCode } from '../rfc6455.ts';

/** RFC 6455 §7.4.1 and the IANA "WebSocket Close Code Number Registry" (§11.7). */
const REASONS: Record<number, string> = {
  1000: 'Normal Closure',
  1001: 'Going Away',
  1002: 'Protocol Error',
  1003: 'Unsupported Data',
  1004: 'Reserved',
  1005: 'No Status Received',
  1006: 'Abnormal Closure',
  1007: 'Invalid Frame Payload Data',
  1008: 'Policy Violation',
  1009: 'Message Too Big',
  1010: 'Mandatory Extension',
  1011: 'Internal Server Error',
  1012: 'Service Restart',
  1013: 'Try Again Later',
  1014: 'Bad Gateway',
  1015: 'TLS Handshake',
};

/**
 * Describes a close code in words.
 *
 * @param code The close code.
 * @returns The RFC 6455 §7.4.1 name for the codes it defines (1000 `"Normal Closure"` … 1015 `"TLS Handshake"`), otherwise the range the code falls in.
 * @throws Never.
 * @example Log a close
 * ```ts
 * closeCodeReason(1009); // 'Message Too Big'
 * closeCodeReason(4001); // 'Private Use (4001)'
 * ```
 */
export function closeCodeReason(code: number): string {
  // Never String(code): an object without a prototype, or with a throwing toString, would throw.
  if (typeof code !== 'number') return `Invalid Close Code (${typeof code})`;
  if (!Number.isInteger(code)) return `Invalid Close Code (${code})`;
  const known = REASONS[code];
  if (known !== undefined) return known;
  if (code >= 0 && code <= 999) return `Unused (${code})`;
  if (code >= 1016 && code <= 2999) return `Reserved (${code})`;
  if (code >= 3000 && code <= 3999) return `Registered (${code})`;
  if (code >= 4000 && code <= 4999) return `Private Use (${code})`;
  return `Invalid Close Code (${code})`;
}

/** A Close frame's content. */
export interface CloseInfo {
  /** The close code; 1005 when the frame had no payload (RFC 6455 §7.1.5). */
  code: number;
  /** The UTF-8 reason; empty when there is none. */
  reason: string;
}

/**
 * Parses and validates the payload of a received Close frame (RFC 6455 §5.5.1).
 *
 * @param input The unmasked Close frame payload: a `Uint8Array`, an `ArrayBuffer` or any `ArrayBufferView` (its own window only).
 * @returns The code and reason; `{ code: 1005, reason: '' }` for an empty payload (RFC 6455 §7.1.5).
 * @throws {ProtocolError} 1002 `close-body-one-byte` when the payload is 1 byte long, 1002 `invalid-close-code` when the code may not be sent (see `isValidCloseCode`); 1007 `close-reason-invalid-utf8` when the reason is not valid UTF-8.
 * @throws {TypeError} When `payload` is not bytes.
 * @example Read a close frame
 * ```ts
 * parseClosePayload(new Uint8Array([0x03, 0xe8, 0x62, 0x79, 0x65])); // { code: 1000, reason: 'bye' }
 * ```
 */
export function parseClosePayload(input: Uint8Array | ArrayBuffer | ArrayBufferView): CloseInfo {
  const payload = input instanceof Uint8Array ? input : asBytes(input, 'Cannot parse close payload', '', 'the payload');
  const n = payload.length;
  if (n === 0) return { code: 1005, reason: '' };
  // RFC 6455 §5.5.1: a body, if any, starts with a 2-byte code.
  if (n === 1) throw new ProtocolError('close-body-one-byte', 'Invalid close frame: A 1-byte payload cannot hold a status code');
  const code = (payload[0] << 8) | payload[1];
  if (!isValidCloseCode(code)) throw new ProtocolError('invalid-close-code', `Invalid close frame: Status code ${code} may not be sent`);
  const reason = payload.subarray(2);
  // RFC 6455 §5.5.1: the reason is UTF-8; §8.1: invalid UTF-8 fails the connection with 1007.
  if (!isValidUtf8(reason)) throw new ProtocolError('close-reason-invalid-utf8', 'Invalid close frame: The reason is not valid UTF-8');
  return { code, reason: DECODER.decode(reason) };
}
