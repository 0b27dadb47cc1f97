// Every public export of lib/ carries JSDoc (issue 2: "Each export has JSDoc
// with @param, @returns, @throws and an @example"): functions need all four
// (@param for each parameter), classes and constants an @example.
import { readdirSync, readFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import * as api from '../../dist/index.js';

const test = suite('jsdoc');
const LIB = new URL('../../lib/', import.meta.url);

/** The exported functions, classes and constants of one source file, each with the JSDoc right before it. */
function exportsOf(file) {
  const text = readFileSync(new URL(file, LIB), 'utf8');
  const found = [];
  const re = /^export\s+(?:declare\s+)?(?:async\s+)?(function|class|const)\s+([A-Za-z_$][\w$]*)/gm;
  let m;
  while ((m = re.exec(text)) !== null) {
    const before = text.slice(0, m.index).trimEnd();
    let doc = null;
    if (before.endsWith('*/')) {
      const start = before.lastIndexOf('/**');
      // The block must be a JSDoc block (/**), not a line or a plain /* comment that closes here.
      if (start >= 0 && !before.slice(start, -2).includes('*/')) doc = before.slice(start);
    }
    found.push({ file, kind: m[1], name: m[2], doc, params: m[1] === 'function' ? paramsOf(text, re.lastIndex) : [] });
  }
  return found;
}

/** Parameter names of the function whose name ends at `from` (skips generics, reads to the matching paren). */
function paramsOf(text, from) {
  let i = text.indexOf('(', from);
  let depth = 0;
  let current = '';
  const parts = [];
  for (; i < text.length; i++) {
    const c = text[i];
    if ('([{<'.includes(c)) { depth++; if (depth === 1) continue; }
    if (')]}>'.includes(c) && !(c === '>' && text[i - 1] === '=')) {
      depth--;
      if (depth === 0) { parts.push(current); break; }
    }
    if (c === ',' && depth === 1) { parts.push(current); current = ''; continue; }
    current += c;
  }
  return parts.map((p) => p.trim()).filter((p) => p !== '').map((p) => p.match(/^(?:\.\.\.)?([A-Za-z_$][\w$]*)/)[1]).filter((n) => n !== 'this');
}

// Every public file, in lib/'s folders too; private `_` files export nothing public.
const files = readdirSync(LIB, { recursive: true }).map((f) => f.split('\\').join('/')).filter((f) => f.endsWith('.ts') && !f.split('/').pop().startsWith('_'));
const exported = files.flatMap(exportsOf);

test('lib/ has public source files and exports', () => {
  assert.ok(files.includes('index.ts') && files.length >= 10, files.join(', '));
  assert.ok(exported.length >= 25, `found ${exported.length} exports`);
});

test('every runtime export of the bundle is declared in a lib/ file checked here', () => {
  const names = new Set(exported.map((e) => e.name));
  const missing = Object.keys(api).filter((name) => !names.has(name));
  assert.equal(missing, [], 'exports this spec did not find in lib/*.ts');
});

test('every export has a JSDoc block with an @example', () => {
  const problems = [];
  for (const e of exported) {
    if (e.doc === null) { problems.push(`${e.file}: ${e.name} has no JSDoc block`); continue; }
    if (!/@example\b[^\n]*\n?[\s*]*\S/.test(e.doc)) problems.push(`${e.file}: ${e.name} has no @example`);
  }
  assert.equal(problems, []);
});

test('every exported function documents each @param, @returns and @throws', () => {
  const problems = [];
  for (const e of exported) {
    if (e.kind !== 'function' || e.doc === null) continue;
    for (const p of e.params) {
      if (!new RegExp(`@param\\s+(?:\\{[^}]*\\}\\s+)?\\[?${p.replace(/\$/g, '\\$')}\\b`).test(e.doc)) problems.push(`${e.file}: ${e.name} lacks @param ${p}`);
    }
    if (!/@returns?\b/.test(e.doc)) problems.push(`${e.file}: ${e.name} lacks @returns`);
    if (!/@throws\b/.test(e.doc)) problems.push(`${e.file}: ${e.name} lacks @throws`);
  }
  assert.equal(problems, []);
});

test('the parameter reader finds parameters (self-check on a known signature)', () => {
  const mask = exported.find((e) => e.name === 'maskInPlace');
  assert.equal(mask.params, ['bytes', 'maskKey', 'keyOffset']);
  const close = exported.find((e) => e.name === 'encodeCloseFrame');
  assert.equal(close.params, ['code', 'reason', 'options']);
});

test.run();
