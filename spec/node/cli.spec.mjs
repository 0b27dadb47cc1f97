// The command line, examples/cli.mjs (package.json "bin": websocket-server),
// run as a child process. `inspect`: the RFC 6455 §5.7 examples print their
// fields and exit 0; a non-minimal length, an unmasked client frame, an
// oversized frame, RSV1 without an extension and a frame cut short exit 1
// with the rule, the close code and the section; hex from stdin; bad hex and
// bad options exit 2 with the usage on stderr. `echo`: the Node echo server
// answers a `ws` client. Every wait is bounded; every child is killed.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import WebSocket from 'ws';

const test = suite('cli');
const ROOT = new URL('../../', import.meta.url);
const CLI = new URL('examples/cli.mjs', ROOT).pathname;

/** Runs the CLI to its end (killed after `ms`): its exit code, stdout and stderr. */
function cli(args, { stdin = '', ms = 15000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: new URL('.', ROOT).pathname, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`cli ${args.join(' ')} did not end within ${ms} ms:\n${stdout}\n${stderr}`)); }, ms);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
    child.stdin.end(stdin);
  });
}

/** The lines of `text` that start (after indentation) with `prefix`. */
const lines = (text, prefix) => text.split('\n').map((l) => l.trim()).filter((l) => l.startsWith(prefix));

/** `n` bytes as hex, each byte `byte`. */
const hexOf = (byte, n) => Array(n).fill(byte.toString(16).padStart(2, '0')).join(' ');

test('package.json: bin websocket-server is examples/cli.mjs, and files ship what it needs', () => {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8'));
  assert.equal(pkg.bin, { 'websocket-server': './examples/cli.mjs' });
  for (const f of ['examples/cli.mjs', 'examples/_cli.mjs', 'examples/node/echo-server.mjs', 'examples/index.html']) assert.ok(pkg.files.includes(f), f);
  assert.ok(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n'), 'a shebang, for npm to link it');
});

test('--help prints the usage and exits 0; no command or an unknown one exits 2 with it on stderr', async () => {
  const help = await cli(['--help']);
  assert.is(help.code, 0);
  assert.match(help.stdout, /websocket-server inspect <hex>/);
  assert.match(help.stdout, /websocket-server echo/);
  assert.match(help.stdout, /--role server\|client/);
  for (const args of [[], ['frobnicate']]) {
    const r = await cli(args);
    assert.is(r.code, 2, args.join(' '));
    assert.is(r.stdout, '');
    assert.match(r.stderr, /inspect or echo/);
    assert.match(r.stderr, /Usage:/);
  }
});

test('inspect: the RFC 6455 §5.7 unmasked "Hello" (as a client receives it) prints each field and exits 0', async () => {
  const r = await cli(['inspect', '81 05 48 65 6c 6c 6f', '--role', 'client']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /^frame 1 at byte 0: text, FIN, unmasked, payload 5 bytes, 7 bytes$/m);
  assert.equal(lines(r.stdout, 'fin '), ['fin             byte 0 & 0x80       true']);
  assert.equal(lines(r.stdout, 'opcode '), ['opcode          byte 0 & 0x0f       1 (text)']);
  assert.equal(lines(r.stdout, 'mask '), ['mask            byte 1 & 0x80       false']);
  assert.equal(lines(r.stdout, 'length '), ['length          byte 1 & 0x7f       5']);
  assert.equal(lines(r.stdout, 'payload '), ['payload         bytes 2-6           "Hello"']);
  assert.equal(lines(r.stdout, 'violation'), []);
  assert.match(r.stdout, /^1 frame, 0 violations$/m);
});

test('inspect: the other §5.7 examples, each as its receiver sees it, exit 0 (0x prefixes, one argument per byte)', async () => {
  // A masked "Hello" to a server: its key and the unmasked payload.
  const masked = await cli(['inspect', ...'0x81 0x85 0x37 0xfa 0x21 0x3d 0x7f 0x9f 0x4d 0x51 0x58'.split(' ')]);
  assert.is(masked.code, 0, masked.stdout);
  assert.equal(lines(masked.stdout, 'maskKey '), ['maskKey         bytes 2-5           37 fa 21 3d']);
  assert.equal(lines(masked.stdout, 'payload '), ['payload         bytes 6-10          "Hello"']);
  // A fragmented unmasked text message: "Hel", then "lo".
  const frag = await cli(['inspect', '01 03 48 65 6c 80 02 6c 6f', '--role', 'client']);
  assert.is(frag.code, 0, frag.stdout);
  assert.match(frag.stdout, /^frame 1 at byte 0: text, not FIN, unmasked, payload 3 bytes, 5 bytes$/m);
  assert.match(frag.stdout, /^frame 2 at byte 5: continuation, FIN, unmasked, payload 2 bytes, 4 bytes$/m);
  assert.equal(lines(frag.stdout, 'payload '), ['payload         bytes 2-4           "Hel"', 'payload         bytes 7-8           "lo"']);
  assert.match(frag.stdout, /^2 frames, 0 violations$/m);
  // An unmasked Ping (to a client) and a masked Pong (to a server).
  const ping = await cli(['inspect', '89 05 48 65 6c 6c 6f', '--role', 'client']);
  assert.is(ping.code, 0, ping.stdout);
  assert.match(ping.stdout, /^frame 1 at byte 0: ping, FIN, unmasked, payload 5 bytes, 7 bytes$/m);
  const pong = await cli(['inspect', '8a 85 37 fa 21 3d 7f 9f 4d 51 58']);
  assert.is(pong.code, 0, pong.stdout);
  assert.match(pong.stdout, /^frame 1 at byte 0: pong, FIN, masked, payload 5 bytes, 11 bytes$/m);
  // 256 bytes of binary in one unmasked frame: a 16-bit length.
  const b256 = await cli(['inspect', `82 7e 01 00 ${hexOf(0xab, 256)}`, '--role', 'client']);
  assert.is(b256.code, 0, b256.stdout);
  assert.equal(lines(b256.stdout, 'extendedLength '), ['extendedLength  bytes 2-3           256']);
  assert.match(lines(b256.stdout, 'payload ')[0], /^payload {9}bytes 4-259 {9}ab ab .* … \(256 bytes\)$/);
});

test('inspect -: hex from stdin, across lines; the §5.7 64 KiB binary frame (a 64-bit length)', async () => {
  const stdin = `82 7f 00 00 00 00\n00 01 00 00\n${hexOf(0x5a, 65536).replace(/(.{48})/g, '$1\n')}\n`;
  const r = await cli(['inspect', '-', '--role', 'client'], { stdin });
  assert.is(r.code, 0, r.stdout.slice(0, 2000) + r.stderr);
  assert.match(r.stdout, /^frame 1 at byte 0: binary, FIN, unmasked, payload 65536 bytes, 65546 bytes$/m);
  assert.equal(lines(r.stdout, 'extendedLength '), ['extendedLength  bytes 2-9           65536']);
  assert.match(r.stdout, /^1 frame, 0 violations$/m);
  // The same bytes as an argument print the same.
  const small = '81 05 48 65 6c 6c 6f';
  const [a, b] = await Promise.all([cli(['inspect', '-', '--role=client'], { stdin: small.replace(/ /g, '\n') }), cli(['inspect', small, '--role', 'client'])]);
  assert.is(a.code, 0);
  assert.is(a.stdout, b.stdout);
});

test('inspect: a non-minimal length exits 1, naming the rule, the close code 1002 and RFC 6455 §5.2', async () => {
  const r = await cli(['inspect', '81 7e 00 05 48 65 6c 6c 6f', '--role', 'client']);
  assert.is(r.code, 1);
  assert.equal(lines(r.stdout, 'violation').map((l) => l.replace(/: [^:]*$/, '')), ['violation non-minimal-length: close 1002, RFC 6455 §5.2, at byte 3']);
  assert.match(r.stdout, /^1 frame, 1 violation$/m);
});

test('inspect: every rule is listed; the role, --max-payload and --extensions change what is a violation', async () => {
  // An unmasked frame to a server (the default role), with a non-minimal length too.
  const both = await cli(['inspect', '81 7e 00 05 48 65 6c 6c 6f']);
  assert.is(both.code, 1);
  const rules = lines(both.stdout, 'violation').map((l) => l.split(/[ :]/)[1]);
  assert.equal(rules, ['client-frame-unmasked', 'non-minimal-length']);
  assert.match(both.stdout, /close 1002, RFC 6455 §5\.1/);
  const big = await cli(['inspect', '81 05 48 65 6c 6c 6f', '--role', 'client', '--max-payload', '4']);
  assert.is(big.code, 1);
  assert.match(big.stdout, /violation frame-too-big: close 1009/);
  const rsv1 = '0xc1 0x05 0x48 0x65 0x6c 0x6c 0x6f';
  const without = await cli(['inspect', rsv1, '--role', 'client']);
  assert.is(without.code, 1);
  assert.match(without.stdout, /violation rsv-without-extension: close 1002/);
  const withDeflate = await cli(['inspect', rsv1, '--role', 'client', '--extensions', 'permessage-deflate']);
  assert.is(withDeflate.code, 0, withDeflate.stdout);
});

test('inspect: a frame cut short exits 1 and says how much is there', async () => {
  const r = await cli(['inspect', '81 05 48 65', '--role', 'client']);
  assert.is(r.code, 1);
  assert.match(r.stdout, /^ {2}cut short: 4 of 7 bytes present$/m);
  assert.match(r.stdout, /^1 frame, 0 violations, the last cut short$/m);
});

test('inspect: bad hex and bad options exit 2 with the reason and the usage on stderr, nothing on stdout', async () => {
  const cases = [
    [['inspect', 'zz'], /Bad hex: "z" is not a hex digit/],
    [['inspect', '81 0'], /Bad hex: 3 digits, an odd number/],
    [['inspect'], /inspect needs hex bytes, or -/],
    [['inspect', '-'], /No bytes to inspect/],
    [['inspect', '81 00', '--role', 'peer'], /--role takes server or client, got "peer"/],
    [['inspect', '81 00', '--role'], /--role needs a value/],
    [['inspect', '81 00', '--max-payload', '-1'], /--max-payload takes a non-negative integer, got "-1"/],
    [['inspect', '81 00', '--max-payload', '1e3'], /--max-payload takes a non-negative integer/],
    [['inspect', '81 00', '--mask'], /Unknown option --mask for inspect/],
    [['inspect', '81 00', '-', '--role', 'client'], /hex arguments or -, not both/],
  ];
  for (const [args, re] of cases) {
    const r = await cli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.is(r.stdout, '', args.join(' '));
    assert.match(r.stderr, re, args.join(' '));
    assert.match(r.stderr, /Usage:/);
  }
});

test('echo --port 0: the Node echo server starts, prints its URL, and a ws client gets its echo', async () => {
  const child = spawn(process.execPath, [CLI, 'echo', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((r) => child.on('exit', r));
  let out = '';
  try {
    const url = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No ws:// line within 15 s:\n${out}`)), 15000);
      const take = (d) => {
        out += d;
        const m = /ws:\/\/127\.0\.0\.1:\d+/.exec(out);
        if (m) { clearTimeout(timer); resolve(m[0]); }
      };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`echo exited (${code}):\n${out}`)); });
    });
    const echoed = await new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const timer = setTimeout(() => { ws.terminate(); reject(new Error('No echo within 10 s')); }, 10000);
      ws.on('open', () => ws.send('ping from cli.spec'));
      ws.on('message', (data, binary) => { clearTimeout(timer); ws.close(1000); resolve({ text: data.toString(), binary }); });
      ws.on('error', (e) => { clearTimeout(timer); reject(e); });
    });
    assert.equal(echoed, { text: 'ping from cli.spec', binary: false });
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  }
});

test('echo with a bad option exits 2 (the echo server\'s own check)', async () => {
  const r = await cli(['echo', '--port', 'x']);
  assert.is(r.code, 2);
  assert.match(r.stderr, /--port needs a non-negative integer/);
});

test.run();
