// Builds ONE ESM bundle (dist/index.js + source map) and ONE declaration file
// (dist/index.d.ts) from lib/index.ts.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

// tsc cannot bundle declarations into one ES module file, so emit one per
// public source file and join them: lib/ has no name clashes and imports
// between its files are dropped. The private `_` files are left out: no public
// declaration names them, and they would make consumers need DOM types.
const tmp = join(stage, 'dts');
rmSync(tmp, { recursive: true, force: true });
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json', '--noEmit', 'false', '--declaration', '--emitDeclarationOnly', '--outDir', tmp], { stdio: 'inherit' });
const order = readFileSync('lib/index.ts', 'utf8').match(/'\.\/[^']+'/g).map((s) => s.slice(3, -4));
let dts = '// websocket-server: type declarations.\n';
for (const name of order) {
  let text = readFileSync(join(tmp, `${name}.d.ts`), 'utf8');
  text = text.replace(/^import [^;]*;\n/gm, '').replace(/^export \{\};\n/gm, '');
  dts += `\n// ${name}.ts\n${text}`;
}
writeFileSync(join(stage, 'index.d.ts'), dts + '\nexport {};\n');
for (const f of ['index.js.map', 'index.d.ts', 'index.js']) renameSync(join(stage, f), join('dist', f));
rmSync(stage, { recursive: true, force: true });
