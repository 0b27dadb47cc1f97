// Builds one self-contained ESM bundle (+ source map) and one declaration file
// per entry point. `npm install` from git or a path
// and `npm pack` run it (the `prepare` and `prepack` scripts), so it needs
// nothing but esbuild and typescript, and works from any current directory.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Entry points come from package.json `exports`: each subpath whose `default`
// is ./dist/<name>.js is bundled from lib/<name>.ts (jsr.json exports the same
// subpaths as lib/<name>.ts; spec/package checks both agree). Each bundle is
// self-contained: a later entry that bundled a class of another (an error type)
// would hold a second copy and break `instanceof`, so it should import that
// entry by its public specifier instead, kept external.
// Everything this prints goes to stderr: `npm pack --json` runs it (prepack)
// and its stdout must stay the JSON alone.
const STDIO = ['ignore', 2, 2];
const root = dirname(fileURLToPath(import.meta.url));
process.chdir(root);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const ENTRIES = Object.values(pkg.exports)
  .map((target) => /^\.\/dist\/([\w/-]+)\.js$/.exec(target.default ?? '')?.[1])
  .filter((name) => name !== undefined);

// `npm pack` and `npm publish` run `prepack`, then `prepare`: both build, so
// the second would redo a fresh build for nothing (tsc takes seconds).
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  console.error('build.mjs: prepack has just built dist/');
  process.exit(0);
}

const { build, tsc } = loadTools();
const minify = process.argv.includes('--minify');
// Each file is written beside its final name and renamed over it, so that a
// spec reading dist/ while another build runs never sees a half-written file.
const stage = `.tmp/build-${process.pid}`;
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
mkdirSync('dist', { recursive: true });

// Bundled as if written to dist/ (write: false), so the maps' `sources` are
// relative to dist/ (../lib/...): inside the package, which ships lib/.
const bundled = await build({
  entryPoints: Object.fromEntries(ENTRIES.map((name) => [name, `lib/${name}.ts`])),
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'neutral',
  sourcemap: true,
  // The package ships lib/, where the map's sources point: no second copy inside it.
  sourcesContent: false,
  minify,
  outdir: 'dist',
  absWorkingDir: root,
  write: false,
  logLevel: 'warning',
});
const outputs = bundled.outputFiles.map((f) => relative(join(root, 'dist'), f.path).split(sep).join('/'));
for (const [i, f] of bundled.outputFiles.entries()) {
  mkdirSync(dirname(join(stage, 'js', outputs[i])), { recursive: true });
  writeFileSync(join(stage, 'js', outputs[i]), f.contents);
}

// Declarations: tsc emits one .d.ts per source file; each entry gets ONE file,
// dist/<name>.d.ts, that joins the declarations of every lib/ file the entry
// reaches, dependencies first, without their imports and re-exports. One file,
// because a tree of declarations that import each other by `.js` specifiers
// resolves in tsc but not in Deno, which looks for those `.js` files and finds
// none (dist/ holds bundles). Joining is sound while no two reached files
// declare the same top-level name, which is checked here; and the value exports
// declared must be exactly the bundle's exports, which is checked too.
const tmp = join(stage, 'dts');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', tmp], { stdio: STDIO });
} catch {
  // tsc has printed the type errors; a stack trace of this script would only bury them.
  rmSync(stage, { recursive: true, force: true });
  console.error('build.mjs: tsc found type errors (above); dist/ is unchanged');
  process.exit(1);
}
const IMPORT = /^(?:import|export)\b[^;]*?\bfrom\s*'(\.{1,2}\/[^']*)\.ts';\n/gm;
const kept = [];
for (const name of ENTRIES) {
  const order = [];
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(tmp, file), 'utf8');
    for (const m of text.matchAll(IMPORT)) visit(posix.join(posix.dirname(file), `${m[1]}.d.ts`));
    order.push([file, text.replace(IMPORT, '').replace(/^export \{\};\n/gm, '')]);
  };
  visit(`${name}.d.ts`);
  const owner = new Map();
  for (const [file, text] of order) {
    for (const m of text.matchAll(/^(?:export )?(?:declare )?(?:abstract )?(?:function|class|const|let|interface|type|enum|namespace) ([\w$]+)/gm)) {
      if (owner.has(m[1]) && owner.get(m[1]) !== file) throw new Error(`Cannot join the declarations of ${name}: ${m[1]} is declared in both lib/${owner.get(m[1])} and lib/${file}`);
      owner.set(m[1], file);
    }
  }
  const text = order.filter(([, t]) => t.trim() !== '').map(([file, t]) => `// lib/${file.replace(/\.d\.ts$/, '.ts')}\n${t}`).join('\n');
  const declared = [...text.matchAll(/^export declare (?:abstract )?(?:function|class|const|let) ([\w$]+)/gm)].map((m) => m[1]);
  const js = bundled.outputFiles.find((f) => f.path === join(root, 'dist', `${name}.js`)).text;
  const actual = [...js.matchAll(/^export \{([^}]*)\}/gm)].flatMap((m) => m[1].split(',').map((s) => s.trim().split(/\s+as\s+/).pop())).filter(Boolean);
  const missing = [...new Set(declared)].filter((n) => !actual.includes(n)).concat(actual.filter((n) => !declared.includes(n)));
  if (missing.length) throw new Error(`Cannot join the declarations of ${name}: declared and bundled exports differ (${missing.join(', ')})`);
  mkdirSync(dirname(join(stage, 'out', `${name}.d.ts`)), { recursive: true });
  writeFileSync(join(stage, 'out', `${name}.d.ts`), `// websocket-server: the declarations of ${name}.\n\n${text}\nexport {};\n`);
  kept.push(`${name}.d.ts`);
}
// Declarations first, the bundles last: a reader that sees a new index.js sees its types too.
for (const file of kept) {
  mkdirSync(dirname(join('dist', file)), { recursive: true });
  renameSync(join(stage, 'out', file), join('dist', file));
}
for (const f of outputs.sort((a, b) => Number(a.endsWith('.js')) - Number(b.endsWith('.js')))) {
  mkdirSync(dirname(join('dist', f)), { recursive: true });
  renameSync(join(stage, 'js', f), join('dist', f));
}
rmSync(stage, { recursive: true, force: true });

// dist/ ships whole (package.json `files`), so whatever this build did not
// write (the declarations of a file since removed from lib/) goes.
const written = new Set([...kept, ...outputs]);
for (const f of readdirSync('dist', { recursive: true, withFileTypes: true })) {
  if (!f.isFile()) continue;
  const file = relative('dist', join(f.parentPath ?? f.path, f.name)).split(sep).join('/');
  if (!written.has(file)) rmSync(join('dist', file));
}
for (const d of readdirSync('dist', { recursive: true, withFileTypes: true }).filter((f) => f.isDirectory()).map((f) => join(f.parentPath ?? f.path, f.name)).sort().reverse()) {
  if (readdirSync(d).length === 0) rmSync(d, { recursive: true });
}

/**
 * esbuild and tsc, from the devDependencies. `npm install <path>` links the
 * folder and runs `prepare` there without installing its devDependencies (a
 * git install does install them): then the two pinned tools are installed
 * once into .tmp/build-tools, away from package.json and the lockfile.
 */
function loadTools() {
  const here = toolsFrom(root);
  if (here !== undefined) return here;
  const dir = join(root, '.tmp', 'build-tools');
  if (toolsFrom(dir) === undefined) {
    const specs = ['esbuild', 'typescript'].map((name) => `${name}@${pkg.devDependencies[name]}`);
    console.error(`build.mjs: no devDependencies here; installing ${specs.join(' and ')} into ${relative(root, dir)}`);
    mkdirSync(dir, { recursive: true });
    // The outer npm passes its options down as npm_config_* variables; these
    // flags undo the ones that would send the tools elsewhere or drop esbuild's
    // binary (an optional dependency).
    const npm = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ['npm'];
    execFileSync(npm[0], [...npm.slice(1), 'install', '--prefix', dir, '--global=false', '--no-dry-run', '--no-save', '--no-package-lock',
      '--include=optional', '--ignore-scripts', '--no-audit', '--no-fund', ...specs], { stdio: STDIO, shell: npm[0] === 'npm' && process.platform === 'win32' });
  }
  const tools = toolsFrom(dir);
  if (tools === undefined) throw new Error(`Cannot build: esbuild and typescript are missing (run npm ci in ${root})`);
  return tools;
}

/** esbuild's build() and tsc's path as resolved from folder `from`, or undefined if either is missing. */
function toolsFrom(from) {
  const require = createRequire(join(from, 'package.json'));
  try {
    return { build: require('esbuild').build, tsc: require.resolve('typescript/bin/tsc') };
  } catch (e) {
    if (e?.code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}
