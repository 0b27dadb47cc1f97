// build.mjs with several entries, on a small package of its own: the real
// build.mjs and tsconfig.json, copied into a folder under .tmp/ (so that they
// find esbuild and typescript in this repository's node_modules, as a build
// here does) beside a made-up lib/ with three entries. A later entry must not
// bundle what an earlier one makes public: it imports it from "./index.js",
// one class stays one class (`instanceof`) in Node, Deno and Bun, and the
// joined declarations import the same names and type-check in tsc and Deno.
// The build must refuse, loudly, what it cannot do right.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = (name) => join(repo, 'node_modules', '.bin', name);
mkdirSync(join(repo, '.tmp'), { recursive: true });
const dirs = [];

const entry = (name) => ({ types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` });
const PACKAGE = {
  name: 'entries-fixture', version: '0.0.0', type: 'module', sideEffects: false,
  exports: { '.': entry('index'), './extra': entry('extra'), './third': entry('third'), './package.json': './package.json' },
};
const LIB = {
  // The core: errors.ts and core.ts are public in index, _util.ts is private.
  'lib/index.ts': "export * from './errors.ts';\nexport { Reader, read } from './core.ts';\nexport type * from './types.ts';\n",
  'lib/types.ts': 'export type Item<T = string> = { value: T };\n',
  'lib/errors.ts': "/** The core's error. */\nexport class BaseError<T = unknown> extends Error {\n  readonly code: number;\n  items: T[] = [];\n  constructor(code: number) {\n    super(`code ${code}`);\n    this.code = code;\n  }\n}\n",
  'lib/core.ts': "import { BaseError } from './errors.ts';\nimport type { Item } from './types.ts';\nimport { double } from './_util.ts';\n/** Reads. */\nexport class Reader {\n  read(n: number): Item<number> {\n    if (n < 0) throw new BaseError(n);\n    return { value: double(n) };\n  }\n}\n/** Reads once. */\nexport const read = (n: number): Item<number> => new Reader().read(n);\n",
  // A private helper: bundled into each entry that needs it; its own import of errors.ts stays index's.
  'lib/_util.ts': "import { BaseError } from './errors.ts';\nexport const double = (n: number): number => n * 2;\nexport const check = (n: number): void => { if (n > 100) throw new BaseError<string>(n); };\n",
  // A second entry: a subclass of the core's error, a use of its Reader (aliased), the private helper.
  'lib/extra.ts': "export * from './extra/thing.ts';\n",
  'lib/extra/thing.ts': "import { BaseError } from '../errors.ts';\nimport { Reader as CoreReader } from '../core.ts';\nimport type { Item } from '../types.ts';\nimport { check } from '../_util.ts';\n/** A core error with more. */\nexport class ExtraError extends BaseError<Item> {\n  readonly extra = true;\n}\n/** Wraps the core reader. */\nexport class Thing {\n  readonly reader: CoreReader = new CoreReader();\n  take(n: number): Item<number> {\n    check(n);\n    if (n === 7) throw new ExtraError(7);\n    return this.reader.read(n);\n  }\n}\n/** Whether `e` is the core's error. */\nexport const isBase = (e: unknown): e is BaseError => e instanceof BaseError;\n",
  // A third entry: it imports both earlier ones.
  'lib/third.ts': "export * from './third/more.ts';\n",
  'lib/third/more.ts': "import { ExtraError, Thing } from '../extra/thing.ts';\nimport { BaseError } from '../errors.ts';\n/** Both earlier entries' classes. */\nexport class More extends Thing {\n  fail(): never { throw new ExtraError(8); }\n}\nexport const base = (): BaseError => new BaseError(9);\n",
};

/** A fresh fixture package (`changes` added to or replacing LIB; null deletes), built; the build's result. */
async function fixture({ pkg = PACKAGE, changes = {} } = {}) {
  const dir = mkdtempSync(join(repo, '.tmp', 'entries-spec-'));
  dirs.push(dir);
  for (const f of ['build.mjs', 'tsconfig.json']) copyFileSync(join(repo, f), join(dir, f));
  writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg, null, 2));
  for (const [file, text] of Object.entries({ ...LIB, ...changes })) {
    if (text === null) continue;
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), text);
  }
  const env = { ...process.env };
  delete env.npm_lifecycle_event; // build.mjs skips a `prepare` right after a `prepack`
  const result = await run(process.execPath, ['build.mjs'], { cwd: dir, env, timeout: 120_000 }).then(
    ({ stdout, stderr }) => ({ ok: true, out: stdout + stderr }),
    (e) => ({ ok: false, out: `${e.stdout}${e.stderr}` }));
  const read = (file) => readFileSync(join(dir, file), 'utf8');
  return { dir, read, ...result };
}

const built = await fixture();
const { read } = built;

test('the fixture builds: a bundle, a map and a declaration file per entry', () => {
  assert.ok(built.ok, built.out);
  for (const name of ['index', 'extra', 'third']) {
    for (const ext of ['.js', '.js.map', '.d.ts']) assert.ok(existsSync(join(built.dir, 'dist', name + ext)), `dist/${name}${ext}`);
  }
});

test('a later entry imports what an earlier entry makes public, by "./<entry>.js", and bundles no copy of it', () => {
  const extra = read('dist/extra.js');
  assert.match(extra, /from "\.\/index\.js"/);
  assert.not.match(extra, /class BaseError|BaseError = class|class Reader\b|Reader = class/);
  // The private helper is bundled (and its import of errors.ts is index's too).
  assert.match(extra, /function check|check = /);
  const third = read('dist/third.js');
  assert.match(third, /from "\.\/index\.js"/);
  assert.match(third, /from "\.\/extra\.js"/);
  assert.not.match(third, /class (BaseError|ExtraError|Thing)\b|(BaseError|ExtraError|Thing) = class/);
  // index.js imports nothing.
  assert.not.match(read('dist/index.js'), /^\s*import\b/m);
  // The maps agree: no source of a later bundle is public in an earlier entry.
  assert.equal(JSON.parse(read('dist/extra.js.map')).sources.sort(), ['../lib/_util.ts', '../lib/extra/thing.ts']);
  assert.equal(JSON.parse(read('dist/third.js.map')).sources.sort(), ['../lib/third/more.ts']);
});

test('the joined declarations import the earlier entries\' names, one import { ... } per entry', () => {
  const extra = read('dist/extra.d.ts');
  assert.ok(extra.includes("import { BaseError, Item, Reader as CoreReader } from './index.js';\n"), extra);
  assert.is(extra.match(/^import /gm).length, 1);
  assert.not.match(extra, /declare class BaseError|declare class Reader|type Item\b/);
  const third = read('dist/third.d.ts');
  // ExtraError is used only in a body: the declarations do not name it.
  assert.ok(third.includes("import { BaseError } from './index.js';\nimport { Thing } from './extra.js';\n"), third);
  assert.not.match(read('dist/index.d.ts'), /^import /m);
  // Deno types each bundle by its first line.
  for (const name of ['index', 'extra', 'third']) assert.ok(read(`dist/${name}.js`).startsWith(`// @ts-self-types="./${name}.d.ts"\n`), name);
});

const SCRIPT = `import * as core from './dist/index.js';
import * as extra from './dist/extra.js';
import * as third from './dist/third.js';
const thrown = (f) => { try { f(); } catch (e) { return e; } };
const e = new extra.ExtraError(1);
console.log(JSON.stringify([
  e instanceof core.BaseError, e.code === 1,
  thrown(() => new extra.Thing().take(101)) instanceof core.BaseError,
  thrown(() => new extra.Thing().take(7)) instanceof extra.ExtraError,
  new extra.Thing().reader instanceof core.Reader,
  new extra.Thing().take(2).value === 4,
  extra.isBase(new core.BaseError(2)),
  thrown(() => new third.More().fail()) instanceof extra.ExtraError,
  third.base() instanceof core.BaseError,
]));
`;

test('one class across the bundles: instanceof holds in Node, Deno and Bun', async () => {
  writeFileSync(join(built.dir, 'main.mjs'), SCRIPT);
  const expected = JSON.stringify(Array(9).fill(true));
  for (const [runtime, args] of [[process.execPath, []], [bin('deno'), ['run', '--quiet', '--no-config']], [bin('bun'), []]]) {
    const { stdout } = await run(runtime, [...args, 'main.mjs'], { cwd: built.dir, timeout: 60_000, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } });
    assert.is(stdout.trim(), expected, runtime);
  }
});

const CONSUMER = `import { BaseError, Reader, type Item } from './dist/index.js';
import { ExtraError, Thing, isBase } from './dist/extra.js';
import { More } from './dist/third.js';
const e: BaseError<Item> = new ExtraError(1);
const code: number = e.code;
const reader: Reader = new Thing().reader;
const item: Item<number> = new More().take(1);
const u: unknown = e;
if (isBase(u)) console.log(u.code.toFixed());
// @ts-expect-error code is a number
const wrong: string = new ExtraError(1).code;
// @ts-expect-error an ExtraError's items are Items
new ExtraError(1).items.push(3);
console.log(code, reader, item, wrong);
`;

test('the declarations type-check for a consumer: tsc (moduleResolution bundler and node16) and deno check', async () => {
  writeFileSync(join(built.dir, 'consumer.ts'), `declare const console: { log(...values: unknown[]): void };\n${CONSUMER}`);
  const options = { target: 'ES2022', lib: ['ES2022'], strict: true, skipLibCheck: false, types: [], noEmit: true, verbatimModuleSyntax: true, allowImportingTsExtensions: true };
  for (const [resolution, module] of [['bundler', 'preserve'], ['node16', 'node16']]) {
    writeFileSync(join(built.dir, `tsconfig.${resolution}.json`), JSON.stringify({ compilerOptions: { ...options, module, moduleResolution: resolution }, files: ['consumer.ts'] }));
    const result = await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${resolution}.json`], { cwd: built.dir, timeout: 120_000 }).catch((e) => e);
    assert.is(result.code ?? 0, 0, `tsc (${resolution}):\n${result.stdout}${result.stderr}`);
  }
  writeFileSync(join(built.dir, 'deno.ts'), CONSUMER);
  const deno = await run(bin('deno'), ['check', '--quiet', '--no-config', 'deno.ts'], { cwd: built.dir, timeout: 120_000, env: { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' } }).catch((e) => e);
  assert.is(deno.code ?? 0, 0, `deno check:\n${deno.stdout}${deno.stderr}`);
});

test('the build refuses an entry that re-exports a module public in an earlier entry', async () => {
  const { ok, out } = await fixture({ changes: { 'lib/extra.ts': "export * from './extra/thing.ts';\nexport * from './errors.ts';\n" } });
  assert.not.ok(ok);
  assert.match(out, /lib\/extra\.ts re-exports lib\/errors\.ts, which is already public in the entry "index"/);
});

test('the build refuses a later entry that needs a name its earlier entry does not export', async () => {
  // core.ts is public in index, which re-exports only Reader and read: `hidden` is not in dist/index.js.
  const changes = {
    'lib/core.ts': `${LIB['lib/core.ts']}export const hidden = 1;\n`,
    'lib/extra/thing.ts': "import { hidden } from '../core.ts';\nexport const h = hidden;\n",
  };
  const { ok, out } = await fixture({ changes });
  assert.not.ok(ok);
  assert.match(out, /dist\/extra\.js imports hidden from \.\/index\.js, which does not export it/);
});

test('the build refuses a nested entry name', async () => {
  const pkg = { ...PACKAGE, exports: { ...PACKAGE.exports, './a/b': entry('a/b') } };
  const { ok, out } = await fixture({ pkg });
  assert.not.ok(ok);
  assert.match(out, /exports\["\.\/a\/b"\]\.default is "\.\/dist\/a\/b\.js"; an entry is \.\/dist\/<name>\.js, <name> a flat name/);
});

test.after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

test.run();
