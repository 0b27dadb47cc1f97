// Browser compatible. The stream layer's types: what `MessageReader` takes and hands out.

/** What `MessageReader.push` returns: whole messages and control frames. */
export type Message =
  | { type: 'text'; data: string }
  | { type: 'binary'; data: Uint8Array }
  | { type: 'ping' | 'pong'; data: Uint8Array }
  | { type: 'close'; code: number; reason: string };

/** Options for `MessageReader`. */
export interface MessageReaderOptions {
  /** `'server'` (default) requires masked frames, `'client'` refuses them (RFC 6455 §5.1). */
  role?: 'server' | 'client';
  /**
   * The largest message in bytes, counted across its fragments: any
   * non-negative integer, or `Infinity` for no limit. Default 64 MiB. Unlike
   * `ws`'s `maxPayload`, where 0 means no limit, 0 here accepts only empty
   * messages. Control frames (at most 125 bytes) are not counted.
   */
  maxMessageSize?: number;
  /**
   * The most frames one message may be split into, its first frame included:
   * any non-negative integer, or `Infinity` for no limit. Default 131,072.
   * 1 refuses fragmented messages; 0 refuses every data frame (only control
   * frames are read).
   */
  maxFragments?: number;
  /**
   * Unmask frames inside the pushed chunk and hand out views into it (from 64
   * bytes: smaller payloads are copied, which costs less than a view), saving
   * a copy per frame (what ws does). Only for chunks that are yours to give
   * away, such as Node's socket chunks: `push` then modifies them, and
   * binary, ping and pong data may share their memory. Default false.
   */
  unmaskInPlace?: boolean;
  /**
   * The transform of a negotiated extension that claims RSV bits, such as
   * permessage-deflate's inflater (RFC 7692 §6.2). A data message whose first
   * frame sets its `rsv` bits goes through `decode`; those bits on any other
   * frame fail with `rsv1-not-first-frame` (RFC 7692 §6.1). Default none: every RSV bit fails.
   */
  extension?: MessageTransform;
}

/**
 * How an extension decodes the messages that carry its RSV bits
 * (RFC 6455 §9, RFC 7692 §6.2). `decode` gets each piece of such a message's
 * payload as it arrives, unmasked (never the whole message buffered first), and
 * once more with an empty piece and `fin` true when the message ends.
 */
export interface MessageTransform {
  /** The RSV bits the extension claims: 0x40 (RSV1), 0x20 (RSV2), 0x10 (RSV3), or their sum. */
  readonly rsv: number;
  /**
   * Decodes one piece of a message's payload and returns what it produced so
   * far (maybe nothing). `room` is how many more bytes the message may grow by
   * under `maxMessageSize`: produce at most `room + 1` (the reader then fails
   * the message with 1009), so that a small input that expands without bound
   * never does. Throw a `ProtocolError` for bad input.
   */
  decode(piece: Uint8Array, fin: boolean, room: number): Uint8Array;
}
