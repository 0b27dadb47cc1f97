// `node --expose-gc bench/deflate-memory.mjs [--quick]`
//
// Memory per connection with permessage-deflate (RFC 7692), context takeover
// in both directions: a server's side of 1,000 connections, each with its
// compressor and its decompressor, ours (websocket-server/permessage-deflate)
// beside ws's (lib/permessage-deflate.js over node:zlib, the same objects a
// ws server holds per connection). Two states: after one 200-byte message
// each way (a chat connection), and after 64 KiB each way in 200-byte
// messages (the windows full: the steady state). Each variant runs in a fresh
// Node process; the figure is the growth of the process's resident memory
// (RSS: zlib's state is native memory, outside the JS heap) after a forced
// GC, divided by the connection count. Every message is checked on the way
// (each decompresses back to what was compressed).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const SELF = fileURLToPath(import.meta.url);
const args = process.argv.slice(2);
const CONNECTIONS = args.includes('--quick') ? 200 : 1000;
const enc = new TextEncoder();
const MESSAGE = (i) => enc.encode(JSON.stringify({ id: i, user: `user${i % 7}`, text: `message ${i} about ${['cats', 'lunch', 'the release'][i % 3]}`, at: 1733500000000 + i }).padEnd(200, ' '));

async function child(kind, windowBits, bytesEach) {
  const gc = globalThis.gc;
  const messages = Math.max(1, Math.ceil(bytesEach / 200));
  const sessions = [];
  const rss = () => { gc(); gc(); return process.memoryUsage().rss; };
  const same = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  if (kind === 'ours') {
    const { Deflater, permessageDeflate } = await import('../dist/permessage-deflate.js');
    const ext = permessageDeflate({ threshold: 0, serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits });
    // The client's messages, compressed once with their context: every connection receives the same stream.
    const peer = new Deflater({ windowBits });
    const incoming = Array.from({ length: messages }, (_, i) => { const a = peer.write(MESSAGE(i)), b = peer.flush(); const o = new Uint8Array(a.length + b.length); o.set(a); o.set(b, a.length); return o.subarray(0, o.length - 4); });
    const before = rss();
    for (let c = 0; c < CONNECTIONS; c++) {
      const { session } = ext.negotiate([{ client_max_window_bits: true }]);
      for (let i = 0; i < messages; i++) {
        const got = concat(session.decode(incoming[i], false, Infinity), session.decode(new Uint8Array(0), true, Infinity));
        if (!same(got, MESSAGE(i))) throw new Error('ours: a message did not decompress back');
        session.encode(MESSAGE(i), true);
      }
      sessions.push(session);
    }
    return (rss() - before) / CONNECTIONS;
  }
  const require = createRequire(import.meta.url);
  // Not in ws's package exports: required by path (the class a ws server makes per connection).
  const PerMessageDeflate = require(fileURLToPath(new URL('../node_modules/ws/lib/permessage-deflate.js', import.meta.url)));
  const peer = new PerMessageDeflate({ threshold: 0, serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits, isServer: false });
  peer.accept([{ server_max_window_bits: [String(windowBits)], client_max_window_bits: [String(windowBits)] }]);
  const run = (pmd, method, data) => new Promise((resolve, reject) => pmd[method](data, true, (e, out) => (e ? reject(e) : resolve(out))));
  const incoming = [];
  for (let i = 0; i < messages; i++) incoming.push(await run(peer, 'compress', MESSAGE(i)));
  const before = rss();
  for (let c = 0; c < CONNECTIONS; c++) {
    const pmd = new PerMessageDeflate({ threshold: 0, serverMaxWindowBits: windowBits, clientMaxWindowBits: windowBits, isServer: true });
    pmd.accept([{ client_max_window_bits: [true] }]);
    for (let i = 0; i < messages; i++) {
      const got = await run(pmd, 'decompress', incoming[i]);
      if (!same(new Uint8Array(got), MESSAGE(i))) throw new Error('ws: a message did not decompress back');
      await run(pmd, 'compress', MESSAGE(i));
    }
    sessions.push(pmd);
  }
  return (rss() - before) / CONNECTIONS;
}

function concat(a, b) {
  if (a.length === 0) return b;
  const o = new Uint8Array(a.length + b.length);
  o.set(a); o.set(b, a.length);
  return o;
}

if (args[0] === '--child') {
  const [kind, bits, bytes] = args.slice(1);
  console.log(JSON.stringify(await child(kind, Number(bits), Number(bytes))));
} else {
  const KiB = 1024;
  const rows = [];
  for (const windowBits of [15, 12, 9]) {
    for (const bytesEach of [200, 64 * KiB]) {
      const per = {};
      // RSS depends on the allocator too: the median of three fresh processes each.
      for (const kind of ['ours', 'ws']) {
        const runs = [];
        for (let k = 0; k < (args.includes('--quick') ? 1 : 3); k++) {
          const r = spawnSync(process.execPath, ['--expose-gc', SELF, '--child', kind, String(windowBits), String(bytesEach), ...args], { encoding: 'utf8' });
          if (r.status !== 0) throw new Error(`${kind} ${windowBits}: ${r.stderr}`);
          runs.push(JSON.parse(r.stdout.trim().split('\n').pop()));
        }
        per[kind] = runs.sort((a, b) => a - b)[runs.length >> 1];
      }
      rows.push([windowBits, bytesEach === 200 ? 'one 200-byte message each way' : '64 KiB each way (full windows)', per.ours, per.ws]);
    }
  }
  const kb = (x) => `${(x / 1024).toFixed(1)} KiB`;
  console.log(`\n### permessage-deflate: memory per connection (server side, context takeover both ways; ${CONNECTIONS} connections, RSS growth / connection, median of 3 processes)\n`);
  console.log('| windowBits | traffic | ours | ws (node:zlib) | ours/ws | target ≤0.5x (window 15, full) |');
  console.log('|---|---|---|---|---|---|');
  for (const [w, what, ours, ws] of rows) {
    const x = ours / ws;
    const target = w === 15 && what.startsWith('64') ? (x <= 0.5 ? 'PASS' : 'MISS') : '';
    console.log(`| ${w} | ${what} | ${kb(ours)} | ${kb(ws)} | ${x.toFixed(2)}x | ${target} |`);
  }
  console.log(`\nMachine: node ${process.versions.node}, zlib ${process.versions.zlib}, ws ${JSON.parse(readFileSync(new URL('../node_modules/ws/package.json', import.meta.url), 'utf8')).version}.`);
}
