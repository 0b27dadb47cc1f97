// Browser compatible. Raw DEFLATE compression (RFC 1951), one-shot and
// streaming with sync flushes for permessage-deflate (RFC 7692 §7.2.1).
import { asBytes } from '../primitives/_bytes.ts';
import { readOptions } from '../primitives/_options.ts';
import { Engine } from './_deflate-engine.ts';
import { readInteger } from './_options.ts';

/**
 * Options of `deflateRaw` and `Deflater`.
 *
 * @example Smallest output, a 1 KiB window
 * ```ts
 * const options: DeflateOptions = { level: 9, windowBits: 10 };
 * ```
 */
export interface DeflateOptions {
  /** 0 (stored blocks only) to 9 (smallest, slowest), default 6 as zlib: 1-3 match greedily, 4-9 lazily (RFC 1951 §4). */
  level?: number;
  /** The window size, 8-15 (default 15): no back-reference farther than 2^windowBits - 1 bytes (RFC 1951 §3.2.5). */
  windowBits?: number;
}

const KEYS = ['level', 'windowBits'];

/** Level and windowBits, each read once; TypeError for a wrong type or an unknown key, RangeError for a value out of range. */
function settings(options: unknown, where: string): [number, number] {
  const o = readOptions(options, KEYS, where);
  return [readInteger(o.level, 6, 0, 9, 'level', where), readInteger(o.windowBits, 15, 8, 15, 'windowBits', where)];
}

/**
 * Compresses `data` into one raw DEFLATE stream (RFC 1951, no zlib or gzip
 * wrapper) ending in a final block, which `zlib.inflateRawSync` and
 * `inflateRaw` read back. Each block is written stored, with the fixed
 * code or with a code of its own, whichever is smallest (RFC 1951 §3.2.3).
 *
 * @param data The bytes: a Uint8Array, an ArrayBuffer or any ArrayBufferView (only its own bytes are read).
 * @param options `level` 0-9 (default 6) and `windowBits` 8-15 (default 15).
 * @returns A new Uint8Array holding the compressed stream.
 * @throws {TypeError} When `data` is not bytes, `options` is not an object or has an unknown key, or an option is not a number.
 * @throws {RangeError} When `level` or `windowBits` is not an integer in its range.
 *
 * @example Compress, then inflate with node:zlib
 * ```ts
 * import { deflateRaw } from 'websocket-server/permessage-deflate';
 * import { inflateRawSync } from 'node:zlib';
 *
 * const packed = deflateRaw(new TextEncoder().encode('Hello'));
 * // packed: f3 48 cd c9 c9 07 00 (RFC 7692 §7.2.3.4)
 * inflateRawSync(packed).toString(); // 'Hello'
 * ```
 */
export function deflateRaw(data: Uint8Array | ArrayBuffer | ArrayBufferView, options?: DeflateOptions): Uint8Array {
  const [level, windowBits] = settings(options, WHERE);
  return new Engine(level, windowBits).whole(asBytes(data, WHERE, '', 'data'));
}

const WHERE = 'Cannot deflate';

/**
 * A streaming raw DEFLATE compressor for permessage-deflate (RFC 7692): each
 * message is written, then `flush()`ed, which ends it with a sync flush
 * (output ending in `00 00 ff ff`, RFC 7692 §7.2.1) and keeps the window,
 * so the next message can refer to this one (context takeover); `reset()`
 * forgets it. No final block is ever written (RFC 7692 §7.2.1), so the
 * stream stays open.
 *
 * Memory: nothing until the first write; then the hash heads
 * (2^(min(12, max(8, windowBits - 2)) + 1) bytes: 8 KiB at windowBits 15)
 * and a buffer and hash chains that start at 1 KiB and 2 KiB and double as
 * the stream grows, up to a window of chain slots (2^(windowBits+1) bytes)
 * and a buffer of the window and the input room after it: 4 KiB between
 * messages, half a window (4 KiB at least) while messages over 4 KiB come,
 * the buffer shrinking back after a message of 4 KiB or less. In all, after
 * one 200-byte message: 11 KiB at windowBits 15 (2 KiB at 8); once a
 * window's worth has been sent, between small messages: 108 KiB at 15
 * (120 KiB while messages are big), 60 KiB at 14 (64), 32 KiB at 13,
 * 18 KiB at 12, 11 KiB at 11, 7.5 KiB at 10, 6 KiB at 9 and 5.25 KiB at 8
 * (level 0: the buffer only).
 * The symbol buffer, Huffman tables and output buffer are shared by every
 * instance (compression is synchronous), so they are not counted here.
 *
 * @param options `level` 0-9 (default 6) and `windowBits` 8-15 (default 15).
 * @throws {TypeError} When `options` is not an object or has an unknown key, or an option is not a number.
 * @throws {RangeError} When `level` or `windowBits` is not an integer in its range.
 *
 * @example Two messages with context takeover (RFC 7692 §7.2.3.2)
 * ```ts
 * import { Deflater } from 'websocket-server/permessage-deflate';
 *
 * const deflater = new Deflater();
 * const hello = new TextEncoder().encode('Hello');
 * deflater.write(hello);
 * deflater.flush(); // f2 48 cd c9 c9 07 00 00 00 ff ff
 * deflater.write(hello);
 * deflater.flush(); // f2 00 11 00 00 00 00 ff ff: the second refers to the first
 * ```
 */
export class Deflater {
  private readonly _engine: Engine;

  constructor(options?: DeflateOptions) {
    const [level, windowBits] = settings(options, 'Cannot create Deflater');
    this._engine = new Engine(level, windowBits);
  }

  /**
   * Compresses `data` as part of the current message.
   *
   * @param data The bytes: a Uint8Array, an ArrayBuffer or any ArrayBufferView.
   * @returns The compressed bytes produced so far (often none: input is held until half a window, 4 KiB at least, is buffered or `flush()`).
   * @throws {TypeError} When `data` is not bytes.
   *
   * @example Stream a message in parts
   * ```ts
   * const d = new Deflater();
   * const parts = [d.write(partOne), d.write(partTwo), d.flush()];
   * ```
   */
  write(data: Uint8Array | ArrayBuffer | ArrayBufferView): Uint8Array {
    return this._engine.write(asBytes(data, 'Cannot write to Deflater', '', 'data'), false);
  }

  /**
   * Ends the message: everything written is compressed and emitted, then an
   * empty stored block (a sync flush), so the output ends in `00 00 ff ff`
   * and the message so far decodes in full (RFC 7692 §7.2.1). With nothing
   * written it gives `00 00 00 ff ff`, as zlib does: an empty message's
   * payload is then `00` once the tail is removed (RFC 7692 §7.2.3.6).
   *
   * @returns The rest of the message's compressed bytes, ending in `00 00 ff ff`.
   * @throws {never} Does not throw.
   *
   * @example The RFC 7692 §7.2.3.1 example
   * ```ts
   * const d = new Deflater();
   * d.write(new TextEncoder().encode('Hello'));
   * d.flush(); // f2 48 cd c9 c9 07 00 00 00 ff ff
   * ```
   */
  flush(): Uint8Array {
    return this._engine.write(NONE, true);
  }

  /**
   * Forgets the window and any input not yet flushed: the next message
   * refers to nothing before it (no context takeover, RFC 7692 §7.1.1).
   * Keeps the allocated buffers.
   *
   * @returns Nothing.
   * @throws {never} Does not throw.
   *
   * @example Every message on its own
   * ```ts
   * const d = new Deflater();
   * d.write(message);
   * const payload = d.flush();
   * d.reset();
   * ```
   */
  reset(): void {
    this._engine.reset();
  }
}

const NONE = /* @__PURE__ */ new Uint8Array(0);
