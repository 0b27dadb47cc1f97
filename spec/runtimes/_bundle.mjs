// Builds the cross-runtime test bundle: every unit spec (spec/_units.mjs; with uvu,
// its helpers and _setup/_harness) in ONE plain ES module, `unit.mjs`, in a
// stage folder. The library is NOT bundled in: `../../dist/<entry>.js` stays an
// import of `./dist/<entry>.js`, a byte-for-byte copy of each entry's bundle
// taken once at the start (a later entry imports `./index.js`, so all of them
// are copied), so every runtime loads the very same bytes even if someone
// rebuilds dist/ during the run.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { unitSpecs } from '../_units.mjs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const root = resolve(here, '../..');
/** The entries' bundles, from package.json `exports` (./dist/<name>.js). */
const ENTRIES = Object.values(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).exports)
  .map((t) => /^\.\/dist\/([\w-]+\.js)$/.exec(t.default ?? '')?.[1]).filter(Boolean);

export const sha256 = (...files) => { const h = createHash('sha256'); for (const f of files) h.update(readFileSync(f)); return h.digest('hex'); };

/** Copies every entry's bundle from `from`/dist to `stage`/dist; returns the copies, index.js first. */
function copyLibrary(from, stage) {
  mkdirSync(join(stage, 'dist'), { recursive: true });
  return ENTRIES.map((f) => { copyFileSync(join(from, 'dist', f), join(stage, 'dist', f)); return join(stage, 'dist', f); });
}

/** @returns {Promise<{ specs: string[], bundle: string, library: string, hash: string }>} */
export async function bundleUnits(stage, specDir = join(root, 'spec')) {
  const specs = unitSpecs();
  if (specs.length === 0) throw new Error(`No *.spec.mjs files in ${specDir}`);
  const copies = copyLibrary(root, stage);
  const library = copies[0];
  // Each spec is preceded by a one-line module that opens its uvu queue group,
  // so failures name their file. ESM evaluates imports in order.
  const lines = [`import ${JSON.stringify(join(here, '_setup.mjs'))};`];
  specs.forEach((file, i) => {
    lines.push(`import "group:${i}:${file}";`, `import ${JSON.stringify(join(specDir, file))};`);
  });
  lines.push(`export { run, runtimeName } from ${JSON.stringify(join(here, '_harness.mjs'))};`);
  const bundle = join(stage, 'unit.mjs');
  await build({
    stdin: { contents: lines.join('\n'), resolveDir: root, sourcefile: 'unit-entry.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'neutral', // a node: import or a Node-only package fails the build
    mainFields: ['module', 'main'],
    target: 'es2022',
    // Raw UTF-8 rather than \u escapes in strings: Deno 2.9's parser rejects the
    // valid escape pair "\uD83D\u{1F600}" (a lone surrogate, then a code point).
    charset: 'utf8',
    define: { process: 'globalThis.__uvu_process' }, // see _setup.mjs
    outfile: bundle,
    logLevel: 'error',
    plugins: [{
      name: 'runtimes',
      setup(b) {
        b.onResolve({ filter: /^group:/ }, (a) => ({ path: a.path, namespace: 'group' }));
        b.onLoad({ filter: /.*/, namespace: 'group' }, (a) => {
          const [, i, file] = a.path.split(':');
          return { contents: `globalThis.UVU_INDEX = ${i}; globalThis.UVU_QUEUE[${i}] = [${JSON.stringify(file)}];` };
        });
        // package.json says "sideEffects": false (true of the library); the spec
        // files and _setup.mjs are imported only for their side effects.
        b.onResolve({ filter: /(\.spec|_setup)\.mjs$/ }, (a) => (
          a.kind === 'import-statement' && a.path.startsWith('/') ? { path: a.path, sideEffects: true } : undefined
        ));
        b.onResolve({ filter: /dist\/[\w-]+\.js$/ }, (a) => {
          const file = resolve(a.resolveDir, a.path);
          const name = file.slice(join(root, 'dist').length + 1);
          return dirname(file) === join(root, 'dist') && ENTRIES.includes(name) ? { path: `./dist/${name}`, external: true } : undefined;
        });
      },
    }],
  });
  const made = { specs, bundle, library, hash: sha256(...copies) };
  writeFileSync(join(stage, 'bundle.json'), JSON.stringify({ specs, hash: made.hash }));
  return made;
}

/**
 * Copies a bundle made by bundleUnits (spec/_run.mjs makes one for all the
 * runtime stages) into `stage`, checking the library's bytes on the way.
 * @returns {{ specs: string[], bundle: string, library: string, hash: string }}
 */
export function copyBundle(from, stage) {
  const { specs, hash } = JSON.parse(readFileSync(join(from, 'bundle.json'), 'utf8'));
  const copies = copyLibrary(from, stage);
  const bundle = join(stage, 'unit.mjs');
  copyFileSync(join(from, 'unit.mjs'), bundle);
  const library = copies[0];
  if (sha256(...copies) !== hash) throw new Error(`${from}/dist changed after it was bundled`);
  return { specs, bundle, library, hash };
}
