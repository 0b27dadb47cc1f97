// Headless Chromium's built-in WebSocket against the Node echo server
// (examples/node/echo-server.mjs): spec/runtimes/_ws-roundtrip.mjs's cases, from a
// page on a loopback static server (another origin than the echo server, as a
// real page would be).
//   node spec/clients/browser-client.mjs   ->   browser-client: N passed, M failed
// Without Chromium: one SKIPPED line (a failure under REQUIRE_BROWSER=1).
import { fileURLToPath } from 'node:url';
import { missingBrowserLine, resultOf, withPage } from '../runtimes/_browser.mjs';
import { serveStatic } from '../runtimes/_static.mjs';
import { startServer } from '../runtimes/_server.mjs';

const missing = missingBrowserLine('browser-client');
if (missing) {
  console.log(missing);
  if (missing.startsWith('FAIL')) console.log('browser-client: 0 passed, 1 failed');
  process.exit(missing.startsWith('FAIL') ? 1 : 0);
}

let result;
const cleanup = [];
try {
  const echo = await startServer('node');
  cleanup.push(echo.stop);
  const pages = await serveStatic(fileURLToPath(new URL('../runtimes/', import.meta.url)));
  cleanup.push(pages.close);
  console.log(`browser-client: node echo server at ${echo.url}; Chromium opens ${pages.url}browser-client.html`);
  result = await withPage(`${pages.url}browser-client.html?url=${encodeURIComponent(echo.url)}`, async (page, errors) => {
    // A failing case may log an error and go on: only the result ends the wait.
    const r = await resultOf(page, errors, { what: 'browser-client: the round trips', timeout: 150_000, stopOnError: false });
    // A failed case may also log; page errors outside the cases are failures too.
    for (const e of errors) { r.failed++; r.failures.push(`page error: ${e}`); }
    return r;
  }, { what: 'browser-client' });
} catch (e) {
  result = { passed: 0, failed: 1, failures: [e.message] };
} finally {
  for (const stop of cleanup.reverse()) await stop();
}
console.log(`browser-client: ${result.passed} passed, ${result.failed} failed`);
for (const f of result.failures) console.log(`  FAIL ${f}`);
process.exitCode = result.failed === 0 && result.passed > 0 ? 0 : 1;
