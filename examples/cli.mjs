#!/usr/bin/env node
// The package's command line (package.json "bin"): `npx websocket-server …`.
//
//   websocket-server inspect <hex>… | -  [--role server|client]
//       [--extensions permessage-deflate] [--max-payload N]
//   websocket-server echo [--port N] [--host H] [echo server options]
//   websocket-server --help
//
// `inspect` walks the frames in the bytes (inspectFrames, from the testing
// entry) and prints each frame's fields and every rule it breaks, one per
// line. Exit status: 0 when every frame is whole and valid, 1 when a frame
// breaks a rule or is cut short, 2 for a usage error (the usage on stderr).
// `echo` runs examples/node/echo-server.mjs with the options that follow.
// The library comes from ../dist/, by relative path, so this works in the
// repository and in an installed package alike.

const USAGE = `Usage:
  websocket-server inspect <hex>... [options]   inspect the frames in hex bytes
  websocket-server inspect - [options]          the same, hex read from stdin
  websocket-server echo [--port N] [--host H]   run the Node echo server
  websocket-server --help                       this text

inspect prints each frame's fields and every rule it breaks (rule id, close
code, byte offset, RFC section), one per line. Hex may hold spaces, newlines,
commas and 0x prefixes ("81 05 48 65 6c 6c 6f", "0x81 0x05 ..."). Options:
  --role server|client       the side receiving the frames (default server:
                             frames must be masked, RFC 6455 §5.1; client:
                             they must not be)
  --extensions LIST          extensions negotiated, comma-separated, such as
                             permessage-deflate (RSV1 allowed, RFC 7692)
  --max-payload N            the largest payload a frame may declare
Exit status: 0 all frames whole and valid, 1 a frame breaks a rule or is cut
short, 2 a usage error.

echo takes the echo server's options: --port N (0 picks a free one; it prints
ws://HOST:PORT once listening), --host H, --protocols a,b,
--max-message-size N, --max-fragments N, --handshake-timeout MS,
--close-timeout MS, --heartbeat MS.
`;

import { fileURLToPath } from 'node:url';

class UsageError extends Error {}

/** Bytes from hex text: whitespace, commas and `0x` prefixes are ignored. */
function parseHex(text) {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const digits = tokens.map((t) => (/^0x/i.test(t) ? t.slice(2) : t)).join('');
  if (digits === '') throw new UsageError('No bytes to inspect: give hex, such as "81 05 48 65 6c 6c 6f"');
  const bad = /[^0-9a-f]/i.exec(digits);
  if (bad !== null) throw new UsageError(`Bad hex: ${JSON.stringify(bad[0])} is not a hex digit`);
  if (digits.length % 2 !== 0) throw new UsageError(`Bad hex: ${digits.length} digits, an odd number (each byte takes two)`);
  const out = new Uint8Array(digits.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(digits.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** The `inspect` arguments: the hex (or `-`) and inspectFrames' options. */
function parseInspectArgs(argv) {
  const options = {};
  const hex = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--')) { hex.push(arg); continue; }
    const [name, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[++i];
    if (!['--role', '--extensions', '--max-payload'].includes(name)) throw new UsageError(`Unknown option ${name} for inspect (known: --role, --extensions, --max-payload)`);
    if (value === undefined) throw new UsageError(`Option ${name} needs a value`);
    if (name === '--role') {
      if (value !== 'server' && value !== 'client') throw new UsageError(`Option --role takes server or client, got ${JSON.stringify(value)}`);
      options.role = value;
    } else if (name === '--extensions') {
      options.extensions = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
    } else {
      if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new UsageError(`Option --max-payload takes a non-negative integer, got ${JSON.stringify(value)}`);
      options.maxPayload = Number(value);
    }
  }
  if (hex.length === 0) throw new UsageError('inspect needs hex bytes, or - to read them from stdin');
  if (hex.includes('-') && hex.length > 1) throw new UsageError('inspect takes hex arguments or -, not both');
  return { hex, options };
}

async function readStdin() {
  let text = '';
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const DEC = new TextDecoder(); // not fatal: bad UTF-8 shows as U+FFFD (the violation names the byte)
const MAX_SHOWN = 48;

/** Up to MAX_SHOWN bytes as hex, with the count of the rest. */
function hexOf(bytes) {
  let s = '';
  for (const b of bytes.subarray(0, MAX_SHOWN)) s += (s === '' ? '' : ' ') + b.toString(16).padStart(2, '0');
  return bytes.length > MAX_SHOWN ? `${s} … (${bytes.length} bytes)` : s;
}

/** A field's value as one line of text: text payloads (`text`: of an uncompressed text message) and close reasons as JSON strings, bytes as hex. */
function show(field, frame, text) {
  const v = field.value;
  if (v === null) return '(cut short)';
  if (v instanceof Uint8Array) {
    if (field.name === 'payload' && text) {
      const text = DEC.decode(v.subarray(0, 4 * MAX_SHOWN));
      return v.length > 4 * MAX_SHOWN ? `${JSON.stringify(text)} … (${v.length} bytes)` : JSON.stringify(text);
    }
    return v.length === 0 ? '(none)' : hexOf(v);
  }
  if (typeof v === 'string') return JSON.stringify(v);
  if (field.name === 'opcode') return `${v} (${frame.header.opcodeName})`;
  return String(v);
}

/** Where a field lies: its byte range, and its bits within a byte. */
function where(field) {
  const n = field.end - field.start;
  const bytes = n === 0 ? `at byte ${field.start}` : n === 1 ? `byte ${field.start}` : `bytes ${field.start}-${field.end - 1}`;
  return field.bits === null || field.bits === undefined ? bytes : `${bytes} & 0x${field.bits.toString(16).padStart(2, '0')}`;
}

/** Prints the frames; returns the exit status: 1 when a frame breaks a rule or is cut short. */
function report(frames, out) {
  let violations = 0, cut = 0;
  // Whether the message in progress is uncompressed text, so that its continuations print as text too (RFC 6455 §5.4).
  let text = false;
  frames.forEach((frame, i) => {
    const h = frame.header;
    if (h.opcode === 1 || h.opcode === 2) text = h.opcode === 1 && h.rsv1 !== true;
    const isText = text && (h.opcode === 0 || h.opcode === 1);
    if (h.fin && h.opcode !== null && h.opcode < 3) text = false;
    const what = [h.opcodeName ?? 'unknown', h.fin === null ? null : h.fin ? 'FIN' : 'not FIN', h.masked === null ? null : h.masked ? 'masked' : 'unmasked', h.payloadLength === null ? null : `payload ${h.payloadLength} bytes`].filter((x) => x !== null);
    out(`frame ${i + 1} at byte ${frame.offset}: ${what.join(', ')}${frame.complete ? `, ${frame.byteLength} bytes` : ''}`);
    for (const field of frame.fields) out(`  ${field.name.padEnd(16)}${where(field).padEnd(20)}${show(field, frame, isText)}`);
    if (!frame.complete) {
      cut++;
      // The whole frame's size, once its header says it (a 64-bit length may exceed a number: BigInt).
      const whole = h.headerLength === null || h.payloadLength === null ? '' : ` of ${BigInt(h.headerLength) + BigInt(h.payloadLength)}`;
      out(`  cut short: ${frame.byteLength}${whole} bytes present`);
    }
    for (const v of frame.violations) {
      violations++;
      out(`  violation ${v.rule}: close ${v.closeCode}, ${v.rfc}, at byte ${v.byte}: ${v.message}`);
    }
  });
  const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
  out(`${plural(frames.length, 'frame')}, ${plural(violations, 'violation')}${cut ? ', the last cut short' : ''}`);
  return violations > 0 || cut > 0 ? 1 : 0;
}

async function inspect(argv) {
  const { hex, options } = parseInspectArgs(argv);
  const bytes = parseHex(hex[0] === '-' ? await readStdin() : hex.join(' '));
  const { inspectFrames } = await import('../dist/testing.js');
  let frames;
  try {
    frames = inspectFrames(bytes, options);
  } catch (e) {
    // The options as the library reads them (a TypeError or RangeError names the one that is wrong).
    if (e instanceof TypeError || e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
  return report(frames, (line) => console.log(line));
}

async function echo(argv) {
  // The echo server reads its options from process.argv: it sees those after `echo`, as if run itself.
  const server = new URL('./node/echo-server.mjs', import.meta.url);
  process.argv = [process.argv[0], fileURLToPath(server), ...argv];
  await import(server.href);
  return undefined; // it runs until killed, or exits by itself on a bad option
}

async function main(argv) {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (command === 'inspect') return inspect(rest);
  if (command === 'echo') return echo(rest);
  throw new UsageError(command === undefined ? 'A command is needed: inspect or echo' : `Unknown command ${JSON.stringify(command)}: inspect or echo`);
}

main(process.argv.slice(2)).then(
  (code) => { if (code !== undefined) process.exitCode = code; },
  (e) => {
    if (e instanceof UsageError) {
      process.stderr.write(`websocket-server: ${e.message}\n\n${USAGE}`);
      process.exitCode = 2;
    } else {
      // Not 1, which says a frame broke a rule.
      console.error(e);
      process.exitCode = 3;
    }
  },
);
