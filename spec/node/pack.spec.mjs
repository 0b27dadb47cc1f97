// What `npm install websocket-server` gets: dist/ (per entry: the bundle, its
// map and the public declarations), lib/ (where the maps' sources point), the
// CLI (package.json bin, examples/cli.mjs, and the echo server it runs), the
// docs and package.json; resolved through `exports` with `types` first; and
// declarations that type-check for a user. spec/package/run.mjs installs it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// Each subpath but ./package.json is an entry: "." is dist/index.js, "./<name>" dist/<name>.js.
const subpaths = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const nameOf = (key) => (key === '.' ? 'index' : key.slice(2));
const under = (dir) => readdirSync(dir, { recursive: true, withFileTypes: true })
  .filter((f) => f.isFile()).map((f) => join(f.parentPath ?? f.path, f.name).split(sep).join('/'));

test('npm pack ships dist/ (bundle, map, declarations), lib/, the CLI and its echo server, README.md, CHANGELOG.md, LICENSE, package.json and nothing else', async () => {
  // --ignore-scripts: this lists what dist/ holds now; spec/package/run.mjs packs with prepack building it.
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--silent', '--ignore-scripts'], { timeout: 60_000 });
  const [{ files }] = JSON.parse(stdout);
  // Every lib/ file, and per entry a bundle, its map and one declaration file (build.mjs joins them).
  const lib = under('lib');
  const dist = subpaths.map(nameOf).flatMap((name) => [`dist/${name}.d.ts`, `dist/${name}.js`, `dist/${name}.js.map`]);
  // The CLI (package.json bin) and what it runs: the Node echo server, its options and its page.
  const cli = ['examples/cli.mjs', 'examples/_cli.mjs', 'examples/node/echo-server.mjs', 'examples/index.html'];
  const expected = [...lib, ...dist, ...cli, 'CHANGELOG.md', 'LICENSE', 'README.md', 'package.json'];
  assert.equal(files.map((f) => f.path).sort(), expected.sort());
  // The packed bundles are the ones in dist/ (npm reports sizes; a stale or empty file would differ).
  for (const name of subpaths.map(nameOf)) {
    assert.is(files.find((f) => f.path === `dist/${name}.js`).size, readFileSync(`dist/${name}.js`).length, `dist/${name}.js`);
  }
});

test('package.json: ESM, no dependencies, exports "." first, each entry with types first then default', () => {
  assert.is(pkg.type, 'module');
  assert.is(pkg.dependencies, undefined);
  assert.is(pkg.sideEffects, false);
  // The core first: build.mjs keeps what an earlier entry makes public out of the later ones.
  assert.is(subpaths[0], '.');
  for (const key of subpaths) {
    const name = nameOf(key);
    assert.match(name, /^[\w-]+$/, `exports["${key}"]: an entry is a flat name`);
    // TypeScript takes the first matching condition, so `types` must come before `default`.
    assert.equal(pkg.exports[key], { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` }, `exports["${key}"]`);
    assert.equal(Object.keys(pkg.exports[key]), ['types', 'default'], `exports["${key}"]`);
  }
  assert.is(pkg.exports['./package.json'], './package.json');
  assert.is(pkg.main, './dist/index.js');
  assert.is(pkg.types, './dist/index.d.ts');
});

test('each subpath of the package name resolves, through exports, to the same module as its dist/<name>.js', async () => {
  for (const key of subpaths) {
    const specifier = `websocket-server${key.slice(1)}`;
    const file = new URL(`../../dist/${nameOf(key)}.js`, import.meta.url).href;
    assert.is(import.meta.resolve(specifier), file, specifier);
    assert.is(await import(specifier), await import(file), specifier);
  }
});

test('a strict TypeScript user type-checks against dist/index.d.ts (and misuse is an error)', async () => {
  // spec/runtimes/types/consumer.ts imports by package name and by path; its
  // @ts-expect-error lines fail the check if the declarations were `any`.
  const result = await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'spec/runtimes/types'], { timeout: 120_000 })
    .catch((e) => e);
  assert.is(result.code ?? 0, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
});

test.run();
