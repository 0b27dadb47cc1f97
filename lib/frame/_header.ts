// Browser compatible. The frame header rules (RFC 6455 §5.1-§5.5, §10.4) as
// one table keyed by the rule ids of rules.ts: the only place they are
// written. `decodeFrame` and `MessageReader` both judge headers through the
// checks below, each rule as soon as the byte that decides it arrives, so a
// bad frame is refused before the rest of it does; an inspector can run every
// entry of the table over one header to list all the rules it breaks.
import { ProtocolError } from '../errors.ts';
import { FRAME_RULES, type FrameRule } from '../rules.ts';

/** RFC 6455 §5.2: opcodes 0x3-0x7 and 0xB-0xF are reserved for further frames. */
export function isReservedOpcode(opcode: number): boolean {
  return (opcode > 0x2 && opcode < 0x8) || opcode > 0xa;
}

/** The least length each size of the length field may carry (RFC 6455 §5.2: the minimal encoding). */
const minLength = (ext: number): number => (ext === 0 ? 0 : ext === 2 ? 126 : 65536);

/**
 * A rule judged from byte 0 (FIN, RSV1-3, opcode) alone.
 * `broken(b0)`; `explain(b0)` says why, for the error message.
 */
interface Byte0Check { readonly on: 'byte0'; broken(b0: number): boolean; explain(b0: number): string }
/**
 * A rule on the order of frames (RFC 6455 §5.4), judged at byte 0 from the
 * frame's opcode, the opcode of the message open (0 for none), how many
 * frames that message has had and the `maxFragments` limit. Streams only.
 */
interface SequenceCheck { readonly on: 'sequence'; broken(opcode: number, open: number, fragments: number, max: number): boolean; explain(opcode: number, open: number, fragments: number, max: number): string }
/**
 * A rule judged from byte 1 (MASK, 7-bit length), knowing whether the frame is
 * a control frame (`control` 1, else 0) and the role's mask (1 required, -1
 * forbidden, 0 either).
 */
interface Byte1Check { readonly on: 'byte1'; broken(b1: number, control: number, mask: number): boolean; explain(b1: number): string }
/**
 * A rule on the payload length, judged while its bytes arrive: `lo` to `hi`
 * are the lengths the bytes so far still allow (both the length itself once
 * complete), `ext` the extended length's size (0, 2 or 8), `used` the bytes of
 * the message before this frame, `limit` the configured limit, and `stream`
 * 1 for `MessageReader` (the limit is a message's), 0 for `decodeFrame` (a frame's).
 */
interface LengthCheck { readonly on: 'length'; broken(lo: number, hi: number, ext: number, used: number, limit: number, stream: number): boolean; explain(lo: number, hi: number, ext: number, used: number, limit: number): string }

/** One header rule: what it looks at, when it is broken, and why in words. */
export type HeaderCheck = Byte0Check | SequenceCheck | Byte1Check | LengthCheck;

// The predicates, named by rule in the table below. The sequence and length
// checks call theirs directly (monomorphic, so inlined); the byte checks look
// their verdicts up in tables computed from these.
const rsvSet = (b0: number): boolean => (b0 & 0x70) !== 0;
const reservedOpcode = (b0: number): boolean => isReservedOpcode(b0 & 0x0f);
const fragmentedControl = (b0: number): boolean => (b0 & 0x88) === 0x08;
const unmaskedForServer = (b1: number, _control: number, mask: number): boolean => mask > 0 && (b1 & 0x80) === 0;
const maskedForClient = (b1: number, _control: number, mask: number): boolean => mask < 0 && (b1 & 0x80) !== 0;
const controlTooLong = (b1: number, control: number): boolean => control !== 0 && (b1 & 0x7f) > 125;
const unexpectedContinuation = (opcode: number, open: number): boolean => opcode === 0 && open === 0;
const expectedContinuation = (opcode: number, open: number): boolean => opcode !== 0 && open !== 0;
/** The first frame of a message counts as its first fragment, so `maxFragments: 0` refuses every data frame. */
const tooManyFragments = (opcode: number, _open: number, fragments: number, max: number): boolean => (opcode === 0 ? fragments : 0) >= max;
const msbSet = (lo: number, _hi: number, ext: number): boolean => ext === 8 && lo >= 2 ** 63;
const nonMinimal = (_lo: number, hi: number, ext: number): boolean => hi < minLength(ext);
const overLimit = (lo: number, _hi: number, ext: number, used: number, limit: number): boolean => used + Math.max(lo, minLength(ext)) > limit;

/**
 * Every header rule, keyed by its id in `FRAME_RULES`, in the order they are
 * judged (RFC 6455 §5.2 byte order; at one byte, 1002 before 1009).
 * `frame-too-big` applies to `decodeFrame` (one frame against `maxPayload`),
 * `message-too-big` to `MessageReader` (a message's data frames against
 * `maxMessageSize`). The Close payload rules are in close.ts.
 */
export const HEADER_CHECKS = /* @__PURE__ */ Object.freeze({
  // RFC 6455 §5.2: RSV1-3 MUST be 0 unless an extension defining them was negotiated; none is.
  'rsv-without-extension': { on: 'byte0', broken: rsvSet, explain: (b0) => `RSV bits ${(b0 >> 4) & 7} are set and no extension was negotiated` },
  // RFC 6455 §5.2: reserved opcodes MUST fail the connection.
  'reserved-opcode': { on: 'byte0', broken: reservedOpcode, explain: (b0) => `Opcode ${b0 & 0x0f} is reserved` },
  // RFC 6455 §5.5: control frames MUST NOT be fragmented.
  'fragmented-control': { on: 'byte0', broken: fragmentedControl, explain: () => 'A control frame is fragmented' },
  // RFC 6455 §5.4: a continuation needs a message to continue, a new message needs the last one finished.
  'unexpected-continuation': { on: 'sequence', broken: unexpectedContinuation, explain: () => 'A continuation frame with no message to continue' },
  'expected-continuation': { on: 'sequence', broken: expectedContinuation, explain: () => 'A new data frame while a fragmented message is open' },
  // RFC 6455 §10.4 leaves limits to the implementation; see DEFAULT_MAX_FRAGMENTS.
  'too-many-fragments': { on: 'sequence', broken: tooManyFragments, explain: (opcode, _open, fragments, max) => `${(opcode === 0 ? fragments : 0) + 1} fragments or more, over maxFragments ${max}` },
  // RFC 6455 §5.1: clients MUST mask every frame, servers MUST NOT mask any.
  'client-frame-unmasked': { on: 'byte1', broken: unmaskedForServer, explain: () => 'A client frame is not masked' },
  'server-frame-masked': { on: 'byte1', broken: maskedForClient, explain: () => 'A server frame is masked' },
  // RFC 6455 §5.5: control frames carry at most 125 bytes (so never an extended length).
  'control-too-long': { on: 'byte1', broken: controlTooLong, explain: () => 'A control frame declares over 125 bytes' },
  // RFC 6455 §5.2: the most significant bit of a 64-bit length MUST be 0. Judged
  // at the first length byte, where `lo` (that byte × 2^56) is exact.
  'length-msb-set': { on: 'length', broken: msbSet, explain: () => 'The most significant bit of a 64-bit length is set' },
  // RFC 6455 §5.2: the minimal number of bytes MUST be used to encode the length.
  'non-minimal-length': { on: 'length', broken: nonMinimal, explain: (_lo, _hi, ext) => `A length under ${minLength(ext)} is not minimally encoded in ${ext * 8} bits` },
  // RFC 6455 §10.4: limits, from the declared length alone, before the payload arrives.
  'frame-too-big': { on: 'length', broken: (lo, hi, ext, used, limit, stream) => !stream && overLimit(lo, hi, ext, used, limit), explain: (lo, _hi, ext, used, limit) => `${used + Math.max(lo, minLength(ext))} bytes or more, over maxPayload ${limit}` },
  'message-too-big': { on: 'length', broken: (lo, hi, ext, used, limit, stream) => !!stream && overLimit(lo, hi, ext, used, limit), explain: (lo, _hi, ext, used, limit) => `${used + Math.max(lo, minLength(ext))} bytes or more, over maxMessageSize ${limit}` },
} as const satisfies { readonly [R in FrameRule]?: HeaderCheck });

/** A rule id of `HEADER_CHECKS`. */
export type HeaderRule = keyof typeof HEADER_CHECKS;
const RULES = /* @__PURE__ */ Object.keys(HEADER_CHECKS) as HeaderRule[];

/** The error for `rule`: what kind of failure, why, and the section that states the rule (from FRAME_RULES). */
const error = (rule: HeaderRule, why: string): ProtocolError => {
  const { closeCode, rfc } = FRAME_RULES[rule];
  return new ProtocolError(rule, `${closeCode === 1009 ? (rule === 'frame-too-big' ? 'Frame' : 'Message') + ' too big' : 'Invalid frame'}: ${why} (${rfc})`);
};

/** The first rule of kind `on` that `args` break, in table order, or undefined. */
function firstBroken(on: HeaderCheck['on'], ...args: number[]): HeaderRule | undefined {
  return RULES.find((rule) => {
    const c = HEADER_CHECKS[rule] as { on: string; broken(...a: number[]): boolean };
    return c.on === on && c.broken(...args);
  });
}

/** Throws for the first rule of kind `on` that `args` break, if any. */
function fail(on: HeaderCheck['on'], ...args: number[]): void {
  const rule = firstBroken(on, ...args);
  if (rule !== undefined) throw error(rule, (HEADER_CHECKS[rule] as { explain(...a: number[]): string }).explain(...args));
}

/**
 * Whether any rule of byte 0 (by its 256 values) or of byte 1 (by role,
 * control or not, and its 256 values: index (mask + 1) * 512 + control * 256
 * + b1) is broken, computed from the table when the module loads. A load per
 * byte keeps the per-frame checks small enough for V8 to inline: running the
 * predicates inline left it too little budget to inline the unmasking
 * (bench/read, decodeFrame on 20-byte frames: 16% slower).
 */
const BAD0 = /* @__PURE__ */ Uint8Array.from({ length: 256 }, (_, i) => +(firstBroken('byte0', i) !== undefined));
const BAD1 = /* @__PURE__ */ Uint8Array.from({ length: 1536 }, (_, i) => +(firstBroken('byte1', i & 255, (i >> 8) & 1, (i >> 9) - 1) !== undefined));

/** Byte 0: RSV1-3, a reserved opcode, a fragmented control frame. */
export function checkByte0(b0: number): void {
  if (BAD0[b0] !== 0) fail('byte0', b0);
}

/** Byte 1: masking for the role (`mask` 1 to require a mask, -1 to forbid it, 0 for either), a control frame's length. */
export function checkByte1(b0: number, b1: number, mask: number): void {
  if (BAD1[(mask + 1) * 512 + (b0 & 8) * 32 + b1] !== 0) fail('byte1', b1, (b0 >> 3) & 1, mask);
}

/**
 * The order of frames in a stream (RFC 6455 §5.4) and `maxFragments`, at byte
 * 0 of a data frame: `open` is the opcode of the message in progress (0 for
 * none) and `fragments` how many frames it has had.
 */
export function checkSequence(opcode: number, open: number, fragments: number, max: number): void {
  if (opcode < 0x8 && (unexpectedContinuation(opcode, open) || expectedContinuation(opcode, open) || tooManyFragments(opcode, open, fragments, max))) fail('sequence', opcode, open, fragments, max);
}

/** Bytes of extended length after byte 1: 0, 2 (code 126) or 8 (code 127). */
export function extendedLengthBytes(b1: number): number {
  const len7 = b1 & 0x7f;
  return len7 < 126 ? 0 : len7 === 126 ? 2 : 8;
}

/**
 * The common case of `checkLength`, small enough to inline per frame: the
 * 7-bit length when it has no extended length and is within the limit, else
 * -1 for `checkLength` to judge. Of the length rules only `overLimit` applies
 * to a 7-bit length, and with no extended length it reduces to the sum below.
 * Calling `checkLength` (or `overLimit`, with its Math.max) for every small
 * frame left V8 too little inlining budget for the unmasking: decodeFrame ran
 * 12-19% slower on 20-byte frames (bench/read).
 */
export function shortLength(b1: number, used: number, limit: number): number {
  const len = b1 & 0x7f;
  return len < 126 && used + len <= limit ? len : -1;
}

/**
 * Judges the payload length while its bytes arrive, and returns it once they
 * all have (-1 until then). `b1` is byte 1; `have` of the `ext` extended
 * length bytes are at `bytes[offset]`. After each byte it fails as soon as no
 * value of the bytes still to come could make the frame valid (the
 * `length` checks, 1002 before 1009 at the same byte), so any chunking gives
 * the same error at the same byte. `used + length` is held to `limit`, a
 * message's when `stream` (MessageReader), else a frame's (decodeFrame).
 */
export function checkLength(b1: number, bytes: Uint8Array, offset: number, have: number, used: number, limit: number, stream: boolean): number {
  const ext = extendedLengthBytes(b1);
  let value = ext === 0 ? b1 & 0x7f : 0;
  for (let i = 0; i <= have; i++) {
    if (i > 0) value = value * 256 + bytes[offset + i - 1];
    // Above 2^53 a number loses precision; such a length is over any finite
    // limit, and with none the payload is read as it arrives, never allocated from it.
    const scale = 256 ** (ext - i);
    const lo = value * scale, hi = lo + scale - 1;
    // The MSB is judged at the first length byte, where `lo` is still exact
    // (2^63 - 1 rounds to 2^63 as a number); once it passed there, no later
    // byte can break another rule while a rounded `lo` reaches 2^63 (any
    // finite limit is under 2^53, so the first byte decided it).
    if ((i === 1 && msbSet(lo, hi, ext)) || nonMinimal(lo, hi, ext) || overLimit(lo, hi, ext, used, limit)) fail('length', lo, hi, ext, used, limit, +stream);
  }
  return have === ext ? value : -1;
}
