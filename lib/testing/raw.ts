// Browser compatible. A frame writer for test harnesses: it writes exactly the
// header bits, length field and payload it is told (RFC 6455 §5.2), valid or
// not, so that a peer's handling of every broken frame can be tested. The
// strict encoders (frame/encode.ts) refuse what this writes on request.
import { toBytes } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';

/** How the payload length is written: the least bytes (`'minimal'`), or in the 7-bit field, 16 or 64 bits on request (RFC 6455 §5.2). */
export type LengthEncoding = 'minimal' | 7 | 16 | 64;

/** What `encodeRawFrame` writes; only `opcode` is required. */
export interface RawFrame {
  /** FIN bit (RFC 6455 §5.2). Default true. */
  fin?: boolean;
  /** RSV1 bit. Default false. */
  rsv1?: boolean;
  /** RSV2 bit. Default false. */
  rsv2?: boolean;
  /** RSV3 bit. Default false. */
  rsv3?: boolean;
  /** The 4-bit opcode, 0-15: reserved ones (3-7, 11-15) included. */
  opcode: number;
  /** A 4-byte masking key (a `Uint8Array` or an array of 4 numbers 0-255): sets MASK and masks the payload (RFC 6455 §5.3). Default none (`undefined` or `null`). */
  mask?: Uint8Array | readonly number[] | null;
  /** The payload bytes (a `Uint8Array`, `ArrayBuffer` or any `ArrayBufferView`), or a string written as UTF-8. Any bytes, a broken Close body included. Default empty. */
  payload?: Uint8Array | ArrayBuffer | ArrayBufferView | string;
  /** How the length is written. Default `'minimal'`. */
  lengthEncoding?: LengthEncoding;
  /** The length to write, when it must differ from the payload's (a truncated or an overlong frame, a 64-bit length with its MSB set): a non-negative safe integer or a bigint up to 2^64 - 1. Default the payload's length. */
  declaredLength?: number | bigint;
}

const WHERE = 'Cannot encode raw frame';
const KEYS = ['fin', 'rsv1', 'rsv2', 'rsv3', 'opcode', 'mask', 'payload', 'lengthEncoding', 'declaredLength'];
const MAX_64 = (1n << 64n) - 1n;

/** A boolean field of `frame`; `undefined` gives `fallback`. */
function flag(value: unknown, fallback: boolean, name: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new TypeError(`${WHERE}: Expected ${name} to be a boolean, got ${typeof value}`);
  return value;
}

/** The masking key as 4 bytes (a copy), or null for none. */
function readMask(value: unknown): Uint8Array | null {
  if (value === undefined || value === null) return null;
  if (!(value instanceof Uint8Array) && !Array.isArray(value)) throw new TypeError(`${WHERE}: Expected mask to be a Uint8Array or an array of 4 numbers, got ${typeof value}`);
  const list = value as ArrayLike<unknown>;
  // RFC 6455 §5.3: the masking key is 32 bits.
  if (list.length !== 4) throw new RangeError(`${WHERE}: A mask key has 4 bytes, got ${list.length}`);
  const key = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const b = list[i];
    if (typeof b !== 'number') throw new TypeError(`${WHERE}: Expected mask[${i}] to be a number, got ${typeof b}`);
    if (!Number.isInteger(b) || b < 0 || b > 255) throw new RangeError(`${WHERE}: Expected mask[${i}] to be a byte from 0 to 255, got ${b}`);
    key[i] = b;
  }
  return key;
}

/** The declared length as a bigint: the payload's by default. */
function readDeclared(value: unknown, payload: number): bigint {
  if (value === undefined) return BigInt(payload);
  if (typeof value === 'bigint') {
    if (value < 0n || value > MAX_64) throw new RangeError(`${WHERE}: Expected declaredLength to be from 0 to 2^64 - 1, got ${value}`);
    return value;
  }
  if (typeof value !== 'number') throw new TypeError(`${WHERE}: Expected declaredLength to be a number or a bigint, got ${typeof value}`);
  // Above 2^53 a number is not exact: such a length is stated as a bigint.
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${WHERE}: Expected declaredLength to be a non-negative safe integer (a bigint above), got ${value}`);
  return BigInt(value);
}

/** The size of the length field in bits: 7, 16 or 64, from `encoding` and the `length` it must carry. */
function lengthBits(encoding: unknown, length: bigint, declared: boolean): 7 | 16 | 64 {
  if (encoding === undefined || encoding === 'minimal') return length < 126n ? 7 : length < 65536n ? 16 : 64;
  if (encoding !== 7 && encoding !== 16 && encoding !== 64) {
    throw new (typeof encoding === 'number' ? RangeError : TypeError)(`${WHERE}: Expected lengthEncoding to be 'minimal', 7, 16 or 64, got ${typeof encoding === 'string' ? JSON.stringify(encoding) : String(encoding)}`);
  }
  // RFC 6455 §5.2: 7 bits carry 0-125 (126 and 127 announce a longer field, which a stated length may want), 16 bits 0-65535.
  const max = encoding === 7 ? (declared ? 127n : 125n) : encoding === 16 ? 65535n : MAX_64;
  if (length > max) throw new RangeError(`${WHERE}: A length of ${length} does not fit lengthEncoding ${encoding}${encoding === 7 && !declared ? ' (at most 125 bytes; state a declaredLength to write 126 or 127)' : ''}`);
  return encoding;
}

/**
 * Writes one frame exactly as described, valid or not (RFC 6455 §5.2): any
 * opcode 0-15, any RSV bits, a fragmented or oversized control frame, a
 * non-minimal length, a declared length that differs from the payload (a
 * truncated or overlong frame, a 64-bit length with its most significant bit
 * set), any Close body. It judges no protocol rule: test a peer with it.
 *
 * @param frame The frame's fields (see `RawFrame`); only `opcode` is required, each field read once.
 * @returns The frame's bytes: header, masking key if any, then the payload (masked with the key if any).
 * @throws {TypeError} When `frame` is not an object, a field has the wrong type, `opcode` is missing, or a key is unknown (the message names the nearest known one).
 * @throws {RangeError} When `opcode` is not an integer from 0 to 15, the mask key does not have 4 bytes from 0 to 255, `declaredLength` is negative, fractional or over 2^64 - 1, or the length does not fit `lengthEncoding` (7 bits carry up to 125 bytes of payload, or a stated 126 or 127).
 * @example A masked ping of 126 bytes, which a server must refuse (RFC 6455 §5.5)
 * ```ts
 * const bytes = encodeRawFrame({ opcode: 0x9, payload: new Uint8Array(126), mask: [1, 2, 3, 4] });
 * inspectFrame(bytes).violations[0].rule; // 'control-too-long'
 * ```
 */
export function encodeRawFrame(frame: RawFrame): Uint8Array {
  const o = readOptions(frame, KEYS, WHERE);
  const fin = flag(o.fin, true, 'fin'), rsv1 = flag(o.rsv1, false, 'rsv1'), rsv2 = flag(o.rsv2, false, 'rsv2'), rsv3 = flag(o.rsv3, false, 'rsv3');
  const opcode = o.opcode;
  if (typeof opcode !== 'number') throw new TypeError(`${WHERE}: Expected opcode to be a number, got ${typeof opcode}`);
  // RFC 6455 §5.2: the opcode field has 4 bits.
  if (!Number.isInteger(opcode) || opcode < 0 || opcode > 15) throw new RangeError(`${WHERE}: Expected opcode to be an integer from 0 to 15, got ${opcode}`);
  const key = readMask(o.mask);
  const payload = o.payload === undefined ? new Uint8Array(0) : toBytes(o.payload, 'raw frame payload');
  const declared = o.declaredLength !== undefined;
  const length = readDeclared(o.declaredLength, payload.length);
  const bits = lengthBits(o.lengthEncoding, length, declared);
  const ext = bits === 7 ? 0 : bits === 16 ? 2 : 8;
  const size = 2 + ext + (key === null ? 0 : 4);
  const out = new Uint8Array(size + payload.length);
  out[0] = (fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | (rsv2 ? 0x20 : 0) | (rsv3 ? 0x10 : 0) | opcode;
  out[1] = (key === null ? 0 : 0x80) | (bits === 7 ? Number(length) : bits === 16 ? 126 : 127);
  // Big-endian, most significant byte first (RFC 6455 §5.2: network byte order).
  for (let i = 0, v = length; i < ext; i++, v >>= 8n) out[1 + ext - i] = Number(v & 0xffn);
  if (key !== null) out.set(key, 2 + ext);
  out.set(payload, size);
  // A plain loop, not the library's SIMD kernel: a test frame is small, and the kernel would double this entry's size.
  if (key !== null) for (let i = 0; i < payload.length; i++) out[size + i] ^= key[i & 3];
  return out;
}
