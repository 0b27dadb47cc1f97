// Topic 2: SHA-1 and the accept key (RFC 6455 §4.2.2 step 5.4, FIPS 180-4):
// computeAcceptKey against what ws does (node:crypto) and @noble/hashes +
// base64; bulk sha1 on 1 MiB against @noble/hashes and node:crypto.
import { bytes, same, table, timeCase } from './_harness.mjs';
import { crypto, noble, ours } from './_libs.mjs';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
/** 64 distinct client keys (16 random bytes in base64, as browsers send), cycled through. */
const KEYS = Array.from({ length: 64 }, (_, i) => Buffer.from(bytes(16, i + 1)).toString('base64'));

export async function run() {
  const expect = KEYS.map((k) => crypto.createHash('sha1').update(k + GUID).digest('base64'));
  let i = 0;
  const all = (f) => () => KEYS.every((k, j) => f(k) === expect[j]);
  const accept = [
    { name: 'computeAcceptKey', fn: () => ours.computeAcceptKey(KEYS[i++ & 63]), ok: all(ours.computeAcceptKey) },
    { name: 'node:crypto', fn: () => nodeAccept(KEYS[i++ & 63]), ok: all(nodeAccept) },
  ];
  if (noble) accept.push({ name: '@noble/hashes', fn: () => nobleAccept(KEYS[i++ & 63]), ok: all(nobleAccept) });
  table({
    topic: 'sha1', title: '2a. Sec-WebSocket-Accept from a 24-character key (ops/s)', unit: 'ops/s',
    columns: accept.map((v) => v.name), rows: [{ label: 'accept key', res: timeCase(accept, { warmMs: 400 }) }],
    ratios: [{ label: 'ours/node:crypto', num: 'computeAcceptKey', den: 'node:crypto' }, { label: 'ours/noble', num: 'computeAcceptKey', den: '@noble/hashes' }],
    checks: [{ label: '≥2x node:crypto', num: 'computeAcceptKey', den: 'node:crypto', min: 2 }],
    notes: ['node:crypto = createHash(\'sha1\').update(key + GUID).digest(\'base64\'), what ws does; @noble/hashes = base64 of sha1(utf8(key + GUID)) through Buffer.'],
  });

  const data = bytes(1 << 20, 7);
  const digest = new Uint8Array(crypto.createHash('sha1').update(data).digest());
  const bulk = [
    { name: 'sha1', fn: () => ours.sha1(data), ok: () => same(ours.sha1(data), digest) },
    { name: 'node:crypto', fn: () => crypto.createHash('sha1').update(data).digest(), ok: () => same(crypto.createHash('sha1').update(data).digest(), digest) },
  ];
  if (noble) bulk.push({ name: '@noble/hashes', fn: () => noble(data), ok: () => same(noble(data), digest) });
  table({
    topic: 'sha1', title: '2b. SHA-1 of 1 MiB (GB/s)', unit: 'GB/s',
    columns: bulk.map((v) => v.name), rows: [{ label: '1 MiB', res: timeCase(bulk, { warmMs: 400 }), scale: (1 << 20) / 1e9 }],
    ratios: [{ label: 'ours/noble', num: 'sha1', den: '@noble/hashes' }, { label: 'ours/node:crypto', num: 'sha1', den: 'node:crypto' }],
    checks: [{ label: '≥1.5x @noble/hashes', num: 'sha1', den: '@noble/hashes', min: 1.5 }],
    notes: ['node:crypto is OpenSSL\'s native SHA-1 (with SHA extensions where the CPU has them): the ceiling, not a target.'],
  });
}

function nodeAccept(key) {
  return crypto.createHash('sha1').update(key + GUID).digest('base64');
}

function nobleAccept(key) {
  return Buffer.from(noble(new TextEncoder().encode(key + GUID))).toString('base64');
}
