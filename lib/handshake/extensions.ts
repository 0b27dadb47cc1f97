// Browser compatible. The Sec-WebSocket-Extensions header grammar (RFC 6455 §9.1).
import { HandshakeError } from '../errors.ts';
import { isTchar, isToken } from './_http.ts';

/** A parsed extension offer from `Sec-WebSocket-Extensions` (RFC 6455 §9.1). */
export interface ExtensionOffer {
  name: string;
  /**
   * Parameters, with no prototype (a `__proto__` parameter is a parameter
   * like any other); one without a value is `true`, quoted values are unquoted.
   */
  params: Record<string, string | true>;
  /**
   * The parameters named more than once, if any (`params` keeps the first
   * value). The grammar allows a repeat; an extension's own rules may not:
   * RFC 7692 §7.1 has a server decline such an offer and a client fail the
   * connection on such a response, and so do `ServerConnection` and
   * `verifyUpgradeResponse` for any extension.
   */
  repeated?: string[];
}

function malformed(detail: string): HandshakeError {
  return new HandshakeError('malformed-extensions', `Cannot parse upgrade request: ${detail}`);
}

/**
 * Parses a `Sec-WebSocket-Extensions` value (RFC 6455 §9.1):
 * extension-list = 1#( extension-token *( ";" extension-param ) ),
 * extension-param = token [ "=" ( token | quoted-string ) ], where a quoted
 * value must still be a token once unquoted. Empty list elements are ignored
 * (RFC 9110 §5.6.1).
 *
 * @param value The header value, or undefined when the header is absent.
 * @returns The offers in order; a parameter without a value is `true`.
 * @throws {HandshakeError} 400 (`'malformed-extensions'`) for anything outside the grammar.
 * @example Read a browser's offer
 * ```ts
 * parseExtensions('permessage-deflate; client_max_window_bits');
 * // [{ name: 'permessage-deflate', params: { client_max_window_bits: true } }]
 * ```
 */
export function parseExtensions(value: string | undefined): ExtensionOffer[] {
  const out: ExtensionOffer[] = [];
  if (value === undefined) return out;
  const n = value.length;
  let i = 0;
  const ows = () => { while (i < n && (value[i] === ' ' || value[i] === '\t')) i++; };
  const token = (): string => {
    const start = i;
    while (i < n && isTchar(value.charCodeAt(i))) i++;
    if (i === start) throw malformed(`Malformed Sec-WebSocket-Extensions at ${start}`);
    return value.slice(start, i);
  };
  while (i < n) {
    ows();
    if (value[i] === ',') { i++; continue; }
    if (i >= n) break;
    const offer: ExtensionOffer = { name: token(), params: Object.create(null) };
    ows();
    while (value[i] === ';') {
      i++; ows();
      const name = token();
      ows();
      let v: string | true = true;
      if (value[i] === '=') {
        i++; ows();
        if (value[i] === '"') {
          i++;
          let s = '';
          while (i < n && value[i] !== '"') {
            if (value[i] === '\\') i++; // RFC 9110 §5.6.4: quoted-pair
            if (i < n) s += value[i++];
          }
          // An unterminated quoted string, or one that is not a token once unquoted (RFC 6455 §9.1).
          if (i++ >= n || !isToken(s)) throw malformed(`Malformed Sec-WebSocket-Extensions at ${i - 1}`);
          v = s;
        } else {
          v = token();
        }
        ows();
      }
      if (offer.params[name] === undefined) offer.params[name] = v;
      else if (!(offer.repeated ??= []).includes(name)) offer.repeated.push(name);
    }
    if (i < n && value[i] !== ',') throw malformed(`Malformed Sec-WebSocket-Extensions at ${i}`);
    out.push(offer);
  }
  return out;
}
