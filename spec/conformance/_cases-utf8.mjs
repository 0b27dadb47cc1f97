// Section 6 after the Autobahn|Testsuite fuzzing-client cases: UTF-8 in text
// messages (RFC 6455 §5.6, §8.1; RFC 3629), with the test sequences of Markus
// Kuhn's decoder stress test that Autobahn uses. Valid text is echoed; invalid
// text fails the connection with 1007, and fail-fast: each invalid case sends
// the bytes before the first invalid one, checks the server is still quiet,
// sends that byte, and requires the Close before the rest is sent. Validity and
// the first invalid byte come from node's WHATWG TextDecoder, not from the
// library under test.
// The cases are built by utf8Cases(frame) so that the client-role suite
// (client/_cases-utf8.mjs) runs the same ones with its own (unmasked) frames.
import { frame as clientFrame } from './_client.mjs';
import { OP, text, firstInvalidByte } from './_expect.mjs';
import { KOSME, UTF8_GROUPS } from './_utf8-groups.mjs';

/**
 * Section 6's cases, written with `frame` (a masked client frame for the
 * server suite, an unmasked server frame for the client suite).
 * @param {(opcode: number, payload: Buffer | string, options?: { fin?: boolean }) => Buffer} frame
 */
export function utf8Cases(frame) {
  const cases = [];
  const hex = (s) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
  const PART3 = Buffer.from('edited');

  // Splits a single frame carrying `payload` at payload byte `k`: [head + payload[0..k), payload[k], rest].
  function splitFrame(f, payloadLength, k) {
    const at = f.length - payloadLength + k;
    return [f.subarray(0, at), f.subarray(at, at + 1), f.subarray(at + 1)];
  }

  /** A case for one text payload sent as one frame: echoed when valid, fail-fast 1007 when not. */
  function sequence(id, title, payload) {
    const bad = firstInvalidByte(payload);
    if (bad < 0) return { id, title: `${title}: valid`, run: (c) => c.send(frame(OP.TEXT, payload)), expect: [text(payload)] };
    const k = Math.min(bad, payload.length - 1); // invalid only at its end: the last byte completes the frame
    return {
      id,
      title: `${title}: invalid at byte ${bad}`,
      run: (c) => c.failFast(...splitFrame(frame(OP.TEXT, payload), payload.length, k)),
      expect: [],
      fail: 1007,
    };
  }

  // 6.1 — empty messages and empty fragments.
  cases.push(
    { id: '6.1.1', title: 'A text message of length 0', run: (c) => c.send(frame(OP.TEXT, '')), expect: [text('')] },
    {
      id: '6.1.2', title: 'A text message in 3 fragments, each of length 0',
      run: (c) => c.send(Buffer.concat([frame(OP.TEXT, '', { fin: false }), frame(OP.CONT, '', { fin: false }), frame(OP.CONT, '')])), expect: [text('')],
    },
    {
      id: '6.1.3', title: 'A text message in 3 fragments, the first and last of length 0',
      run: (c) => c.send(Buffer.concat([frame(OP.TEXT, '', { fin: false }), frame(OP.CONT, 'middle frame payload', { fin: false }), frame(OP.CONT, '')])), expect: [text('middle frame payload')],
    },
  );

  // 6.2 / 6.3 — one frame, or one frame per byte (fragments end inside code points).
  const HELLO = Buffer.from('Hello-µ@ßöäüàá-UTF-8!!');
  const perByteFrames = (bytes) => [...bytes].map((b, i) => frame(i === 0 ? OP.TEXT : OP.CONT, Buffer.from([b]), { fin: i === bytes.length - 1 }));
  const INVALID = Buffer.concat([KOSME, hex('ed a0 80'), PART3]); // a UTF-16 surrogate inside
  const cut = HELLO.indexOf('ü'); // a code point boundary
  cases.push(
    { id: '6.2.1', title: 'Valid UTF-8 in one fragment', run: (c) => c.send(frame(OP.TEXT, HELLO)), expect: [text(HELLO)] },
    {
      id: '6.2.2', title: 'Valid UTF-8 in 2 fragments split at a code point boundary',
      run: (c) => c.send(Buffer.concat([frame(OP.TEXT, HELLO.subarray(0, cut), { fin: false }), frame(OP.CONT, HELLO.subarray(cut))])), expect: [text(HELLO)],
    },
    { id: '6.2.3', title: 'Valid UTF-8 in 1-byte fragments, ending inside code points', run: (c) => c.sendEach(perByteFrames(HELLO)), expect: [text(HELLO)] },
    { id: '6.2.4', title: 'Valid UTF-8 (κόσμε) in 1-byte fragments, ending inside code points', run: (c) => c.sendEach(perByteFrames(KOSME)), expect: [text(KOSME)] },
    sequence('6.3.1', 'κόσμε, a surrogate, "edited" in one frame', INVALID),
    {
      id: '6.3.2', title: 'κόσμε, a surrogate, "edited" in 1-byte fragments: fail-fast at the fragment with the first invalid byte',
      run: (c) => {
        const frames = perByteFrames(INVALID);
        const bad = firstInvalidByte(INVALID);
        return c.failFast(Buffer.concat(frames.slice(0, bad)), frames[bad], Buffer.concat(frames.slice(bad + 1)));
      },
      expect: [],
      fail: 1007,
    },
  );

  // 6.4 — fail-fast across frames (6.4.1, 6.4.2) and inside one frame (6.4.3, 6.4.4):
  // PART1 (κόσμε) and PART3 ("edited") are valid; F4 90 80 80 is above U+10FFFF,
  // invalid at 0x90. The endpoint under test must close before PART3 is sent.
  const BAD = hex('f4 90 80 80');
  {
    const f = (op, p, fin) => frame(op, p, { fin });
    cases.push(
      {
        id: '6.4.1', title: 'Fail-fast: 3 fragments, the 2nd (F4 90 80 80) makes the text invalid',
        run: (c) => c.failFast(f(OP.TEXT, KOSME, false), f(OP.CONT, BAD, false), f(OP.CONT, PART3, true)), expect: [], fail: 1007,
      },
      {
        id: '6.4.2', title: 'Fail-fast: 3 fragments, the 1st ends in F4, the 2nd (90) makes the text invalid',
        run: (c) => c.failFast(f(OP.TEXT, Buffer.concat([KOSME, BAD.subarray(0, 1)]), false), f(OP.CONT, BAD.subarray(1, 2), false), f(OP.CONT, Buffer.concat([BAD.subarray(2), PART3]), true)),
        expect: [], fail: 1007,
      },
    );
    const one = Buffer.concat([KOSME, BAD, PART3]);
    const wire = frame(OP.TEXT, one);
    const head = wire.length - one.length;
    const at = (n) => head + n;
    cases.push(
      {
        id: '6.4.3', title: 'Fail-fast: one frame in 3 chops, the 2nd (F4 90 80 80) makes the text invalid',
        run: (c) => c.failFast(wire.subarray(0, at(KOSME.length)), wire.subarray(at(KOSME.length), at(KOSME.length + 4)), wire.subarray(at(KOSME.length + 4))), expect: [], fail: 1007,
      },
      {
        id: '6.4.4', title: 'Fail-fast: one frame in 3 chops, the 1st ends in F4, the 2nd (90) makes the text invalid',
        run: (c) => c.failFast(wire.subarray(0, at(KOSME.length + 1)), wire.subarray(at(KOSME.length + 1), at(KOSME.length + 2)), wire.subarray(at(KOSME.length + 2))), expect: [], fail: 1007,
      },
    );
  }

  // 6.5-6.23 — the decoder stress-test sequences, in Autobahn's groups and order.
  UTF8_GROUPS.forEach(([title, list], g) => {
    list.forEach((payload, i) => cases.push(sequence(`6.${5 + g}.${i + 1}`, `${title} (${payload.length > 16 ? `${payload.length} bytes` : payload.toString('hex').replace(/(..)(?!$)/g, '$1 ')})`, payload)));
  });
  return cases;
}

export default utf8Cases(clientFrame);
