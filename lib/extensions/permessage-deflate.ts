// Browser compatible. The permessage-deflate extension (RFC 7692): the
// negotiation of its four parameters in both roles (§7.1) and a session that
// compresses and decompresses messages with our own DEFLATE (§7.2), plugged
// into the connection's extension hook (lib/connection/extension.ts).
import { HandshakeError, ProtocolError } from '../errors.ts';
import { readBoolean, readOptions } from '../primitives/_options.ts';
import { Deflater } from '../deflate/deflate.ts';
import { InflateCore } from '../deflate/_inflate.ts';
import { readInteger } from '../deflate/_options.ts';
import type { Extension, ExtensionParams, ExtensionSession } from '../connection/extension.ts';

/** Options of `permessageDeflate`. */
export interface PermessageDeflateOptions {
  /**
   * The server resets its compressor after each message (RFC 7692 §7.1.1.1):
   * a client asks for it in its offer, a server answers it whenever this is
   * set or the client asked. Default false.
   */
  serverNoContextTakeover?: boolean;
  /**
   * The client resets its compressor after each message (RFC 7692 §7.1.1.2):
   * a client offers it, a server answers it (it may even when not offered).
   * Default false.
   */
  clientNoContextTakeover?: boolean;
  /**
   * The server's LZ77 window, 8-15 (RFC 7692 §7.1.2.1): a client asks for at
   * most this; a server compresses with at most this (less when the client
   * asks for less) and says so in its answer. Default 15.
   */
  serverMaxWindowBits?: number;
  /**
   * The client's LZ77 window, 8-15 (RFC 7692 §7.1.2.2): a client offers
   * `client_max_window_bits` always (bare by default: "I can use a smaller
   * window") and compresses with at most this; a server answers at most this
   * when the client offered the parameter, and declines an offer without it
   * when this is set below 15 (it could not bound the window to keep).
   * Default 15.
   */
  clientMaxWindowBits?: number;
  /** The compression level, 0 (stored) to 9 (smallest), as `deflateRaw`'s. Default 6 (zlib's default, as `ws`). */
  level?: number;
  /**
   * Messages (or the first fragment of a streamed one) smaller than this
   * many bytes are sent uncompressed, as RFC 7692 §6 allows per message.
   * Default 1024, as in `ws`.
   */
  threshold?: number;
}

const KEYS = ['serverNoContextTakeover', 'clientNoContextTakeover', 'serverMaxWindowBits', 'clientMaxWindowBits', 'level', 'threshold'];
const WHERE = 'Cannot create permessage-deflate';
const NAME = 'permessage-deflate';
/** The four parameters of RFC 7692 §7.1; any other in an offer or answer declines or fails it. */
const PARAMS = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];
/** RFC 7692 §7.1.2.1: 1*DIGIT, a decimal 8-15 without leading zeroes. */
const WINDOW = /^(?:[89]|1[0-5])$/;
/** RFC 7692 §7.2.1: what a sync flush ends with, stripped from every compressed message sent. */
const TAIL = 4;

/** What both sides agreed, from one side's point of view. */
interface Agreement {
  /** Reset our compressor after each message (we may not take context over). */
  readonly ownReset: boolean;
  /** Reset our decompressor after each message (the peer takes no context over). */
  readonly peerReset: boolean;
  /** Our window and the peer's, 8-15. */
  readonly ownBits: number;
  readonly peerBits: number;
}

/**
 * The permessage-deflate extension (RFC 7692), for the `extensions` option of
 * `ServerConnection`, `ClientConnection`, `buildUpgradeRequest` and every
 * adapter. A client offers one offer built from the options; a server accepts
 * the first offer of the client's it can honour (RFC 7692 §5.1) and declines
 * offers with an unknown parameter, a repeated one or a bad value (§7.1).
 * Messages at or above `threshold` bytes are compressed (RSV1 on their first
 * frame, the `00 00 ff ff` tail stripped, §7.2.1); received ones are
 * decompressed as their frames arrive, held to `maxMessageSize` by their
 * decompressed size (1009 the moment it is crossed) and, for text, checked as
 * UTF-8 as they come (1007); a corrupt compressed message is 1007.
 *
 * Memory per connection: a decompressor keeps the peer's window (2^bits
 * bytes: 32 KiB at 15) from its first compressed message on; a compressor,
 * from the first message it compresses, keeps its window and hash chains
 * (see `Deflater`). Both are released when the connection closes. With no
 * context takeover in a direction, that direction still needs them while a
 * message is in flight, but nothing carries over.
 *
 * One extension object serves any number of connections: each negotiation
 * makes a session of its own.
 *
 * @param options `serverNoContextTakeover`, `clientNoContextTakeover`, `serverMaxWindowBits`, `clientMaxWindowBits`, `level`, `threshold` (see `PermessageDeflateOptions`).
 * @returns The extension, for `extensions: [permessageDeflate()]`.
 * @throws {TypeError} When `options` is not an object, has an unknown key, or a value of the wrong type.
 * @throws {RangeError} When a window is not an integer 8-15, `level` not 0-9, or `threshold` not a non-negative integer.
 * @example A server and a client that compress messages of 256 bytes or more
 * ```ts
 * const server = new ServerConnection({ extensions: [permessageDeflate({ threshold: 256 })] });
 * const client = new ClientConnection('ws://example.com/', { extensions: [permessageDeflate()] });
 * ```
 */
export function permessageDeflate(options?: PermessageDeflateOptions): Extension {
  const o = readOptions(options, KEYS, WHERE);
  const serverNoContext = readBoolean(o.serverNoContextTakeover, false, 'serverNoContextTakeover', WHERE);
  const clientNoContext = readBoolean(o.clientNoContextTakeover, false, 'clientNoContextTakeover', WHERE);
  const serverBits = readInteger(o.serverMaxWindowBits, undefined, 8, 15, 'serverMaxWindowBits', WHERE);
  const clientBits = readInteger(o.clientMaxWindowBits, undefined, 8, 15, 'clientMaxWindowBits', WHERE);
  const level = readInteger(o.level, 6, 0, 9, 'level', WHERE);
  const threshold = readInteger(o.threshold, 1024, 0, Number.MAX_SAFE_INTEGER, 'threshold', WHERE);
  const session = (a: Agreement): ExtensionSession => new DeflateSession(a, level, threshold);

  return {
    name: NAME,
    offer(): ExtensionParams[] {
      const p: ExtensionParams = {};
      if (serverNoContext) p.server_no_context_takeover = true;
      if (clientNoContext) p.client_no_context_takeover = true;
      if (serverBits !== undefined) p.server_max_window_bits = String(serverBits);
      // RFC 7692 §7.1.2.2: a bare client_max_window_bits says we can use any window the server names.
      p.client_max_window_bits = clientBits === undefined ? true : String(clientBits);
      return [p];
    },
    accept(params: ExtensionParams): ExtensionSession {
      const fail = (detail: string) => new HandshakeError('extension-params-rejected', `Cannot verify upgrade response: The server's permessage-deflate ${detail} (RFC 7692 §7.1)`);
      const bad = check(params);
      if (bad !== '') throw fail(bad);
      // §7.1.1.1: a server that accepts server_no_context_takeover MUST answer it.
      if (serverNoContext && params.server_no_context_takeover === undefined) throw fail('lacks server_no_context_takeover, which was offered');
      const s = params.server_max_window_bits, c = params.client_max_window_bits;
      // §7.1.2.2: in an answer, client_max_window_bits has a value.
      if (c === true) throw fail('answers client_max_window_bits without a value');
      // §7.1.2.1: accepted with "the same or smaller value as the offer".
      if (serverBits !== undefined && (s === undefined || Number(s) > serverBits)) throw fail(`answers server_max_window_bits=${s === undefined ? '(none)' : s}, not at most the ${serverBits} offered`);
      // §7.1.2.2: never more than the client offered (a bare offer allows any).
      if (c !== undefined && clientBits !== undefined && Number(c) > clientBits) throw fail(`answers client_max_window_bits=${c as string}, over the ${clientBits} offered`);
      return session({
        ownReset: clientNoContext || params.client_no_context_takeover === true,
        peerReset: params.server_no_context_takeover === true,
        ownBits: c !== undefined ? Number(c) : clientBits ?? 15,
        peerBits: s !== undefined ? Number(s) : 15,
      });
    },
    negotiate(offers: readonly ExtensionParams[]) {
      for (const offer of offers) {
        if (check(offer) !== '') continue; // §7.1: decline an offer with an unknown parameter or a bad value
        const s = offer.server_max_window_bits, c = offer.client_max_window_bits;
        // A window for the client below 15 can only be asked of a client that said it can use one (§7.1.2.2).
        if (clientBits !== undefined && clientBits < 15 && c === undefined) continue;
        const answer: ExtensionParams = {};
        const ownReset = serverNoContext || offer.server_no_context_takeover === true;
        const peerReset = clientNoContext || offer.client_no_context_takeover === true;
        if (ownReset) answer.server_no_context_takeover = true;
        if (peerReset) answer.client_no_context_takeover = true;
        // §7.1.2.1: the client's bound if it gave one, ours if smaller; said whenever below 15 or asked.
        const ownBits = Math.min(s === undefined ? 15 : Number(s), serverBits ?? 15);
        if (s !== undefined || ownBits < 15) answer.server_max_window_bits = String(ownBits);
        // §7.1.2.2: answered only when offered, at most the offer's value.
        const peerBits = Math.min(c === undefined || c === true ? 15 : Number(c), clientBits ?? 15);
        if (c !== undefined && (c !== true || peerBits < 15)) answer.client_max_window_bits = String(peerBits);
        return { params: answer, session: session({ ownReset, peerReset, ownBits, peerBits }) };
      }
      return undefined;
    },
  };
}

/**
 * One connection's compression state: the compressor made on the first
 * message it compresses, the decompressor on the first compressed message
 * received, both dropped when the connection closes.
 */
class DeflateSession implements ExtensionSession {
  readonly rsv = 0x40;
  private _deflater: Deflater | null = null;
  private _inflater: InflateCore | null = null;

  constructor(private readonly _a: Agreement, private readonly _level: number, private readonly _threshold: number) {}

  wants(first: Uint8Array, fin: boolean): boolean {
    // A streamed message's size is unknown at its first fragment: compressed, as streams are usually large.
    return !fin || first.length >= this._threshold;
  }

  encode(data: Uint8Array, fin: boolean): Uint8Array {
    const d = (this._deflater ??= new Deflater({ level: this._level, windowBits: this._a.ownBits }));
    const head = d.write(data);
    if (!fin) return head;
    const rest = d.flush();
    if (this._a.ownReset) d.reset();
    let out = rest;
    if (head.length > 0) {
      out = new Uint8Array(head.length + rest.length);
      out.set(head);
      out.set(rest, head.length);
    }
    // RFC 7692 §7.2.1: remove the 4 octets 00 00 ff ff the sync flush ended with.
    return out.subarray(0, out.length - TAIL);
  }

  decode(piece: Uint8Array, fin: boolean, room: number): Uint8Array {
    // RFC 7692 §7.2.2: zlib peers cannot compress with a window of 8 bits (they use 9), so 8 is read with 9's window.
    const i = (this._inflater ??= new InflateCore(Math.max(this._a.peerBits, 9), true));
    let out: Uint8Array;
    try {
      // At most room + 1 bytes: past the limit the reader fails the message with 1009 (RFC 6455 §10.4).
      out = i.push(piece, fin, room);
    } catch (e) {
      throw new ProtocolError('invalid-compressed-data', `Invalid compressed message: ${(e as Error).message}`);
    }
    if (fin && this._a.peerReset) i.reset();
    return out;
  }

  close(): void {
    this._deflater = null;
    this._inflater = null;
  }
}

/** Empty when `params` are a valid permessage-deflate parameter set (RFC 7692 §7.1), else why not. */
function check(params: ExtensionParams): string {
  for (const key of Object.keys(params)) {
    const v = params[key];
    if (!PARAMS.includes(key)) return `has the unknown parameter ${key}`;
    if (key.endsWith('_takeover') ? v !== true : key === 'server_max_window_bits' ? v === true || !WINDOW.test(v) : v !== true && !WINDOW.test(v)) {
      return `has ${key}${v === true ? ' without a value' : `=${v}`}`;
    }
  }
  return '';
}
