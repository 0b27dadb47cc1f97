// dist/index.js is what every runtime loads, so it must be self-contained and
// touch nothing runtime-specific: one ES module, no imports of any kind, and no
// reference to Node's, Deno's or Bun's globals. The checks read the code the
// way a runtime does (esbuild parses it), so a word in a comment or a string is
// not a reference, and a real one cannot hide behind `globalThis.`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const FORBIDDEN = ['Buffer', 'process', 'Deno', 'Bun', 'require', 'module', 'exports', 'global', '__dirname', '__filename', 'setImmediate'];

/**
 * Parses `source` as an ES module and lists what it must not contain:
 * imports (static, dynamic, require) and free references to FORBIDDEN globals.
 */
async function audit(source) {
  const define = {};
  for (const name of FORBIDDEN) {
    define[name] = `__forbidden_${name}__`;
    define[`globalThis.${name}`] = `__forbidden_${name}__`;
  }
  const found = [];
  const result = await build({
    stdin: { contents: source, sourcefile: 'index.js', loader: 'js' },
    bundle: true, write: false, format: 'esm', platform: 'neutral', metafile: true, minify: true, logLevel: 'silent',
    define,
    plugins: [{
      name: 'no-imports',
      setup(b) { b.onResolve({ filter: /.*/ }, (a) => { found.push(`import ${a.path}`); return { path: a.path, external: true }; }); },
    }],
  });
  const code = result.outputFiles[0].text;
  for (const m of code.matchAll(/__forbidden_(\w+?)__/g)) found.push(`global ${m[1]}`);
  if (/\bimport\.meta\b/.test(code)) found.push('import.meta');
  // node: can only appear in a string here (imports are listed above): a module name built at runtime.
  if (/["'`]node:/.test(code)) found.push('a "node:" string');
  return [...new Set(found)];
}

test('dist/ holds one JavaScript file, its source map and one declaration file', () => {
  assert.equal(readdirSync('dist', { recursive: true }).sort(), ['index.d.ts', 'index.js', 'index.js.map']);
});

// One declaration file, not a tree: Deno resolves a .d.ts's `./x.js` imports to
// files that do not exist in dist/ (it does not map them to x.d.ts as tsc does).
test('dist/index.d.ts imports nothing', () => {
  assert.not.match(readFileSync('dist/index.d.ts', 'utf8'), /^\s*(import|export)\b[^;]*\bfrom\s*['"]/m);
});

test('dist/index.js imports nothing and references no Node, Deno or Bun global', async () => {
  assert.equal(await audit(readFileSync('dist/index.js', 'utf8')), []);
});

test('dist/index.js is an ES module whose exports are only its own bindings (no export-from)', () => {
  const source = readFileSync('dist/index.js', 'utf8');
  assert.not.match(source, /\bexport\s*(\*|\{[^}]*\})\s*from\b/);
  assert.match(source, /\bexport\s*\{/);
});

test('the source map lists only lib/ sources, by paths that stay inside the package', () => {
  const { sources, sourcesContent } = JSON.parse(readFileSync('dist/index.js.map', 'utf8'));
  assert.ok(sources.length > 0);
  // Relative to dist/: ../lib/ is the package's own lib/ (it ships); ../../lib would leave it.
  for (const s of sources) {
    assert.match(s, /^\.\.\/lib\/([\w-]+\/)*[\w-]+\.ts$/, s);
    assert.ok(existsSync(join('dist', s)), s);
  }
  // The sources ship as files, so the map needs no second copy of them.
  assert.is(sourcesContent, undefined);
});

// The auditor itself must catch each kind of slip; otherwise the test above proves nothing.
test('the audit catches every forbidden construct', async () => {
  const cases = [
    ['export const x = Buffer.from("a");', 'global Buffer'],
    ['export const x = typeof process;', 'global process'],
    ['export const x = globalThis.Deno;', 'global Deno'],
    ['export const x = () => Bun.file("a");', 'global Bun'],
    ['export const x = require("fs");', 'global require'],
    ['import { readFileSync } from "node:fs"; export const x = readFileSync;', 'import node:fs'],
    ['export * from "./other.js";', 'import ./other.js'],
    ['export const x = () => import("./lazy.js");', 'import ./lazy.js'],
    ['export const x = import.meta.url;', 'import.meta'],
    ['export const load = (n) => globalThis["req" + "uire"]("node:" + n);', 'a "node:" string'],
  ];
  for (const [source, expected] of cases) assert.ok((await audit(source)).includes(expected), `${expected} in ${source}`);
  // ...and does not flag the words where they are not references.
  assert.equal(await audit('/* Buffer process Deno Bun */ export const s = "a Buffer, the process"; export class ArrayBufferish {}'), []);
});

test.run();
