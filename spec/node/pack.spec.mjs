// What `npm install websocket-server` gets: exactly the bundle, its map, its
// declarations, the README, the license and package.json; resolved through
// `exports` with `types` first; and declarations that type-check for a user.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

test('npm pack ships dist/index.js, its map and d.ts, README.md, LICENSE, package.json and nothing else', async () => {
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--silent'], { timeout: 60_000 });
  const [{ files }] = JSON.parse(stdout);
  assert.equal(files.map((f) => f.path).sort(), ['LICENSE', 'README.md', 'dist/index.d.ts', 'dist/index.js', 'dist/index.js.map', 'package.json']);
  // The packed bundle is the one in dist/ (npm reports sizes; a stale or empty file would differ).
  assert.is(files.find((f) => f.path === 'dist/index.js').size, readFileSync('dist/index.js').length);
});

test('package.json: ESM, no dependencies, exports with types first then default', () => {
  assert.is(pkg.type, 'module');
  assert.is(pkg.dependencies, undefined);
  assert.is(pkg.sideEffects, false);
  const root = pkg.exports['.'];
  // TypeScript takes the first matching condition, so `types` must come before `default`.
  assert.equal(Object.keys(root), ['types', 'default']);
  assert.is(root.types, './dist/index.d.ts');
  assert.is(root.default, './dist/index.js');
  assert.is(pkg.exports['./package.json'], './package.json');
});

test('the package name resolves, through exports, to the same module as dist/index.js', async () => {
  const byName = await import('websocket-server');
  const byPath = await import('../../dist/index.js');
  assert.is(byName, byPath);
  assert.is(import.meta.resolve('websocket-server'), new URL('../../dist/index.js', import.meta.url).href);
});

test('a strict TypeScript user type-checks against dist/index.d.ts (and misuse is an error)', async () => {
  // spec/runtimes/types/consumer.ts imports by package name and by path; its
  // @ts-expect-error lines fail the check if the declarations were `any`.
  const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'spec/runtimes/types'], { timeout: 120_000 })
    .catch((e) => e);
  assert.is(result.code ?? 0, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
});

test.run();
