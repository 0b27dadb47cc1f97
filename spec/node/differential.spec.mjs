// Differential testing against ws 8.23 (RFC 6455 §5-§8): the same byte
// streams, in the same chunks, go through ws's Receiver and our
// MessageReader. Where both accept, the messages must be identical; where both
// reject, the close codes must match; any other difference must be one of the
// DEVIATIONS in ./_diff.mjs (each checked against the bytes, not just named),
// or the spec fails. docs/hardening.md lists the same deviations.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { classify, DEVIATIONS, runOurs, runWs } from './_diff.mjs';
import { cutPoints, split } from '../fuzz/_chunks.mjs';
import { encodeFrames, genConversation, makeFrame, maskKey } from '../fuzz/_frames.mjs';
import { flood, mutateBytes, mutateFrames } from '../fuzz/_mutate.mjs';
import { Rng } from '../fuzz/_prng.mjs';

// A longer or other run: DIFF_STREAMS=50000 DIFF_SEED=7 node node_modules/uvu/bin.js spec/node differential
const STREAMS = Number(process.env.DIFF_STREAMS ?? 3000);
const SEED = Number(process.env.DIFF_SEED ?? 6455);
const MIB64 = 64 * 1024 * 1024;

async function compare(bytes, chunks, opts) {
  const mine = { role: opts.role, maxMessageSize: opts.maxPayload, maxFragments: opts.maxFragments || undefined };
  const ours = runOurs(chunks, mine);
  const theirs = await runWs(chunks, opts);
  return classify(bytes, ours, theirs, (b) => runOurs([b], mine));
}

function stream(r) {
  const role = r.chance(0.8) ? 'server' : 'client';
  const masked = role === 'server';
  let frames = genConversation(r, { masked, big: 0.002 });
  if (r.chance(0.4)) frames = mutateFrames(r, frames, masked);
  let { bytes, layout } = encodeFrames(frames);
  if (r.chance(0.4)) bytes = mutateBytes(r, bytes, layout);
  else if (r.chance(0.15)) bytes = bytes.subarray(0, r.int(bytes.length + 1));
  const maxPayload = r.chance(0.7) ? MIB64 : r.pick([1, 125, r.range(1, 3000), r.range(60000, 70000)]);
  return { bytes, chunks: split(bytes, cutPoints(r, bytes.length, layout.map((l) => l.start))), opts: { role, maxPayload } };
}

test(`${STREAMS} fuzzed streams: ws and MessageReader agree, documented deviations aside`, async () => {
  const seen = {};
  const unexplained = [];
  for (let i = 0; i < STREAMS; i++) {
    const r = new Rng(SEED, i);
    const { bytes, chunks, opts } = stream(r);
    const verdict = await compare(bytes, chunks, opts);
    const key = verdict ?? 'identical';
    seen[key] = (seen[key] ?? 0) + 1;
    if (verdict?.startsWith('unexplained') && unexplained.length < 10) unexplained.push(`stream ${SEED}:${i}: ${verdict}`);
  }
  console.log(`  differential: ${Object.entries(seen).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  assert.equal(unexplained, [], 'Differences from ws outside the documented deviations');
  assert.ok(seen.identical > STREAMS / 2, 'Most streams must give identical results');
});

test('fragment floods: the budget differs from ws only as documented', async () => {
  let budget = 0;
  for (let i = 0; i < 200; i++) {
    const r = new Rng(SEED + 1, i);
    const maxFragments = r.range(1, 20);
    const frames = [...flood(r, true), makeFrame(0x9, r.bytes(3), { masked: true, key: maskKey(r) }), ...flood(r, true)];
    const { bytes, layout } = encodeFrames(frames);
    const chunks = split(bytes, cutPoints(r, bytes.length, layout.map((l) => l.start)));
    const verdict = await compare(bytes, chunks, { role: 'server', maxPayload: MIB64, maxFragments });
    assert.ok(verdict === null || verdict === 'fragment-budget', `Flood ${i}: ${verdict}`);
    if (verdict) budget++;
  }
  assert.ok(budget > 0, 'Some floods must exceed the budget');
});

// Hand-picked streams: each RFC 6455 §5.7 example and length boundary agrees,
// and each documented deviation is shown by a stream that has it.
const K = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]); // the RFC 6455 §5.7 masking key
const m = (opcode, payload, o = {}) => makeFrame(opcode, typeof payload === 'string' ? new TextEncoder().encode(payload) : payload, { masked: true, key: K, ...o });
const bytesOf = (...frames) => encodeFrames(frames).bytes;
const closeBody = (code, reason = []) => new Uint8Array([code >> 8, code & 255, ...reason]);
const CASES = [
  ['§5.7 a single-frame masked text message', bytesOf(m(1, 'Hello')), null],
  ['§5.7 a fragmented unmasked text message (client role)', bytesOf(makeFrame(1, new TextEncoder().encode('Hel'), { fin: false }), makeFrame(0, new TextEncoder().encode('lo'))), null, 'client'],
  ['§5.7 a masked ping', bytesOf(m(9, 'Hello')), null],
  ['§5.7 256 bytes in one binary frame (16-bit length)', bytesOf(m(2, new Uint8Array(256).fill(7))), null],
  ['§5.7 64 KiB in one binary frame (64-bit length)', bytesOf(m(2, new Uint8Array(65536).fill(9))), null],
  ...[0, 125, 126, 65535, 65536].map((n) => [`a ${n}-byte binary message`, bytesOf(m(2, new Uint8Array(n).fill(n & 255))), null]),
  ['a 2-byte UTF-8 character split across fragments around a ping', bytesOf(m(1, new Uint8Array([0xce]), { fin: false }), m(9, ''), m(0, new Uint8Array([0xba]))), null],
  ['close 1000 with a reason', bytesOf(m(8, closeBody(1000, [0x62, 0x79, 0x65]))), null],
  ...[999, 1004, 1005, 1006, 1015, 1016, 2999, 5000].map((c) => [`close code ${c} may not be sent (§7.4)`, bytesOf(m(8, closeBody(c))), null]),
  ...[1012, 1013, 1014, 3000, 4999].map((c) => [`close code ${c} is accepted`, bytesOf(m(8, closeBody(c))), null]),
  ['a close reason that is not UTF-8', bytesOf(m(8, closeBody(1000, [0xff]))), null],
  ['a complete 1-byte Close payload', bytesOf(m(8, new Uint8Array([3]))), null],
  ['a continuation with no message (§5.4)', bytesOf(m(0, 'x')), null],
  ['an unmasked client frame (§5.1)', bytesOf(makeFrame(1, new Uint8Array([0x61]))), null],
  ['RSV1 set without an extension (§5.2)', bytesOf(m(1, 'x', { rsv: 4 })), null],
  ['a 16-bit length of 5', bytesOf(m(2, new Uint8Array(5), { form: '16' })), 'non-minimal-length'],
  ['a 64-bit length of 200', bytesOf(m(2, new Uint8Array(200), { form: '64' })), 'non-minimal-length'],
  ['a 64-bit length of 65535', bytesOf(m(2, new Uint8Array(65535), { form: '64' })), 'non-minimal-length'],
  ['a 64-bit length with the MSB set', bytesOf(m(2, new Uint8Array(10), { hi: 0x80000000 })), '64-bit-msb'],
  ['invalid UTF-8 in a first fragment, then a ping', bytesOf(m(1, new Uint8Array([0x61, 0xff]), { fin: false }), m(9, 'p'), m(0, 'b')), 'utf8-fail-fast'],
  ['invalid UTF-8, then the stream ends', bytesOf(m(1, new Uint8Array([0x61, 0xc0, 0x80]), { fin: false })), 'utf8-fail-fast'],
  ['invalid UTF-8, then a frame with RSV set', bytesOf(m(1, new Uint8Array([0xed, 0xa0, 0x80]), { fin: false }), m(0, 'x', { rsv: 2 })), 'utf8-fail-fast'],
  ['one byte with RSV2 set', new Uint8Array([0xa1]), 'byte0-alone'],
  ['one byte of a reserved opcode', new Uint8Array([0x83]), 'byte0-alone'],
  ['a 1-byte Close header without its payload', bytesOf(m(8, new Uint8Array([3]))).subarray(0, 6), null],
  ['close code 1005 cut before the reason ends', bytesOf(m(8, closeBody(1005, [0x61, 0x62]))).subarray(0, 9), 'close-code-early'],
  ['a 16-bit length of 5 under a limit of 100', bytesOf(m(2, new Uint8Array(5), { form: '16' })), 'length-prefix', 'server', 100],
  ['a 16-bit length code alone under a limit of 100', new Uint8Array([0x82, 0xfe]), 'length-prefix', 'server', 100],
  ['a 64-bit length of 300 under a limit of 1000', bytesOf(m(2, new Uint8Array(300), { form: '64' })), 'length-prefix', 'server', 1000],
  ['a 64-bit length cut after a first byte with its top bit set', bytesOf(m(2, new Uint8Array(10), { hi: 0x80000000 })).subarray(0, 3), 'length-prefix'],
  ['a 64-bit length cut after a first byte that makes it over 2^56', new Uint8Array([0x82, 0xff, 0x01]), 'length-prefix'],
  ['a 64-bit length cut after six zero bytes (under 65,536 whatever follows)', new Uint8Array([0x82, 0xff, 0, 0, 0, 0, 0, 0]), 'length-prefix'],
  ['a 16-bit length of 200 over a limit of 100', bytesOf(m(2, new Uint8Array(200))), null, 'server', 100],
];

test('hand-picked streams: agreements and every documented deviation', async () => {
  const shown = new Set();
  for (const [name, bytes, want, role = 'server', maxPayload = MIB64] of CASES) {
    for (const chunks of [[bytes], [...bytes].map((b) => new Uint8Array([b]))]) {
      const verdict = await compare(bytes, chunks, { role, maxPayload });
      assert.is(verdict, want, name);
    }
    if (want) shown.add(want);
  }
  console.log(`  differential: ${CASES.length} hand-picked streams, each whole and byte by byte`);
  shown.add('fragment-budget'); // shown by the flood test above
  assert.equal([...shown].sort(), Object.keys(DEVIATIONS).sort(), 'Every documented deviation is shown by a stream');
});

// The classifier itself: a difference no deviation explains is reported, not excused.
test('an unexplained difference is reported', () => {
  const bytes = bytesOf(m(1, 'Hello'), m(0x9, '', {}));
  const ws = { messages: [{ type: 'text', data: 'Hello' }, { type: 'ping', data: new Uint8Array(0) }], code: null, reason: null };
  const wrong = [
    { messages: [{ type: 'text', data: 'Hellp' }, ws.messages[1]], code: null, reason: null },
    { messages: [], code: 1007, reason: 'Invalid text: Not UTF-8 at byte 2 of the message' },
    { messages: [ws.messages[0]], code: 1002, reason: 'Invalid frame: A length under 126 is not minimally encoded in 16 bits (RFC 6455 §5.2)' },
    { messages: ws.messages.slice(0, 1), code: 1009, reason: 'Message too big: 126 bytes exceeds the limit of 1' },
  ];
  for (const ours of wrong) assert.match(classify(bytes, ours, ws, () => ours), /^unexplained/);
});

test.run();
