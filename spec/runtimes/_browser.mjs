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

/** Opens `url` in a fresh headless Chromium, runs `fn(page)`, always closes the browser. */
export async function withPage(url, fn, { timeout = 60_000 } = {}) {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    timeout,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      // chromium.launch() always starts from a fresh temporary profile (it
      // refuses a --user-data-dir argument).
      '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(timeout);
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e.stack ?? e)));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(url);
    return await fn(page, errors);
  } finally {
    await browser.close().catch(() => {});
  }
}
