// Each bundle stays small: minified (esbuild) + gzipped (zlib -9) under its
// entry's line in BUDGETS, spec/runtimes/size.mjs (every budget is also
// stated in the README, with each entry's size). Every entry in package.json `exports` is measured
// (its own bytes: the earlier entries it imports are not counted) and must
// have a budget. `npm run size` prints the same numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import { BUDGETS, distFile, entries, measure } from '../runtimes/size.mjs';

const names = entries();
const sizes = new Map();
for (const name of names) sizes.set(name, await measure(distFile(name)));

test('package.json exports at least the core entry, index, first', () => {
  assert.is(names[0], 'index');
});

for (const name of names) {
  const budget = BUDGETS[name];
  test(`minified + gzipped dist/${name}.js is at most ${budget === undefined ? 'its budget (none set)' : `${budget} bytes`}`, () => {
    const size = sizes.get(name);
    console.log(`\n  dist/${name}.js: minified ${size.min} bytes, gzipped ${size.gzip} bytes, budget ${budget === undefined ? 'none' : `${budget} bytes`}`);
    assert.ok(Number.isInteger(budget) && budget > 0,
      `dist/${name}.js has no size budget: add "${name}: <bytes>" to BUDGETS in spec/runtimes/size.mjs (it measures ${size.gzip} bytes minified + gzipped now)`);
    assert.ok(size.gzip <= budget, `${size.gzip} bytes gzipped is over the budget of ${budget}`);
  });

  test(`dist/${name}.js: the measured bytes are the minified bundle, gzipped: each step shrinks and gunzips back`, () => {
    const size = sizes.get(name);
    assert.ok(size.min < size.raw && size.gzip < size.min, JSON.stringify({ raw: size.raw, min: size.min, gzip: size.gzip }));
    assert.is(gunzipSync(size.gzipped).toString(), size.code);
  });
}

test('the README states each entry\'s budget, and its size within 5%', async () => {
  const { readFileSync } = await import('node:fs');
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const name of names) {
    const label = name === 'index' ? '`websocket-server` (`dist/index.js`)' : `\`websocket-server/${name}\``;
    const row = readme.split('\n').find((l) => l.startsWith(`| ${label} |`));
    assert.ok(row, `README's size table has no row for ${name}`);
    const [, stated, budget] = row.split('|').map((c) => c.trim()).filter(Boolean);
    assert.is(Number(budget.replace(' KiB', '')) * 1024, BUDGETS[name], `README states ${budget} for ${name}`);
    const bytes = Number(stated.replace(/[, B]/g, ''));
    const size = sizes.get(name).gzip;
    assert.ok(Math.abs(bytes - size) <= size * 0.05, `README states ${stated} for ${name}, which measures ${size} bytes: update the table`);
  }
});

test('every budget belongs to an entry (a budget left from a removed entry goes too)', () => {
  assert.equal(Object.keys(BUDGETS).filter((name) => !names.includes(name)), []);
});

test('the minified bundle that was measured still works (RFC 6455 section 1.3 accept key, a text frame round trip)', async () => {
  const lib = await import('data:text/javascript;base64,' + Buffer.from(sizes.get('index').code).toString('base64'));
  assert.is(lib.computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(new lib.MessageReader({ role: 'client' }).push(lib.encodeTextFrame('h\u00e9llo')), [{ type: 'text', data: 'h\u00e9llo' }]);
});

test.run();
