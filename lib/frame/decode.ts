// Browser compatible. Decoding one frame from a buffer (RFC 6455 §5.2).
import { describe } from '../primitives/_bytes.ts';
import { copyMasked } from '../primitives/_mask.ts';
import { DEFAULT_MAX_PAYLOAD, frameTypeName, type OpcodeName } from '../rfc6455.ts';
import { checkByte0, checkByte1, checkLengthPrefix, extendedLengthBytes, readExtendedLength, tooBig } from './_header.ts';

/** One decoded frame. */
export interface Frame {
  fin: boolean;
  rsv1: boolean;
  rsv2: boolean;
  rsv3: boolean;
  opcode: number;
  opcodeName: OpcodeName;
  masked: boolean;
  /** The 4-byte masking key, when the frame was masked. */
  maskKey?: Uint8Array;
  /** The payload, unmasked. An unmasked payload is a view into the input. */
  payload: Uint8Array;
  /** How many input bytes the frame used (header and payload): where the next frame starts. */
  byteLength: number;
}

/** Options for `decodeFrame`. */
export interface DecodeOptions {
  /** The largest payload accepted, decided from the header alone. Default 100 MiB. */
  maxPayload?: number;
  /** Refuse unmasked frames, as a server must (RFC 6455 §5.1). Default false. */
  requireMask?: boolean;
}

/**
 * Decodes the frame at `bytes[offset]` (RFC 6455 §5.2). Masked payloads
 * come back unmasked in a new array; the input is never modified.
 *
 * @param bytes The received bytes (any `byteOffset`).
 * @param options `maxPayload` and `requireMask` (see `DecodeOptions`).
 * @param offset Where in `bytes` the frame starts, at a frame boundary (default 0): walking a buffer of many frames by offset makes no view per frame.
 * @returns The frame, or `null` when `bytes` holds only part of one from `offset` on.
 * @throws {ProtocolError} 1002 for RSV bits set, a reserved opcode, a fragmented control frame or one over 125 bytes, a 64-bit length with its top bit set, a length not minimally encoded, or an unmasked frame under `requireMask`; 1009 when the declared length exceeds `maxPayload`, before the payload arrives.
 * @throws {TypeError} When `bytes` is not a Uint8Array or an option has the wrong type.
 * @throws {RangeError} When `maxPayload` is not a non-negative integer, or `offset` is not an integer from 0 to `bytes.length`.
 * @example Decode the frames in a buffer, then keep what is left
 * ```ts
 * let at = 0, frame;
 * while ((frame = decodeFrame(buffered, { requireMask: true }, at)) !== null) {
 *   handle(frame);
 *   at += frame.byteLength;
 * }
 * buffered = buffered.subarray(at); // the start of a frame still to come
 * ```
 */
export function decodeFrame(bytes: Uint8Array, options?: DecodeOptions, offset = 0): Frame | null {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot decode frame: Expected a Uint8Array, got ${describe(bytes)}`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`Cannot decode frame: offset must be an integer from 0 to ${bytes.length}, got ${String(offset)}`);
  }
  let maxPayload = DEFAULT_MAX_PAYLOAD;
  let mask = 0;
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') throw new TypeError(`Cannot decode frame: Expected options to be an object, got ${describe(options)}`);
    if (options.maxPayload !== undefined) {
      maxPayload = options.maxPayload;
      if (typeof maxPayload !== 'number') throw new TypeError('Cannot decode frame: options.maxPayload must be a number');
      if (!Number.isSafeInteger(maxPayload) || maxPayload < 0) throw new RangeError(`Cannot decode frame: options.maxPayload must be a non-negative integer, got ${maxPayload}`);
    }
    if (options.requireMask !== undefined && typeof options.requireMask !== 'boolean') throw new TypeError('Cannot decode frame: options.requireMask must be a boolean');
    if (options.requireMask) mask = 1;
  }
  const n = bytes.length - offset;
  if (n < 1) return null;
  const b0 = bytes[offset];
  checkByte0(b0);
  if (n < 2) return null;
  const b1 = bytes[offset + 1];
  checkByte1(b0, b1, mask);
  const ext = extendedLengthBytes(b1);
  let len = b1 & 0x7f;
  if (ext !== 0) {
    checkLengthPrefix(bytes, offset + 2, Math.min(n - 2, ext), ext, maxPayload, 'Frame too big');
    if (n < 2 + ext) return null;
    len = readExtendedLength(new DataView(bytes.buffer, bytes.byteOffset + offset, 2 + ext), 2, ext);
  }
  if (len > maxPayload) throw tooBig(len, maxPayload, 'Frame too big');
  const masked = (b1 & 0x80) !== 0;
  const size = 2 + ext + (masked ? 4 : 0);
  if (n < size + len) return null;
  const start = offset + size;
  const fin = (b0 & 0x80) !== 0, opcode = b0 & 0x0f, opcodeName = frameTypeName(opcode);
  // RSV bits are always 0 here: checkByte0 refused them (no extension is negotiated).
  // One literal per kind, each with all of its fields, so that each has one shape.
  if (!masked) {
    return { fin, rsv1: false, rsv2: false, rsv3: false, opcode, opcodeName, masked, payload: bytes.subarray(start, start + len), byteLength: size + len };
  }
  const maskKey = new Uint8Array(4);
  maskKey[0] = bytes[start - 4]; maskKey[1] = bytes[start - 3]; maskKey[2] = bytes[start - 2]; maskKey[3] = bytes[start - 1];
  return { fin, rsv1: false, rsv2: false, rsv3: false, opcode, opcodeName, masked, maskKey, payload: copyMasked(bytes, start, len, maskKey), byteLength: size + len };
}
