// Named regression specs: each failure the fuzzer found (in the library or in
// the fuzzer's own oracle), pinned as explicit bytes so it keeps testing the
// same input whatever the generators become; plus the attacks issue 5 names
// (ws's 2026 fragment flood, websocket-driver's 64-bit precision loss, Deno's
// allocation from a declared length). run.mjs runs them before the seeds;
// `node spec/fuzz/regressions.mjs` runs them alone.
import { pathToFileURL } from 'node:url';
import { checkUpgradeRequest, decodeFrame, parseUpgradeRequest, parseUpgradeResponse, ProtocolError } from '../../dist/index.js';
import { encodeFrames, makeFrame } from './_frames.mjs';
import { modelReader } from './_model.mjs';
import { diffOutcome, runReader, Violation } from './_reader.mjs';

const KEY = new Uint8Array([1, 2, 3, 4]);
const masked = (opcode, payload, o = {}) => makeFrame(opcode, payload, { masked: true, key: KEY, ...o });

/** Frames against the oracle, whole and in 1-byte chunks. */
function agree(frames, opts = {}) {
  const { bytes, layout } = encodeFrames(frames);
  const want = modelReader(frames, layout, bytes.length, opts);
  for (const chunks of [[bytes], [...bytes].map((b) => new Uint8Array([b]))]) {
    const got = runReader(opts, chunks, null);
    const d = diffOutcome(want, got, false);
    if (d) throw new Violation(d);
  }
  return want;
}

function expectCode(outcome, code, rule = null) {
  if (outcome.code !== code || outcome.rule !== rule) throw new Violation(`Expected close code ${code} ${rule}, got ${outcome.code} ${outcome.rule}`);
}

function expectDecodeCode(bytes, opts, code, rule) {
  try {
    decodeFrame(bytes, opts);
  } catch (e) {
    if (e instanceof ProtocolError && e.closeCode === code && e.rule === rule) return;
    throw new Violation(`decodeFrame threw ${e?.closeCode ?? e?.name} ${e?.rule}: ${e?.message}`);
  }
  throw new Violation(`decodeFrame did not fail with ${code} ${rule}`);
}

export const REGRESSIONS = [
  // Found at seed 7 case 16431 (oracle bug): a 64-bit length's upper word must be read
  // as part of a 64-bit length, whatever else the frame says (RFC 6455 §5.2).
  ['a 64-bit length with the MSB set fails with 1002 (seed 7:16431)', () => expectCode(agree([masked(2, new Uint8Array(98), { hi: 0x80000000, fin: false })]), 1002, 'length-msb-set')],
  ['a 64-bit length of 2^32 + 87 is over the limit: 1009, before the key (seed 7:8856)', () => expectCode(agree([masked(2, new Uint8Array(87), { hi: 1 })], { maxMessageSize: 100 }), 1009, 'message-too-big')],
  // Found at seed 7 case 11430 (oracle bug): OWS is trimmed from each field line before
  // repeated fields are joined (RFC 9110 §5.2, §5.5), and empty list elements are dropped (§5.6.1).
  ['a repeated Sec-WebSocket-Protocol with leading OWS and an empty element (seed 7:11430)', () => {
    const req = parseUpgradeRequest('GET / HTTP/1.1\r\nHost: h\r\nSec-WebSocket-Protocol: a\r\nSec-WebSocket-Protocol:  ,b \r\n\r\n');
    if (req.headers['sec-websocket-protocol'] !== 'a, ,b') throw new Violation(`Joined value ${JSON.stringify(req.headers['sec-websocket-protocol'])}`);
    if (JSON.stringify(req.protocols) !== '["a","b"]') throw new Violation(`Protocols ${JSON.stringify(req.protocols)}`);
  }],
  // Found at seed 1338695441 cases 78 and 154 after the reader and decodeFrame began judging
  // the extended length byte by byte: with a limit under 65,536 the 7-bit code 127 alone
  // decides 1009, since no minimally encoded 64-bit length fits (RFC 6455 §5.2).
  ['decodeFrame: a 64-bit length of 78 under maxPayload 1 fails 1009, not 1002 (seed 1338695441:78)', () => {
    const { bytes } = encodeFrames([masked(2, new Uint8Array(78), { form: '64' })]);
    expectDecodeCode(bytes, { maxPayload: 1 }, 1009, 'frame-too-big');
  }],
  ['decodeFrame: the length code 127 alone under maxPayload 0 fails 1009 (seed 1338695441:154)', () => expectDecodeCode(new Uint8Array([0x00, 0xff]), { maxPayload: 0 }, 1009, 'frame-too-big')],
  // Found at seed 5 case 450 (encoder bug in the fuzzer): 65,536 bytes never get a 16-bit length.
  ['the fuzzer never writes a 16-bit length for 65,536 bytes (seed 5:450)', () => {
    const { bytes } = encodeFrames([masked(2, new Uint8Array(65536), { form: '16' })]);
    if ((bytes[1] & 0x7f) !== 127) throw new Violation(`Length code ${bytes[1] & 0x7f}`);
  }],
  // Found at seed 12 cases 1029 and 3843 after the reader began judging Close payloads
  // early (commit 17f697d): the code at its second byte (RFC 6455 §7.4), a 1-byte body
  // from the length alone (§5.5.1). Truncated streams, so only an early check fails them.
  ['a Close code that may not be sent fails at its second byte (seed 12:1029)', () => {
    const { bytes } = encodeFrames([masked(8, new Uint8Array([0x0b, 0xb7, 0x61, 0x62]))]); // 2999
    expectCode(runReader({}, [bytes.subarray(0, 8)], null), 1002, 'invalid-close-code');
  }],
  ['a 1-byte Close body fails from its length byte', () => expectCode(runReader({}, [new Uint8Array([0x88, 0x81])], null), 1002, 'close-body-one-byte')],
  // ws's 2026 advisory: a message in endless empty fragments. The budget cuts it off with
  // 1009 on the header of fragment maxFragments + 1, before its payload.
  ['empty-fragment flood: 1009 at fragment maxFragments + 1', () => {
    const frames = [masked(2, new Uint8Array(0), { fin: false }), ...Array.from({ length: 40 }, () => masked(0, new Uint8Array(0), { fin: false }))];
    const out = agree(frames, { maxFragments: 16 });
    expectCode(out, 1009, 'too-many-fragments');
  }],
  // websocket-driver: 64-bit lengths above 2^53 lost precision and were accepted. Here
  // 2^53 + 1 (MSB clear) must be over any limit, even a limit of 2^53 - 1.
  ['a 64-bit length of 2^53 + 1 is over a limit of 2^53 - 1', () => {
    const bytes = new Uint8Array([0x82, 0xff, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 1, 2, 3, 4]);
    expectCode(runReader({ maxMessageSize: Number.MAX_SAFE_INTEGER }, [bytes], null), 1009, 'message-too-big');
  }],
  // Deno's old module allocated what the header declared. A header declaring 2^40 bytes
  // under a limit of 2^50 must buffer only what arrives (runReader checks after each push).
  ['a declared 2^40-byte frame buffers only what arrived', () => {
    const head = new Uint8Array([0x82, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 2, 3, 4]);
    const out = runReader({ maxMessageSize: 2 ** 50 }, [head, new Uint8Array(5000), new Uint8Array(3000)], null);
    expectCode(out, null);
  }],
  // Issue 13: a limit is any non-negative integer or Infinity. maxFragments counts a
  // message's first frame, so 0 refuses every data frame at its first byte; control
  // frames still pass. Infinity lets a 2^40-byte declaration through, buffering only what came.
  ['maxFragments 0 refuses a data frame at byte 0, after a ping', () => {
    const out = agree([masked(9, new Uint8Array(1)), masked(1, new Uint8Array([0x61]))], { maxFragments: 0 });
    expectCode(out, 1009, 'too-many-fragments');
    if (out.messages.length !== 1 || out.messages[0].type !== 'ping') throw new Violation('The ping before it was lost');
  }],
  ['maxMessageSize Infinity: a declared 2^40-byte frame is read as it arrives', () => {
    const head = new Uint8Array([0x82, 0xff, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 1, 2, 3, 4]);
    expectCode(runReader({ maxMessageSize: Infinity, maxFragments: Infinity }, [head, new Uint8Array(5000)], null), null);
  }],
  // Head parsing in linear time (found by the handshake fuzz kinds): trimOws was
  // a regex quadratic in a run of blanks, and obs-fold unfolding re-trimmed the
  // growing line per fold. A hostile peer stalled the other side with one 16 KiB
  // head: ~90 ms for a request value, 1.6 s and 46 s for the response heads below.
  ['parseUpgradeRequest: a 16 KiB value "a<16,000 SP>b" in linear time', () =>
    linear('parseUpgradeRequest', () => parseUpgradeRequest('GET / HTTP/1.1\r\nX: a' + ' '.repeat(16000) + 'b\r\n\r\n'))],
  ['checkUpgradeRequest({ headers }): the same value in a parsed request in linear time', () =>
    linear('checkUpgradeRequest', () => checkUpgradeRequest({ method: 'GET', url: '/', headers: { x: 'a' + ' '.repeat(16000) + 'b' } }))],
  ['parseUpgradeResponse: a 1,000-blank run then 3,825 obs-folds in linear time', () =>
    linear('parseUpgradeResponse', () => parseUpgradeResponse('HTTP/1.1 101 x\r\nX: a' + ' '.repeat(1000) + 'b\r\n' + ' c\r\n'.repeat(3825) + '\r\n'))],
  ['parseUpgradeResponse: an 8,000-blank run then 2,075 obs-folds in linear time', () =>
    linear('parseUpgradeResponse', () => parseUpgradeResponse('HTTP/1.1 101 x\r\nX: a' + ' '.repeat(8000) + 'b\r\n' + ' c\r\n'.repeat(2075) + '\r\n'))],
  ['parseUpgradeResponse: folds unfold to one SP each, empty continuations dropped (RFC 9112 §5.2)', () => {
    const r = parseUpgradeResponse('HTTP/1.1 101 x\r\nX: a  \r\n \t \r\n  b\r\n\tc\r\n\r\n');
    if (r?.headers.x !== 'a b c') throw new Violation(`unfolded to ${JSON.stringify(r?.headers.x)}`);
  }],
  // RFC 9112 §3.2: a Host that is not uri-host [ ":" port ] (RFC 9110 §7.2) is a 400 (found by the fuzzer).
  ['checkUpgradeRequest: a Host that is not uri-host [ ":" port ] is refused with 400 invalid-host', () => {
    const head = (host) => `GET / HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    for (const host of ['a b', '[::1', 'a/b', 'user@h', 'h:80x', 'caf\u00e9', '%zz', '[v1.x', 'h::']) {
      const v = checkUpgradeRequest(head(host));
      if (v.ok || v.status !== 400 || v.reason !== 'invalid-host') throw new Violation(`Host ${JSON.stringify(host)}: ${v.ok ? 'accepted' : `${v.status} ${v.reason}`}, expected 400 invalid-host`);
    }
    for (const host of ['example.com', 'example.com:8080', '127.0.0.1:9', '[::1]:443', '[v1.fe80::a+en1]', 'xn--caf-dma.example', 'a%20b', 'h:']) {
      const v = checkUpgradeRequest(head(host));
      if (!v.ok) throw new Violation(`Host ${JSON.stringify(host)}: refused with ${v.status} ${v.reason}`);
    }
  }],
];

/**
 * Throws unless `fn` runs in under 20 ms at least once in five tries. Not a
 * performance figure (bench/ has those) but a complexity guard: linear work
 * on these 16 KiB heads takes well under 1 ms, the quadratic forms 90 ms to
 * 46 s; the best of five keeps a loaded machine's pauses out of the verdict.
 */
function linear(label, fn) {
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    try { fn(); } catch { /* only the time is judged here */ }
    const ms = performance.now() - t0;
    best = Math.min(best, ms);
    // Done when fast enough; a run over a second is no pause (the broken forms take up to 46 s a run).
    if (best < 20 || ms >= 1000) break;
  }
  if (best >= 20) throw new Violation(`${label} took ${best.toFixed(0)} ms at best (a 16 KiB head; linear work takes under 1 ms)`);
}

/** Runs every regression; returns the failures as strings. */
export function runRegressions(log = console.log) {
  const failures = [];
  for (const [name, fn] of REGRESSIONS) {
    try {
      fn();
    } catch (e) {
      failures.push(`${name}: ${e?.message}`);
      log(`FAIL regression: ${name}: ${e?.message}`);
    }
  }
  return failures;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const failed = runRegressions().length;
  console.log(`regressions: ${REGRESSIONS.length - failed} passed, ${failed} failed`);
  if (failed) process.exitCode = 1;
}
