// Browser compatible. The connection's checks of what callers hand it: the
// `extensions` option and what the extensions answer during the opening
// handshake (RFC 6455 §9.1), and a frame encoded already (`sendFrame`).
import { describe } from '../primitives/_bytes.ts';
import { isToken } from '../handshake/_http.ts';
import type { Extension, ExtensionParams, ExtensionSession } from './extension.ts';

/** The option keys both roles take. */
export const CONNECTION_KEYS = ['maxMessageSize', 'maxFragments', 'unmaskInPlace', 'autoPong', 'extensions'];

/** No extension: one frozen list for every connection. */
const NONE: readonly Extension[] = /* @__PURE__ */ Object.freeze([]);
/**
 * The frozen copy each `extensions` array last gave: connections made with
 * the same array, unchanged, share one copy (read-only) instead of one each
 * (56 B per connection with one extension, issue 14).
 */
const COPIES = /* @__PURE__ */ new WeakMap<readonly unknown[], readonly Extension[]>();

/**
 * The `extensions` option: a list of extensions with the hook's methods, each
 * name once. Returns a frozen copy: the caller may change its array later.
 */
export function readExtensionList(value: unknown, where: string): readonly Extension[] {
  if (value === undefined) return NONE;
  if (!Array.isArray(value)) throw new TypeError(`${where}: Expected extensions to be an array, got ${describe(value)}`);
  const names = new Set<string>();
  for (const e of value as Extension[]) {
    if (e === null || typeof e !== 'object' || typeof e.name !== 'string' || !isToken(e.name) || typeof e.offer !== 'function' || typeof e.accept !== 'function' || typeof e.negotiate !== 'function') {
      throw new TypeError(`${where}: An extension is an object with a token name and offer, accept and negotiate functions, got ${describe(e)}`);
    }
    if (names.has(e.name)) throw new TypeError(`${where}: The extension ${e.name} is given twice`);
    names.add(e.name);
  }
  const list = value as Extension[];
  const copy = COPIES.get(list);
  if (copy !== undefined && copy.length === list.length && copy.every((e, i) => e === list[i])) return copy;
  const fresh = Object.freeze([...list]);
  COPIES.set(list, fresh);
  return fresh;
}

/**
 * An agreed extension as a `Sec-WebSocket-Extensions` element (RFC 6455 §9.1):
 * `name; a=1; b`. Values must be tokens, which every registered parameter is.
 */
export function formatExtension(name: string, params: ExtensionParams, where: string): string {
  let out = name;
  for (const key of Object.keys(params)) {
    const v: unknown = params[key];
    if (!isToken(key) || (v !== true && (typeof v !== 'string' || !isToken(v)))) throw new TypeError(`${where}: The ${name} parameter ${JSON.stringify(key)} must be a token with a token value or true, got ${describe(v)}`);
    out += v === true ? `; ${key}` : `; ${key}=${v}`;
  }
  return out;
}

/** A session an extension returned: it must claim RSV1 (the only bit the encoders set) and have the hook's functions. */
export function checkSession(session: unknown, name: string, where: string): ExtensionSession {
  const s = session as ExtensionSession | null;
  if (s === null || typeof s !== 'object' || typeof s.decode !== 'function' || typeof s.encode !== 'function' || typeof s.wants !== 'function' || s.rsv !== 0x40) {
    throw new TypeError(`${where}: The extension ${name} returned a session without rsv 0x40 and decode, encode and wants functions`);
  }
  return s;
}

/**
 * The length of the frame whose header starts `b` when it is a final,
 * unmasked text or binary frame with no RSV bit and a minimal length
 * (RFC 6455 §5.2), else -1.
 */
export function wholeFrameLength(b: Uint8Array): number {
  if (b.length < 2 || (b[0] !== 0x81 && b[0] !== 0x82) || b[1] > 127) return -1;
  const n = b[1];
  if (n < 126) return 2 + n;
  if (n === 126) return b.length < 4 || ((b[2] << 8) | b[3]) < 126 ? -1 : 4 + ((b[2] << 8) | b[3]);
  // A Uint8Array holds under 2^53 bytes: the top 16 bits of the 64-bit length are 0.
  if (b.length < 10 || b[2] !== 0 || b[3] !== 0) return -1;
  const n64 = ((b[4] << 8) | b[5]) * 2 ** 32 + ((b[6] << 24) >>> 0) + ((b[7] << 16) | (b[8] << 8) | b[9]);
  return n64 < 65536 ? -1 : 10 + n64;
}
