// Each bundle in dist/ is what every runtime loads, so it must touch nothing
// runtime-specific: one ES module, no reference to Node's, Deno's or Bun's
// globals, and no imports but the bundles of earlier entries (package.json
// `exports` order), by relative "./<name>.js" specifiers: dist/index.js, the
// first, imports nothing. The checks read the code the way a runtime does
// (esbuild parses it), so a word in a comment or a string is not a reference,
// and a real one cannot hide behind `globalThis.`.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { entries } from '../runtimes/size.mjs';

const ENTRIES = entries();
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

test('dist/ holds, per entry, one JavaScript file, its source map and one declaration file', () => {
  assert.is(ENTRIES[0], 'index');
  const expected = ENTRIES.flatMap((name) => [`${name}.d.ts`, `${name}.js`, `${name}.js.map`]);
  assert.equal(readdirSync('dist', { recursive: true }).sort(), expected.sort());
});

/** The lib/ modules (paths under lib/, no .ts) that lib/<name>.ts re-exports, directly. */
const reexported = (name) => [...readFileSync(`lib/${name}.ts`, 'utf8').matchAll(/^export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]([^'"]+)['"]/gm)]
  .map((m) => posix.join(m[1]).replace(/\.ts$/, ''));

for (const [i, name] of ENTRIES.entries()) {
  const earlier = ENTRIES.slice(0, i);
  const js = readFileSync(`dist/${name}.js`, 'utf8');

  // One declaration file per entry, not a tree: Deno resolves a .d.ts's
  // `./x.js` imports to files, and dist/ holds only the entries' bundles.
  test(`dist/${name}.d.ts imports ${i === 0 ? 'nothing' : 'only earlier entries, one import { ... } each, and re-exports nothing'}`, () => {
    const dts = readFileSync(`dist/${name}.d.ts`, 'utf8');
    // An export-from statement (`export * from`, `export { a } from`), not an interface that later names `from '`.
    assert.not.match(dts, /^\s*export\s+(?:type\s+)?(?:\*(?:\s+as\s+[\w$]+)?|\{[^}]*\})\s*from\s*['"]/m);
    const specs = [...dts.matchAll(/^\s*import\b([^;]*?)\bfrom\s*['"]([^'"]*)['"]/gm)];
    for (const [, clause, spec] of specs) {
      assert.ok(earlier.some((e) => spec === `./${e}.js`), `dist/${name}.d.ts imports "${spec}"`);
      assert.match(clause, /^\s*\{[^}]*\}\s*$/, `dist/${name}.d.ts: import${clause}from "${spec}"`);
    }
    assert.is(new Set(specs.map((m) => m[2])).size, specs.length, `dist/${name}.d.ts imports one entry twice`);
    assert.not.match(dts, /\bimport\(\s*['"]/);
  });

  test(`dist/${name}.js imports ${i === 0 ? 'nothing' : `only earlier entries (${earlier.map((e) => `./${e}.js`).join(', ')})`} and references no Node, Deno or Bun global`, async () => {
    const allowed = new Set(earlier.map((e) => `import ./${e}.js`));
    assert.equal((await audit(js)).filter((found) => !allowed.has(found)), []);
  });

  test(`dist/${name}.js is an ES module whose exports are only its own bindings (no export-from)`, () => {
    assert.not.match(js, /\bexport\s*(\*|\{[^}]*\})\s*from\b/);
    assert.match(js, /\bexport\s*\{/);
  });

  // Deno types a .js file by this comment; later entries' declarations import "./index.js".
  test(`dist/${name}.js names its declarations for Deno (@ts-self-types)`, () => {
    assert.ok(js.startsWith(`// @ts-self-types="./${name}.d.ts"\n`), js.slice(0, 80));
  });

  test(`dist/${name}.js.map lists only lib/ sources, by paths that stay inside the package${i === 0 ? '' : ', and none public in an earlier entry'}`, () => {
    const { sources, sourcesContent } = JSON.parse(readFileSync(`dist/${name}.js.map`, 'utf8'));
    assert.ok(sources.length > 0);
    // Relative to dist/: ../lib/ is the package's own lib/ (it ships); ../../lib would leave it.
    for (const s of sources) {
      assert.match(s, /^\.\.\/lib\/([\w-]+\/)*[\w-]+\.ts$/, s);
      assert.ok(existsSync(join('dist', s)), s);
    }
    // The sources ship as files, so the map needs no second copy of them.
    assert.is(sourcesContent, undefined);
    // A module public in an earlier entry is that entry's: a copy here would be a second ProtocolError class.
    const taken = new Set(earlier.flatMap((e) => [e, ...reexported(e)]));
    assert.equal(sources.map((s) => s.replace(/^\.\.\/lib\//, '').replace(/\.ts$/, '')).filter((s) => taken.has(s)), []);
  });
}

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
