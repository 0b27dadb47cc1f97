// Handshake cases: generated heads with exact expectations, broken heads with
// exact verdicts (the rule broken, and its status), partial heads, pipelined
// bytes, and blind edits judged by invariants (parse rules only, each with its
// status from lib/rules.ts; validate never throws and never accepts what parse
// refuses; a string and its Latin-1 bytes agree, on the rule too).
import { asLatin1, breakHead, diffParsed, genHead, headBytes, headText, mutateText, parse, validate } from './_handshake.mjs';
import { Violation } from './_reader.mjs';

/** Handshake heads: generated (exact expectations), broken (exact verdict), prefixes, pipelined bytes, blind edits. */
export function handshakeCase(r) {
  const h = genHead(r);
  const mode = r.int(10);
  if (mode < 4) {
    const text = headText(h);
    const tail = r.chance(0.3) ? String.fromCharCode(0x81, 0x85, ...r.bytes(r.int(20))) : '';
    checkValid(text, tail, h.expect);
    // RFC 6455 §4.2.1: nothing is decided on a partial head.
    const cut = r.int(text.length);
    expectIncomplete(text.slice(0, cut));
  } else if (mode < 7) {
    const { head, verdict } = breakHead(r, h);
    const text = headText(head);
    for (const input of [text, headBytes(text)]) {
      const p = parse(input);
      if (verdict.rule !== undefined ? p.rule !== verdict.rule : p.result == null) throw new Violation(`Broken head: parse gave ${p.rule ?? (p.result ? 'a request' : 'null')}, expected ${verdict.rule ?? 'a request'} for ${JSON.stringify(text.slice(0, 300))}`);
      if (validate(input)) throw new Violation(`Broken head accepted: ${JSON.stringify(text.slice(0, 300))}`);
    }
  } else {
    const text = mutateText(r, headText(h));
    const s = parse(text), sv = validate(text);
    const b = headBytes(text);
    const p = parse(b), bv = validate(b);
    if (sv && !s.result) throw new Violation('validateUpgradeRequest accepts what parseUpgradeRequest refuses');
    // The string and its Latin-1 bytes are the same head: the same verdict (the 431 byte count aside).
    if (b.length === text.length && s.status !== 431 && p.status !== 431) {
      const same = s.rule !== undefined || p.rule !== undefined ? s.rule === p.rule && s.status === p.status : (s.result === null) === (p.result === null) && (s.result === null || diffParsed(p.result, { ...s.result, origin: s.result.origin }, p.result.headLength) === null);
      if (!same || sv !== bv) throw new Violation(`String and bytes disagree on ${JSON.stringify(text.slice(0, 300))}: ${s.rule ?? !!s.result}/${sv} vs ${p.rule ?? !!p.result}/${bv}`);
    }
  }
  if (r.chance(0.05)) for (const junk of JUNK) validate(junk());
}

const JUNK = [
  () => undefined, () => null, () => 42, () => ({}), () => [], () => Symbol('x'), () => new Uint16Array(4), () => new ArrayBuffer(8),
  () => new String('GET / HTTP/1.1\r\n\r\n'), () => ({ toString() { throw new Error('boom'); } }),
  () => new Proxy(new Uint8Array(4), { get() { throw new Error('trap'); } }),
];

function checkValid(text, tail, want) {
  const bytes = headBytes(text + tail);
  const headLen = headBytes(text).length;
  const latin = bytes.length === (text + tail).length;
  // The same bytes as a DataView inside a larger buffer, with a blank line and junk around it: only the window counts.
  const around = new Uint8Array(bytes.length + 8).fill(0x0a);
  around.set(bytes, 4);
  const window = new DataView(around.buffer, 4, bytes.length);
  const l1 = latin ? want : asLatin1(want);
  for (const [input, expect, headLength] of [[text + tail, want, new TextEncoder().encode(text).length], [bytes, l1, headLen], [window, l1, headLen]]) {
    const p = parse(input);
    if (p.status !== undefined) throw new Violation(`Valid head refused with ${p.status}: ${p.message}: ${JSON.stringify(text.slice(0, 300))}`);
    const d = diffParsed(p.result, expect, headLength);
    if (d) throw new Violation(`Valid head parsed wrong (${input?.constructor?.name ?? typeof input}): ${d}: ${JSON.stringify(text.slice(0, 300))}`);
    if (!validate(input)) throw new Violation(`Valid head not validated: ${JSON.stringify(text.slice(0, 300))}`);
  }
}

function expectIncomplete(prefix) {
  for (const input of [prefix, headBytes(prefix)]) {
    const p = parse(input);
    if (p.result !== null) throw new Violation(`A partial head gave ${p.status ?? 'a request'}: ${JSON.stringify(prefix.slice(0, 300))}`);
    if (validate(input)) throw new Violation('A partial head was validated');
  }
}
