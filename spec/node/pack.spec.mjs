// What `npm install websocket-server` gets: dist/ (the bundle, its map and
// the public declarations), lib/ (where the map's sources point), the docs and
// package.json; resolved through `exports` with `types` first; and
// declarations that type-check for a user. spec/package/run.mjs installs it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const under = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((f) => f.isFile()).map((f) => join(f.parentPath ?? f.path, f.name).split(sep).join('/'));

test('npm pack ships dist/ (bundle, map, declarations), lib/, README.md, CHANGELOG.md, LICENSE, package.json and nothing else', async () => {
  // --ignore-scripts: this lists what dist/ holds now; spec/package/run.mjs packs with prepack building it.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--silent', '--ignore-scripts'], { timeout: 60_000 });
  const [{ files }] = JSON.parse(stdout);
  // Every lib/ file, and one declaration file per entry (build.mjs joins them).
  const lib = under('lib');
  const expected = [...lib, 'dist/index.d.ts', 'dist/index.js', 'dist/index.js.map', 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];
  assert.equal(files.map((f) => f.path).sort(), expected.sort());
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
