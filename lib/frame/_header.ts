// Browser compatible. Frame header rules (RFC 6455 §5.2), in one place for
// `decodeFrame` and `MessageReader`. Each check runs as soon as the byte it
// needs is there, so a bad frame is refused before the rest of it arrives.
import { ProtocolError } from '../errors.ts';
import { MAX_CONTROL_PAYLOAD } from '../rfc6455.ts';

/** RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved for further frames. */
export function isReservedOpcode(opcode: number): boolean {
  return (opcode > 0x2 && opcode < 0x8) || opcode > 0xa;
}

/** Byte 0: FIN, RSV1-3, opcode. */
export function checkByte0(b0: number): void {
  // RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated; none is.
  if (b0 & 0x70) throw new ProtocolError('rsv-without-extension', `Invalid frame: RSV bits ${(b0 >> 4) & 7} are set and no extension was negotiated (RFC 6455 §5.2)`);
  const opcode = b0 & 0x0f;
  if (isReservedOpcode(opcode)) throw new ProtocolError('reserved-opcode', `Invalid frame: Opcode ${opcode} is reserved (RFC 6455 §5.2)`);
  // RFC 6455 §5.5: control frames MUST NOT be fragmented.
  if (opcode >= 0x8 && !(b0 & 0x80)) throw new ProtocolError('fragmented-control', 'Invalid frame: A control frame is fragmented (RFC 6455 §5.5)');
}

/** Byte 1: MASK and the 7-bit length; `mask` is 1 to require a mask, -1 to forbid it, 0 for either. */
export function checkByte1(b0: number, b1: number, mask: number): void {
  // RFC 6455 §5.1: clients MUST mask every frame, servers MUST NOT mask any.
  if (mask > 0 && !(b1 & 0x80)) throw new ProtocolError('client-frame-unmasked', 'Invalid frame: A client frame is not masked (RFC 6455 §5.1)');
  if (mask < 0 && b1 & 0x80) throw new ProtocolError('server-frame-masked', 'Invalid frame: A server frame is masked (RFC 6455 §5.1)');
  if ((b0 & 0x0f) >= 0x8 && (b1 & 0x7f) > MAX_CONTROL_PAYLOAD) {
    throw new ProtocolError('control-too-long', 'Invalid frame: A control frame declares over 125 bytes (RFC 6455 §5.5)');
  }
}

/** Bytes of extended length after byte 1: 0, 2 (code 126) or 8 (code 127). */
export function extendedLengthBytes(b1: number): number {
  const len7 = b1 & 0x7f;
  return len7 < 126 ? 0 : len7 === 126 ? 2 : 8;
}

/**
 * Reads the extended payload length that starts at `view[offset]`, enforcing
 * RFC 6455 §5.2: the minimal encoding MUST be used, and the most significant
 * bit of a 64-bit length MUST be 0.
 */
export function readExtendedLength(view: DataView, offset: number, bytes: number): number {
  if (bytes === 2) {
    const len = view.getUint16(offset, false);
    if (len < 126) throw new ProtocolError('non-minimal-length', `Invalid frame: Length ${len} is not minimally encoded in 16 bits (RFC 6455 §5.2)`);
    return len;
  }
  const hi = view.getUint32(offset, false);
  if (hi & 0x80000000) throw new ProtocolError('length-msb-set', 'Invalid frame: The most significant bit of a 64-bit length is set (RFC 6455 §5.2)');
  const len = hi * 0x100000000 + view.getUint32(offset + 4, false);
  // Above 2^53 a number loses precision; such a length is over any limit anyway, and
  // callers compare it with their limit before trusting it.
  if (len < 65536) throw new ProtocolError('non-minimal-length', `Invalid frame: Length ${len} is not minimally encoded in 64 bits (RFC 6455 §5.2)`);
  return len;
}

/**
 * Checks the extended length while its bytes arrive: `have` of its `ext` bytes
 * are at `bytes[offset]`. After each byte it fails as soon as no value of the
 * bytes still to come could make the frame valid — 1002 before 1009 at the same
 * byte — so any chunking gives the same error at the same byte.
 */
export function checkLengthPrefix(bytes: Uint8Array, offset: number, have: number, ext: number, max: number, what: string): void {
  if (ext === 0) return;
  const min = ext === 2 ? 126 : 65536;
  let value = 0;
  for (let i = 0; i <= have; i++) {
    if (i > 0) {
      const b = bytes[offset + i - 1];
      // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0.
      if (ext === 8 && i === 1 && b & 0x80) throw new ProtocolError('length-msb-set', 'Invalid frame: The most significant bit of a 64-bit length is set (RFC 6455 §5.2)');
      value = value * 256 + b;
    }
    const scale = 256 ** (ext - i);
    const lo = value * scale;
    // RFC 6455 §5.2: the minimal number of bytes MUST be used to encode the length.
    if (lo + scale - 1 < min) throw new ProtocolError('non-minimal-length', `Invalid frame: A length under ${min} is not minimally encoded in ${ext * 8} bits (RFC 6455 §5.2)`);
    const least = Math.max(lo, min);
    if (least > max) throw tooBig(least, max, what);
  }
}

export function tooBig(len: number, max: number, what: string): ProtocolError {
  return new ProtocolError(what === 'Frame too big' ? 'frame-too-big' : 'message-too-big', `${what}: ${len > Number.MAX_SAFE_INTEGER ? 'over 2^53' : len} bytes exceeds the limit of ${max}`);
}
