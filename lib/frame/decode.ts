// Browser compatible. Decoding one frame from a buffer (RFC 6455 §5.2).
import { asBytes } from '../primitives/_bytes.ts';
import { copyMasked } from '../primitives/_mask.ts';
import { checkKeys, readBoolean, readLimit } from '../primitives/_options.ts';
import { DEFAULT_MAX_PAYLOAD, frameTypeName, type OpcodeName } from '../rfc6455.ts';
import { checkByte0, checkByte1, checkLength, extendedLengthBytes, shortLength } from './_header.ts';

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
  /**
   * The largest payload accepted, decided from the header alone: any
   * non-negative integer, or `Infinity` for no limit. Default 100 MiB. Unlike
   * `ws`, where `maxPayload: 0` means no limit, 0 here accepts only empty payloads.
   */
  maxPayload?: number;
  /** Refuse unmasked frames, as a server must (RFC 6455 §5.1). Default false. */
  requireMask?: boolean;
}

const WHERE = 'Cannot decode frame';
const KEYS = ['maxPayload', 'requireMask'];

/**
 * Decodes the frame at `bytes[offset]` (RFC 6455 §5.2). Masked payloads
 * come back unmasked in a new array; the input is never modified.
 *
 * @param input The received bytes: a `Uint8Array`, an `ArrayBuffer` or any `ArrayBufferView` (its own window only).
 * @param options `maxPayload` and `requireMask` (see `DecodeOptions`); each read once.
 * @param offset Where in `bytes` the frame starts, at a frame boundary (default 0): walking a buffer of many frames by offset makes no view per frame.
 * @returns The frame, or `null` when `bytes` holds only part of one from `offset` on.
 * @throws {ProtocolError} At the first byte that breaks a rule, with its `rule` (see `HEADER_CHECKS`): 1002 `rsv-without-extension`, `reserved-opcode`, `fragmented-control`, `control-too-long`, `length-msb-set`, `non-minimal-length`, or `client-frame-unmasked` under `requireMask`; 1009 `frame-too-big` when the declared length exceeds `maxPayload`, before the payload arrives.
 * @throws {TypeError} When `bytes` is not bytes, an option has the wrong type, or an option key is unknown.
 * @throws {RangeError} When `maxPayload` is not a non-negative integer or `Infinity`, or `offset` is not an integer from 0 to `bytes.length`.
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
export function decodeFrame(input: Uint8Array | ArrayBuffer | ArrayBufferView, options?: DecodeOptions, offset = 0): Frame | null {
  // The instanceof test first: a Uint8Array, the common input, costs one check.
  const bytes = input instanceof Uint8Array ? input : asBytes(input, WHERE, '', 'bytes');
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) {
    throw new RangeError(`${WHERE}: offset must be an integer from 0 to ${bytes.length}, got ${String(offset)}`);
  }
  let maxPayload = DEFAULT_MAX_PAYLOAD;
  let mask = 0;
  if (options !== undefined) {
    checkKeys(options, KEYS, WHERE);
    // Each option read once, into locals (a getter runs once).
    const max = options.maxPayload, require = options.requireMask;
    maxPayload = readLimit(max, DEFAULT_MAX_PAYLOAD, 'maxPayload', WHERE);
    if (readBoolean(require, false, 'requireMask', WHERE)) mask = 1;
  }
  const n = bytes.length - offset;
  if (n < 1) return null;
  const b0 = bytes[offset];
  checkByte0(b0);
  if (n < 2) return null;
  const b1 = bytes[offset + 1];
  checkByte1(b0, b1, mask);
  const ext = extendedLengthBytes(b1);
  let len = shortLength(b1, 0, maxPayload);
  if (len < 0) len = checkLength(b1, bytes, offset + 2, Math.min(n - 2, ext), 0, maxPayload, false);
  if (len < 0) return null;
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
