// The bundle stays small: minified (esbuild) + gzipped (zlib -9) under the
// budget in spec/runtimes/size.mjs (also stated in the README). `npm run size`
// prints the same numbers.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { gunzipSync } from 'node:zlib';
import { BUDGET, measure } from '../runtimes/size.mjs';

const size = await measure();

test(`minified + gzipped dist/index.js is at most ${BUDGET} bytes`, () => {
  console.log(`\n  dist/index.js: minified ${size.min} bytes, gzipped ${size.gzip} bytes, budget ${BUDGET} bytes`);
  assert.ok(size.gzip <= BUDGET, `${size.gzip} bytes gzipped is over the budget of ${BUDGET}`);
});

test('the measured bytes are the minified bundle, gzipped: each step shrinks and gunzips back', () => {
  assert.ok(size.min < size.raw && size.gzip < size.min, JSON.stringify({ raw: size.raw, min: size.min, gzip: size.gzip }));
  assert.is(gunzipSync(size.gzipped).toString(), size.code);
});

test('the minified bundle that was measured still works (RFC 6455 section 1.3 accept key, a text frame round trip)', async () => {
  const lib = await import('data:text/javascript;base64,' + Buffer.from(size.code).toString('base64'));
  assert.is(lib.computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ=='), 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
  assert.equal(new lib.MessageReader({ role: 'client' }).push(lib.encodeTextFrame('h\u00e9llo')), [{ type: 'text', data: 'h\u00e9llo' }]);
});

test.run();
