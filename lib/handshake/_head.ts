// Browser compatible. An HTTP/1.1 message head (RFC 9112 §2-§5) as both roles
// read it: where it ends, under the size limit, and its field lines. The start
// line is left to the caller (a request line for the server, a status line
// for the client), and so are the rule ids: a server answers a malformed
// request with a status, a client only fails the connection.
import { HandshakeError } from '../errors.ts';
import type { ClientHandshakeRule, HandshakeRule } from '../rules.ts';
import { asBytes, utf8Length } from '../primitives/_bytes.ts';
import { MAX_HEAD_BYTES } from '../rfc6455.ts';
import { isFieldValue, isToken, trimOws } from './_http.ts';

type Rule = HandshakeRule | ClientHandshakeRule;

/** The rule ids one role reports the head's syntax errors with, and the start of its messages. */
export interface HeadRules {
  /** Such as `'Cannot parse upgrade request'`. */
  where: string;
  tooLarge: Rule;
  bareCr: Rule;
  malformedHeader: Rule;
  invalidValue: Rule;
  /**
   * The rule for obs-fold, or undefined to unfold it: RFC 9112 §5.2 has a
   * server reject it with 400, but a user agent reading a response replace
   * each obs-fold with SP.
   */
  obsFold?: Rule;
  /** A lower-case header name that may be sent only once, the rule a repeat breaks, and the name as messages spell it (RFC 9112 §3.2: Host). */
  once?: readonly [string, Rule, string];
}

/** A head split into its start line and fields. */
export interface Head {
  /** The first non-empty line, without its line end; not yet checked. */
  start: string;
  headers: Record<string, string>;
  rawHeaders: [string, string][];
  /** Bytes of the head, blank line included: what follows it starts here. */
  headLength: number;
}

/**
 * The head at the start of `input`, or null while it is incomplete. A string
 * is read as text (its `headLength` counts UTF-8 bytes), bytes as Latin-1.
 */
export function readHead(input: string | ArrayBuffer | ArrayBufferView, rules: HeadRules): Head | null {
  let text: string;
  let headLength: number;
  if (typeof input === 'string') {
    const end = findHeadEnd(input.length, (i) => input.charCodeAt(i), rules);
    // The limit is in bytes: a string under 16 Ki characters may still be over 16 KiB of UTF-8.
    if (end < 0) {
      if (utf8Length(input) > MAX_HEAD_BYTES) throw tooLarge(rules);
      return null;
    }
    text = input.slice(0, end);
    headLength = utf8Length(text);
    if (headLength > MAX_HEAD_BYTES) throw tooLarge(rules);
  } else {
    const bytes = asBytes(input, rules.where, 'a string or ');
    const end = findHeadEnd(bytes.length, (i) => bytes[i], rules);
    if (end < 0) return null;
    // Header bytes are octets (RFC 9110 §5.5); Latin-1 keeps one char per byte.
    text = latin1(bytes, end);
    headLength = end;
  }
  return splitHead(text, headLength, rules);
}

/** Index just past the blank line ending the head, or -1; throws past the limit. */
function findHeadEnd(n: number, at: (i: number) => number, rules: HeadRules): number {
  let i = 0;
  // RFC 9112 §2.2: ignore empty lines before the start line.
  while (i < n && i < MAX_HEAD_BYTES && (at(i) === 0x0a || (at(i) === 0x0d && i + 1 < n && at(i + 1) === 0x0a))) i += at(i) === 0x0a ? 1 : 2;
  const limit = Math.min(n, MAX_HEAD_BYTES + 1);
  for (; i < limit; i++) {
    if (at(i) !== 0x0a) continue;
    const end = i + 1 < n && at(i + 1) === 0x0a ? i + 2 : i + 2 < n && at(i + 1) === 0x0d && at(i + 2) === 0x0a ? i + 3 : -1;
    if (end < 0) continue;
    if (end > MAX_HEAD_BYTES) throw tooLarge(rules);
    return end;
  }
  if (n > MAX_HEAD_BYTES) throw tooLarge(rules);
  return -1;
}

function tooLarge(rules: HeadRules): HandshakeError {
  return new HandshakeError(rules.tooLarge, `${rules.where}: The head is over ${MAX_HEAD_BYTES} bytes`);
}

function latin1(bytes: Uint8Array, end: number): string {
  let s = '';
  for (let i = 0; i < end; i += 4096) s += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 4096)) as unknown as number[]);
  return s;
}

function splitHead(text: string, headLength: number, rules: HeadRules): Head {
  const fail = (rule: Rule, detail: string) => new HandshakeError(rule, `${rules.where}: ${detail}`);
  const lines = text.split('\n');
  // The head ends with an empty line, so the split leaves two empty strings (or "\r" and "").
  lines.length -= 2;
  let first = 0;
  while (lines[first] === '' || lines[first] === '\r') first++;
  // No prototype: '__proto__' is stored as a header, and 'constructor' is absent until sent.
  const headers: Record<string, string> = Object.create(null);
  const rawHeaders: [string, string][] = [];
  const strip = (l: number): string => {
    const line = lines[l].endsWith('\r') ? lines[l].slice(0, -1) : lines[l];
    // RFC 9112 §2.2: a bare CR is invalid.
    if (line.includes('\r')) throw fail(rules.bareCr, 'A bare CR in the head');
    return line;
  };
  const folded = (l: number) => l < lines.length && (lines[l][0] === ' ' || lines[l][0] === '\t');
  let start = '';
  for (let l = first; l < lines.length; l++) {
    let line = strip(l);
    if (l === first) { start = line; continue; }
    if (line[0] === ' ' || line[0] === '\t') {
      // RFC 9112 §5.2: obs-fold. Unfolding, a continuation was consumed with
      // its field below: this one follows the start line, and continues
      // nothing (RFC 9112 §2.2 lets a recipient reject it).
      throw rules.obsFold !== undefined ? fail(rules.obsFold, 'Obsolete line folding') : fail(rules.malformedHeader, 'Whitespace before the first header line');
    }
    // RFC 9112 §5.2: a user agent replaces each obs-fold with SP.
    // The pieces are trimmed once each and joined once: re-trimming the growing
    // line per fold made a 16 KiB head of short folds cost seconds.
    if (rules.obsFold === undefined && folded(l + 1)) {
      const parts = [trimOws(line)];
      while (folded(l + 1)) { const part = trimOws(strip(++l)); if (part !== '') parts.push(part); }
      line = parts.join(' ');
    }
    const colon = line.indexOf(':');
    const name = line.slice(0, colon);
    // RFC 9112 §5.1: field-name ":" OWS field-value OWS, with no whitespace between the name and the colon.
    if (colon < 0 || !isToken(name)) throw fail(rules.malformedHeader, `Malformed header line ${JSON.stringify(line.slice(0, 64))}`);
    const value = trimOws(line.slice(colon + 1));
    if (!isFieldValue(value, true)) throw fail(rules.invalidValue, `The value of ${name} holds a control character`);
    const key = name.toLowerCase();
    const prior = headers[key];
    if (prior !== undefined && rules.once !== undefined && key === rules.once[0]) throw fail(rules.once[1], `More than one ${rules.once[2]} header`);
    // RFC 9110 §5.3: a repeated field is one list joined with ", "; Cookie
    // pairs are separated by "; " instead (RFC 6265 §5.4), as HTTP/2 joins
    // its cookie crumbs (RFC 9113 §8.2.3).
    headers[key] = prior === undefined ? value : prior + (key === 'cookie' ? '; ' : ', ') + value;
    rawHeaders.push([name, value]);
  }
  return { start, headers, rawHeaders, headLength };
}
