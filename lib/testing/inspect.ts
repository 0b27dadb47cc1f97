// Browser compatible. The frame inspector: what a frame holds, field by field
// with its byte range, and every rule it breaks, not only the first. It judges
// headers with the table `decodeFrame` and `MessageReader` use (HEADER_CHECKS,
// frame/_header.ts) and reports the ids of FRAME_RULES, each at the byte that
// decides it, in the order the strict readers would meet them: so the first
// violation is what they throw (spec/testing/agreement.spec.mjs holds them to it).
import { FRAME_RULES, type FrameRule } from '../rules.ts';
import { frameTypeName, isValidCloseCode, type OpcodeName } from '../rfc6455.ts';
import { HEADER_CHECKS, extendedLengthBytes, type HeaderRule } from '../frame/_header.ts';
import { DECODER, asBytes } from '../primitives/_bytes.ts';
import { checkKeys, readLimit } from '../primitives/_options.ts';
import { Utf8Validator } from '../primitives/_utf8.ts';

/** Options of `inspectFrame` and `inspectFrames`. */
export interface InspectOptions {
  /** The role of the side RECEIVING the frames: `'server'` (default) expects them masked, `'client'` unmasked (RFC 6455 §5.1). */
  role?: 'server' | 'client';
  /** The extensions negotiated, by name (parameters after `;` are ignored): `'permessage-deflate'` allows RSV1 on the first frame of a data message (RFC 7692 §6). Default none. */
  extensions?: readonly string[];
  /** The largest payload a frame may declare, as `decodeFrame`'s `maxPayload`: a non-negative integer or `Infinity`. Default `Infinity` (no limit). */
  maxPayload?: number;
}

/** A frame's header as far as the bytes go: a field is null until its bytes are there. */
export interface InspectedHeader {
  fin: boolean | null;
  rsv1: boolean | null;
  rsv2: boolean | null;
  rsv3: boolean | null;
  opcode: number | null;
  opcodeName: OpcodeName | null;
  masked: boolean | null;
  /** The 4-byte masking key, when the frame is masked and the key is there. */
  maskKey: Uint8Array | null;
  /** The length field's size in bits: 7, 16 (7-bit code 126) or 64 (code 127). */
  lengthEncoding: 7 | 16 | 64 | null;
  /** The declared payload length: a number, or a bigint above 2^53 - 1 (exact either way). */
  payloadLength: number | bigint | null;
  /** Bytes before the payload: 2, the extended length, the masking key. */
  headerLength: number | null;
}

/** The name of a field of `FrameInspection.fields`. */
export type FrameFieldName = 'fin' | 'rsv1' | 'rsv2' | 'rsv3' | 'opcode' | 'mask' | 'length' | 'extendedLength' | 'maskKey' | 'payload' | 'closeCode' | 'closeReason';

/** One field of a frame, for annotating its bytes. */
export interface FrameField {
  name: FrameFieldName;
  /** Absolute offset in the inspected bytes of the field's first byte. */
  start: number;
  /** Absolute offset just past its last byte present (a field cut short by the end of the bytes ends there). */
  end: number;
  /** For a field of a few bits (fin to length): their mask within the byte at `start`, such as 0x80 for `fin`; null for whole bytes. */
  bits: number | null;
  /** The field's value: a boolean for a flag, a number (or bigint) for the opcode, lengths and the close code, the bytes of the key and the unmasked payload, the close reason as text (U+FFFD for bad bytes); null when cut short. */
  value: boolean | number | bigint | string | Uint8Array | null;
}

/** One rule a frame breaks. */
export interface FrameViolation {
  /** The rule's stable id, a key of `FRAME_RULES`. */
  rule: FrameRule;
  /** The close code to fail the connection with (RFC 6455 §7.4.1). */
  closeCode: number;
  /** Absolute offset in the inspected bytes of the byte that breaks the rule: the first after which no following byte could make the frame valid. */
  byte: number;
  /** The section that states the rule, such as `'RFC 6455 §5.2'`. */
  rfc: string;
  /** Why, in words. */
  message: string;
}

/** What `inspectFrame` found in one frame. */
export interface FrameInspection {
  /** Where the frame starts in the inspected bytes. */
  offset: number;
  /** True when every byte the header declares is there. */
  complete: boolean;
  /** Bytes the frame spans: header and payload when complete, else every byte from `offset` on. */
  byteLength: number;
  header: InspectedHeader;
  /** The payload bytes present, unmasked (a copy): all of it when `complete`; null before the header is whole. */
  payload: Uint8Array | null;
  /** The fields in byte order, as far as the bytes go; `closeCode` and `closeReason` lie inside `payload`. */
  fields: FrameField[];
  /** Every rule the frame breaks as far as the bytes go, by `byte`, then in the order the readers judge them. */
  violations: FrameViolation[];
}

const WHERE = 'Cannot inspect frame';
const KEYS = ['role', 'extensions', 'maxPayload'];

/** The options, read once: `mask` 1 to require masked frames, -1 to refuse them; `rsv` the RSV bits the extensions claim. */
interface Settings { readonly mask: number; readonly rsv: number; readonly limit: number }

/**
 * The order of rules met at the same byte: the RSV bits an extension claims
 * first (MessageReader judges them before the rest of byte 0), then the
 * header table in its own order, then the payload rules.
 */
const ORDER: readonly FrameRule[] = ['rsv1-not-first-frame', ...(Object.keys(HEADER_CHECKS) as HeaderRule[]), 'close-body-one-byte', 'invalid-close-code', 'close-reason-invalid-utf8', 'invalid-utf8'];
type AnyCheck = { on: string; broken(...a: number[]): boolean; explain(...a: number[]): string };
const checksOn = (on: string): [HeaderRule, AnyCheck][] => (Object.entries(HEADER_CHECKS) as [HeaderRule, AnyCheck][]).filter(([, c]) => c.on === on);
const BYTE0 = /* @__PURE__ */ checksOn('byte0'), SEQUENCE = /* @__PURE__ */ checksOn('sequence'), BYTE1 = /* @__PURE__ */ checksOn('byte1'), LENGTH = /* @__PURE__ */ checksOn('length');

function readSettings(options: InspectOptions | undefined): Settings {
  let role: unknown = 'server', extensions: unknown, max: unknown;
  if (options !== undefined) {
    checkKeys(options, KEYS, WHERE);
    ({ role = 'server', extensions, maxPayload: max } = options);
  }
  if (role !== 'server' && role !== 'client') throw new TypeError(`${WHERE}: role must be 'server' or 'client', got ${typeof role === 'string' ? JSON.stringify(role) : typeof role}`);
  let rsv = 0;
  if (extensions !== undefined) {
    if (!Array.isArray(extensions) || extensions.some((e) => typeof e !== 'string')) throw new TypeError(`${WHERE}: Expected extensions to be an array of strings`);
    // RFC 7692 §6: permessage-deflate claims RSV1 ("Per-Message Compressed").
    for (const e of extensions as string[]) if (e.split(';')[0].trim().toLowerCase() === 'permessage-deflate') rsv = 0x40;
  }
  return { mask: role === 'server' ? 1 : -1, rsv, limit: readLimit(max, Infinity, 'maxPayload', WHERE) };
}

/** The fragmented message a stream has open (RFC 6455 §5.4): its opcode (0 for none) and frames so far. */
interface Sequence { open: number; fragments: number }

/**
 * Inspects the frame at `bytes[offset]`. `seq` is the stream's open message
 * (null for a frame alone: no order rule is judged); `text` the UTF-8
 * validator of the text message the payload belongs to (null: not judged),
 * which the payload ends when `fin` is set.
 */
function inspectAt(bytes: Uint8Array, offset: number, s: Settings, seq: Sequence | null, text: Utf8Validator | null): FrameInspection {
  const n = bytes.length - offset;
  const fields: FrameField[] = [];
  const violations: FrameViolation[] = [];
  const header: InspectedHeader = { fin: null, rsv1: null, rsv2: null, rsv3: null, opcode: null, opcodeName: null, masked: null, maskKey: null, lengthEncoding: null, payloadLength: null, headerLength: null };
  const result: FrameInspection = { offset, complete: false, byteLength: n, header, payload: null, fields, violations };
  const add = (rule: FrameRule, byte: number, message: string): void => {
    const { closeCode, rfc } = FRAME_RULES[rule];
    violations.push({ rule, closeCode, byte, rfc, message });
  };
  const field = (name: FrameFieldName, start: number, end: number, bits: number | null, value: FrameField['value']): void => {
    fields.push({ name, start, end, bits, value });
  };
  try {
    if (n < 1) return result;
    // Byte 0 (RFC 6455 §5.2): FIN, RSV1-3, opcode.
    const b0 = bytes[offset], opcode = b0 & 0x0f, fin = (b0 & 0x80) !== 0;
    header.fin = fin; header.rsv1 = (b0 & 0x40) !== 0; header.rsv2 = (b0 & 0x20) !== 0; header.rsv3 = (b0 & 0x10) !== 0;
    header.opcode = opcode; header.opcodeName = frameTypeName(opcode);
    field('fin', offset, offset + 1, 0x80, fin);
    field('rsv1', offset, offset + 1, 0x40, header.rsv1);
    field('rsv2', offset, offset + 1, 0x20, header.rsv2);
    field('rsv3', offset, offset + 1, 0x10, header.rsv3);
    field('opcode', offset, offset + 1, 0x0f, opcode);
    // RFC 7692 §6.1: the bits an extension claims are allowed on the first frame of a
    // data message only; what is left of byte 0 is judged by the table, as MessageReader does.
    const claimed = b0 & s.rsv;
    if (claimed !== 0 && opcode !== 0x1 && opcode !== 0x2) add('rsv1-not-first-frame', offset, `RSV1 is set on a ${header.opcodeName} frame, which does not start a message`);
    const rest = b0 & ~claimed;
    for (const [rule, c] of BYTE0) if (c.broken(rest)) add(rule, offset, c.explain(rest));
    if (seq !== null && opcode < 0x8) {
      // No fragment limit here: maxFragments is MessageReader's own budget.
      for (const [rule, c] of SEQUENCE) if (c.broken(opcode, seq.open, seq.fragments, Infinity)) add(rule, offset, c.explain(opcode, seq.open, seq.fragments, Infinity));
    }
    if (n < 2) return result;
    // Byte 1: MASK and the 7-bit length.
    const b1 = bytes[offset + 1], masked = (b1 & 0x80) !== 0, ext = extendedLengthBytes(b1);
    const control = opcode >= 0x8 ? 1 : 0;
    header.masked = masked;
    header.lengthEncoding = ext === 0 ? 7 : ext === 2 ? 16 : 64;
    const size = 2 + ext + (masked ? 4 : 0);
    header.headerLength = size;
    field('mask', offset + 1, offset + 2, 0x80, masked);
    field('length', offset + 1, offset + 2, 0x7f, b1 & 0x7f);
    for (const [rule, c] of BYTE1) if (c.broken(b1, control, s.mask)) add(rule, offset + 1, c.explain(b1));
    // The length rules after each length byte, as checkLength judges them, so
    // that each is reported at the byte that decides it.
    const have = Math.min(n - 2, ext);
    let value = ext === 0 ? b1 & 0x7f : 0;
    const found = new Set<FrameRule>();
    for (let i = 0; i <= have; i++) {
      if (i > 0) value = value * 256 + bytes[offset + 1 + i];
      const scale = 256 ** (ext - i);
      const lo = value * scale, hi = lo + scale - 1;
      for (const [rule, c] of LENGTH) {
        // The MSB only at the first length byte, where `lo` is exact (see checkLength).
        if (found.has(rule) || (rule === 'length-msb-set' && i !== 1)) continue;
        if (c.broken(lo, hi, ext, 0, s.limit, 0)) { found.add(rule); add(rule, offset + 1 + i, c.explain(lo, hi, ext, 0, s.limit)); }
      }
    }
    if (ext > 0) field('extendedLength', offset + 2, offset + 2 + have, null, null);
    if (have < ext) return result;
    let exact = 0n;
    for (let i = 0; i < ext; i++) exact = exact * 256n + BigInt(bytes[offset + 2 + i]);
    const length = ext === 0 ? b1 & 0x7f : exact <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(exact) : exact;
    header.payloadLength = length;
    if (ext > 0) fields[fields.length - 1].value = length;
    // RFC 6455 §5.5.1: a Close body starts with a 2-byte code; known from the length alone.
    if (opcode === 0x8 && length === 1) add('close-body-one-byte', offset + 1 + ext, 'A 1-byte payload cannot hold a status code');
    const keyAt = offset + 2 + ext;
    if (masked) {
      const got = Math.min(4, n - 2 - ext);
      const key = got === 4 ? new Uint8Array(bytes.subarray(keyAt, keyAt + 4)) : null;
      header.maskKey = key;
      field('maskKey', keyAt, keyAt + got, null, key);
    }
    if (n < size) return result;
    const start = offset + size, left = n - size;
    // A number above 2^53 rounds, but stays above any length of bytes present.
    const want = Number(length);
    const take = Math.min(left, want);
    result.complete = want <= left;
    if (result.complete) result.byteLength = size + want;
    // A copy (a Node Buffer's `slice` would be a view, and unmasking it would change the caller's bytes).
    const payload = new Uint8Array(bytes.subarray(start, start + take));
    const key = header.maskKey;
    // RFC 6455 §5.3: octet i is XORed with key octet i mod 4.
    if (key !== null) for (let i = 0; i < take; i++) payload[i] ^= key[i & 3];
    result.payload = payload;
    field('payload', start, start + take, null, payload);
    if (opcode === 0x8 && take >= 2) {
      const code = (payload[0] << 8) | payload[1];
      field('closeCode', start, start + 2, null, code);
      // RFC 6455 §7.4: judged as soon as both bytes of the code are in.
      if (!isValidCloseCode(code)) add('invalid-close-code', start + 1, `Status code ${code} may not be sent`);
      field('closeReason', start + 2, start + take, null, DECODER.decode(payload.subarray(2)));
      // RFC 6455 §5.5.1: the reason is UTF-8.
      const v = new Utf8Validator();
      const bad = v.write(payload, 2, take);
      if (bad >= 0) add('close-reason-invalid-utf8', start + bad, `The reason is not UTF-8 at byte ${bad - 2} of the reason`);
      else if (result.complete && !v.complete) add('close-reason-invalid-utf8', start + take - 1, 'The reason ends inside a UTF-8 sequence');
    }
    if (text !== null) {
      // RFC 6455 §8.1: text is UTF-8, judged at the first byte no continuation can make valid.
      const bad = text.write(payload, 0, take);
      if (bad >= 0) add('invalid-utf8', start + bad, `Not UTF-8 at byte ${bad} of the frame's payload`);
      else if (result.complete && fin && !text.complete) add('invalid-utf8', start + take - 1, 'The message ends inside a UTF-8 sequence');
    }
  } finally {
    violations.sort((a, b) => a.byte - b.byte || ORDER.indexOf(a.rule) - ORDER.indexOf(b.rule));
  }
  return result;
}

/** The input as bytes and the offset, checked: the caller's mistakes throw, the bytes never do. */
function readInput(input: unknown, offset: unknown): Uint8Array {
  const bytes = asBytes(input, WHERE, '', 'bytes');
  if (typeof offset !== 'number') throw new TypeError(`${WHERE}: Expected offset to be a number, got ${typeof offset}`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > bytes.length) throw new RangeError(`${WHERE}: offset must be an integer from 0 to ${bytes.length}, got ${offset}`);
  return bytes;
}

/**
 * Inspects one frame: its fields with their byte ranges, its payload
 * unmasked, and every rule it breaks, each with its close code, the byte that
 * breaks it and the RFC section. Never throws for any bytes: a frame cut
 * short reports what its bytes decide (`complete` false). A frame alone has
 * no place in a message, so the order rules (RFC 6455 §5.4) are judged by
 * `inspectFrames` only, and UTF-8 on a text frame's own payload (to its end
 * when FIN is set). A first violation of `rsv-without-extension`,
 * `reserved-opcode`, `fragmented-control`, `control-too-long`,
 * `length-msb-set`, `non-minimal-length`, `client-frame-unmasked` or
 * `frame-too-big` is what `decodeFrame` throws for the same bytes and options.
 *
 * @param input The bytes: a `Uint8Array`, an `ArrayBuffer` or any `ArrayBufferView` (its own window only); never modified.
 * @param offset Where the frame starts (default 0); offsets in the result are absolute in `input`.
 * @param options `role`, `extensions` and `maxPayload` (see `InspectOptions`).
 * @returns What the frame holds and breaks (see `FrameInspection`).
 * @throws {TypeError} When `input` is not bytes, `offset` is not a number, an option has the wrong type, or an option key is unknown.
 * @throws {RangeError} When `offset` is not an integer from 0 to the length of `input`, or `maxPayload` is not a non-negative integer or `Infinity`.
 * @example The RFC 6455 §5.7 "Hello", unmasked, as a server receives it
 * ```ts
 * const r = inspectFrame(Uint8Array.of(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
 * r.header.opcodeName; // 'text'
 * r.violations.map((v) => `${v.rule} ${v.closeCode} at byte ${v.byte}`); // ['client-frame-unmasked 1002 at byte 1']
 * ```
 */
export function inspectFrame(input: Uint8Array | ArrayBuffer | ArrayBufferView, offset = 0, options?: InspectOptions): FrameInspection {
  const bytes = readInput(input, offset);
  const s = readSettings(options);
  const b0 = offset < bytes.length ? bytes[offset] : 0;
  // A text frame's own payload is UTF-8, unless an extension compressed it.
  return inspectAt(bytes, offset, s, null, (b0 & 0x0f) === 0x1 && (b0 & s.rsv) === 0 ? new Utf8Validator() : null);
}

/**
 * Walks a stream of frames from its start and inspects each, as
 * `inspectFrame` does, adding the rules of their order: a continuation with
 * no message to continue, a new message while one is open (RFC 6455 §5.4),
 * and UTF-8 across the frames of a text message (RFC 6455 §8.1; not for a
 * message an extension compressed). A violation does not stop the walk; a
 * frame cut short by the end of the bytes is the last result
 * (`complete` false). Frames after a Close are inspected too, though a reader
 * discards them (RFC 6455 §5.5.1).
 *
 * @param input The bytes of the stream: a `Uint8Array`, an `ArrayBuffer` or any `ArrayBufferView`; never modified.
 * @param options `role`, `extensions` and `maxPayload` (see `InspectOptions`).
 * @returns One inspection per frame, in order; offsets are absolute in `input`.
 * @throws {TypeError} When `input` is not bytes, an option has the wrong type, or an option key is unknown.
 * @throws {RangeError} When `maxPayload` is not a non-negative integer or `Infinity`.
 * @example A continuation with no message before it
 * ```ts
 * const frames = inspectFrames(Uint8Array.of(0x80, 0x00), { role: 'client' });
 * frames[0].violations[0].rule; // 'unexpected-continuation'
 * ```
 */
export function inspectFrames(input: Uint8Array | ArrayBuffer | ArrayBufferView, options?: InspectOptions): FrameInspection[] {
  const bytes = readInput(input, 0);
  const s = readSettings(options);
  const seq: Sequence = { open: 0, fragments: 0 };
  const out: FrameInspection[] = [];
  let at = 0;
  // The validator of the open text message; null when none is open, it is compressed, or it already failed.
  let text: Utf8Validator | null = null;
  while (at < bytes.length) {
    const b0 = bytes[at], opcode = b0 & 0x0f, fin = (b0 & 0x80) !== 0;
    const data = opcode < 0x3;
    const starts = opcode === 0x1 || opcode === 0x2;
    const mine: Utf8Validator | null = starts ? (opcode === 0x1 && (b0 & s.rsv) === 0 ? new Utf8Validator() : null) : opcode === 0 && seq.open !== 0 ? text : null;
    const r = inspectAt(bytes, at, s, seq, mine);
    out.push(r);
    // The message in progress, as a reader would keep it: a new one replaces an open one.
    if (data && (starts || seq.open !== 0)) {
      if (starts) { seq.open = opcode; seq.fragments = 0; text = mine; }
      seq.fragments++;
      if (r.violations.some((v) => v.rule === 'invalid-utf8')) text = null;
      if (fin) { seq.open = 0; seq.fragments = 0; text = null; }
    }
    if (!r.complete) break;
    at += r.byteLength;
  }
  return out;
}
