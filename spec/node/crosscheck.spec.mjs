// Node-only cross-checks of the hand-written code against independent
// implementations: node:crypto (SHA-1, accept key), Buffer (base64), and the
// `ws` package's Sender and Receiver (frame bytes, RFC 6455 §5).
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import {
  computeAcceptKey, decodeBase64, decodeFrame, encodeBase64, encodeBinaryFrame, encodeCloseFrame, encodeFrame,
  encodePingFrame, encodePongFrame, encodeTextFrame, MessageReader, sha1, unmaskPayload,
} from '../../dist/index.js';
import { prng } from '../_util.mjs';

const require = createRequire(import.meta.url);
// The same classes as node_modules/ws/lib/sender.js and receiver.js (ws exports them).
const { Sender, Receiver } = require('ws');

const test = suite('crosscheck');
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const nodeSha1 = (data) => createHash('sha1').update(data).digest('hex');
const hexOf = (u8) => Buffer.from(u8.buffer, u8.byteOffset, u8.byteLength).toString('hex');

test('sha1 equals node:crypto on 10 random inputs of every length 0..300, at random offsets', () => {
  const rnd = prng(100);
  let count = 0;
  for (let n = 0; n <= 300; n++) {
    for (let k = 0; k < 10; k++) {
      const data = randomBytes(n);
      const offset = rnd.int(8);
      const big = new Uint8Array(n + offset + 5).fill(0x5a);
      big.set(data, offset);
      const view = big.subarray(offset, offset + n);
      assert.is(hexOf(sha1(view)), nodeSha1(data), `length ${n}, offset ${offset}`);
      count++;
    }
  }
  assert.is(count, 3010);
});

test('sha1 equals node:crypto on Buffers (pooled, odd offsets) and on large inputs', () => {
  for (let n = 0; n < 200; n++) {
    const b = Buffer.from(randomBytes(n)); // small Buffers are slices of a shared pool
    assert.is(hexOf(sha1(b)), nodeSha1(b), `Buffer of ${n} at byteOffset ${b.byteOffset}`);
  }
  for (const n of [65536, 65537, 1 << 20, (1 << 20) + 55, (1 << 20) + 56, (1 << 22) + 63]) {
    const data = randomBytes(n);
    assert.is(hexOf(sha1(data)), nodeSha1(data), `length ${n}`);
  }
});

test('sha1 of strings equals node:crypto on their UTF-8 bytes (2000 random strings)', () => {
  const rnd = prng(101);
  for (let i = 0; i < 2000; i++) {
    const s = rnd.string(rnd.int(300));
    assert.is(hexOf(sha1(s)), nodeSha1(Buffer.from(s, 'utf8')), `string ${i} of ${s.length} units`);
  }
});

test('computeAcceptKey equals base64(SHA-1(key + GUID)) from node:crypto for 5000 keys', () => {
  const rnd = prng(102);
  const reference = (key) => createHash('sha1').update(key + GUID).digest('base64');
  const keys = [];
  for (let i = 0; i < 2000; i++) keys.push(randomBytes(16).toString('base64')); // real client keys
  for (let i = 0; i < 1500; i++) {
    let s = '';
    const n = rnd.int(200); // crosses the 19/20 (one SHA-1 block) and 83/84 (fast path) key lengths
    for (let j = 0; j < n; j++) s += String.fromCharCode(rnd.int(128));
    keys.push(s);
  }
  for (let i = 0; i < 1500; i++) keys.push(rnd.string(rnd.int(200))); // non-ASCII, lone surrogates included
  for (const key of keys) assert.is(computeAcceptKey(key), reference(key), JSON.stringify(key.slice(0, 30)));
  assert.is(keys.length, 5000);
});

test('base64 equals Buffer on random inputs of every length 0..300, both ways', () => {
  for (let n = 0; n <= 300; n++) {
    for (let k = 0; k < 5; k++) {
      const data = randomBytes(n);
      const text = data.toString('base64');
      assert.is(encodeBase64(data), text, `encode ${n}`);
      assert.is(encodeBase64(new Uint8Array(data)), text, `encode ${n} as a plain Uint8Array`);
      assert.is(hexOf(decodeBase64(text)), data.toString('hex'), `decode ${n}`);
    }
  }
});

/** ws's frame bytes: Sender.frame with a fixed key (it masks `data` in place, so pass a copy). */
function wsFrame(data, { opcode, fin = true, rsv1 = false, key = null }) {
  const copy = typeof data === 'string' ? data : Buffer.from(data);
  const parts = Sender.frame(copy, {
    opcode, fin, rsv1, readOnly: false, mask: key !== null,
    generateMask: key ? (m) => m.set(key) : undefined,
    maskBuffer: key ? Buffer.alloc(4) : undefined,
  });
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : p)));
}

const LENGTHS = [0, 1, 2, 3, 100, 124, 125, 126, 127, 128, 1000, 65534, 65535, 65536, 65537, 100000];

test('encoders produce the same bytes as ws Sender.frame (random payloads, masked and not)', () => {
  const rnd = prng(103);
  let count = 0;
  for (const n of LENGTHS) {
    for (let k = 0; k < 4; k++) {
      const data = randomBytes(n);
      const key = k & 1 ? randomBytes(4) : null;
      const fin = k < 2;
      const rsv1 = rnd.int(2) === 1;
      const opts = { fin, rsv1, ...(key ? { mask: new Uint8Array(key) } : {}) };
      assert.is(hexOf(encodeFrame(2, data, opts)), wsFrame(data, { opcode: 2, fin, rsv1, key }).toString('hex'), `binary ${n}`);
      assert.is(hexOf(encodeFrame(0, data, opts)), wsFrame(data, { opcode: 0, fin, rsv1, key }).toString('hex'), `continuation ${n}`);
      const s = rnd.string(Math.min(n, 3000));
      assert.is(hexOf(encodeTextFrame(s, opts)), wsFrame(s, { opcode: 1, fin, rsv1, key }).toString('hex'), `text of ${s.length} units`);
      count += 3;
    }
  }
  for (let n = 0; n <= 125; n++) {
    const data = randomBytes(n);
    const key = n & 1 ? randomBytes(4) : null;
    const opts = key ? { mask: new Uint8Array(key) } : undefined;
    assert.is(hexOf(encodePingFrame(data, opts)), wsFrame(data, { opcode: 9, key }).toString('hex'), `ping ${n}`);
    assert.is(hexOf(encodePongFrame(data, opts)), wsFrame(data, { opcode: 10, key }).toString('hex'), `pong ${n}`);
    count += 2;
  }
  assert.ok(count > 400);
});

test('decodeFrame reads what ws Sender.frame writes', () => {
  for (const n of LENGTHS) {
    for (const opcode of [0, 1, 2, 8, 9, 10]) {
      if (opcode >= 8 && n > 125) continue;
      for (const key of [null, randomBytes(4)]) {
        const data = randomBytes(n);
        const bytes = Buffer.concat([wsFrame(data, { opcode, fin: true, key }), Buffer.from([0x81])]);
        const f = decodeFrame(bytes);
        assert.is(f.opcode, opcode);
        assert.is(f.fin, true);
        assert.is(f.masked, key !== null);
        assert.is(f.byteLength, bytes.length - 1, `byteLength for ${n}`);
        assert.is(hexOf(f.payload), data.toString('hex'), `payload of opcode ${opcode}, ${n} bytes`);
        if (key) assert.is(hexOf(f.maskKey), key.toString('hex'));
      }
    }
  }
});

/** Feeds bytes to a ws server-side Receiver in random chunks; returns what it emitted. */
function wsReceive(bytes, rnd) {
  const r = new Receiver({ isServer: true });
  const out = [];
  r.on('message', (data, isBinary) => out.push([isBinary ? 'binary' : 'text', Buffer.from(data).toString('hex')]));
  r.on('ping', (data) => out.push(['ping', Buffer.from(data).toString('hex')]));
  r.on('pong', (data) => out.push(['pong', Buffer.from(data).toString('hex')]));
  r.on('conclude', (code, reason) => out.push(['close', code, Buffer.from(reason).toString('utf8')]));
  r.on('error', (e) => out.push(['error', e.message]));
  let at = 0;
  while (at < bytes.length) {
    const len = Math.min(bytes.length - at, 1 + rnd.int(3000));
    r.write(Buffer.from(bytes.subarray(at, at + len)));
    at += len;
  }
  return out;
}

test('ws Receiver accepts our masked client frames: messages, fragments, controls, close', () => {
  const rnd = prng(104);
  for (let round = 0; round < 60; round++) {
    const parts = [];
    const expected = [];
    const messages = 1 + rnd.int(5);
    for (let m = 0; m < messages; m++) {
      const text = rnd.int(2) === 0;
      const n = [rnd.int(126), 126 + rnd.int(2000), 65530 + rnd.int(20)][rnd.int(3)];
      const data = text ? Buffer.from(rnd.string(n)) : randomBytes(n);
      const fragments = 1 + rnd.int(3);
      const cuts = [0];
      for (let i = 1; i < fragments; i++) cuts.push(rnd.int(data.length + 1));
      cuts.sort((a, b) => a - b).push(data.length);
      for (let i = 0; i < fragments; i++) {
        parts.push(encodeFrame(i === 0 ? (text ? 1 : 2) : 0, data.subarray(cuts[i], cuts[i + 1]), { fin: i === fragments - 1, mask: true }));
        // RFC 6455 §5.4: control frames may be injected between fragments.
        if (i < fragments - 1 && rnd.int(2)) {
          const p = randomBytes(rnd.int(126));
          parts.push(encodePingFrame(p, { mask: true }));
          expected.push(['ping', p.toString('hex')]);
        }
      }
      expected.push([text ? 'text' : 'binary', data.toString('hex')]);
    }
    const pong = randomBytes(rnd.int(126));
    parts.push(encodePongFrame(pong, { mask: true }));
    expected.push(['pong', pong.toString('hex')]);
    const reason = rnd.string(rnd.int(40)).slice(0, 30);
    const code = [1000, 1001, 1003, 1011, 3000, 4999][rnd.int(6)];
    parts.push(encodeCloseFrame(code, reason, { mask: true }));
    expected.push(['close', code, Buffer.from(reason).toString('utf8')]);
    const bytes = Buffer.concat(parts);
    assert.equal(wsReceive(bytes, rnd), expected, `round ${round}`);
  }
  // An empty Close frame is 1005 to ws too.
  assert.equal(wsReceive(encodeCloseFrame(undefined, undefined, { mask: true }), rnd), [['close', 1005, '']]);
});

test('decodeFrame and ws Receiver agree on our encoder output, frame by frame', () => {
  const rnd = prng(105);
  for (let i = 0; i < 200; i++) {
    const n = [rnd.int(126), 126 + rnd.int(70000)][rnd.int(2)];
    const data = randomBytes(n);
    const frame = encodeBinaryFrame(data, { mask: true });
    const f = decodeFrame(frame, { requireMask: true });
    assert.is(hexOf(f.payload), data.toString('hex'));
    assert.equal(wsReceive(frame, rnd), [['binary', data.toString('hex')]]);
  }
});

// Node compiles the WebAssembly masking kernel, so the TypeScript loop that
// workerd and strict-CSP pages run is never reached above. A second copy of
// the bundle (a new module URL), first used while WebAssembly refuses to
// compile as workerd's does, runs that loop: check it against the definition.
test('without WebAssembly (as on workerd), masking equals the RFC 6455 §5.3 loop', async () => {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
  let compiles = 0;
  const refuse = function () { compiles++; throw new Error('Wasm code generation disallowed by embedder'); };
  let lib;
  try {
    Object.defineProperty(globalThis, 'WebAssembly', { value: { Module: refuse, Instance: refuse, Memory: WebAssembly.Memory }, configurable: true, writable: true });
    lib = await import('../../dist/index.js?no-webassembly');
    lib.maskInPlace(new Uint8Array(4096), [1, 2, 3, 4]); // the first long payload tries to compile the kernel
  } finally {
    Object.defineProperty(globalThis, 'WebAssembly', saved);
  }
  assert.is(compiles, 1, 'the copy tried WebAssembly once and fell back');
  const naive = (bytes, key, keyOffset = 0) => bytes.map((b, i) => b ^ key[(i + keyOffset) & 3]);
  const rnd = prng(106);
  const lengths = [];
  for (let n = 0; n <= 300; n++) lengths.push(n);
  lengths.push(511, 512, 513, 8191, 8192, 8193, 70001);
  for (const n of lengths) {
    // Plain Uint8Arrays: Buffer inputs have their own test below.
    const data = new Uint8Array(randomBytes(n));
    const key = new Uint8Array(randomBytes(4));
    for (let byteOffset = 0; byteOffset < 8; byteOffset++) {
      for (let keyOffset = 0; keyOffset < 4; keyOffset++) {
        const all = new Uint8Array(n + 16).fill(0xa5);
        const view = all.subarray(byteOffset, byteOffset + n);
        view.set(data);
        lib.maskInPlace(view, key, keyOffset);
        assert.is(hexOf(view), hexOf(naive(data, key, keyOffset)), `length ${n}, byteOffset ${byteOffset}, keyOffset ${keyOffset}`);
        assert.ok(all.subarray(0, byteOffset).every((b) => b === 0xa5) && all.subarray(byteOffset + n).every((b) => b === 0xa5), `length ${n}: wrote outside the view`);
      }
    }
    assert.is(hexOf(lib.unmaskPayload(data, key)), hexOf(naive(data, key)), `unmaskPayload ${n}`);
    // The codec in that copy masks and unmasks with the same loop; ws reads its frames.
    const frame = lib.encodeBinaryFrame(data, { mask: key });
    assert.is(hexOf(frame), wsFrame(data, { opcode: 2, key }).toString('hex'), `encoded frame of ${n}`);
    assert.is(hexOf(lib.decodeFrame(frame).payload), hexOf(data), `decoded frame of ${n}`);
    if (rnd.int(8) === 0) assert.equal(wsReceive(frame, rnd), [['binary', hexOf(data)]]);
  }
});

// Buffer is a Uint8Array whose slice() is a view, not a copy: code that copies
// with .slice() writes into the caller's Buffer when it unmasks.
test('Node Buffers as input are never modified, and results do not alias them', () => {
  const key = new Uint8Array([0x37, 0xfa, 0x21, 0x3d]);
  for (const n of [5, 125, 200, 70000]) {
    const data = randomBytes(n);
    const masked = Buffer.from(encodeBinaryFrame(data, { mask: key }));
    const maskedHex = masked.toString('hex');
    const f = decodeFrame(masked);
    assert.is(masked.toString('hex'), maskedHex, `decodeFrame(Buffer of a ${n}-byte masked frame) modified its input`);
    assert.is(hexOf(f.payload), data.toString('hex'));
    f.payload.fill(0);
    f.maskKey.fill(0);
    assert.is(masked.toString('hex'), maskedHex, `decodeFrame(Buffer): writing its result (${n}) wrote into the input`);

    const payload = Buffer.from(masked.subarray(masked.length - n));
    const payloadHex = payload.toString('hex');
    const out = unmaskPayload(payload, key);
    assert.is(payload.toString('hex'), payloadHex, `unmaskPayload(Buffer of ${n}) modified its input`);
    assert.is(hexOf(out), data.toString('hex'));
    assert.is.not(out.buffer, payload.buffer, `unmaskPayload(Buffer of ${n}) returned a view of its input, not a new array`);
  }
  for (const frame of [encodeTextFrame('Hello', { mask: key }), encodePingFrame('Hi', { mask: key }), encodeBinaryFrame(randomBytes(300), { mask: key })]) {
    const chunk = Buffer.from(frame);
    const chunkHex = chunk.toString('hex');
    new MessageReader({ role: 'server' }).push(chunk);
    assert.is(chunk.toString('hex'), chunkHex, `MessageReader.push(Buffer) modified a ${frame.length}-byte chunk`);
  }
});

test.run();
