// Builds one ESM bundle (+ source map) and one declaration file per entry
// point. `npm install` from git or a path
// and `npm pack` run it (the `prepare` and `prepack` scripts), so it needs
// nothing but esbuild and typescript, and works from any current directory.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// Entry points come from package.json `exports`, in its order: each subpath
// whose `default` is ./dist/<name>.js is bundled from lib/<name>.ts (jsr.json
// exports the same subpaths as lib/<name>.ts; spec/package checks both agree).
// Names are flat (dist/<name>.js; a nested one is refused here): the bundles
// import each other as "./<name>.js".
// Everything this prints goes to stderr: `npm pack --json` runs it (prepack)
// and its stdout must stay the JSON alone.
const STDIO = ['ignore', 2, 2];
const root = dirname(fileURLToPath(import.meta.url));
process.chdir(root);
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const ENTRIES = Object.entries(pkg.exports).flatMap(([key, target]) => {
  if (typeof target === 'string') return []; // "./package.json"
  const name = /^\.\/dist\/(.+)\.js$/.exec(target.default ?? '')?.[1];
  if (name === undefined || !/^[\w-]+$/.test(name)) {
    throw new Error(`build.mjs: package.json exports["${key}"].default is ${JSON.stringify(target.default)}; an entry is ./dist/<name>.js, <name> a flat name (letters, digits, _ and -; no folder), built from lib/<name>.ts`);
  }
  return [name];
});
// `npm pack` and `npm publish` run `prepack`, then `prepare`: both build, so
// the second would redo a fresh build for nothing (tsc takes seconds).
if (process.env.npm_lifecycle_event === 'prepare' && ['pack', 'publish'].includes(process.env.npm_command ?? '')) {
  console.error('build.mjs: prepack has just built dist/');
  process.exit(0);
}

const { build, tsc, ts } = loadTools();
const minify = process.argv.includes('--minify');
// Each file is written beside its final name and renamed over it, so that a
// spec reading dist/ while another build runs never sees a half-written file.
const stage = `.tmp/build-${process.pid}`;
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
mkdirSync('dist', { recursive: true });
// A build that stops on an error (below) leaves no staging folder either.
process.on('exit', () => rmSync(stage, { recursive: true, force: true }));

// One copy of each public module. A lib/ module is public in the FIRST entry
// (in `exports` order) whose file re-exports it directly (`export * from`,
// `export {...} from`, `export type * from`); an entry file is public in its
// own entry. A later entry's bundle does not bundle such a module again: a
// second copy of an error class would break `instanceof`, and users would pay
// for the core twice. Its imports of it become imports of the earlier entry's
// bundle by a relative specifier, "./index.js" (not the package name: that
// works in Deno, Bun, browsers and workers without self-reference or an
// import map). Everything else it reaches (private `_*.ts` helpers, modules
// public in no earlier entry) is bundled into it, and their imports of public
// modules of earlier entries become external imports too. A module re-exported
// by two entries is refused: its names would have two homes.
// Keys: paths under lib/ without `.ts` ('errors', 'stream/reader').
const PUBLIC = new Map(ENTRIES.map((name) => [name, name]));
for (const name of ENTRIES) {
  const file = `lib/${name}.ts`;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const s of source.statements) {
    if (!ts.isExportDeclaration(s) || s.moduleSpecifier === undefined || !ts.isStringLiteral(s.moduleSpecifier)) continue;
    const target = posix.join(posix.dirname(name), s.moduleSpecifier.text).replace(/\.ts$/, '');
    const owner = PUBLIC.get(target);
    if (owner !== undefined && owner !== name) {
      throw new Error(`build.mjs: ${file} re-exports lib/${target}.ts, which is already public in the entry "${owner}" (dist/${owner}.js); a module is public in one entry only, so import its names from that one`);
    }
    PUBLIC.set(target, name);
  }
}
const rank = (name) => ENTRIES.indexOf(name);
/** The earlier entry that provides lib/ module `target` (a PUBLIC key) to entry `name`, or undefined: `name` bundles it. */
const providerOf = (target, name) => {
  const owner = PUBLIC.get(target);
  return owner !== undefined && rank(owner) < rank(name) ? owner : undefined;
};

// One build per entry (the same module is bundled into one entry and external
// in another), all at once. Bundled as if written to dist/ (write: false), so
// the maps' `sources` are relative to dist/ (../lib/...): inside the package,
// which ships lib/.
const builds = await Promise.all(ENTRIES.map((name) => build({
  entryPoints: { [name]: `lib/${name}.ts` },
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
  metafile: true,
  logLevel: 'warning',
  // Deno types a .js file by this comment: a later entry's declarations import
  // "./index.js", which Deno would otherwise read as untyped JavaScript
  // (tsc maps it to ./index.d.ts by itself).
  banner: { js: `// @ts-self-types="./${name}.d.ts"` },
  plugins: [{
    name: 'earlier-entries',
    setup(b) {
      b.onResolve({ filter: /^\.\.?\// }, (args) => {
        if (args.kind === 'entry-point') return undefined;
        const target = relative(join(root, 'lib'), resolve(args.resolveDir, args.path)).split(sep).join('/').replace(/\.ts$/, '');
        const owner = providerOf(target, name);
        // sideEffects: false, as package.json says of every module here: an
        // import whose names all went unused leaves no bare `import "./index.js"`.
        return owner === undefined ? undefined : { path: `./${owner}.js`, external: true, sideEffects: false };
      });
    },
  }],
})));
const bundles = new Map(); // entry -> { js, exports }
for (const [i, name] of ENTRIES.entries()) {
  const js = builds[i].outputFiles.find((f) => f.path === join(root, 'dist', `${name}.js`)).text;
  const out = builds[i].metafile.outputs[`dist/${name}.js`];
  bundles.set(name, { js, exports: out.exports });
  // Its only imports are earlier entries' bundles, by names those bundles export.
  for (const { path } of out.imports) {
    const owner = /^\.\/([\w-]+)\.js$/.exec(path)?.[1];
    if (owner === undefined || !(rank(owner) >= 0 && rank(owner) < rank(name))) throw new Error(`build.mjs: dist/${name}.js imports "${path}", not an earlier entry's bundle`);
  }
  for (const m of js.matchAll(/\bimport\s*\{([^}]*)\}\s*from\s*"\.\/([\w-]+)\.js"/g)) {
    const missing = m[1].split(',').map((s) => s.trim().split(/\s+as\s+/)[0]).filter((n) => n && !bundles.get(m[2]).exports.includes(n));
    if (missing.length) throw new Error(`build.mjs: dist/${name}.js imports ${missing.join(', ')} from ./${m[2]}.js, which does not export ${missing.length === 1 ? 'it' : 'them'} (lib/${m[2]}.ts re-exports only some names of a module that dist/${name}.js needs more of)`);
  }
}
const outputs = [];
for (const f of builds.flatMap((b) => b.outputFiles)) {
  const file = relative(join(root, 'dist'), f.path).split(sep).join('/');
  outputs.push(file);
  mkdirSync(dirname(join(stage, 'js', file)), { recursive: true });
  writeFileSync(join(stage, 'js', file), f.contents);
}

// Declarations: tsc emits one .d.ts per source file; each entry gets ONE file,
// dist/<name>.d.ts, that joins the declarations of every lib/ file the entry
// reaches, dependencies first, without their imports and re-exports. One file,
// because a tree of declarations that import each other by `.js` specifiers
// resolves in tsc but not in Deno, which looks for those `.js` files and finds
// none (dist/ holds bundles). Joining is sound while no two reached files
// declare the same top-level name, which is checked here; and the value exports
// declared must be exactly the bundle's exports, which is checked too.
// A module public in an earlier entry is not joined in, as it is not bundled:
// its names are imported from that entry's file, "./index.js" (a bundle that
// exists, typed by its own .d.ts), one `import { ... }` per earlier entry; not
// `import type`, as `declare class X extends ProtocolError` needs the value.
const tmp = join(stage, 'dts');
try {
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', tmp], { stdio: STDIO });
} catch {
  // tsc has printed the type errors; a stack trace of this script would only bury them.
  rmSync(stage, { recursive: true, force: true });
  console.error('build.mjs: tsc found type errors (above); dist/ is unchanged');
  process.exit(1);
}
const DECLARATION = /^(?:export )?(?:declare )?(?:abstract )?(?:function|class|const|let|interface|type|enum|namespace) ([\w$]+)/gm;
const typed = new Map(); // entry -> every name its .d.ts exports
const kept = [];
for (const name of ENTRIES) {
  const order = [];
  const seen = new Set();
  const imported = new Map(); // local name -> { owner, name: its name in the owner }
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(tmp, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
    const cut = [];
    for (const s of source.statements) {
      if (ts.isExportDeclaration(s) && s.moduleSpecifier === undefined && s.exportClause && ts.isNamedExports(s.exportClause) && s.exportClause.elements.length === 0) {
        cut.push(s); // `export {};`
        continue;
      }
      if (!(ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) || s.moduleSpecifier === undefined) continue;
      const spec = s.moduleSpecifier.text;
      if (!/^\.\.?\/.*\.ts$/.test(spec)) throw new Error(`build.mjs: lib/${file} imports "${spec}"; lib/ imports only its own files, by ./x.ts specifiers`);
      cut.push(s);
      const target = posix.join(posix.dirname(file), spec).replace(/\.ts$/, '');
      const owner = providerOf(target, name);
      if (owner === undefined) {
        visit(`${target}.d.ts`);
        continue;
      }
      const where = `lib/${file.replace(/\.d\.ts$/, '.ts')}`;
      if (ts.isExportDeclaration(s)) throw new Error(`build.mjs: ${where} re-exports lib/${target}.ts, public in the entry "${owner}"; ${name} cannot re-export it (users import it from that entry)`);
      const clause = s.importClause;
      if (clause?.name || (clause?.namedBindings && !ts.isNamedImports(clause.namedBindings))) {
        throw new Error(`build.mjs: the declarations of ${where} import lib/${target}.ts (public in the entry "${owner}") by a default or namespace import; name the imports instead`);
      }
      for (const el of clause?.namedBindings?.elements ?? []) {
        const local = el.name.text;
        const there = (el.propertyName ?? el.name).text;
        const before = imported.get(local);
        if (before !== undefined && (before.owner !== owner || before.name !== there)) {
          throw new Error(`Cannot join the declarations of ${name}: ${local} is imported as ${before.name} from ${before.owner} and as ${there} from ${owner} (${where})`);
        }
        imported.set(local, { owner, name: there });
      }
    }
    let joined = '';
    let at = 0;
    for (const s of cut) {
      joined += text.slice(at, s.getStart(source));
      at = text[s.end] === '\n' ? s.end + 1 : s.end;
    }
    order.push([file, joined + text.slice(at)]);
  };
  visit(`${name}.d.ts`);
  const owner = new Map();
  for (const [file, text] of order) {
    for (const m of text.matchAll(DECLARATION)) {
      if ((owner.has(m[1]) && owner.get(m[1]) !== file) || imported.has(m[1])) {
        const other = imported.has(m[1]) ? `the entry ${imported.get(m[1]).owner} (imported)` : `lib/${owner.get(m[1])}`;
        throw new Error(`Cannot join the declarations of ${name}: ${m[1]} is declared in both ${other} and lib/${file}`);
      }
      owner.set(m[1], file);
    }
  }
  const text = order.filter(([, t]) => t.trim() !== '').map(([file, t]) => `// lib/${file.replace(/\.d\.ts$/, '.ts')}\n${t}`).join('\n');
  // An inline import("../x.ts").T would point at a file dist/ does not have.
  const inline = /\bimport\(\s*['"](\.\.?\/[^'"]*)['"]\s*\)/.exec(text);
  if (inline) throw new Error(`Cannot join the declarations of ${name}: they hold an inline import("${inline[1]}"); import the type by name in the source instead`);
  const imports = ENTRIES.filter((e) => rank(e) < rank(name)).map((e) => {
    const names = [...imported].filter(([, v]) => v.owner === e).map(([local, v]) => (local === v.name ? local : `${v.name} as ${local}`)).sort();
    for (const n of names) {
      const there = n.split(' as ')[0];
      if (!typed.get(e).has(there)) throw new Error(`Cannot join the declarations of ${name}: they import ${there} from ${e}, whose declarations do not export it`);
    }
    return names.length ? `import { ${names.join(', ')} } from './${e}.js';\n` : '';
  }).join('');
  const declared = [...text.matchAll(/^export declare (?:abstract )?(?:function|class|const|let) ([\w$]+)/gm)].map((m) => m[1]);
  const actual = bundles.get(name).exports;
  const missing = [...new Set(declared)].filter((n) => !actual.includes(n)).concat(actual.filter((n) => !declared.includes(n)));
  if (missing.length) throw new Error(`Cannot join the declarations of ${name}: declared and bundled exports differ (${missing.join(', ')})`);
  typed.set(name, new Set([...text.matchAll(DECLARATION)].filter((m) => m[0].startsWith('export ')).map((m) => m[1])));
  mkdirSync(dirname(join(stage, 'out', `${name}.d.ts`)), { recursive: true });
  writeFileSync(join(stage, 'out', `${name}.d.ts`), `// websocket-server: the declarations of ${name}.\n\n${imports}${imports && '\n'}${text}\nexport {};\n`);
  kept.push(`${name}.d.ts`);
}
// Declarations first, the bundles last, earlier entries first (`outputs` is in
// entry order; the sort is stable): a reader that sees a new index.js sees its
// types too, and a new connection.js never meets an old index.js.
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

/** esbuild's build(), TypeScript's API and tsc's path as resolved from folder `from`, or undefined if either is missing. */
function toolsFrom(from) {
  const require = createRequire(join(from, 'package.json'));
  try {
    return { build: require('esbuild').build, ts: require('typescript'), tsc: require.resolve('typescript/bin/tsc') };
  } catch (e) {
    if (e?.code === 'MODULE_NOT_FOUND') return undefined;
    throw e;
  }
}
