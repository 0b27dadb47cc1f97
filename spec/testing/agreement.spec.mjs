// The inspector and the strict readers judge with one rule table, so they
// cannot disagree (issue 16 §1): on 10^4 seeded random frames biased to hit
// every rule, decodeFrame throws exactly when the inspector reports one of
// the rules it judges, with the rule, close code and message of the first
// of them, at the byte the inspector names; MessageReader does the same for
// every rule on a whole frame. What each judges, and why they differ where
// they do: spec/testing/_agreement.mjs. Then inspectFrames against
// MessageReader on streams of frames (the order rules, UTF-8 across
// fragments). The fuzz stage runs the same checks on 10^5 frames and more
// (spec/fuzz/run.mjs, the 'inspect' kind).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeFrame, FRAME_RULES, MessageReader, ProtocolError } from '../../dist/index.js';
import { encodeRawFrame, inspectFrame } from '../../dist/testing.js';
import { prng } from '../_util.mjs';
import { checkCase, checkStream, DECODE_RULES, FRAME_ALONE_RULES, randomCase, randomStream } from './_agreement.mjs';

const test = suite('inspector agreement');

test('the mapping: decodeFrame judges the header rules, MessageReader every rule; all are FRAME_RULES ids', () => {
  for (const rule of DECODE_RULES) assert.ok(rule in FRAME_RULES, rule);
  for (const rule of FRAME_ALONE_RULES) assert.ok(rule in FRAME_RULES, rule);
  assert.equal([...DECODE_RULES].sort(), ['client-frame-unmasked', 'control-too-long', 'fragmented-control', 'frame-too-big', 'length-msb-set', 'non-minimal-length', 'reserved-opcode', 'rsv-without-extension']);
});

test('the rules decodeFrame does not judge: it accepts these frames, the inspector and MessageReader refuse them', () => {
  const cases = [
    // role client: decodeFrame has no option to refuse a mask (RFC 6455 §5.1).
    [{ opcode: 1, payload: 'hi', mask: [1, 2, 3, 4] }, 'client', 'server-frame-masked'],
    // The Close body (RFC 6455 §5.5.1, §7.4) and text (§8.1): payload rules, MessageReader's.
    [{ opcode: 8, payload: Uint8Array.of(3) }, 'client', 'close-body-one-byte'],
    [{ opcode: 8, payload: Uint8Array.of(0x03, 0xed) }, 'client', 'invalid-close-code'],
    [{ opcode: 8, payload: Uint8Array.of(0x03, 0xe8, 0xff) }, 'client', 'close-reason-invalid-utf8'],
    [{ opcode: 1, payload: Uint8Array.of(0x61, 0xc0, 0x80) }, 'client', 'invalid-utf8'],
  ];
  for (const [spec, role, rule] of cases) {
    const bytes = encodeRawFrame(spec);
    assert.ok(decodeFrame(bytes, { requireMask: role === 'server' }) !== null, `${rule}: decodeFrame accepts`);
    assert.is(inspectFrame(bytes, 0, { role }).violations[0]?.rule, rule, `${rule}: the inspector`);
    let err = null;
    try { new MessageReader({ role }).push(bytes); } catch (e) { err = e; }
    assert.ok(err instanceof ProtocolError && err.rule === rule, `${rule}: MessageReader threw ${err?.rule}`);
  }
});

test('10^4 seeded random frames: decodeFrame and MessageReader agree with the inspector, and every rule is hit', () => {
  const r = prng(0x16);
  const hits = Object.fromEntries(FRAME_ALONE_RULES.map((rule) => [rule, 0]));
  let clean = 0;
  for (let i = 0; i < 10000; i++) {
    const c = randomCase(r);
    let found;
    try { found = checkCase(c); } catch (e) { assert.unreachable(`frame ${i}: ${e.message}`); }
    for (const v of found) hits[v.rule]++;
    if (found.length === 0) clean++;
  }
  const missed = Object.entries(hits).filter(([, n]) => n < 20).map(([rule, n]) => `${rule} ${n}`);
  assert.equal(missed, [], 'every rule a frame alone can break is hit at least 20 times');
  assert.ok(clean > 1000, `${clean} frames break no rule: valid frames are checked too`);
});

test('1,000 seeded random streams: MessageReader throws the first violation inspectFrames reports, at its byte', () => {
  const r = prng(0x1616);
  const hits = { 'unexpected-continuation': 0, 'expected-continuation': 0, 'invalid-utf8': 0 };
  let clean = 0;
  for (let i = 0; i < 1000; i++) {
    let all;
    try { all = checkStream(randomStream(r)); } catch (e) { assert.unreachable(`stream ${i}: ${e.message}`); }
    const rules = all.flatMap((f) => f.violations.map((v) => v.rule));
    for (const rule of rules) if (rule in hits) hits[rule]++;
    if (rules.length === 0) clean++;
  }
  for (const [rule, n] of Object.entries(hits)) assert.ok(n >= 20, `the stream rule ${rule} is hit ${n} times`);
  assert.ok(clean > 200, `${clean} streams break no rule`);
});

test.run();
