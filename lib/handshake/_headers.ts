// Browser compatible. Header collections in the forms the API takes: a plain
// object (an array value is one line per element), or anything iterable of
// [name, value] pairs (a Headers, a Map, an array). Never requires Headers to
// exist: not every runtime has it.
import { describe } from '../primitives/_bytes.ts';
import { isFieldValue, isToken, trimOws } from './_http.ts';

/**
 * Every `[name, value]` line of `headers`, an array value spread into one
 * line per element (Set-Cookie cannot be joined with commas, RFC 6265 §3).
 * Names and values are only type-checked here; TypeError starts with `where`.
 * `skipUndefined` passes over an undefined value, as Node's header types allow.
 */
export function headerPairs(headers: unknown, where: string, skipUndefined = false): [string, string][] {
  if (headers === null || typeof headers !== 'object') throw new TypeError(`${where}: Expected headers to be an object or iterable, got ${describe(headers)}`);
  const pairs = typeof (headers as Iterable<unknown>)[Symbol.iterator] === 'function'
    ? (headers as Iterable<unknown>)
    : Object.keys(headers).map((name) => [name, (headers as Record<string, unknown>)[name]]);
  const out: [string, string][] = [];
  for (const pair of pairs) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string') throw new TypeError(`${where}: Expected [name, value] pairs, got ${describe(pair)}`);
    const [name, value] = pair as [string, unknown];
    if (value === undefined && skipUndefined) continue;
    for (const v of Array.isArray(value) ? value : [value]) {
      if (typeof v !== 'string') throw new TypeError(`${where}: The value of ${name} must be a string, got ${describe(v)}`);
      out.push([name, v]);
    }
  }
  return out;
}

/**
 * The header lines of `headers`, each ending in CRLF, for every head this
 * library writes (the 101, a refusal, the client's request). A name that is
 * not a token, a value holding CR, LF or another character a field may not
 * hold (RFC 9110 §5.5: no response splitting), or a name matching `own` (one
 * the caller writes itself, `ownWhy` says how) is a TypeError.
 */
export function writeHeaders(headers: unknown, where: string, own: RegExp, ownWhy: string): string {
  let head = '';
  for (const [name, value] of headerPairs(headers, where)) {
    if (own.test(name)) throw new TypeError(`${where}: ${name} ${ownWhy}`);
    head += headerLine(name, value, where);
  }
  return head;
}

/**
 * One `name: value` line with CRLF, or a TypeError starting with `where`. A
 * character above U+00FF is refused too: written as Latin-1 only its low byte
 * would survive (U+010A would become LF).
 */
export function headerLine(name: string, value: unknown, where: string): string {
  if (!isToken(name)) throw new TypeError(`${where}: Invalid header name ${JSON.stringify(name)}`);
  if (typeof value !== 'string') throw new TypeError(`${where}: The value of ${name} must be a string, got ${describe(value)}`);
  if (!isFieldValue(value)) throw new TypeError(`${where}: The value of ${name} holds CR, LF or another character a header may not hold`);
  return name + ': ' + trimOws(value) + '\r\n';
}
