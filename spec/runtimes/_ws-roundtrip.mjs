// Portable: drives an echo server with the runtime's OWN built-in WebSocket
// client (Deno's, Bun's, Chromium's), code that no one here wrote. Imports
// nothing; runs unchanged in all three.
//
// Cases: text (multi-byte UTF-8 included) and binary messages at the frame
// length boundaries (RFC 6455 section 5.2: 125/126, 65535/65536) and up to
// 16 MiB, each echoed byte for byte (section 5.6: text as text, binary as
// binary); 200 messages back to back, echoed in order; a close with a code and
// reason, answered by the server's Close with the same code (section 5.5.1)
// and a clean TCP close (section 7.1.1).

const SIZES = [0, 1, 125, 126, 127, 65535, 65536, 65537, 1 << 20, 16 << 20];
const enc = new TextEncoder();

/** Exactly `n` UTF-8 bytes mixing 1-, 2-, 3- and 4-byte characters. */
function text(n) {
  const unit = 'a\u00e9\u20ac\u{1F600}'; // 1 + 2 + 3 + 4 = 10 bytes
  return unit.repeat(Math.floor(n / 10)) + 'a'.repeat(n % 10);
}

/** `n` pseudo-random bytes (xorshift32: any byte value, no repeating pattern). */
function bytes(n, seed) {
  const out = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Opens a socket whose incoming messages queue up for `next()`. */
function connect(url) {
  const ws = new WebSocket(url);
  ws.binaryType = 'arraybuffer';
  const queue = [], waiting = [];
  ws.onmessage = (e) => (waiting.length ? waiting.shift()(e.data) : queue.push(e.data));
  const closed = new Promise((ok) => { ws.onclose = (e) => ok({ code: e.code, reason: e.reason, wasClean: e.wasClean }); });
  const next = (ms = 30_000) => (queue.length ? Promise.resolve(queue.shift()) : new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`No message within ${ms} ms`)), ms);
    waiting.push((d) => { clearTimeout(timer); ok(d); });
  }));
  const opened = new Promise((ok, fail) => { ws.onopen = ok; ws.onerror = () => fail(new Error(`Cannot connect to ${url}`)); });
  return { ws, next, closed, opened };
}

/**
 * @param {string} url ws://HOST:PORT of an echo server
 * @returns {Promise<{ passed: number, failed: number, failures: string[] }>}
 */
export async function roundtrip(url) {
  const failures = [];
  let passed = 0;
  const check = (name, ok, detail = '') => { if (ok) passed++; else failures.push(`${name}${detail ? `: ${detail}` : ''}`); };
  const { ws, next, closed, opened } = connect(url);
  try {
    await opened;
    for (const n of SIZES) {
      const sent = text(n);
      ws.send(sent);
      const got = await next();
      check(`text of ${n} bytes`, typeof got === 'string' && got === sent && enc.encode(got).length === n,
        typeof got === 'string' ? `got ${enc.encode(got).length} bytes` : `got ${typeof got}`);
    }
    for (const n of SIZES) {
      const sent = bytes(n, n + 1);
      ws.send(sent);
      const got = await next();
      check(`binary of ${n} bytes`, got instanceof ArrayBuffer && sameBytes(new Uint8Array(got), sent),
        got instanceof ArrayBuffer ? `got ${got.byteLength} bytes` : `got ${typeof got}`);
    }
    // Back to back: all sent before any echo is read; echoes must keep the order.
    for (let i = 0; i < 200; i++) ws.send(i % 2 ? `message ${i} \u00e9` : bytes(i, i + 7));
    let inOrder = true;
    for (let i = 0; i < 200; i++) {
      const got = await next();
      const ok = i % 2 ? got === `message ${i} \u00e9` : got instanceof ArrayBuffer && sameBytes(new Uint8Array(got), bytes(i, i + 7));
      inOrder &&= ok;
    }
    check('200 messages back to back, echoed in order', inOrder);
    ws.close(4321, 'done \u2713');
    let timer;
    const close = await Promise.race([closed, new Promise((ok) => { timer = setTimeout(() => ok(null), 10_000); })]);
    clearTimeout(timer); // a pending timer would keep the runtime alive
    check('close 4321 with a reason: the server echoes the code and closes cleanly',
      close !== null && close.code === 4321 && close.wasClean === true, JSON.stringify(close));
  } catch (e) {
    failures.push(`aborted: ${e.message}`);
    try { ws.close(); } catch { /* already closed */ }
  }
  return { passed, failed: failures.length, failures };
}
