// The package as a user gets it. A copy of the repository without dist/ (a
// fresh clone) is packed, so `prepack` must build; the tarball is installed
// into an empty project without the registry; its bin (the CLI) runs from
// node_modules/.bin; Node imports it by name, tsc
// type-checks a consumer under moduleResolution node16 and bundler, and
// `deno check` type-checks it through jsr.json's exports, which
// `deno publish --dry-run` must accept with no slow types and the right files.
// Every entry (package.json `exports`) is imported and type-checked by name,
// and each bundle may import only the bundles of earlier entries, by relative
// "./<name>.js" specifiers (build.mjs keeps their modules out of it).
// Prints one line per check, then "N passed, M failed"; exits 1 on a failure.
// Needs no network: npm runs --offline, and nothing here needs a dependency.
import { execFile, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
const ts = createRequire(join(repo, 'package.json'))('typescript');
const deno = join(repo, 'node_modules', '.bin', 'deno');
const pkg = readJson(join(repo, 'package.json'));
const jsr = readJson(join(repo, 'jsr.json'));
const consumer = readFileSync(join(repo, 'spec', 'package', 'consumer.ts'), 'utf8');
// tsc checks the consumer with no DOM and no @types/node, so declarations that
// needed either fail; it only lends the consumer a `console` (deno has its own).
const compilerOptions = {
  target: 'ES2022', lib: ['ES2022'], strict: true, exactOptionalPropertyTypes: true, noUnusedLocals: true,
  skipLibCheck: false, types: [], noEmit: true,
};
const PRELUDE = 'declare const console: { log(...values: unknown[]): void };\n';
const tmp = mkdtempSync(join(tmpdir(), 'websocket-server-package-'));
const env = { ...process.env, NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1', npm_config_cache: join(tmp, 'npm-cache') };

let passed = 0;
let failed = 0;
const reported = [];
/** Starts one check at once; its value (or failure) is what later checks await. */
function check(name, fn) {
  const done = (async () => fn())();
  reported.push(done.then(() => { passed++; console.log(`ok   ${name}`); }, (e) => {
    failed++;
    console.log(`FAIL ${name}\n     ${String(e?.message ?? e).trim().split('\n').join('\n     ')}`);
  }));
  return done;
}

function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

function run(cmd, args, cwd) {
  return new Promise((done, fail) => {
    execFile(cmd, args, { cwd, env, timeout: 120_000, maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) fail(new Error(`${basename(cmd)} ${args.join(' ')} (in ${cwd}): exit ${error.code ?? error.signal}\n${stdout}${stderr}`));
      else done({ stdout, stderr });
    });
  });
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual, null, 1);
  const e = JSON.stringify(expected, null, 1);
  if (a !== e) throw new Error(`${what}:\n  expected ${e.replace(/\n\s*/g, ' ')}\n  got      ${a.replace(/\n\s*/g, ' ')}`);
}

function ok(value, what) {
  if (!value) throw new Error(what);
}

/** Files under `dir`, as /-separated paths relative to `base`. */
function filesUnder(dir, base) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((f) => f.isFile())
    .map((f) => relative(base, join(f.parentPath ?? f.path, f.name)).split(sep).join('/'))
    .sort();
}

// Entry points: package.json `exports` and jsr.json `exports` name the same
// subpaths, one bundle ./dist/<name>.js (types first) and one source
// ./lib/<name>.ts each; build.mjs builds what package.json names.
const entries = Object.keys(pkg.exports).filter((k) => k !== './package.json');
const nameOf = (key) => (key === '.' ? 'index' : key.slice(2));
// A TypeScript file that imports every entry by name (`from` swapped for JSR): its declarations must load.
const allEntries = (from) => `${entries.map((key, i) => `import * as entry${i} from '${from}${key.slice(1)}';\n`).join('')}console.log(${entries.map((_, i) => `entry${i}`).join(', ')});\n`;
check('package.json, jsr.json and CHANGELOG.md agree on the version, the entry points and the docs', () => {
  equal(entries[0], '.', 'the first entry of package.json exports (the core, which later entries import)');
  equal(jsr.version, pkg.version, 'jsr.json version');
  equal(jsr.name, '@websocket-server/websocket-server', 'jsr.json name');
  equal(Object.keys(jsr.exports).sort(), [...entries].sort(), 'jsr.json export subpaths');
  for (const key of entries) {
    const name = nameOf(key);
    ok(/^[\w-]+$/.test(name), `package.json exports["${key}"]: an entry is a flat name (dist/<name>.js)`);
    equal(pkg.exports[key], { types: `./dist/${name}.d.ts`, default: `./dist/${name}.js` }, `package.json exports["${key}"]`);
    equal(jsr.exports[key], `./lib/${name}.ts`, `jsr.json exports["${key}"]`);
    ok(existsSync(join(repo, jsr.exports[key])), `${jsr.exports[key]} does not exist`);
  }
  const released = /^## (\S+)/m.exec(readFileSync(join(repo, 'CHANGELOG.md'), 'utf8'))?.[1];
  equal(released, pkg.version, 'the newest CHANGELOG.md entry');
  ok(/^>=\d+/.test(pkg.engines?.node ?? ''), 'package.json engines.node is missing');
});

// A copy without dist/, node_modules linked so that the build finds its tools.
const packed = check('npm pack in a copy without dist/ runs prepack, which builds dist/', async () => {
  const src = join(tmp, 'src');
  const skip = new Set(['node_modules', 'dist', '.git', '.tmp']);
  cpSync(repo, src, { recursive: true, filter: (from) => !skip.has(basename(from)) && !from.endsWith('.tgz') });
  symlinkSync(join(repo, 'node_modules'), join(src, 'node_modules'), 'junction');
  ok(!existsSync(join(src, 'dist')), 'the copy has a dist/');
  const { stdout } = await run('npm', ['pack', '--json', '--offline', '--pack-destination', tmp], src);
  // The build writes to stderr only, so the JSON is all of stdout (spec/runtimes/_examples.mjs relies on it).
  const [report] = JSON.parse(stdout);
  const files = report.files.map((f) => f.path).sort();
  ok(files.includes('dist/index.js'), `the tarball has no dist/index.js:\n${files.join('\n')}`);
  return { tarball: join(tmp, report.filename), files, src };
});

check('the tarball holds dist/ (bundle, map, public declarations), lib/, the CLI and what it runs, the docs and nothing else', async () => {
  const { files } = await packed;
  for (const key of entries) {
    const name = nameOf(key);
    for (const f of [`dist/${name}.js`, `dist/${name}.js.map`, `dist/${name}.d.ts`, `lib/${name}.ts`]) ok(files.includes(f), `${f} is missing`);
  }
  // The CLI (package.json bin) and the echo server it runs, with its options and its page.
  const cli = ['examples/_cli.mjs', 'examples/cli.mjs', 'examples/index.html', 'examples/node/echo-server.mjs'];
  equal(files.filter((f) => !/^(dist|lib)\//.test(f)), ['CHANGELOG.md', 'LICENSE', 'README.md', ...cli, 'package.json'], 'files outside dist/ and lib/');
  equal(files.filter((f) => f.startsWith('lib/')), filesUnder(join(repo, 'lib'), repo), 'lib/ in the tarball');
  equal(files.filter((f) => f.startsWith('dist/') && !/\.d\.ts$|\.js$|\.js\.map$/.test(f)), [], 'other files in dist/');
  equal(files.filter((f) => /(^|\/)_[^/]*$/.test(f) && f.startsWith('dist/')), [], 'private declarations in dist/');
});

const app = join(tmp, 'app');
const installed = check('the tarball installs into an empty ESM project, offline, and runs no script', async () => {
  const { tarball } = await packed;
  mkdirSync(app);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  writeFileSync(join(app, 'consumer.ts'), PRELUDE + consumer);
  writeFileSync(join(app, 'entries.ts'), PRELUDE + allEntries('websocket-server'));
  await run('npm', ['install', tarball, '--offline', '--no-package-lock', '--no-audit', '--no-fund', '--foreground-scripts'], app);
  const dir = join(app, 'node_modules', 'websocket-server');
  equal(readJson(join(dir, 'package.json')).version, pkg.version, 'installed version');
  // `prepare` would have written the build's staging folder.
  ok(!existsSync(join(dir, '.tmp')), 'a build ran in the installed package');
  return dir;
});

check('the CLI runs from the installed package\'s bin link: --help, and echo --port 0 listens', async () => {
  await installed;
  const bin = join(app, 'node_modules', '.bin', 'websocket-server');
  const { stdout } = await run(bin, ['--help'], app);
  ok(/websocket-server inspect <hex>/.test(stdout), `--help printed:\n${stdout}`);
  // The echo server imports ../_cli.mjs and reads ../index.html as it starts: each must have shipped.
  const child = spawn(bin, ['echo', '--port', '0'], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  try {
    await new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ws:// line within 20 s:\n${out}`)), 20_000);
      const take = (d) => { out += d; if (/ws:\/\/127\.0\.0\.1:\d+/.test(out)) { clearTimeout(timer); done(); } };
      child.stdout.on('data', take);
      child.stderr.on('data', take);
      child.on('exit', (code) => { clearTimeout(timer); fail(new Error(`echo exited (${code}):\n${out}`)); });
    });
  } finally {
    child.kill('SIGKILL');
  }
});

check('every source map of the installed package names sources inside it, under lib/', async () => {
  const dir = await installed;
  const maps = filesUnder(join(dir, 'dist'), dir).filter((f) => f.endsWith('.map'));
  ok(maps.length === entries.length, `maps: ${maps.join(', ')}`);
  for (const map of maps) {
    const { sources } = readJson(join(dir, map));
    ok(sources.length > 0, `${map} has no sources`);
    for (const s of sources) {
      const file = resolve(dir, dirname(map), s);
      ok(relative(join(dir, 'lib'), file).split(sep)[0] !== '..', `${map}: ${s} resolves outside lib/`);
      ok(existsSync(file), `${map}: ${s} is not in the package`);
    }
  }
});

check('Node imports the package by name from an ES module', async () => {
  await installed;
  writeFileSync(join(app, 'main.mjs'), `
import * as ws from 'websocket-server';
const fail = (what) => { console.error(what); process.exit(1); };
if (!import.meta.resolve('websocket-server').endsWith('/node_modules/websocket-server/dist/index.js')) fail(import.meta.resolve('websocket-server'));
if (ws.computeAcceptKey('dGhlIHNhbXBsZSBub25jZQ==') !== 's3pPLMBiTxaQ9kYGzzhZRbK+xOo=') fail('accept key');
const [m] = new ws.MessageReader({ role: 'server' }).push(ws.encodeTextFrame('héllo', { mask: true }));
if (m.type !== 'text' || m.data !== 'héllo') fail(JSON.stringify(m));
try { new ws.MessageReader({ role: 'server' }).push(ws.encodeTextFrame('x')); fail('an unmasked frame was accepted'); }
catch (e) { if (!(e instanceof ws.ProtocolError) || e.closeCode !== 1002) throw e; }
console.log('imported');
`);
  const { stdout } = await run(process.execPath, ['main.mjs'], app);
  equal(stdout.trim(), 'imported', 'main.mjs output');
});

check('each installed bundle imports only earlier entries\' bundles, by relative ./<name>.js specifiers', async () => {
  const dir = await installed;
  for (const [i, key] of entries.entries()) {
    const name = nameOf(key);
    const allowed = entries.slice(0, i).map((k) => `./${nameOf(k)}.js`);
    // TypeScript's scanner lists static, dynamic and re-export specifiers, not words in comments or strings.
    const { importedFiles } = ts.preProcessFile(readFileSync(join(dir, 'dist', `${name}.js`), 'utf8'), true, true);
    const wrong = importedFiles.map((f) => f.fileName).filter((f) => !allowed.includes(f));
    equal(wrong, [], `dist/${name}.js imports (allowed: ${allowed.join(', ') || 'nothing'})`);
  }
});

check('Node imports every entry by its subpath of the package name', async () => {
  await installed;
  writeFileSync(join(app, 'entries.mjs'), `
const fail = (what) => { console.error(what); process.exit(1); };
for (const [subpath, name] of ${JSON.stringify(entries.map((key) => [`websocket-server${key.slice(1)}`, nameOf(key)]))}) {
  if (!import.meta.resolve(subpath).endsWith('/node_modules/websocket-server/dist/' + name + '.js')) fail(import.meta.resolve(subpath));
  if (Object.keys(await import(subpath)).length === 0) fail(subpath + ' exports nothing');
}
console.log('imported');
`);
  const { stdout } = await run(process.execPath, ['entries.mjs'], app);
  equal(stdout.trim(), 'imported', 'entries.mjs output');
});

for (const [resolution, module] of [['node16', 'node16'], ['bundler', 'preserve']]) {
  check(`tsc type-checks a consumer of the installed package and every entry (moduleResolution ${resolution})`, async () => {
    await installed;
    const config = `tsconfig.${resolution}.json`;
    writeFileSync(join(app, config), JSON.stringify({ compilerOptions: { ...compilerOptions, module, moduleResolution: resolution }, files: ['consumer.ts', 'entries.ts'] }));
    await run(process.execPath, [tsc, '-p', config], app);
  });
}

// Inside the repository Deno resolves the package name through package.json to
// dist/ itself, where a declaration file that imported `./x.js` siblings would
// fail (no such .js files): the example server is type-checked that way.
check('deno check type-checks the Deno example server, which imports the package by name', async () => {
  await run(deno, ['check', 'examples/core/deno-echo-server.ts'], repo);
});

// Deno reading the npm package's own declarations (package.json "types"): a
// declaration file that imports `./x.js` siblings fails here, as Deno looks
// for those .js files; a later entry's imports of an earlier entry's bundle
// ("./index.js") find it, typed by its `@ts-self-types` comment.
check('deno check type-checks the consumer and every entry against the installed package\'s declarations', async () => {
  await installed;
  writeFileSync(join(app, 'deno.json'), JSON.stringify({ lock: false, nodeModulesDir: 'manual' }));
  // --all: Deno reports errors inside an npm package's declarations only when asked
  // (a later entry's .d.ts that lost its import of an earlier entry's names passes without it).
  await run(deno, ['check', '--all', '--config', 'deno.json', 'consumer.ts', 'entries.ts'], app);
});

// Deno loading the bundles by path (a browser-style import, no package.json):
// each is typed by its `@ts-self-types` comment, later entries' declarations too.
check('deno check type-checks every entry imported by its path in dist/', async () => {
  const { src } = await packed;
  const dir = join(tmp, 'deno-path');
  mkdirSync(dir);
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ lock: false }));
  writeFileSync(join(dir, 'main.ts'), entries.map((key, i) => `import * as entry${i} from '${pathToFileURL(join(src, 'dist', `${nameOf(key)}.js`)).href}';\n`).join('')
    + `console.log(${entries.map((_, i) => `entry${i}`).join(', ')});\n`);
  await run(deno, ['check', '--config', 'deno.json', 'main.ts'], dir);
});

check('deno check type-checks the consumer and every entry through jsr.json\'s exports', async () => {
  const dir = join(tmp, 'deno');
  mkdirSync(dir);
  // The JSR name maps to each export's target as published: a wrong path in jsr.json fails here.
  const imports = Object.fromEntries(Object.entries(jsr.exports).map(([key, target]) =>
    [jsr.name + key.slice(1), pathToFileURL(join(repo, target)).href]));
  writeFileSync(join(dir, 'deno.json'), JSON.stringify({ imports, lock: false }));
  writeFileSync(join(dir, 'main.ts'), consumer.replace(/from 'websocket-server'/g, `from '${jsr.name}'`));
  ok(readFileSync(join(dir, 'main.ts'), 'utf8').includes(`from '${jsr.name}'`), 'the consumer does not import the package');
  writeFileSync(join(dir, 'entries.ts'), allEntries(jsr.name));
  await run(deno, ['check', '--config', 'deno.json', 'main.ts', 'entries.ts'], dir);
});

check('deno publish --dry-run passes (no slow types) and would publish lib/, the docs and jsr.json only', async () => {
  const { stdout, stderr } = await run(deno, ['publish', '--dry-run', '--allow-dirty'], repo);
  const out = stdout + stderr;
  const root = pathToFileURL(repo).href;
  const listed = [...out.matchAll(/^\s+(file:\/\/\S+)/gm)].map((m) => m[1].slice(root.length)).sort();
  const expected = [...filesUnder(join(repo, 'lib'), repo), 'CHANGELOG.md', 'LICENSE', 'README.md', 'jsr.json'].sort();
  equal(listed, expected, 'files deno would publish');
  ok(/Dry run complete/.test(out), out);
});

await Promise.all(reported);
rmSync(tmp, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
