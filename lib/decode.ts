// Browser compatible. Decoding one frame from a buffer (RFC 6455 §5.2).
import { describe } from './_bytes.ts';
import { checkByte0, checkByte1, checkLengthPrefix, extendedLengthBytes, readExtendedLength, tooBig } from './_header.ts';
import { copyMasked } from './_mask.ts';
import { frameTypeName, type OpcodeName } from './opcode.ts';

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

const EMPTY = /* @__PURE__ */ new Uint8Array(0);

/** 100 MiB. */
const DEFAULT_MAX_PAYLOAD = 100 * 1024 * 1024;

/**
 * Decodes the frame at the start of `bytes` (RFC 6455 §5.2). Masked payloads
 * come back unmasked in a new array; the input is never modified.
 *
 * @param bytes The received bytes, starting at a frame boundary (any `byteOffset`).
 * @param options `maxPayload` and `requireMask` (see `DecodeOptions`).
 * @returns The frame, or `null` when `bytes` holds only part of one.
 * @throws {ProtocolError} 1002 for RSV bits set, a reserved opcode, a fragmented control frame or one over 125 bytes, a 64-bit length with its top bit set, a length not minimally encoded, or an unmasked frame under `requireMask`; 1009 when the declared length exceeds `maxPayload`, before the payload arrives.
 * @throws {TypeError} When `bytes` is not a Uint8Array or an option has the wrong type.
 * @throws {RangeError} When `maxPayload` is not a non-negative integer.
 * @example Decode frames from a buffer in a loop
 * ```ts
 * let frame;
 * while ((frame = decodeFrame(buffered, { requireMask: true })) !== null) {
 *   handle(frame);
 *   buffered = buffered.subarray(frame.byteLength);
 * }
 * ```
 */
export function decodeFrame(bytes: Uint8Array, options?: DecodeOptions): Frame | null {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`Cannot decode frame: Expected a Uint8Array, got ${describe(bytes)}`);
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
  const n = bytes.length;
  if (n < 1) return null;
  const b0 = bytes[0];
  checkByte0(b0);
  if (n < 2) return null;
  const b1 = bytes[1];
  checkByte1(b0, b1, mask);
  const ext = extendedLengthBytes(b1);
  checkLengthPrefix(bytes, 2, Math.min(n - 2, ext), ext, maxPayload, 'Frame too big');
  if (n < 2 + ext) return null;
  const len = ext === 0 ? b1 & 0x7f : readExtendedLength(new DataView(bytes.buffer, bytes.byteOffset, 2 + ext), 2, ext);
  if (len > maxPayload) throw tooBig(len, maxPayload, 'Frame too big');
  const masked = (b1 & 0x80) !== 0;
  const start = 2 + ext + (masked ? 4 : 0);
  if (n < start + len) return null;
  const frame: Frame = {
    fin: (b0 & 0x80) !== 0,
    rsv1: (b0 & 0x40) !== 0,
    rsv2: (b0 & 0x20) !== 0,
    rsv3: (b0 & 0x10) !== 0,
    opcode: b0 & 0x0f,
    opcodeName: frameTypeName(b0 & 0x0f),
    masked,
    payload: masked ? EMPTY : bytes.subarray(start, start + len),
    byteLength: start + len,
  };
  if (masked) {
    const key = copyMasked(bytes, start - 4, 4, null);
    frame.maskKey = key;
    frame.payload = copyMasked(bytes, start, len, key);
  }
  return frame;
}
