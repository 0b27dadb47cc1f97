// permessage-deflate (RFC 7692) for the conformance harnesses, built on
// node:zlib alone so that the library never grades itself: the checks of a
// peer's negotiation answer (§7.1) and each side's per-message compression
// with context takeover (§7.2). zlib's sync API keeps no state between calls,
// so the context is carried as a dictionary: the last 2^windowBits bytes of
// the messages so far (what the peer's sliding window holds).
import zlib from 'node:zlib';

const TAIL = Buffer.from([0x00, 0x00, 0xff, 0xff]); // RFC 7692 §7.2.1
const WINDOW = /^(?:[89]|1[0-5])$/; // RFC 7692 §7.1.2.1: 8-15, no leading zero
const NAMES = ['server_no_context_takeover', 'client_no_context_takeover', 'server_max_window_bits', 'client_max_window_bits'];

/**
 * Parses one `Sec-WebSocket-Extensions` element (`name; a=1; b`), quoted
 * values unquoted. Returns { name, params, repeated } or null when malformed.
 */
export function parseElement(text) {
  const [name, ...rest] = text.split(';').map((s) => s.trim());
  if (!/^[!#$%&'*+.^_`|~\w-]+$/.test(name)) return null;
  const params = {};
  const repeated = [];
  for (const p of rest) {
    const m = /^([!#$%&'*+.^_`|~\w-]+)\s*(?:=\s*(?:"([^"]*)"|([!#$%&'*+.^_`|~\w-]+)))?$/.exec(p);
    if (m === null) return null;
    if (m[1] in params) repeated.push(m[1]);
    else params[m[1]] = m[2] ?? m[3] ?? true;
  }
  return { name, params, repeated };
}

/** A whole header value as its elements (commas inside quotes are not expected in these parameters). */
export function parseHeader(value) {
  if (value === undefined) return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '').map(parseElement);
}

/**
 * A client's judgement of a server's answer to `offers` (RFC 7692 §7.1): the
 * agreement, or a string naming the rule broken. `answer` is the header
 * value or undefined (declined: valid, returns null).
 */
export function judgeAnswer(answer, offers) {
  const elements = parseHeader(answer);
  if (elements.length === 0) return null;
  if (elements.length > 1) return `The server answered ${elements.length} extensions; one was offered (RFC 6455 §9.1)`;
  const a = elements[0];
  if (a === null) return `Malformed Sec-WebSocket-Extensions ${JSON.stringify(answer)} (RFC 6455 §9.1)`;
  if (a.name !== 'permessage-deflate') return `The server answered ${a.name}, which was not offered (RFC 6455 §4.1)`;
  if (a.repeated.length > 0) return `The answer repeats ${a.repeated[0]} (RFC 7692 §7.1)`;
  const p = a.params;
  for (const k of Object.keys(p)) {
    if (!NAMES.includes(k)) return `The answer has the unknown parameter ${k} (RFC 7692 §7.1)`;
    if (k.endsWith('takeover') && p[k] !== true) return `The answer gives ${k} a value (RFC 7692 §7.1.1)`;
    if (k.endsWith('bits') && (p[k] === true || !WINDOW.test(p[k]))) return `The answer has ${k}=${p[k]} (RFC 7692 §7.1.2)`;
  }
  // The server accepted one of the offers: find one it honours.
  const fits = offers.some((o) => {
    if (o.server_no_context_takeover && !p.server_no_context_takeover) return false; // §7.1.1.1
    if (o.server_max_window_bits !== undefined && (p.server_max_window_bits === undefined || Number(p.server_max_window_bits) > Number(o.server_max_window_bits))) return false; // §7.1.2.1
    if (p.client_max_window_bits !== undefined && (o.client_max_window_bits === undefined || (o.client_max_window_bits !== true && Number(p.client_max_window_bits) > Number(o.client_max_window_bits)))) return false; // §7.1.2.2
    return true;
  });
  if (!fits) return `The answer ${JSON.stringify(answer)} honours none of the offers (RFC 7692 §7.1)`;
  const offered = offers.find((o) => o.client_max_window_bits !== undefined && o.client_max_window_bits !== true);
  return {
    header: answer,
    serverNoContext: p.server_no_context_takeover === true,
    clientNoContext: p.client_no_context_takeover === true,
    serverBits: p.server_max_window_bits === undefined ? 15 : Number(p.server_max_window_bits),
    clientBits: p.client_max_window_bits !== undefined ? Number(p.client_max_window_bits) : offered ? Number(offered.client_max_window_bits) : 15,
  };
}

/** The offers as a header value: `[{ client_max_window_bits: true }]` → `permessage-deflate; client_max_window_bits`. */
export function offerHeader(offers) {
  return offers.map((o) => ['permessage-deflate', ...Object.entries(o).map(([k, v]) => (v === true ? k : `${k}=${v}`))].join('; ')).join(', ');
}

/**
 * One side's compression state. `role` is this side's: a client compresses
 * with the client's parameters and inflates with the server's.
 */
export class PeerDeflate {
  constructor(agreement, role) {
    const mine = role === 'client' ? 'client' : 'server', theirs = role === 'client' ? 'server' : 'client';
    this.ownBits = agreement[`${mine}Bits`];
    this.ownReset = agreement[`${mine}NoContext`];
    this.peerBits = agreement[`${theirs}Bits`];
    this.peerReset = agreement[`${theirs}NoContext`];
    this.sent = Buffer.alloc(0); // what our compressor's window holds
    this.received = Buffer.alloc(0); // what the peer's compressor's window holds
  }

  /** A compressed message payload (the tail stripped, §7.2.1), `level` as zlib's. */
  deflate(data, level = 6) {
    // zlib compresses with a window of at least 9 bits; so a window of 8 is
    // out of reach for it (our inflater reads 8 as 9 for that reason).
    const windowBits = Math.max(this.ownBits, 9);
    const options = { windowBits, level, finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (this.sent.length > 0) options.dictionary = this.sent;
    const out = zlib.deflateRawSync(data, options);
    if (!out.subarray(-4).equals(TAIL)) throw new Error('zlib: a sync flush that does not end in 00 00 ff ff');
    this.sent = this.ownReset ? Buffer.alloc(0) : keep(this.sent, data, 1 << this.ownBits);
    return out.subarray(0, out.length - 4);
  }

  /** A received compressed message's data (§7.2.2), or throws zlib's error. */
  inflate(payload) {
    const options = { windowBits: Math.max(this.peerBits, 9), finishFlush: zlib.constants.Z_SYNC_FLUSH };
    if (this.received.length > 0) options.dictionary = this.received;
    const out = zlib.inflateRawSync(Buffer.concat([payload, TAIL]), options);
    this.received = this.peerReset ? Buffer.alloc(0) : keep(this.received, out, 1 << this.peerBits);
    return out;
  }
}

/** The last `size` bytes of `history` followed by `data`. */
function keep(history, data, size) {
  if (data.length >= size) return Buffer.from(data.subarray(data.length - size));
  return Buffer.concat([history.subarray(Math.max(0, history.length + data.length - size)), data]);
}
