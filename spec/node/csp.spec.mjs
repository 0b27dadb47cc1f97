// Strict Content-Security-Policy and the WebAssembly mask kernel. A page
// whose policy lacks 'wasm-unsafe-eval' (CSP Level 3 §6.1.10 script-src;
// WebAssembly JS API §1 "HostEnsureCanCompileWasmBytes") may not compile
// WebAssembly from bytes, and reports each refusal as a
// `securitypolicyviolation` event. The kernel is compiled lazily (first mask
// of 64 bytes or more, never at import) and `setWebAssembly(false)` forbids
// it: no report then, and the same masked bytes either way.
//
// In Node, a counting WebAssembly.Module shows when the bundle compiles. In
// Chromium (playwright-core), the real dist/index.js runs in pages served with
// `Content-Security-Policy: script-src 'self'`, a fresh page per case.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { findChromium, missingBrowserLine } from '../runtimes/_browser.mjs';
import { prng } from '../_util.mjs';

const DIST = new URL('../../dist/index.js', import.meta.url);
const KEY = [0x37, 0xfa, 0x21, 0x3d];
/** Over two of the kernel's 128 KiB passes, at an odd offset: the kernel's whole path. */
const LARGE = 300001;
/** The kernel starts at 64 bytes (lib/primitives/_mask.ts SIMD_MIN). */
const SMALL = 63;

/** The RFC 6455 §5.3 definition, one byte at a time. */
function naive(data, keyOffset = 0) {
  const out = data.slice();
  for (let i = 0; i < out.length; i++) out[i] ^= KEY[(i + keyOffset) & 3];
  return out;
}

// --- Node: when does the bundle compile? -------------------------------------

const node = suite('csp (node): the kernel compiles lazily, and not at all when forbidden');

let copies = 0;
/**
 * A fresh instance of the bundle (a new module URL) whose WebAssembly.Module
 * is counted, or refused like a strict CSP refuses it (`refuse`). The bundle
 * looks WebAssembly up when it compiles, so the stub stays in place while
 * `fn(lib, compiles)` runs; `compiles()` reads the count.
 */
async function withCountedBundle(fn, { refuse = false } = {}) {
  const saved = Object.getOwnPropertyDescriptor(globalThis, 'WebAssembly');
  const real = globalThis.WebAssembly;
  let count = 0;
  const Module = function Module(bytes) {
    count++;
    if (refuse) throw new real.CompileError('WebAssembly.Module(): Refused to compile (simulated CSP)');
    return new real.Module(bytes);
  };
  Object.defineProperty(globalThis, 'WebAssembly', { value: { ...real, Module, Instance: real.Instance, Memory: real.Memory, CompileError: real.CompileError }, configurable: true, writable: true });
  try {
    const lib = await import(`${DIST.href}?csp-${++copies}`);
    return await fn(lib, () => count);
  } finally {
    Object.defineProperty(globalThis, 'WebAssembly', saved);
  }
}

node('importing compiles nothing; nor does a mask under 64 bytes; the first larger mask compiles once', async () => {
  await withCountedBundle((lib, compiles) => {
    assert.is(compiles(), 0, 'at import');
    const small = prng(1).bytes(SMALL);
    const bytes = small.slice();
    lib.maskInPlace(bytes, KEY);
    assert.equal(bytes, naive(small));
    lib.encodeBinaryFrame(small, { mask: new Uint8Array(KEY) });
    assert.is(compiles(), 0, `after masking ${SMALL} bytes`);
    const large = prng(2).bytes(LARGE);
    assert.equal(lib.unmaskPayload(large, KEY), naive(large));
    assert.is(compiles(), 1, 'after the first large mask');
    lib.maskInPlace(large.slice(), KEY);
    assert.is(compiles(), 1, 'compiled once');
  });
});

node('setWebAssembly(false) before the first mask: nothing ever compiles, the bytes are the same; true lets it compile', async () => {
  await withCountedBundle((lib, compiles) => {
    lib.setWebAssembly(false);
    const data = prng(3).bytes(LARGE);
    const view = new Uint8Array(LARGE + 3);
    view.set(data, 3);
    lib.maskInPlace(view.subarray(3), KEY, 1);
    assert.equal(view.subarray(3), naive(data, 1));
    assert.equal(lib.unmaskPayload(data, KEY), naive(data));
    assert.is(compiles(), 0, 'forbidden');
    lib.setWebAssembly(true);
    assert.equal(lib.unmaskPayload(data, KEY), naive(data));
    assert.is(compiles(), 1, 'allowed again');
    lib.setWebAssembly(false);
    assert.equal(lib.unmaskPayload(data, KEY), naive(data), 'forbidden after it ran');
    assert.is(compiles(), 1);
  });
});

node('a refused compilation is tried once, and not again when allowed again (a CSP would report it again)', async () => {
  await withCountedBundle((lib, compiles) => {
    const data = prng(4).bytes(LARGE);
    assert.equal(lib.unmaskPayload(data, KEY), naive(data));
    assert.is(compiles(), 1);
    assert.equal(lib.unmaskPayload(data, KEY), naive(data));
    lib.setWebAssembly(false);
    lib.setWebAssembly(true);
    assert.equal(lib.unmaskPayload(data, KEY), naive(data));
    assert.is(compiles(), 1, 'refused once, never retried');
  }, { refuse: true });
});

node.run();

// --- Chromium: a real page under script-src 'self' ---------------------------

const LAUNCH_TIMEOUT = 120_000; // starting Chromium on a loaded 2-core machine
const NAVIGATION_TIMEOUT = 60_000; // until the page's first bytes arrive
const RESULT_TIMEOUT = 120_000; // until the page posts its result (import, 2 x 300 KB masked, the sentinel)
const POLICY = "script-src 'self'";

/**
 * The page's module script. It records every `securitypolicyviolation`, runs
 * one case, then (under the policy) provokes one violation of its own, an
 * eval: violations are reported by tasks queued in order, so once the eval's
 * arrives every earlier one has. Then it posts its result.
 */
const PAGE_SCRIPT = `
const events = [];
document.addEventListener('securitypolicyviolation', (e) => events.push({ directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample }));
const prng = ${prng.toString()};
const latin1 = (b) => { let s = ''; for (let i = 0; i < b.length; i += 8192) s += String.fromCharCode.apply(null, b.subarray(i, i + 8192)); return s; };
const params = new URLSearchParams(location.search);
const mode = params.get('mode');
try {
  const lib = await import('/dist/index.js');
  if (mode === 'optout') lib.setWebAssembly(false);
  const n = mode === 'import' ? ${SMALL} : ${LARGE};
  const data = prng(${5}).bytes(n);
  const buffer = new Uint8Array(n + 3);
  buffer.set(data, 3);
  lib.maskInPlace(buffer.subarray(3), ${JSON.stringify(KEY)}, 1);
  const copied = lib.unmaskPayload(data, ${JSON.stringify(KEY)});
  if (params.get('csp') === '1') {
    try { (0, eval)('1'); } catch {}
    await new Promise((ok) => { const wait = () => (events.some((e) => e.blocked === 'eval') ? ok() : setTimeout(wait, 10)); wait(); });
  }
  window.cspResult = { masked: latin1(buffer.subarray(3)), copied: latin1(copied), events };
} catch (e) {
  window.cspResult = { error: String(e && e.stack || e), events };
}
`;
const PAGE_HTML = '<!doctype html><meta charset="utf-8"><title>csp</title><script type="module" src="/page.mjs"></script>';

/** Serves the page (with the policy when ?csp=1), its script and the real bundle, nothing else. */
async function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    const csp = url.searchParams.get('csp') === '1' ? { 'content-security-policy': POLICY } : {};
    if (url.pathname === '/') return res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...csp }).end(PAGE_HTML);
    if (url.pathname === '/page.mjs') return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(PAGE_SCRIPT);
    if (url.pathname === '/dist/index.js') return res.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' }).end(readFileSync(DIST));
    res.writeHead(url.pathname === '/favicon.ico' ? 204 : 404).end();
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((ok) => { server.closeAllConnections(); server.close(() => ok()); }) };
}

const browser = suite('csp (chromium): script-src \'self\' without \'wasm-unsafe-eval\'');
const ctx = { chromium: null, server: null };
const missing = missingBrowserLine('csp (chromium)');

if (missing !== null) {
  console.log(missing);
  // REQUIRE_BROWSER=1 turns the missing browser into a failure.
  if (missing.startsWith('FAIL')) browser('chromium is present', () => assert.unreachable(missing));
} else {
  browser.before(async () => {
    ctx.server = await serve();
    ctx.chromium = await chromium.launch({
      executablePath: findChromium(),
      timeout: LAUNCH_TIMEOUT,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });
  browser.after(async () => {
    await ctx.chromium?.close().catch(() => {});
    await ctx.server?.close();
  });

  /** Opens a fresh page on `query`, waits for its result signal (not for `load`), and checks the bytes. */
  const run = async (query) => {
    const context = await ctx.chromium.newContext();
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(String(e.stack ?? e)));
      await page.goto(ctx.server.url + query, { waitUntil: 'commit', timeout: NAVIGATION_TIMEOUT });
      await page.waitForFunction(() => window.cspResult !== undefined, null, { timeout: RESULT_TIMEOUT, polling: 100 });
      const result = await page.evaluate(() => window.cspResult);
      assert.is(result.error, undefined, `the page failed: ${result.error}`);
      assert.equal(problems, [], 'uncaught errors in the page');
      const n = query.includes('mode=import') ? SMALL : LARGE;
      const data = prng(5).bytes(n);
      const check = (latin1, expected, what) => {
        assert.is(latin1.length, n, `${what}: length`);
        for (let i = 0; i < n; i++) if (latin1.charCodeAt(i) !== expected[i]) assert.unreachable(`${what}: byte ${i} is ${latin1.charCodeAt(i)}, expected ${expected[i]}`);
      };
      check(result.masked, naive(data, 1), 'maskInPlace at byteOffset 3, key position 1');
      check(result.copied, naive(data), 'unmaskPayload');
      // The sentinel eval is ours; every other violation is the library's.
      return { theirs: result.events.filter((e) => e.blocked !== 'eval'), sentinels: result.events.filter((e) => e.blocked === 'eval').length };
    } finally {
      await context.close().catch(() => {});
    }
  };

  browser('without the opt-out, the refused compilation is reported (the spec sees it), and the bytes are right', async () => {
    const { theirs, sentinels } = await run('?csp=1&mode=default');
    assert.is(sentinels, 1, 'the sentinel violation arrived');
    assert.ok(theirs.length >= 1, 'a securitypolicyviolation for the WebAssembly compilation');
    for (const e of theirs) assert.is(e.directive, 'script-src', JSON.stringify(e));
  });

  browser('setWebAssembly(false) before masking: no violation at all, and the bytes are right', async () => {
    const { theirs, sentinels } = await run('?csp=1&mode=optout');
    assert.is(sentinels, 1, 'the sentinel violation arrived, so any earlier one would have');
    assert.equal(theirs, [], 'violations');
  });

  browser('importing the bundle and masking under 64 bytes reports nothing: never compiled at import', async () => {
    const { theirs, sentinels } = await run('?csp=1&mode=import');
    assert.is(sentinels, 1);
    assert.equal(theirs, [], 'violations');
  });

  browser('without a policy, the kernel runs and nothing is reported; the bytes are right', async () => {
    const { theirs } = await run('?csp=0&mode=default');
    assert.equal(theirs, []);
  });
}

browser.run();
