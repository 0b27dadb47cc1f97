// Browser compatible. A streaming message reader (RFC 6455 §5, §6.2): bytes in,
// whole messages out, whatever the chunking. It is a state machine in the
// shape of ws's receiver: each state returns early when it needs more bytes.
import { ProtocolError } from '../errors.ts';
import { DECODER, asBytes } from '../primitives/_bytes.ts';
import { SMALL_COPY, copyMasked, xorKey, xorKeyAt, xorKeyCopy, xorKeyInto } from '../primitives/_mask.ts';
import { ONE, Utf8Validator } from '../primitives/_utf8.ts';
import { isValidCloseCode } from '../rfc6455.ts';
import { checkByte0, checkByte1, checkLength, checkSequence, extendedLengthBytes, shortLength } from '../frame/_header.ts';
import { parseClosePayload } from '../frame/close.ts';
import type { Message, MessageReaderOptions, MessageTransform } from './message.ts';
import { shortAscii, shortBytes } from './_short-text.ts';
import { readReaderOptions } from './_options.ts';

/** A 1-byte Close body, whatever its byte: what `parseClosePayload` refuses with `close-body-one-byte`. */
const ONE_BYTE = /* @__PURE__ */ new Uint8Array(1);
const EMPTY = /* @__PURE__ */ new Uint8Array(0);
/**
 * The masking key as the bytes the XOR loops take (a Uint8Array, as every
 * other caller passes), shared by every reader: each piece of a payload
 * writes its frame's key there first. A reader keeps its key as one number,
 * not an array of its own: 80 B less per connection (issue 14).
 */
const KEY = /* @__PURE__ */ new Uint8Array(4);
const KEY_VIEW = /* @__PURE__ */ new DataView(KEY.buffer);

/** The states, numbered as ws's receiver numbers its own. */
const GET_HEADER = 0, GET_PAYLOAD = 1, CLOSED = 2, FAILED = 3;

/**
 * Reassembles messages from a byte stream that arrives in arbitrary chunks
 * (RFC 6455 §5.4, §6.2). It validates every rule as soon as the byte it
 * needs arrives: RSV bits, opcodes, masking, control frame sizes, fragment
 * order, limits and UTF-8 — fail-fast, inside frames and across them.
 *
 * It ends in one of two states, for good. Once it has returned a Close frame
 * (`closed` is true) it reads nothing more: bytes after the Close, in the same
 * chunk or later, are discarded and `push` returns `[]` (RFC 6455 §5.5.1: no
 * data frame follows a Close). Once `push` has thrown (`error` holds what it
 * threw, and `closed` is true too), every later `push` throws that same error.
 *
 * @example A server's read loop
 * ```ts
 * const reader = new MessageReader({ role: 'server' });
 * socket.on('data', (chunk) => {
 *   try {
 *     for (const m of reader.push(chunk)) {
 *       if (m.type === 'text') socket.write(encodeTextFrame(m.data));
 *       else if (m.type === 'ping') socket.write(encodePongFrame(m.data));
 *       else if (m.type === 'close') socket.end(encodeCloseFrame(m.code === 1005 ? undefined : m.code));
 *     }
 *   } catch (e) {
 *     if (e instanceof ProtocolError) socket.end(encodeCloseFrame(e.closeCode));
 *   }
 * });
 * ```
 */
export class MessageReader {
  private readonly _mask: number;
  private readonly _maxMessage: number;
  private readonly _maxFragments: number;
  private readonly _inPlace: boolean;
  /** The extension, whose `rsv` bits (checked once, by readReaderOptions) are read only when a frame sets an RSV bit. */
  private readonly _ext: MessageTransform | null;
  private _state = GET_HEADER;
  private _error: unknown = null;
  /** The header being read, when it spans chunks; let go once complete: an idle reader holds none (issue 14). */
  private _hdr: Uint8Array | null = null;
  private _hdrLen = 0;
  // The frame being read.
  private _b0 = 0;
  /** The frame's masking key as one big-endian word; 0 for an unmasked frame (a zero key masks nothing either). */
  private _key = 0;
  private _frameLen = 0;
  private _framePos = 0;
  /** A control frame's payload, when it spans chunks; let go once complete, as `_hdr`. */
  private _ctl: Uint8Array | null = null;
  // The data message being assembled.
  private _msgOpcode = 0;
  private _msgLen = 0;
  private _fragments = 0;
  private _buf: Uint8Array | null = null;
  /** The extension's RSV bits when the message in progress set them, else 0: its payload goes through `_ext`. */
  private _msgRsv = 0;
  /**
   * The validator of a text message in pieces, carried between them, made
   * when it starts and let go when it ends: 48 B less per idle connection
   * (issue 14). A message in one frame is validated by the shared `ONE`.
   */
  private _utf8: Utf8Validator | null = null;

  /**
   * @param options `role`, `maxMessageSize`, `maxFragments` and `unmaskInPlace` (see `MessageReaderOptions`); each read once.
   * @throws {TypeError} When an option has the wrong type, `role` is unknown, or an option key is unknown (the message names the nearest known one).
   * @throws {RangeError} When a limit is not a non-negative integer or `Infinity`.
   */
  constructor(options?: MessageReaderOptions) {
    const o = readReaderOptions(options);
    this._mask = o.mask;
    this._maxMessage = o.maxMessage;
    this._maxFragments = o.maxFragments;
    this._inPlace = o.inPlace;
    this._ext = o.ext;
  }

  /** True once the reader has ended: it returned a Close frame, or `push` threw. It reads nothing more. */
  get closed(): boolean {
    return this._state >= CLOSED;
  }

  /** What `push` threw (a `ProtocolError` for bad input), which every later `push` throws again; null until then. */
  get error(): unknown {
    return this._state === FAILED ? this._error : null;
  }

  /**
   * Reads the next chunk of the stream.
   *
   * @param chunk The bytes received: a `Uint8Array`, an `ArrayBuffer` or any `ArrayBufferView` (its own window only; never modified or kept, unless `unmaskInPlace`).
   * @returns Every message and control frame these bytes complete, in order. Once a Close frame was returned, `[]`: bytes after it, in its chunk or later, are discarded (RFC 6455 §5.5.1).
   * @throws {ProtocolError} When the stream breaks RFC 6455, at the first byte that does, with the `rule` broken: 1002 for framing and order (`rsv-without-extension`, `rsv1-not-first-frame` (RSV bits an extension claims, on a frame that does not start a message: RFC 7692 §6.1), `reserved-opcode`, `fragmented-control`, `control-too-long`, `non-minimal-length`, `length-msb-set`, `client-frame-unmasked` or `server-frame-masked` for the role, `unexpected-continuation`, `expected-continuation`) and the Close payload (`close-body-one-byte`, `invalid-close-code`); 1007 `invalid-utf8` or `close-reason-invalid-utf8`; 1009 `message-too-big` (over `maxMessageSize`, known from the header alone) or `too-many-fragments` (over `maxFragments`). Its `messages` holds what the chunk completed before the error. Every later call throws the same error again, with `messages` emptied (they were handed out once).
   * @throws {TypeError} When `chunk` is not bytes.
   * @example Feed a socket's chunks
   * ```ts
   * for (const message of reader.push(chunk)) handle(message);
   * ```
   */
  push(chunk: Uint8Array | ArrayBuffer | ArrayBufferView): Message[] {
    // The instanceof test first: a Uint8Array, the common input, costs one check.
    const bytes = chunk instanceof Uint8Array ? chunk : asBytes(chunk, 'Cannot read', '', 'the chunk');
    if (this._state >= CLOSED) {
      if (this._state === CLOSED) return [];
      const e = this._error;
      if (e instanceof ProtocolError) e.messages = [];
      throw e;
    }
    const out: Message[] = [];
    try {
      return this._run(bytes, out);
    } catch (e) {
      this._state = FAILED;
      this._error = e;
      this._buf = null;
      if (e instanceof ProtocolError) e.messages = out;
      throw e;
    }
  }

  /** Reads `chunk` into `out`, and returns the messages it completed: `out`, or a one-message array of its own. */
  private _run(chunk: Uint8Array, out: Message[]): Message[] {
    const n = chunk.length;
    let pos = 0;
    while (pos < n) {
      if (this._state === GET_PAYLOAD) {
        const take = Math.min(this._frameLen - this._framePos, n - pos);
        this._payload(chunk, pos, take, out);
        pos += take;
        continue;
      }
      if (this._state !== GET_HEADER) return out; // closed: the rest is discarded
      // The common case: a whole header in this chunk, read in place, with
      // the same checks as `_header`, which reads a header split across
      // chunks byte by byte. It pays: without it 20-byte text frames read
      // 13-24% slower (7.4 against 6.5 M/s, short-text path off; Node 20, bench/read frames).
      if (this._hdrLen === 0 && n - pos >= 2) {
        const b0 = chunk[pos], b1 = chunk[pos + 1];
        this._checkStart(b0);
        checkByte1(b0, b1, this._mask);
        const ext = extendedLengthBytes(b1);
        const keyAt = pos + 2 + ext;
        const size = keyAt - pos + (b1 & 0x80 ? 4 : 0);
        if (n - pos >= size) {
          const len = this._length(b0, b1, chunk, pos + 2, ext);
          // The commonest frame of all, a short text message in one frame
          // that arrived whole (its header passed every check above), straight
          // from the chunk to a string. It pays: 17.5 M/s against 7.4 M/s
          // through _frame and _payload (20-byte masked text, 1 or 2520 a
          // chunk; Node 20, bench/read frames).
          if (b0 === 0x81 && len < SMALL_COPY && n - pos - size >= len) {
            this._keyFrom(b1, chunk, keyAt);
            const m: Message = { type: 'text', data: this._shortText(chunk, pos + size, len) };
            pos += size + len;
            // A chunk of one frame: a one-element array costs a third of
            // growing `out` for its first element.
            if (pos === n && out.length === 0) return [m];
            out.push(m);
            continue;
          }
          pos += size;
          this._frame(b0, b1, len, chunk, keyAt, out);
          continue;
        }
      }
      pos = this._header(chunk, pos, n, out);
    }
    return out;
  }

  /** Reads header bytes one at a time into `_hdr`, checking each as it lands. */
  private _header(chunk: Uint8Array, pos: number, n: number, out: Message[]): number {
    const h = (this._hdr ??= new Uint8Array(14));
    while (pos < n) {
      const k = ++this._hdrLen;
      h[k - 1] = chunk[pos++];
      if (k === 1) { this._checkStart(h[0]); continue; }
      if (k === 2) checkByte1(h[0], h[1], this._mask);
      const ext = extendedLengthBytes(h[1]);
      // Judged after each length byte; the length fails before the key arrives.
      const len = this._length(h[0], h[1], h, 2, Math.min(k - 2, ext));
      if (len < 0 || k < 2 + ext + (h[1] & 0x80 ? 4 : 0)) continue;
      this._hdrLen = 0;
      this._hdr = null;
      this._frame(h[0], h[1], len, h, 2 + ext, out);
      return pos;
    }
    return pos;
  }

  /** Byte 0 alone: RSV, opcode, and whether it fits the message in progress (RFC 6455 §5.4). */
  private _checkStart(b0: number): void {
    checkByte0((b0 & 0x70) === 0 ? b0 : this._claim(b0));
    checkSequence(b0 & 0x0f, this._msgOpcode, this._fragments, this._maxFragments);
  }

  /**
   * RSV bits on byte 0: those the extension claims are allowed on the first
   * frame of a data message, which then goes through `_ext` (RFC 7692 §6.1:
   * never on a continuation or control frame). Returns `b0` without them, for
   * `checkByte0` to judge what is left.
   */
  private _claim(b0: number): number {
    const bits = b0 & (this._ext?.rsv ?? 0);
    if (bits === 0) return b0;
    const opcode = b0 & 0x0f;
    if (opcode !== 0x1 && opcode !== 0x2) throw new ProtocolError('rsv1-not-first-frame', 'Invalid frame: RSV bits on a frame that does not start a message (RFC 7692 §6.1)');
    this._msgRsv = bits;
    return b0 & ~bits;
  }

  /**
   * The payload length from byte 1 and `have` extended length bytes at
   * `src[at]`, once complete (-1 before). A data frame's counts against
   * `maxMessageSize` with the message so far; a Close frame's may not be 1.
   */
  private _length(b0: number, b1: number, src: Uint8Array, at: number, have: number): number {
    const control = (b0 & 0x08) !== 0;
    // A decoded message is held to the limit by what it decodes to (`_inflate`), not by its bytes on the wire.
    const used = control ? 0 : this._msgLen, limit = control || this._msgRsv !== 0 ? Infinity : this._maxMessage;
    let len = shortLength(b1, used, limit);
    if (len < 0) len = checkLength(b1, src, at, have, used, limit, true);
    // RFC 6455 §5.5.1: a Close body starts with a 2-byte code; known from the
    // length alone, so judged now by the same rule as a received body.
    if (len === 1 && (b0 & 0x0f) === 0x8) parseClosePayload(ONE_BYTE);
    return len;
  }

  /** A header is complete: set up the frame, and finish it at once if it is empty. */
  private _frame(b0: number, b1: number, len: number, src: Uint8Array, keyAt: number, out: Message[]): void {
    const opcode = b0 & 0x0f;
    if (opcode < 0x8) {
      if (opcode !== 0) { this._msgOpcode = opcode; this._fragments = 0; }
      this._fragments++;
    }
    this._b0 = b0;
    this._keyFrom(b1, src, keyAt);
    this._frameLen = len;
    this._framePos = 0;
    this._state = GET_PAYLOAD;
    if (len === 0) this._end(null, out);
  }

  /** The frame's masking key from `src[at]`, or 0 (a no-op XOR) for an unmasked frame. */
  private _keyFrom(b1: number, src: Uint8Array, at: number): void {
    this._key = b1 & 0x80 ? (src[at] << 24) | (src[at + 1] << 16) | (src[at + 2] << 8) | src[at + 3] : 0;
  }

  /** `take` payload bytes of the current frame at `chunk[pos]`. */
  private _payload(chunk: Uint8Array, pos: number, take: number, out: Message[]): void {
    const opcode = this._b0 & 0x0f;
    // KEY may hold another frame's key since this one's header (another
    // reader's, or one an extension's decode read): set for every piece.
    const key = this._key;
    KEY_VIEW.setInt32(0, key);
    const whole = this._framePos === 0 && take === this._frameLen;
    if (opcode >= 0x8) {
      if (whole) {
        this._end(this._copy(chunk, pos, take), out);
        return;
      }
      const ctl = (this._ctl ??= new Uint8Array(this._frameLen));
      ctl.set(chunk.subarray(pos, pos + take), this._framePos);
      if (key !== 0) xorKey(ctl.subarray(this._framePos, this._framePos + take), KEY, this._framePos & 3);
      const had = this._framePos;
      this._framePos += take;
      // A Close code is judged as soon as its two bytes are in (RFC 6455 §7.4).
      if (opcode === 0x8 && had < 2 && this._framePos >= 2 && !isValidCloseCode((ctl[0] << 8) | ctl[1])) parseClosePayload(ctl.subarray(0, 2));
      // Made at the frame's size, and handed out as its payload: no copy.
      if (this._framePos === this._frameLen) {
        this._ctl = null;
        this._end(ctl, out);
      }
      return;
    }
    if (this._msgRsv !== 0) {
      // Unmasked from where the frame's key stands at this piece (its position mod 4).
      const piece = chunk.subarray(pos, pos + take);
      this._inflate(key !== 0 ? xorKeyCopy(piece, KEY, this._framePos & 3) : piece, false);
      this._framePos += take;
      if (this._framePos === this._frameLen) this._end(null, out);
      return;
    }
    // A message in one frame that arrived whole: no accumulation buffer.
    if (whole && this._msgLen === 0 && this._b0 & 0x80) {
      const data = this._copy(chunk, pos, take);
      if (this._msgOpcode === 0x1) this._validate(data, 0, take, ONE.reset());
      this._framePos = take;
      this._end(data, out);
      return;
    }
    const start = this._msgLen;
    const need = start + take;
    // Never past the end of the final frame, so that a message in one frame
    // ends in a buffer of exactly its size.
    const buf = this._grow(start, need, this._b0 & 0x80 ? start - this._framePos + this._frameLen : this._maxMessage);
    // Copy and unmask in one pass (one copy with the SIMD kernel, not set then XOR).
    const src = chunk.subarray(pos, pos + take);
    if (key !== 0) xorKeyInto(src, buf, start, KEY, this._framePos & 3);
    else buf.set(src, start);
    if (this._msgOpcode === 0x1) this._validate(buf, start, need);
    this._msgLen = need;
    this._framePos += take;
    if (this._framePos === this._frameLen) this._end(null, out);
  }

  /**
   * Passes a piece of an extension's message through its `decode` and appends
   * what comes out, held to `maxMessageSize` (RFC 6455 §10.4) and validated as
   * UTF-8 for text as it arrives: a compressed bomb fails at the limit, not
   * after inflating.
   */
  private _inflate(piece: Uint8Array, fin: boolean): void {
    const start = this._msgLen, room = this._maxMessage - start;
    const data = (this._ext as MessageTransform).decode(piece, fin, room);
    const need = start + data.length;
    if (data.length > room) throw new ProtocolError('message-too-big', `Message too big: ${need} bytes or more once decoded, over maxMessageSize ${this._maxMessage}`);
    this._grow(start, need, this._maxMessage).set(data, start);
    if (this._msgOpcode === 0x1) this._validate(this._buf as Uint8Array, start, need);
    this._msgLen = need;
  }

  /**
   * The message buffer, grown to hold `need` bytes (the first `start` kept):
   * by doubling from what has arrived (amortised O(n) for any number of
   * fragments), never past `cap`. Nothing is allocated from a declared length
   * before its bytes arrive.
   */
  private _grow(start: number, need: number, cap: number): Uint8Array {
    let buf = this._buf;
    if (buf === null || buf.length < need) {
      const grown = new Uint8Array(Math.max(need, Math.min(cap, Math.max(2 * (buf === null ? 0 : buf.length), 1024))));
      if (buf !== null) grown.set(buf.subarray(0, start));
      this._buf = buf = grown;
    }
    return buf;
  }

  /**
   * The text of a short message in one frame, read straight from the chunk
   * (stream/_short-text.ts): ASCII needs no validation; other text is
   * validated (1007 at the first bad byte) and decoded from scratch bytes.
   */
  private _shortText(chunk: Uint8Array, pos: number, take: number): string {
    const ascii = shortAscii(chunk, pos, take, this._key);
    if (ascii !== null) return ascii;
    const bytes = shortBytes(take);
    this._validate(bytes, 0, take, ONE.reset());
    return this._text(bytes);
  }

  private _copy(chunk: Uint8Array, pos: number, take: number): Uint8Array {
    const key = this._key !== 0 ? KEY : null;
    // In place too, a small payload is copied: that costs less than a view.
    if (!this._inPlace || take < SMALL_COPY) return copyMasked(chunk, pos, take, key);
    if (key !== null) xorKeyAt(chunk, pos, take, key);
    return chunk.subarray(pos, pos + take);
  }

  /**
   * RFC 6455 §8.1: fail with 1007 at the first byte that cannot begin valid
   * UTF-8. `v` is `ONE`, reset, for a message in one frame; by default the
   * message's own validator, made at its first piece.
   */
  private _validate(bytes: Uint8Array, start: number, end: number, v = (this._utf8 ??= new Utf8Validator())): void {
    const bad = v.write(bytes, start, end);
    if (bad >= 0) throw new ProtocolError('invalid-utf8', `Invalid text: Not UTF-8 at byte ${this._msgLen + bad - start} of the message`);
  }

  /**
   * The text of a message whose bytes were all validated: by its own
   * validator, which is let go, or (in one frame) by `ONE`. An empty message
   * was validated by neither, and ends inside no sequence.
   */
  private _text(bytes: Uint8Array): string {
    const v = this._utf8 ?? ONE;
    this._utf8 = null;
    if (bytes.length > 0 && !v.complete) throw new ProtocolError('invalid-utf8', 'Invalid text: The message ends inside a UTF-8 sequence');
    return DECODER.decode(bytes);
  }

  /**
   * A frame is complete. `data` is its payload when it arrived whole (a
   * control frame, or a message in one frame); null when it went into `_buf`
   * or was empty.
   */
  private _end(data: Uint8Array | null, out: Message[]): void {
    this._state = GET_HEADER;
    const opcode = this._b0 & 0x0f;
    if (opcode >= 0x8) {
      const payload = data ?? EMPTY.slice(); // a fresh one: the caller owns what it gets
      if (opcode === 0x8) {
        const { code, reason } = parseClosePayload(payload);
        this._state = CLOSED;
        out.push({ type: 'close', code, reason });
      } else {
        out.push({ type: opcode === 0x9 ? 'ping' : 'pong', data: payload });
      }
      return;
    }
    if (!(this._b0 & 0x80)) return;
    if (this._msgRsv !== 0) {
      this._inflate(EMPTY, true);
      this._msgRsv = 0;
    }
    const buf = this._buf;
    const bytes = data ?? (buf === null ? EMPTY.slice() : buf.length === this._msgLen ? buf : buf.slice(0, this._msgLen));
    const text = this._msgOpcode === 0x1;
    this._msgOpcode = 0;
    this._msgLen = 0;
    this._fragments = 0;
    this._buf = null;
    if (text) {
      out.push({ type: 'text', data: this._text(bytes) });
    } else {
      out.push({ type: 'binary', data: bytes });
    }
  }
}
