// Builds ONE ESM bundle (dist/index.js + source map) from lib/index.ts, and its
// declarations (dist/index.d.ts and the files it imports).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix, sep } from 'node:path';

const minify = process.argv.includes('--minify');
// Each file is written beside its final name and renamed over it, so that a
// spec reading dist/ while another build runs never sees a half-written file.
const stage = `.tmp/build-${process.pid}`;
rmSync(stage, { recursive: true, force: true });
mkdirSync(stage, { recursive: true });
mkdirSync('dist', { recursive: true });

await build({
  entryPoints: ['lib/index.ts'],
  bundle: true,
  format: 'esm',
  target: 'es2020',
  platform: 'neutral',
  sourcemap: true,
  minify,
  outfile: join(stage, 'index.js'),
  logLevel: 'warning',
});

// Declarations: tsc emits one .d.ts per source file, in lib/'s own folders,
// beside the bundle (dist/index.d.ts, dist/frame/decode.d.ts, ...). Their
// specifiers name .ts files, as lib/ does; they become .js, which every
// TypeScript resolution mode maps to the .d.ts. A private `_` file's
// declarations are dropped unless a public one imports them: none should, and
// they would make consumers need DOM types (WebAssembly).
const tmp = join(stage, 'dts');
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', tmp], { stdio: 'inherit' });
const decls = readdirSync(tmp, { recursive: true }).filter((f) => f.endsWith('.d.ts')).map((f) => f.split(sep).join('/'));
const texts = new Map(decls.map((f) => [f, readFileSync(join(tmp, f), 'utf8').replace(/(from '\.{1,2}\/[^']*)\.ts'/g, "$1.js'")]));
const needed = new Set();
for (const [file, text] of texts) {
  if (basename(file).startsWith('_')) continue;
  for (const m of text.matchAll(/from '(\.{1,2}\/[^']*)\.js'/g)) needed.add(posix.join(posix.dirname(file), m[1] + '.d.ts'));
}
rmSync(join('dist', 'types'), { recursive: true, force: true });
for (const [file, text] of texts) {
  if (basename(file).startsWith('_') && !needed.has(file)) continue;
  mkdirSync(dirname(join(stage, 'out', file)), { recursive: true });
  writeFileSync(join(stage, 'out', file), text);
}
// Declarations first, the bundle last: a reader that sees the new index.js sees its types too.
for (const file of texts.keys()) {
  if (!existsSync(join(stage, 'out', file))) continue;
  mkdirSync(dirname(join('dist', file)), { recursive: true });
  renameSync(join(stage, 'out', file), join('dist', file));
}
for (const f of ['index.js.map', 'index.js']) renameSync(join(stage, f), join('dist', f));
rmSync(stage, { recursive: true, force: true });
