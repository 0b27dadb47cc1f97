// Browser compatible. Raw DEFLATE decompression (RFC 1951): one-shot
// `inflateRaw`, and `Inflater` for the messages of a permessage-deflate
// direction (RFC 7692 §7.2.2), with the window kept between messages.
import { asBytes } from '../primitives/_bytes.ts';
import { checkKeys, readLimit } from '../primitives/_options.ts';
import { InflateCore } from './_inflate.ts';
import { readInteger } from './_options.ts';

/** Options of `inflateRaw` and `Inflater`. */
export interface InflateOptions {
  /**
   * The window the stream was compressed with, 8-15 (default 15): a match
   * reaching back farther than 2^windowBits bytes is an error. zlib raises
   * a raw window of 8 to 9 when compressing; this decoder honours 8.
   */
  windowBits?: number;
  /**
   * The most output bytes (per message, for `Inflater`), default Infinity;
   * one byte more is a `RangeError`, thrown as soon as decoding reaches it.
   */
  maxOutputLength?: number;
}

const KEYS = ['windowBits', 'maxOutputLength'];
let oneShot: InflateCore | null = null;
const EMPTY = /* @__PURE__ */ new Uint8Array(0);

function readInflateOptions(options: InflateOptions | undefined, where: string): { windowBits: number; max: number } {
  let windowBits: unknown, max: unknown;
  if (options !== undefined) {
    checkKeys(options, KEYS, where);
    ({ windowBits, maxOutputLength: max } = options);
  }
  return { windowBits: readInteger(windowBits, 15, 8, 15, 'windowBits', where), max: readLimit(max, Infinity, 'maxOutputLength', where) };
}

function overLimit(where: string, max: number): RangeError {
  return new RangeError(`${where}: the output exceeds maxOutputLength (${max} bytes)`);
}

/**
 * Decompresses one raw DEFLATE stream (RFC 1951; no zlib or gzip wrapper),
 * as `zlib.inflateRawSync` does and as strictly: the stream must end with
 * its final block, and bytes after the final block are ignored.
 * @param data The compressed bytes: a Uint8Array, ArrayBuffer or any ArrayBufferView (only its own window is read).
 * @param options `windowBits` (8-15, default 15) and `maxOutputLength` (default Infinity).
 * @returns The decompressed bytes.
 * @throws Error on a corrupt or truncated stream, saying why and at which byte ("Cannot inflate: invalid distance too far back (...) at byte 1234")
 * @throws RangeError as soon as the output would exceed `maxOutputLength`, before decoding the rest; or for a bad option value
 * @throws TypeError for data that is not bytes, or an unknown option or a wrong option type
 * @example Decompress RFC 7692's "Hello"
 * ```ts
 * const bytes = inflateRaw(new Uint8Array([0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]));
 * new TextDecoder().decode(bytes); // 'Hello'
 * ```
 */
export function inflateRaw(data: Uint8Array | ArrayBuffer | ArrayBufferView, options?: InflateOptions): Uint8Array {
  const where = 'Cannot inflate';
  const bytes = asBytes(data, where, '', 'data');
  const { windowBits, max } = readInflateOptions(options, where);
  // One core serves every call (they never overlap): its tables are allocated once, not per stream.
  const core = oneShot ??= new InflateCore(windowBits, false);
  core.reset(windowBits);
  const out = core.push(bytes, false, max);
  if (out.length > max) throw overLimit(where, max);
  if (!core.done) throw new Error(`${where}: the stream ends without its final block at byte ${bytes.length}`);
  return out;
}

/**
 * A streaming decompressor for the messages of one permessage-deflate
 * direction (RFC 7692 §7.2.2): feed each message's compressed bytes in any
 * chunking with `write`, then call `endMessage`, which appends the
 * `00 00 ff ff` tail the sender stripped and returns the rest. The window
 * (the last 2^windowBits bytes) is kept from one message to the next
 * (context takeover) until `reset()`. A message that ends with a final
 * block (BFINAL, RFC 7692 §7.2.3.4) is accepted too: the rest of that
 * message is ignored and the next message starts a new stream, window kept.
 *
 * Memory per instance: the window, 2^windowBits bytes (32 KiB at 15),
 * allocated by the first output; 335 bytes of code lengths, allocated by the
 * first dynamic block; a few hundred bytes of fields. The decoding tables
 * are shared by all instances (a message ends at a block boundary, so only a
 * block split across writes needs its own, rebuilt from its code lengths
 * if another instance used the tables in between). Measured over 1,000
 * instances after one dynamic-block message each (Node 20): 33.8 KB at
 * windowBits 15, 17.5 KB at 14, 9.3 KB at 13, 5.3 KB at 12, 3.1 KB at 11,
 * 1.6-2.1 KB at 8-10 (zlib's inflate: the window plus about 7 KiB of
 * state). Input is never buffered: at most 30 bits wait in the bit buffer
 * between calls.
 * @example Two messages with context takeover (RFC 7692 §7.2.3.2)
 * ```ts
 * const inflater = new Inflater();
 * inflater.write(new Uint8Array([0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00]));
 * inflater.endMessage();                 // 'Hello' (in the two results together)
 * inflater.write(new Uint8Array([0xf2, 0x00, 0x11, 0x00, 0x00]));
 * inflater.endMessage();                 // 'Hello' again, a match into the first message
 * ```
 */
export class Inflater {
  private readonly core: InflateCore;
  private readonly max: number;
  /** Output of the current message so far. */
  private count = 0;

  /**
   * @param options `windowBits` (8-15, default 15) and `maxOutputLength` (per message, default Infinity).
   * @throws RangeError for a bad option value
   * @throws TypeError for an unknown option or a wrong option type
   */
  constructor(options?: InflateOptions) {
    const { windowBits, max } = readInflateOptions(options, 'Cannot create inflater');
    this.core = new InflateCore(windowBits, true);
    this.max = max;
  }

  /**
   * Decompresses the next piece of the current message.
   * @param chunk Compressed bytes, any part of the message (even empty).
   * @returns The output this piece completes (maybe empty).
   * @throws Error on corrupt input, saying why and at which byte of the message; and after any error until `reset()`
   * @throws RangeError when the message's output would exceed `maxOutputLength`
   * @throws TypeError when `chunk` is not bytes
   */
  write(chunk: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
    const bytes = asBytes(chunk, 'Cannot inflate', '', 'chunk');
    return this.take(this.core.push(bytes, false, this.max - this.count));
  }

  /**
   * Ends the current message: appends the `00 00 ff ff` tail (RFC 7692
   * §7.2.2), checks the message ends at a block boundary, and returns the
   * rest of its output. The next `write` starts the next message.
   * @returns The output not yet returned by `write`.
   * @throws Error when the message ends inside a block, on corrupt input, and after any error until `reset()`
   * @throws RangeError when the message's output would exceed `maxOutputLength`
   */
  endMessage(): Uint8Array {
    const out = this.take(this.core.push(EMPTY, true, this.max - this.count));
    this.count = 0;
    return out;
  }

  /**
   * Forgets the window and any partial message (no context takeover, RFC
   * 7692 §7.1.1), and clears an earlier error.
   * @returns Nothing.
   */
  reset(): void {
    this.core.reset();
    this.count = 0;
  }

  private take(out: Uint8Array): Uint8Array {
    const cap = this.max - this.count;
    if (out.length > cap) throw overLimit('Cannot inflate', this.max);
    this.count += out.length;
    return out;
  }
}
