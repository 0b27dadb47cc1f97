// The demo page (examples/index.html) in headless Chromium, served by the Node
// echo server that `npm start` runs (examples/node/echo-server.mjs, which also
// serves the page's /dist/*.js imports, and only those: checked first). Then
// what a newcomer sees: the inspector annotates the RFC 6455 §5.7 examples
// field by field, a non-minimal length shows as a violation with its close
// code and section, the server in the page answers it with Close 1002 (and
// each broken example with its rule's code), the builder writes what
// encodeRawFrame writes, a live echo round-trips and is plotted, and nothing
// reaches the console as an error.
//   node spec/clients/demo-page.mjs                          ->   demo-page: N passed, M failed
//   node spec/clients/demo-page.mjs --screenshot docs/demo.png   (npm run screenshot)
// Without Chromium: one SKIPPED line (a failure under REQUIRE_BROWSER=1).
import { readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { missingBrowserLine, withPage } from '../runtimes/_browser.mjs';
import { startServer } from '../runtimes/_server.mjs';
import { encodeRawFrame } from '../../dist/testing.js';

const NAME = 'demo-page';
const at = process.argv.indexOf('--screenshot');
const screenshot = at >= 0 ? process.argv[at + 1] : null;
if (at >= 0 && !screenshot) {
  console.error('Usage: node spec/clients/demo-page.mjs [--screenshot FILE.png]');
  process.exit(2);
}

const missing = missingBrowserLine(NAME);
if (missing) {
  console.log(missing);
  if (missing.startsWith('FAIL')) console.log(`${NAME}: 0 passed, 1 failed`);
  process.exit(missing.startsWith('FAIL') || screenshot ? 1 : 0);
}

/** Each wait for the page; the whole run is bounded by the sum of a few of them. */
const WAIT_MS = 15_000;
const hex = (bytes) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
const results = { passed: 0, failed: 0, failures: [] };

function ok(cond, message) {
  if (!cond) throw new Error(message);
}
function same(actual, expected, what) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Runs one named check; a failure is counted and the run goes on. */
async function check(name, fn) {
  try {
    await fn();
    results.passed++;
    console.log(`  ok ${name}`);
  } catch (e) {
    results.failed++;
    results.failures.push(`${name}: ${e.message.split('\n')[0]}`);
    console.log(`  FAIL ${name}`);
  }
}

/** Types bytes into the inspector as a user would, for a role, and waits for the frames to be drawn. */
async function inspect(page, bytes, role) {
  await page.selectOption('#role', role);
  await page.fill('#hex', bytes);
  await page.press('#hex', 'Enter');
  // Enter inspects at once (render is synchronous): what follows reads the result.
  return page.evaluate(() => ({
    frames: [...document.querySelectorAll('#frames .frame')].map((f) => ({
      ...f.dataset,
      fields: [...f.querySelectorAll('tr[data-field]')].map((r) => [r.dataset.field, Number(r.dataset.start), Number(r.dataset.end)]),
    })),
    violations: [...document.querySelectorAll('#violations li[data-rule]')].map((v) => ({ ...v.dataset, text: v.textContent })),
    none: document.querySelector('#violations li[data-none]') !== null,
    messages: [...document.querySelectorAll('#messages li')].map((m) => ({ ...m.dataset, text: m.textContent })),
    classes: [...document.querySelectorAll('#bytes .byte')].map((b) => b.className.split(' ').find((c) => c.startsWith('g-'))),
    error: document.querySelector('#hex-error').textContent,
  }));
}

const HEADER = [['fin', 0, 1], ['rsv1', 0, 1], ['rsv2', 0, 1], ['rsv3', 0, 1], ['opcode', 0, 1], ['mask', 1, 2], ['length', 1, 2]];

let echo;
try {
  echo = await startServer('node');
  const pageUrl = `${echo.url.replace(/^ws:/, 'http:')}/`;
  console.log(`${NAME}: Chromium opens ${pageUrl} (examples/node/echo-server.mjs)`);
  await check('the echo server serves the page, /dist/NAME.js for its imports, and nothing else (404)', async () => {
    const base = new URL(pageUrl);
    /** One raw request: node:http sends the path as written (fetch would resolve the dots). */
    const get = (path, method = 'GET') => new Promise((resolve, reject) => {
      const req = request({ host: base.hostname, port: base.port, path, method, timeout: WAIT_MS }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], body: Buffer.concat(chunks) }));
      });
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${WAIT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
    const js = await get('/dist/testing.js');
    same([js.status, js.type], [200, 'text/javascript; charset=utf-8'], 'GET /dist/testing.js');
    ok(js.body.equals(readFileSync(new URL('../../dist/testing.js', import.meta.url))), 'the bundle, byte for byte');
    same((await get('/')).type, 'text/html; charset=utf-8', 'GET /');
    for (const path of ['/dist/nope.js', '/dist/../package.json', '/dist/..%2fpackage.json', '/dist/%2e%2e/package.json', '/dist/index.js.map', '/dist/index.d.ts', '/dist/', '/examples/index.html', '/package.json']) {
      same((await get(path)).status, 404, `GET ${path}`);
    }
    same((await get('/dist/index.js', 'POST')).status, 404, 'POST /dist/index.js');
  });

  await withPage(pageUrl, async (page, errors) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForSelector('#frames .frame', { timeout: WAIT_MS });

    await check('RFC 6455 §5.7 "81 05 48 65 6c 6c 6f": a FIN text frame "Hello", unmasked, each field on its bytes', async () => {
      const r = await inspect(page, '81 05 48 65 6c 6c 6f', 'client');
      same(r.frames.length, 1, 'frames');
      const f = r.frames[0];
      same([f.opcodeName, f.fin, f.masked, f.payloadLength, f.complete, f.payloadText], ['text', 'true', 'false', '5', 'true', 'Hello'], 'frame 1');
      same(f.fields, [...HEADER, ['payload', 2, 7]], 'fields');
      ok(r.none && r.violations.length === 0, `no violation expected for a client, got ${JSON.stringify(r.violations)}`);
      same(r.classes, ['g-b0', 'g-b1', 'g-pay', 'g-pay', 'g-pay', 'g-pay', 'g-pay'], 'byte colors');
      ok(r.messages.some((m) => m.kind === 'text' && m.text.includes('“Hello”')), `a decoded text message "Hello": ${JSON.stringify(r.messages)}`);
    });

    await check('RFC 6455 §5.7 masked "Hello" (81 85 37 fa 21 3d 7f 9f 4d 51 58): the key on bytes 2-5, the payload unmasked', async () => {
      const r = await inspect(page, '81 85 37 fa 21 3d 7f 9f 4d 51 58', 'server');
      same(r.frames.length, 1, 'frames');
      const f = r.frames[0];
      same([f.opcodeName, f.fin, f.masked, f.payloadLength, f.payloadText], ['text', 'true', 'true', '5', 'Hello'], 'frame 1');
      same(f.fields, [...HEADER, ['maskKey', 2, 6], ['payload', 6, 11]], 'fields');
      ok(r.none, `no violation expected for a server, got ${JSON.stringify(r.violations)}`);
      same(r.classes.slice(2, 7), ['g-key', 'g-key', 'g-key', 'g-key', 'g-pay'], 'byte colors');
      const row = await page.textContent('#frames tr[data-field=maskKey]');
      ok(row.includes('37 fa 21 3d'), `the key row shows the key: ${row}`);
    });

    await check('the same unmasked "Hello" received by a server: client-frame-unmasked, 1002, RFC 6455 §5.1', async () => {
      const r = await inspect(page, '81 05 48 65 6c 6c 6f', 'server');
      same(r.violations.map((v) => [v.rule, v.closeCode, v.rfc, v.byte]), [['client-frame-unmasked', '1002', 'RFC 6455 §5.1', '1']], 'violations');
    });

    await check('RFC 6455 §5.7 fragmented "Hel" + "lo": two frames, one text message in 2 frames', async () => {
      const r = await inspect(page, '01 03 48 65 6c 80 02 6c 6f', 'client');
      same(r.frames.map((f) => [f.opcodeName, f.fin, f.payloadText]), [['text', 'false', 'Hel'], ['continuation', 'true', 'lo']], 'frames');
      same(r.frames[1].fields, [['fin', 5, 6], ['rsv1', 5, 6], ['rsv2', 5, 6], ['rsv3', 5, 6], ['opcode', 5, 6], ['mask', 6, 7], ['length', 6, 7], ['payload', 7, 9]], 'frame 2 fields (absolute offsets)');
      ok(r.none, `no violation expected, got ${JSON.stringify(r.violations)}`);
      const m = r.messages.find((x) => x.kind === 'text');
      same([m?.text?.includes('“Hello”'), m?.frames], [true, '2'], 'the joined message');
    });

    await check('a non-minimal length (81 7e 00 05 ...): violation non-minimal-length with 1002 and RFC 6455 §5.2, shown in words', async () => {
      const r = await inspect(page, '81 7e 00 05 48 65 6c 6c 6f', 'client');
      const v = r.violations.find((x) => x.rule === 'non-minimal-length');
      ok(v, `non-minimal-length listed: ${JSON.stringify(r.violations)}`);
      same([v.closeCode, v.rfc], ['1002', 'RFC 6455 §5.2'], 'its close code and section');
      ok(v.text.includes('1002') && v.text.includes('RFC 6455 §5.2') && v.text.includes('non-minimal-length'), `the visible text names rule, code and section: ${v.text}`);
      same(r.frames[0].fields.find((f) => f[0] === 'extendedLength'), ['extendedLength', 2, 4], 'the extended length on bytes 2-3');
      same(r.classes.slice(2, 4), ['g-ext', 'g-ext'], 'its bytes colored as the extended length');
      // Hovering the violation outlines the byte it names; hovering a byte outlines its field's row.
      await page.hover(`#violations li[data-rule=non-minimal-length]`);
      const lit = await page.evaluate((b) => document.getElementById(`byte-${b}`).classList.contains('hl'), v.byte);
      ok(lit, `hovering the violation outlines byte ${v.byte}`);
      await page.hover('#byte-2');
      const row = await page.evaluate(() => document.querySelector('#frames tr[data-field=extendedLength]').classList.contains('hl'));
      ok(row, 'hovering byte 2 outlines the extended length row');
    });

    await check('"send to a server in this page": the in-page ServerConnection answers the non-minimal length with Close 1002', async () => {
      await page.click('#pair-send');
      await page.waitForSelector('#pair-close[data-outcome]', { timeout: WAIT_MS });
      const r = await page.evaluate(() => ({
        ...document.getElementById('pair-close').dataset,
        events: [...document.querySelectorAll('#pair-log li')].map((li) => [li.dataset.side, li.dataset.type, li.textContent]),
        sans: document.getElementById('pair-sans').textContent,
      }));
      same([r.outcome, r.code], ['closed', '1002'], 'the Close the server wrote');
      ok(r.events.some(([side, type, text]) => side === 'server' && type === 'close' && text.includes('1002')), `a server close event with 1002: ${JSON.stringify(r.events)}`);
      ok(r.events.some(([side, type]) => side === 'server' && type === 'open'), 'the server opened first');
      ok(/takeEvents\(\) → \[open, close 1002/.test(r.sans), `the bare ServerConnection closes with 1002 too: ${r.sans}`);
      // Its bytes in the inspector: a Close 1002, unmasked, as a client must receive it.
      await page.click('#pair-inspect');
      const back = await page.evaluate(() => ({
        role: document.getElementById('role').value,
        frame: { ...document.querySelector('#frames .frame').dataset },
        close: document.querySelector('#messages li[data-kind=close]')?.dataset.code,
        none: document.querySelector('#violations li[data-none]') !== null,
      }));
      same([back.role, back.frame.opcodeName, back.frame.masked, back.close, back.none], ['client', 'close', 'false', '1002', true], 'the server\'s bytes, inspected');
    });

    await check('a valid masked frame sent to the server in the page is echoed, no Close', async () => {
      await inspect(page, '81 85 37 fa 21 3d 7f 9f 4d 51 58', 'server');
      await page.click('#pair-send');
      await page.waitForSelector('#pair-close[data-outcome]', { timeout: WAIT_MS });
      const r = await page.evaluate(() => ({ ...document.getElementById('pair-close').dataset, events: [...document.querySelectorAll('#pair-log li')].map((li) => li.textContent) }));
      same(r.outcome, 'accepted', 'outcome');
      ok(r.events.some((t) => t.includes('server message') && t.includes('“Hello”')), `the server got "Hello": ${JSON.stringify(r.events)}`);
      ok(r.events.some((t) => t.includes('client message') && t.includes('“Hello”')), `the client got the echo: ${JSON.stringify(r.events)}`);
    });

    await check('the builder writes what encodeRawFrame writes (a Ping with a 64-bit length, masked), and the page flags it', async () => {
      await page.click('#builder-box summary');
      await page.selectOption('#role', 'server');
      await page.selectOption('#b-opcode', '9');
      await page.check('#b-mask');
      await page.fill('#b-key', '01020304');
      await page.selectOption('#b-payload-as', 'text');
      await page.fill('#b-payload', 'ping!');
      await page.selectOption('#b-length', '64');
      const expected = hex(encodeRawFrame({ opcode: 9, mask: [1, 2, 3, 4], payload: 'ping!', lengthEncoding: 64 }));
      await page.waitForFunction((e) => document.getElementById('hex').value === e, expected, { timeout: WAIT_MS });
      const rules = await page.$$eval('#violations li[data-rule]', (l) => l.map((v) => v.dataset.rule));
      ok(rules.includes('non-minimal-length'), `a 64-bit length for 5 bytes is flagged: ${rules}`);
      // A length that does not fit is encodeRawFrame's RangeError, shown, not thrown.
      await page.selectOption('#b-length', '7');
      await page.fill('#b-declared', '200');
      const err = await page.textContent('#b-error');
      ok(/does not fit/.test(err), `the builder shows encodeRawFrame's error: ${JSON.stringify(err)}`);
      await page.fill('#b-declared', '');
      await page.click('#builder-box summary');
    });

    // Each example: its first violation is the rule it shows, and the server in the page closes with that rule's code.
    const EXAMPLES = {
      'hello': null, 'masked-hello': null, 'fragmented': null, 'ping': null, 'masked-pong': null, 'binary-256': null, 'compressed': null,
      'non-minimal': ['non-minimal-length', 1002], 'unmasked': ['client-frame-unmasked', 1002], 'rsv1': ['rsv-without-extension', 1002],
      'reserved': ['reserved-opcode', 1002], 'long-ping': ['control-too-long', 1002], 'fragmented-ping': ['fragmented-control', 1002],
      'msb': ['length-msb-set', 1002], 'close-1-byte': ['close-body-one-byte', 1002], 'close-1005': ['invalid-close-code', 1002], 'bad-utf8': ['invalid-utf8', 1007],
    };
    await check('every example button: the rule it shows comes first, and the server in the page closes with its code', async () => {
      const buttons = await page.$$eval('[data-example]', (l) => l.map((b) => b.dataset.example));
      same(buttons.sort(), Object.keys(EXAMPLES).sort(), 'the examples');
      for (const [name, want] of Object.entries(EXAMPLES)) {
        await page.click(`[data-example=${name}]`);
        const r = await page.evaluate(() => ({
          role: document.getElementById('role').value,
          violations: [...document.querySelectorAll('#violations li[data-rule]')].map((v) => [v.dataset.rule, Number(v.dataset.closeCode)]),
        }));
        if (want === null) { same(r.violations, [], `${name}: no violation`); continue; }
        same(r.violations[0], want, `${name}: the first violation`);
        await page.click('#pair-send');
        await page.waitForSelector('#pair-close[data-outcome]', { timeout: WAIT_MS });
        same(await page.getAttribute('#pair-close', 'data-code'), String(want[1]), `${name}: the server's Close`);
      }
    });

    await check('RFC 7692 §7.2.3.1: the compressed "Hello" (c1 07 f2 48 cd c9 c9 07 00) is legal with permessage-deflate, and inflates to "Hello"', async () => {
      await page.click('[data-example=compressed]');
      same(await page.isChecked('#deflate'), true, 'permessage-deflate ticked');
      await page.waitForSelector('#messages li[data-inflated]', { timeout: WAIT_MS });
      same(await page.getAttribute('#messages li[data-inflated]', 'data-inflated'), 'Hello', 'inflated');
      // Without the extension, RSV1 is a violation.
      await page.uncheck('#deflate');
      const rules = await page.$$eval('#violations li[data-rule]', (l) => l.map((v) => v.dataset.rule));
      // (and the compressed bytes, read as text, are not UTF-8)
      same(rules, ['rsv-without-extension', 'invalid-utf8'], 'without permessage-deflate');
    });

    await check('bad hex is an error message, not an exception', async () => {
      const r = await inspect(page, '81 0', 'client');
      ok(/hex digits/.test(r.error) && r.frames.length === 0, `an odd digit count: ${JSON.stringify(r)}`);
      const s = await inspect(page, '81 zz', 'client');
      ok(/not a hex digit/.test(s.error), `a non-hex digit: ${s.error}`);
    });

    await check('every control has a label, and Tab reaches the echo, the examples, the inspector and the in-page server in reading order', async () => {
      const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
        .filter((e) => (e.tagName === 'BUTTON' ? !e.textContent.trim() && !e.getAttribute('aria-label') : e.labels.length === 0)).map((e) => e.id || e.outerHTML.slice(0, 60)));
      same(unlabelled, [], 'controls without a label');
      await page.click('[data-example=hello]');
      await page.focus('#echo-text');
      const order = [];
      for (let i = 0; i < 80 && !order.includes('pair-send'); i++) {
        await page.keyboard.press('Tab');
        order.push(await page.evaluate(() => document.activeElement.id || document.activeElement.dataset.example || document.activeElement.tagName));
      }
      const at = (id) => order.indexOf(id);
      ok(at('echo-send') >= 0 && at('echo-send') < at('burst') && at('burst') < at('hello') && at('hello') < at('hex') && at('hex') < at('role') && at('role') < at('bytes') && at('bytes') < at('pair-send'),
        `tab order: ${order.join(' ')}`);
    });

    await check('from the keyboard: arrow keys walk the bytes and name each one\'s field', async () => {
      await inspect(page, '81 05 48 65 6c 6c 6f', 'client');
      await page.focus('#bytes');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      const info = await page.textContent('#byte-info');
      ok(/^Byte 1: 0x05/.test(info) && info.includes('Payload length'), `byte 1 described: ${info}`);
      same(await page.getAttribute('#bytes', 'aria-activedescendant'), 'byte-1', 'the active byte');
    });

    await check('64 KiB of zero bytes (32,768 empty continuation frames) is inspected in bounded time and drawn in part', async () => {
      const started = Date.now();
      const r = await inspect(page, '00 '.repeat(65536), 'client');
      const ms = Date.now() - started;
      same(r.frames.length, 64, 'frames drawn');
      ok(r.violations.length === 100 && r.violations.every((v) => v.rule === 'unexpected-continuation'), `the first 100 violations, each unexpected-continuation: ${r.violations.length}`);
      ok(ms < 10_000, `took ${ms} ms`);
      const tooMany = await inspect(page, '00 '.repeat(65537), 'client');
      ok(/at most 65536/.test(tooMany.error), `over 64 KiB is refused: ${tooMany.error}`);
    });

    await check('a live echo round-trips through the Node echo server, and a burst is plotted', async () => {
      await page.waitForSelector('#echo-status[data-state=open]', { timeout: WAIT_MS });
      const text = `demo-page ${process.pid} ☃`;
      await page.fill('#echo-text', text);
      await page.press('#echo-text', 'Enter');
      await page.waitForFunction((t) => [...document.querySelectorAll('#echo-log li[data-kind=echo]')].some((li) => li.textContent.includes(`“${t}”`)), text, { timeout: WAIT_MS });
      await page.fill('#burst-n', '60');
      await page.click('#burst');
      await page.waitForFunction(() => Number(document.getElementById('echo-stats').dataset.echoes) >= 61 && Number(document.getElementById('plot').dataset.plotted) >= 61, undefined, { timeout: WAIT_MS });
      // The round trips are on the canvas: pixels of the round-trip color inside the plot area.
      const dots = await page.evaluate(() => {
        const c = document.getElementById('plot');
        const rtt = getComputedStyle(document.documentElement).getPropertyValue('--rtt').trim();
        const probe = document.createElement('canvas').getContext('2d');
        probe.fillStyle = rtt; probe.fillRect(0, 0, 1, 1);
        const [r, g, b] = probe.getImageData(0, 0, 1, 1).data;
        const left = Math.ceil(56 * (window.devicePixelRatio || 1));
        const d = c.getContext('2d').getImageData(left, 0, c.width - left, c.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 200 && Math.abs(d[i] - r) + Math.abs(d[i + 1] - g) + Math.abs(d[i + 2] - b) < 40) n++;
        return n;
      });
      ok(dots > 20, `the plot has round-trip dots (${dots} pixels of their color)`);
      const stats = await page.evaluate(() => [document.getElementById('st-median').textContent, Number(document.getElementById('plot').dataset.bars)]);
      ok(/ms$/.test(stats[0]) && stats[1] >= 1, `a median and at least one rate bar: ${stats}`);
    });

    if (screenshot) {
      // A realistic state: echoes spread over a few seconds, a violation annotated, the server's Close shown.
      for (let i = 0; i < 12; i++) {
        await page.fill('#burst-n', String([40, 90, 150, 60, 220, 120][i % 6]));
        await page.click('#burst');
        await page.waitForTimeout(500);
        await page.press('#echo-text', 'Enter');
        await page.waitForTimeout(500);
      }
      // No emoji: headless Chromium here may have no font for them.
      await page.fill('#echo-text', 'Hello, κόσμε!');
      await page.press('#echo-text', 'Enter');
      await page.click('[data-example=non-minimal]');
      await page.click('#pair-send');
      await page.waitForSelector('#pair-close[data-code]', { timeout: WAIT_MS });
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.hover('#byte-3');
      await page.waitForTimeout(600); // the next redraw of the plot
      await page.screenshot({ path: screenshot });
      console.log(`${NAME}: saved ${screenshot} (${Math.round(statSync(screenshot).size / 1024)} KB)`);
    }

    await check('no console error and no uncaught exception on the page', async () => {
      ok(errors.length === 0, `page errors:\n${errors.join('\n')}`);
      same(await page.isHidden('#no-bundles'), true, 'the banner for a page whose script did not start is hidden');
    });
  }, { what: NAME });
} catch (e) {
  results.failed++;
  results.failures.push(e.message);
} finally {
  await echo?.stop();
}
console.log(`${NAME}: ${results.passed} passed, ${results.failed} failed`);
for (const f of results.failures) console.log(`  FAIL ${f}`);
process.exitCode = results.failed === 0 && results.passed > 0 ? 0 : 1;
