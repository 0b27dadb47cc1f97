// Headless Chromium through playwright-core, pointed at Debian's /usr/bin/chromium
// (playwright-core downloads no browser). `findChromium` lets callers print the
// one SKIPPED line (or fail under REQUIRE_BROWSER=1) when it is missing.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

// CHROMIUM_PATH, when set, is the only candidate (also a way to try the skip path).
const CANDIDATES = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

export const findChromium = () => CANDIDATES.find((p) => existsSync(p));

/**
 * The skip-or-fail decision for a missing browser, in one place.
 * @returns {string | null} a line to print when Chromium is missing, else null
 */
export function missingBrowserLine(what = 'browser') {
  if (findChromium()) return null;
  return process.env.REQUIRE_BROWSER === '1'
    ? `FAIL ${what}: chromium not found and REQUIRE_BROWSER=1 (apt-get install chromium)`
    : `SKIPPED ${what}: chromium not found (apt-get install chromium)`;
}

/** Each step's limit; the page's own work is bounded by the caller's `resultOf`. */
const LAUNCH_MS = 60_000;

/**
 * Opens `url` in a fresh headless Chromium, runs `fn(page, errors)`, always
 * closes the browser. `what` names the caller in every timeout message.
 */
export async function withPage(url, fn, { what = 'browser' } = {}) {
  const step = (name, promise) => promise.catch((e) => { throw new Error(`${what}: ${name} failed: ${e.message}`); });
  const browser = await step(`launching Chromium (limit ${LAUNCH_MS / 1000} s)`, chromium.launch({
    executablePath: findChromium(),
    timeout: LAUNCH_MS,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      // chromium.launch() always starts from a fresh temporary profile (it
      // refuses a --user-data-dir argument).
      '--disable-component-update', '--disable-sync'],
  }));
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(LAUNCH_MS);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e.stack ?? e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    // Only until the response arrives: the test pages run their whole suite in
    // a module script, and 'load' waits for it (on a busy machine past any
    // sensible navigation limit). The page's own result is awaited with
    // resultOf, under a limit that says what was being waited for.
    await step(`opening ${url}`, page.goto(url, { waitUntil: 'commit', timeout: LAUNCH_MS }));
    return await fn(page, errors);
  } finally {
    await browser.close().catch(() => {});
  }
}

/**
 * Polls the page until `read` (evaluated in the page) returns something truthy.
 * @param {{ what: string, timeout: number, read?: () => unknown, stopOnError?: boolean }} o
 *   stopOnError (default true): a page error ends the wait (a module that fails to load never sets a result)
 * @throws {Error} naming `what` and the limit when it expires, with the page's errors so far
 */
export async function resultOf(page, errors, { what, timeout, read = () => window.__result, stopOnError = true }) {
  const deadline = Date.now() + timeout;
  const late = () => new Error(`${what}: no result from the page within ${timeout / 1000} s${errors.length ? `; page errors:\n${errors.join('\n')}` : ''}`);
  while (Date.now() < deadline) {
    // A page busy in a long synchronous test answers late: the race keeps the limit.
    let timer;
    const result = await Promise.race([
      page.evaluate(read),
      new Promise((_, no) => { timer = setTimeout(() => no(late()), Math.max(0, deadline - Date.now())); }),
    ]).finally(() => clearTimeout(timer));
    if (result) return result;
    if (stopOnError && errors.length) throw new Error(`${what}: page error:\n${errors.join('\n')}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw late();
}
